"""Motions and votes: deadlines and emergency motions, amendments with their text change,
composites, procedural precedence, forwarding with origin; votes by show of hands, online and
weighted card, majority rules, the inquorate rule, and who may do what."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from grassroots.meetings import actions
from grassroots.meetings.models import Meeting, Motion, Vote, VoteCast
from grassroots.meetings.procedure import text_change
from grassroots.members import actions as member_actions
from tests.web.conftest import PASSWORD, Org

LONDON = ZoneInfo("Europe/London")
START = dt.datetime(2026, 12, 17, 19, 30, tzinfo=LONDON)
CALLED = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
BEFORE = dt.datetime(2026, 12, 5, 12, 0, tzinfo=LONDON)  # motions close end of 13 December
IN_MEETING = START + dt.timedelta(minutes=20)


def member(org: Org, number: str, name: str, *, login: bool = False, branch: Any = None) -> Any:
    m = member_actions.create_member(
        by=None,
        number=number,
        name=name,
        branch=branch or org.hillford,
        join_date=dt.date(2019, 1, 1),
        status="full",
        paid_up_to=dt.date(2027, 6, 30),
    )
    if login:
        member_actions.create_login(username=number.lower(), password=PASSWORD, member=m, by=None)
        m.refresh_from_db()
    return m


def meeting(org: Org, **body: Any) -> Meeting:
    body.setdefault("name", "Hillford branch")
    b = actions.create_body(unit=org.hillford, kind="branch", by=None, quorum_number=2, **body)
    return actions.call_meeting(
        b,
        title="December",
        start=START,
        by=None,
        items=["Motions"],
        place="Hall",
        join_url="https://meet.example.org/x",
        now=CALLED,
    )


def in_session(org: Org, m: Meeting, *people: Any) -> None:
    for p in people:
        actions.check_in(m, p, by=None, now=START - dt.timedelta(minutes=5))
    actions.open_meeting(m, by=None, now=START)


# --- motions ---------------------------------------------------------------------------------


def test_a_motion_needs_a_mover_and_a_different_seconder_both_entitled(org: Org) -> None:
    m = meeting(org)
    cat, dan = member(org, "M3", "Cat"), member(org, "M4", "Dan")
    with pytest.raises(actions.ActionRefused, match="other than the mover"):
        actions.submit_motion(m, title="T", text="x", by=None, mover=cat, seconder=cat, now=BEFORE)
    with pytest.raises(actions.ActionRefused, match="seconder, Bob Moor, is not entitled"):
        actions.submit_motion(
            m, title="T", text="x", by=None, mover=cat, seconder=org.bob, now=BEFORE
        )
    motion = actions.submit_motion(
        m,
        title="Libraries",
        text="This branch opposes closures.",
        by=None,
        mover=cat,
        seconder=dan,
        now=BEFORE,
    )
    assert motion.kind == "motion" and motion.state == "submitted"


def test_after_the_deadline_only_an_emergency_motion_with_a_reason_is_taken(org: Org) -> None:
    m = meeting(org)
    cat = member(org, "M3", "Cat")
    late = dt.datetime(2026, 12, 14, 0, 0, tzinfo=LONDON)  # 3 clear days: closed at this instant
    with pytest.raises(actions.ActionRefused, match="motions closed 14 December 2026 00:00"):
        actions.submit_motion(m, title="T", text="x", by=None, mover=cat, now=late)
    motion = actions.submit_motion(
        m,
        title="Library closure",
        text="x",
        by=None,
        mover=cat,
        now=late,
        emergency_reason="the council announced it on the 15th",
    )
    assert motion.kind == "emergency" and "15th" in motion.emergency_reason


def test_a_member_submits_only_in_their_own_name(org: Org) -> None:
    m = meeting(org)
    cat = member(org, "M3", "Cat", login=True)
    dan = member(org, "M4", "Dan")
    user = cat.user
    with pytest.raises(actions.ActionRefused, match="in their own name"):
        actions.submit_motion(m, title="T", text="x", by=user, mover=dan, now=BEFORE)
    assert (
        actions.submit_motion(m, title="T", text="x", by=user, mover=cat, now=BEFORE).mover == cat
    )


def test_an_amendment_shows_its_change_and_carrying_it_changes_the_motion(org: Org) -> None:
    m = meeting(org)
    cat, dan, eve = member(org, "M3", "Cat"), member(org, "M4", "Dan"), member(org, "M5", "Eve")
    motion = actions.submit_motion(
        m,
        title="Libraries",
        text="This branch opposes all library closures.",
        by=None,
        mover=cat,
        now=BEFORE,
    )
    with pytest.raises(actions.ActionRefused, match="changes nothing"):
        actions.amend(motion, new_text=motion.text, by=None, mover=dan)
    amendment = actions.amend(
        motion,
        new_text="This branch opposes library closures in Hillford.",
        by=None,
        mover=dan,
        seconder=eve,
    )
    change = text_change(motion.text, amendment.text)
    assert [(c.op, c.text) for c in change] == [
        ("same", "This branch opposes "),
        ("delete", "all "),
        ("same", "library "),
        ("delete", "closures."),
        ("insert", "closures in Hillford."),
    ]
    assert "".join(c.text for c in change if c.op != "insert") == motion.text
    assert "".join(c.text for c in change if c.op != "delete") == amendment.text
    in_session(org, m, cat, dan, eve)
    with pytest.raises(actions.ActionRefused, match="amendments to “Libraries” are voted on first"):
        actions.open_vote(m, motion=motion, by=None, now=IN_MEETING)
    vote = actions.open_vote(m, motion=amendment, by=None, now=IN_MEETING)
    actions.record_hands(vote, for_=2, against=1, abstain=0, by=None)
    actions.close_vote(vote, by=None, now=IN_MEETING)
    motion.refresh_from_db()
    assert motion.text_now() == "This branch opposes library closures in Hillford."
    assert motion.text == "This branch opposes all library closures."  # as submitted, kept


def test_a_composite_records_which_motions_it_merged_and_who_agreed(org: Org) -> None:
    m = meeting(org)
    cat, dan = member(org, "M3", "Cat"), member(org, "M4", "Dan")
    a = actions.submit_motion(m, title="Libraries A", text="a", by=None, mover=cat, now=BEFORE)
    b = actions.submit_motion(m, title="Libraries B", text="b", by=None, mover=dan, now=BEFORE)
    with pytest.raises(actions.ActionRefused, match="who agreed"):
        actions.composite(m, [a, b], title="Libraries", text="ab", agreed_by="", by=None)
    merged = actions.composite(
        m, [a, b], title="Libraries (composite)", text="ab", agreed_by="Cat and Dan", by=None
    )
    assert set(merged.composite_of.all()) == {a, b}
    assert set(Motion.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True)) == {
        "composited"
    }


def test_a_procedural_motion_is_decided_before_the_motion_it_applies_to(org: Org) -> None:
    m = meeting(org)
    cat, dan = member(org, "M3", "Cat"), member(org, "M4", "Dan")
    motion = actions.submit_motion(m, title="Libraries", text="x", by=None, mover=cat, now=BEFORE)
    in_session(org, m, cat, dan)
    refer = actions.propose_procedure(m, procedure="refer_back", by=None, applies_to=motion)
    nxt = actions.propose_procedure(m, procedure="next_business", by=None, applies_to=motion)
    with pytest.raises(actions.ActionRefused, match="“That the meeting proceed to next business”"):
        actions.open_vote(m, motion=motion, by=None, now=IN_MEETING)
    with pytest.raises(actions.ActionRefused, match="next business” comes first"):
        actions.open_vote(m, motion=refer, by=None, now=IN_MEETING)
    vote = actions.open_vote(m, motion=nxt, by=None, now=IN_MEETING)
    actions.record_hands(vote, for_=2, against=0, abstain=0, by=None)
    actions.close_vote(vote, by=None, now=IN_MEETING)
    motion.refresh_from_db()
    assert motion.state == "fallen"


def test_a_carried_motion_is_forwarded_keeping_its_origin(org: Org) -> None:
    m = meeting(org)
    cat, dan = member(org, "M3", "Cat"), member(org, "M4", "Dan")
    motion = actions.submit_motion(
        m, title="Libraries", text="x", by=None, mover=cat, seconder=dan, now=BEFORE
    )
    national = actions.create_body(unit=org.national, kind="agm", name="Conference", by=None)
    conference = actions.call_meeting(
        national,
        title="Conference",
        start=START + dt.timedelta(days=60),
        by=None,
        place="Hall",
        now=CALLED,
    )
    with pytest.raises(actions.ActionRefused, match="only a carried motion"):
        actions.forward(motion, conference, by=None, now=IN_MEETING)
    in_session(org, m, cat, dan)
    vote = actions.open_vote(m, motion=motion, by=None, now=IN_MEETING)
    actions.record_hands(vote, for_=2, against=0, abstain=0, by=None)
    actions.close_vote(vote, by=None, now=IN_MEETING)
    sent = actions.forward(motion, conference, by=None, now=IN_MEETING)
    assert sent.origin == motion and sent.from_unit == org.hillford and sent.meeting == conference


# --- votes -----------------------------------------------------------------------------------


def test_a_show_of_hands_is_typed_by_the_chair_and_cannot_exceed_the_roll(org: Org) -> None:
    m = meeting(org)
    people = [member(org, f"M{i}", f"P{i}") for i in range(3, 7)]
    in_session(org, m, *people)
    vote = actions.open_vote(m, question="Accept the late item", by=None, now=IN_MEETING)
    with pytest.raises(actions.ActionRefused, match="only 4 may vote"):
        actions.record_hands(vote, for_=3, against=2, abstain=0, by=None)
    with pytest.raises(actions.ActionRefused, match="type the show of hands first"):
        actions.close_vote(vote, by=None)
    actions.record_hands(vote, for_=2, against=2, abstain=0, by=None)
    closed = actions.close_vote(vote, by=None, now=IN_MEETING)
    assert closed.carried is False and "tied, so not carried" in closed.working
    with pytest.raises(actions.ActionRefused, match="has closed"):
        actions.record_hands(vote, for_=3, against=1, abstain=0, by=None)


def test_online_votes_are_each_members_own_once_and_counted_at_the_close(org: Org) -> None:
    m = meeting(org)
    cat, dan, eve = (
        member(org, f"M{i}", n, login=True) for i, n in [(3, "Cat"), (4, "Dan"), (5, "Eve")]
    )
    late = member(org, "M6", "Late", login=True)
    in_session(org, m, cat, dan, eve)
    vote = actions.open_vote(m, question="Q", method="online", majority="two_thirds", by=None)
    actions.check_in(m, late, by=None, now=IN_MEETING)  # arrived after the roll froze
    actions.cast_online(vote, cat, "for", by=cat.user)
    with pytest.raises(actions.ActionRefused, match="already voted"):
        actions.cast_online(vote, cat, "against", by=cat.user)
    with pytest.raises(actions.ActionRefused, match="votes for themselves"):
        actions.cast_online(vote, eve, "for", by=cat.user)
    with pytest.raises(actions.ActionRefused, match="not on this vote's roll"):
        actions.cast_online(vote, late, "for", by=late.user)
    actions.cast_online(vote, dan, "for", by=dan.user)
    actions.cast_online(vote, eve, "against", by=eve.user)
    closed = actions.close_vote(vote, by=None)
    assert (closed.for_votes, closed.against_votes, closed.carried) == ("2", "1", True)
    with pytest.raises(actions.ActionRefused, match="has closed"):
        actions.cast_online(vote, eve, "for", by=eve.user)
    assert VoteCast.objects.filter(vote=vote).count() == 3


def test_card_votes_carry_each_delegations_card_from_the_data_exactly(org: Org) -> None:
    union = member_actions.create_unit(
        kind="affiliate", code="union-x", name="Union X", parent=org.hillford, by=None
    )
    member_actions.record_affiliation(union, members=1000, as_of=dt.date(2026, 1, 1), by=None)
    gc = actions.create_body(unit=org.hillford, kind="general_committee", name="GC", by=None)
    appointed = dt.date(2026, 11, 1)
    ward_delegate = member(org, "M3", "Wendy Ward")
    u1, u2, u3 = (member(org, f"M{i}", f"U{i}") for i in (4, 5, 6))
    actions.appoint(gc, ward_delegate, by=None, represents=org.hillford_east, on=appointed)
    for u in (u1, u2, u3):
        actions.appoint(gc, u, by=None, represents=union, on=appointed)
    m = actions.call_meeting(gc, title="GC", start=START, by=None, place="Hall", now=CALLED)
    in_session(org, m, ward_delegate, u1, u2, u3)
    vote = actions.open_vote(m, question="Q", method="card", by=None)
    # Hillford East's card: its members on the register (Ann, Wendy's ward is Hillford's? no:
    # only members whose branch path lies under the ward count) — here none but the branch's
    east_card = Fraction(vote.entitled_weight) - 1000
    assert Fraction(vote.present_weight) == 1000 + east_card
    for u, choice in ((u1, "for"), (u2, "for"), (u3, "against")):
        u.refresh_from_db()
        actions.cast_online(vote, u, choice, by=None)
    actions.cast_online(vote, ward_delegate, "against", by=None)
    closed = actions.close_vote(vote, by=None)
    assert Fraction(closed.for_votes) == Fraction(2000, 3)
    assert Fraction(closed.against_votes) == Fraction(1000, 3) + east_card


def test_a_card_vote_is_refused_when_a_delegations_card_is_not_on_record(org: Org) -> None:
    union = member_actions.create_unit(
        kind="affiliate", code="union-y", name="Union Y", parent=org.hillford, by=None
    )
    gc = actions.create_body(unit=org.hillford, kind="general_committee", name="GC", by=None)
    u = member(org, "M4", "U4")
    actions.appoint(gc, u, by=None, represents=union, on=dt.date(2026, 11, 1))
    m = actions.call_meeting(gc, title="GC", start=START, by=None, place="Hall", now=CALLED)
    in_session(org, m, u)
    with pytest.raises(actions.ActionRefused, match="Union Y has no affiliated membership"):
        actions.open_vote(m, question="Q", method="card", by=None)
    assert not Vote.objects.exists()


def test_no_vote_while_inquorate_unless_the_chair_records_continuing_and_why(org: Org) -> None:
    m = meeting(org)
    cat = member(org, "M3", "Cat")
    in_session(org, m, cat)  # quorum is 2
    with pytest.raises(actions.ActionRefused, match="inquorate"):
        actions.open_vote(m, question="Q", by=None)
    vote = actions.open_vote(
        m, question="Q", by=None, continue_inquorate_reason="standing order 7: business continues"
    )
    assert "standing order 7" in vote.inquorate_reason


def test_one_vote_at_a_time_and_only_in_a_meeting_in_progress(org: Org) -> None:
    m = meeting(org)
    cat, dan = member(org, "M3", "Cat"), member(org, "M4", "Dan")
    with pytest.raises(actions.ActionRefused, match="not in progress"):
        actions.open_vote(m, question="Q", by=None)
    in_session(org, m, cat, dan)
    actions.open_vote(m, question="Q1", by=None)
    with pytest.raises(actions.ActionRefused, match="another vote is still open"):
        actions.open_vote(m, question="Q2", by=None)


@pytest.mark.parametrize("who", ["member", "officer", "moorsec", "returning"])
def test_only_the_chair_takes_votes_and_a_steward_cannot_change_one(org: Org, who: str) -> None:
    m = meeting(org)
    cat, dan = member(org, "M3", "Cat"), member(org, "M4", "Dan")
    in_session(org, m, cat, dan)
    with pytest.raises(PermissionDenied):
        actions.open_vote(m, question="Q", by=org.users[who])
    vote = actions.open_vote(m, question="Q", by=None)
    steward = member_actions.create_login(username="stew", password="pw-steward-1", by=None)
    member_actions.grant_role(user=steward, kind="steward", unit=org.hillford, by=None)
    for user in (org.users[who], steward):
        with pytest.raises(PermissionDenied):
            actions.record_hands(vote, for_=2, against=0, abstain=0, by=user)
        with pytest.raises(PermissionDenied):
            actions.close_vote(vote, by=user)


def test_a_visitor_is_never_on_a_votes_roll(org: Org) -> None:
    m = meeting(org, visitors_admitted=True, attend_rules={"provisional_days": 56})
    cat, dan = member(org, "M3", "Cat", login=True), member(org, "M4", "Dan")
    newcomer = member_actions.create_member(
        by=None,
        number="M9",
        name="Nia",
        branch=org.hillford,
        join_date=dt.date(2026, 12, 1),
        status="provisional",
    )
    member_actions.create_login(username="nia", password=PASSWORD, member=newcomer, by=None)
    newcomer.refresh_from_db()
    actions.check_in(m, newcomer, by=None, as_visitor=True, now=START - dt.timedelta(minutes=5))
    in_session(org, m, cat, dan)
    vote = actions.open_vote(m, question="Q", method="online", by=None)
    with pytest.raises(actions.ActionRefused, match="not on this vote's roll"):
        actions.cast_online(vote, newcomer, "for", by=newcomer.user)


def test_a_late_item_is_taken_only_if_the_meeting_votes_to_take_it(org: Org) -> None:
    m = meeting(org)
    cat, dan = member(org, "M3", "Cat"), member(org, "M4", "Dan")
    late = actions.add_item(
        m,
        title="Library closure",
        by=None,
        reason="announced on the 15th",
        now=dt.datetime(2026, 12, 15, 9, 0, tzinfo=LONDON),
    )
    on_time = m.items.get(position=1)
    in_session(org, m, cat, dan)
    with pytest.raises(actions.ActionRefused, match="only a late item"):
        actions.open_vote(m, late_item=on_time, by=None)
    vote = actions.open_vote(m, late_item=late, by=None)
    assert vote.question == "That the late item “Library closure” be taken"
    actions.record_hands(vote, for_=1, against=1, abstain=0, by=None)
    actions.close_vote(vote, by=None)
    late.refresh_from_db()
    assert late.taken is False and late.taken_by_vote == vote
    with pytest.raises(actions.ActionRefused, match="already decided"):
        actions.open_vote(m, late_item=late, by=None)


def test_where_the_body_counts_supporters_a_motion_is_voted_only_once_it_has_them(
    org: Org,
) -> None:
    m = meeting(org, motion_supporters=2)
    cat = member(org, "M3", "Cat", login=True)
    dan, eve = member(org, "M4", "Dan", login=True), member(org, "M5", "Eve", login=True)
    motion = actions.submit_motion(
        m, title="Libraries", text="x", by=cat.user, mover=cat, now=BEFORE
    )
    with pytest.raises(actions.ActionRefused, match="others' support"):
        actions.support_motion(motion, cat, by=cat.user, now=BEFORE)
    with pytest.raises(actions.ActionRefused, match="in their own name"):
        actions.support_motion(motion, dan, by=cat.user, now=BEFORE)
    actions.support_motion(motion, dan, by=dan.user, now=BEFORE)
    with pytest.raises(actions.ActionRefused, match="already supports"):
        actions.support_motion(motion, dan, by=dan.user, now=BEFORE)
    with pytest.raises(actions.ActionRefused, match="Bob Moor, is not entitled"):
        actions.support_motion(motion, org.bob, by=None, now=BEFORE)
    in_session(org, m, cat, dan, eve)
    with pytest.raises(actions.ActionRefused, match="has 1 of the 2 supporters"):
        actions.open_vote(m, motion=motion, by=None, now=IN_MEETING)
    with pytest.raises(actions.ActionRefused, match="have closed"):
        actions.support_motion(motion, eve, by=eve.user, now=IN_MEETING)
    plain = meeting(org, name="Seconded body")
    other = actions.submit_motion(plain, title="T", text="x", by=None, mover=cat, now=BEFORE)
    with pytest.raises(actions.ActionRefused, match="with a seconder, not supporters"):
        actions.support_motion(other, dan, by=dan.user, now=BEFORE)


# --- seconders -------------------------------------------------------------------------------


def test_a_motion_without_a_seconder_is_not_put_until_a_member_seconds_it(org: Org) -> None:
    m = meeting(org)
    cat = member(org, "M3", "Cat", login=True)
    dan, eve = member(org, "M4", "Dan", login=True), member(org, "M5", "Eve", login=True)
    motion = actions.submit_motion(
        m, title="Libraries", text="x", by=cat.user, mover=cat, now=BEFORE
    )
    in_session(org, m, cat, dan, eve)
    with pytest.raises(actions.ActionRefused, match="“Libraries” has no seconder"):
        actions.open_vote(m, motion=motion, by=None, now=IN_MEETING)
    assert not Vote.objects.exists()
    with pytest.raises(actions.ActionRefused, match="someone other than the mover"):
        actions.second_motion(motion, cat, by=cat.user)
    with pytest.raises(actions.ActionRefused, match="in their own name"):
        actions.second_motion(motion, eve, by=dan.user)
    with pytest.raises(actions.ActionRefused, match="Bob Moor, is not entitled"):
        actions.second_motion(motion, org.bob, by=None)
    actions.second_motion(motion, dan, by=dan.user)
    with pytest.raises(actions.ActionRefused, match="already seconded by Dan"):
        actions.second_motion(motion, eve, by=eve.user)
    vote = actions.open_vote(m, motion=motion, by=None, now=IN_MEETING)
    assert vote.motion == motion
    motion.refresh_from_db()
    assert motion.seconder == dan


def test_an_amendment_needs_a_seconder_even_where_the_body_counts_supporters_for_motions(
    org: Org,
) -> None:
    m = meeting(org, motion_supporters=1)
    cat, dan, eve = member(org, "M3", "Cat"), member(org, "M4", "Dan"), member(org, "M5", "Eve")
    motion = actions.submit_motion(m, title="Libraries", text="all", by=None, mover=cat, now=BEFORE)
    with pytest.raises(actions.ActionRefused, match="with supporters, not a seconder"):
        actions.second_motion(motion, dan, by=None)
    amendment = actions.amend(motion, new_text="some", by=None, mover=dan)
    in_session(org, m, cat, dan, eve)
    with pytest.raises(actions.ActionRefused, match="has no seconder"):
        actions.open_vote(m, motion=amendment, by=None, now=IN_MEETING)
    actions.second_motion(amendment, eve, by=None)  # the chair records it from the floor
    assert actions.open_vote(m, motion=amendment, by=None, now=IN_MEETING).motion == amendment


def test_a_body_needing_no_seconder_and_motions_moved_by_a_branch_are_put_without_one(
    org: Org,
) -> None:
    m = meeting(org, motions_seconded=False)
    cat, dan = member(org, "M3", "Cat"), member(org, "M4", "Dan")
    alone = actions.submit_motion(m, title="Alone", text="x", by=None, mover=cat, now=BEFORE)
    with pytest.raises(actions.ActionRefused, match="needs no seconder"):
        actions.second_motion(alone, dan, by=None)
    seconded = meeting(org, name="Seconded body")
    branch = actions.submit_motion(
        seconded, title="Branch", text="x", by=None, from_unit=org.hillford, now=BEFORE
    )
    in_session(org, m, cat, dan)
    vote = actions.open_vote(m, motion=alone, by=None, now=IN_MEETING)
    actions.record_hands(vote, for_=2, against=0, abstain=0, by=None)
    actions.close_vote(vote, by=None, now=IN_MEETING)
    in_session(org, seconded, cat, dan)
    assert actions.open_vote(seconded, motion=branch, by=None, now=IN_MEETING).motion == branch
