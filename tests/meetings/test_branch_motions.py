"""Motions a branch or affiliated body sends to the meetings of the bodies it sends to: through
one of its officers, citing its own meeting's decision (or forwarding a motion its meeting
carried), by the receiving body's deadline, shown everywhere with their origin."""

from __future__ import annotations

import datetime as dt

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.meetings import actions
from grassroots.meetings.actions.motions import unbacked
from grassroots.meetings.branch_motions import outcome, receiving_meetings, sent_by
from grassroots.meetings.minutes import draft_from_record
from grassroots.members import actions as member_actions
from tests.meetings.branch_setup import LONDON, Ward, ward_and_gc
from tests.web.conftest import Org

START = dt.datetime(2026, 12, 17, 19, 30, tzinfo=LONDON)
CALLED = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
BEFORE = dt.datetime(2026, 12, 5, 12, 0, tzinfo=LONDON)  # motions close end of 13 December
AFTER = dt.datetime(2026, 12, 15, 9, 0, tzinfo=LONDON)


@pytest.fixture
def ward(org: Org) -> Ward:
    return ward_and_gc(org, gc_start=START, gc_called=CALLED)


def test_a_ward_secretary_sends_a_motion_citing_the_vote_that_adopted_it(
    org: Org, ward: Ward
) -> None:
    sent = actions.send_branch_motion(
        ward.gc,
        branch=org.hillford_east,
        by=ward.eastsec,
        title="Buses after dark",
        text="This General Committee backs the campaign for evening buses.",
        decision=ward.vote,
        now=BEFORE,
    )
    assert sent.from_unit == org.hillford_east and sent.mover is None
    assert sent.decision == ward.vote and sent.decided_on == dt.date(2026, 11, 20)
    assert sent.moved_by() == "Hillford East (decision of its meeting on 20 November 2026)"
    assert sent.kind == "motion" and unbacked(sent) == ""  # a body's motion needs no seconder
    entry = AuditEntry.objects.get(action="meetings.motion.branch")
    assert "Hillford East (decision of its meeting on 20 November 2026)" in entry.summary
    assert entry.actor_name == "eastsec"


def test_a_branch_forwards_a_motion_its_meeting_carried_keeping_its_origin_once(
    org: Org, ward: Ward
) -> None:
    sent = actions.send_branch_motion(
        ward.gc, branch=org.hillford_east, by=ward.eastsec, forwards=ward.carried, now=BEFORE
    )
    assert sent.origin == ward.carried and sent.title == "Save the 42 bus"
    assert sent.text == ward.carried.text_now() and sent.decision == ward.vote
    assert "decision of its meeting on 20 November 2026" in sent.moved_by()
    with pytest.raises(actions.ActionRefused, match="already been sent"):
        actions.send_branch_motion(
            ward.gc, branch=org.hillford_east, by=ward.eastsec, forwards=ward.carried, now=BEFORE
        )


def test_a_motion_not_carried_or_from_another_unit_is_not_forwarded(org: Org, ward: Ward) -> None:
    other = actions.submit_motion(
        ward.gc,
        title="Not the ward's",
        text="x",
        by=None,
        from_unit=org.hillford_east,
        now=BEFORE,
    )
    with pytest.raises(actions.ActionRefused, match="not moved at a meeting of Hillford East"):
        actions.send_branch_motion(
            ward.gc, branch=org.hillford_east, by=ward.eastsec, forwards=other, now=BEFORE
        )


def test_an_officer_of_another_branch_or_a_member_may_not_send_its_motions(
    org: Org, ward: Ward
) -> None:
    for user in (ward.westsec, org.users["moorsec"], org.users["member"]):
        with pytest.raises(actions.ActionRefused, match="only an officer of Hillford East"):
            actions.send_branch_motion(
                ward.gc,
                branch=org.hillford_east,
                by=user,
                title="Buses",
                text="x",
                decision=ward.vote,
                now=BEFORE,
            )
    assert not ward.gc.motions.exists()
    # the branch's officers above the ward (their roles hold over it) may
    sent = actions.send_branch_motion(
        ward.gc,
        branch=org.hillford_east,
        by=org.users["officer"],
        title="Buses",
        text="x",
        decision=ward.vote,
        now=BEFORE,
    )
    assert sent.from_unit == org.hillford_east


def test_after_motions_close_a_branch_sends_only_an_emergency_motion_with_its_reason(
    org: Org, ward: Ward
) -> None:
    with pytest.raises(actions.ActionRefused) as refused:
        actions.send_branch_motion(
            ward.gc,
            branch=org.hillford_east,
            by=ward.eastsec,
            title="Buses",
            text="x",
            decision=ward.vote,
            now=AFTER,
        )
    assert "motions for December General Committee closed 14 December 2026 00:00" in str(
        refused.value
    )
    assert "emergency motion" in str(refused.value)
    assert not ward.gc.motions.exists()
    sent = actions.send_branch_motion(
        ward.gc,
        branch=org.hillford_east,
        by=ward.eastsec,
        title="Buses",
        text="x",
        decision=ward.vote,
        emergency_reason="the council announced the cut on 14 December",
        now=AFTER,
    )
    assert sent.kind == "emergency"


def test_the_cited_decision_is_a_carried_vote_of_the_branchs_own_meeting(
    org: Org, ward: Ward
) -> None:
    def send(**kw: object) -> object:
        return actions.send_branch_motion(
            ward.gc,
            branch=org.hillford_east,
            by=ward.eastsec,
            title="Buses",
            text="x",
            now=BEFORE,
            **kw,  # type: ignore[arg-type]
        )

    with pytest.raises(actions.ActionRefused, match="was not carried"):
        send(decision=ward.lost_vote)
    with pytest.raises(actions.ActionRefused, match="cite the decision of Hillford East"):
        send()
    with pytest.raises(actions.ActionRefused, match="cite the decision"):
        send(decided_on=dt.date(2026, 11, 2), decision_note="  ")
    with pytest.raises(actions.ActionRefused, match="after today"):
        send(decided_on=dt.date(2026, 12, 9), decision_note="carried 5 to 1")
    with pytest.raises(actions.ActionRefused, match="title and its text"):
        actions.send_branch_motion(
            ward.gc, branch=org.hillford_east, by=ward.eastsec, title=" ", text="x", now=BEFORE
        )
    west_body = actions.create_body(
        unit=ward.west, kind="branch", name="Hillford West ward meeting", by=None
    )
    west_meeting = actions.call_meeting(
        west_body,
        title="West",
        start=START,
        by=None,
        place="Hall",
        now=CALLED,
    )
    with pytest.raises(actions.ActionRefused, match="not at a meeting of Hillford East"):
        actions.send_branch_motion(
            ward.gc,
            branch=org.hillford_east,
            by=ward.eastsec,
            title="Buses",
            text="x",
            decision=west_meeting.votes.create(
                question="That West sends it",
                method="hands",
                majority="simple",
                opened_at=BEFORE,
                closed_at=BEFORE,
                carried=True,
                present_weight="3",
                entitled_weight="3",
            ),
            now=BEFORE,
        )
    sent = send(decided_on=dt.date(2026, 11, 2), decision_note="ward meeting, carried 5 to 1")
    assert sent.moved_by() == "Hillford East (decision of its meeting on 2 November 2026)"
    assert sent.decision is None and sent.decision_note == "ward meeting, carried 5 to 1"


def test_a_branch_sends_only_to_the_bodies_it_sends_to(org: Org, ward: Ward) -> None:
    def body_meeting(unit: object, kind: str, name: str) -> object:
        b = actions.create_body(unit=unit, kind=kind, name=name, by=None)  # type: ignore[arg-type]
        return actions.call_meeting(
            b, title=name, start=START + dt.timedelta(days=30), by=None, place="Hall", now=CALLED
        )

    executive = body_meeting(org.hillford, "executive", "Hillford Executive")
    moorside = body_meeting(org.moorside, "general_committee", "Moorside General Committee")
    national_gc = body_meeting(org.national, "general_committee", "National Committee")
    conference = body_meeting(org.national, "agm", "Annual Conference")
    for target, why in (
        (executive, "takes motions from its own members"),
        (moorside, "not under Moorside"),
        (national_gc, "sends no delegates to the National Committee"),
    ):
        with pytest.raises(actions.ActionRefused, match=why):
            actions.send_branch_motion(
                target,  # type: ignore[arg-type]
                branch=org.hillford_east,
                by=ward.eastsec,
                forwards=ward.carried,
                now=BEFORE,
            )
    to_conference = actions.send_branch_motion(
        conference,  # type: ignore[arg-type]
        branch=org.hillford_east,
        by=ward.eastsec,
        forwards=ward.carried,
        now=BEFORE,
    )
    assert to_conference.origin == ward.carried
    offered = set(receiving_meetings(org.hillford_east))
    assert offered == {ward.gc, conference}
    region = member_actions.create_unit(
        kind="region", code="south", name="South", parent=org.national, by=None
    )
    with pytest.raises(actions.ActionRefused, match="not a branch or affiliated body"):
        actions.send_branch_motion(
            conference,  # type: ignore[arg-type]
            branch=region,
            by=None,
            title="x",
            text="x",
            decided_on=dt.date(2026, 11, 1),
            decision_note="x",
            now=BEFORE,
        )


def test_the_branch_sees_what_became_of_the_motions_it_sent(org: Org, ward: Ward) -> None:
    sent = actions.send_branch_motion(
        ward.gc, branch=org.hillford_east, by=ward.eastsec, forwards=ward.carried, now=BEFORE
    )
    assert list(sent_by(org.hillford_east)) == [sent]
    assert sent_by(org.hillford).count() == 0
    assert outcome(sent).words == "to be debated at the meeting on 17 December 2026"
    delegates = []
    for i in range(2):
        m = member_actions.create_member(
            by=None,
            number=f"G{i}",
            name=f"Delegate {i}",
            branch=org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2027, 12, 31),
        )
        actions.appoint(ward.gc.body, m, by=None, role="Delegate", on=dt.date(2026, 1, 1))
        delegates.append(m)
    for d in delegates:
        actions.check_in(ward.gc, d, by=None, now=START - dt.timedelta(minutes=5))
    actions.open_meeting(ward.gc, by=None, now=START)
    vote = actions.open_vote(ward.gc, motion=sent, by=None, now=START)
    actions.record_hands(vote, for_=1, against=1, abstain=0, by=None)
    actions.close_vote(vote, by=None, now=START)
    sent.refresh_from_db()
    result = outcome(sent)
    assert result.state == "lost" and result.vote is not None
    assert result.words.startswith("lost (")
    # the GC's minutes name the ward and its decision
    text = draft_from_record(ward.gc)
    assert "moved by Hillford East (decision of its meeting on 20 November 2026)" in text


def test_an_affiliated_bodys_secretary_sends_its_motion_citing_its_meeting_in_words(
    org: Org, ward: Ward
) -> None:
    union = member_actions.create_unit(
        kind="affiliate", code="union", name="Hillford Postal Workers", parent=org.hillford, by=None
    )
    user = member_actions.create_login(username="unionsec", password="x-password-1", by=None)
    member_actions.grant_role(user=user, kind="branch_secretary", unit=union, by=None)
    sent = actions.send_branch_motion(
        ward.gc,
        branch=union,
        by=user,
        title="Post office counters",
        text="This General Committee opposes the closure of the Crown post office.",
        decided_on=dt.date(2026, 11, 28),
        decision_note="branch meeting, carried 40 to 2",
        now=BEFORE,
    )
    assert sent.moved_by() == (
        "Hillford Postal Workers (decision of its meeting on 28 November 2026)"
    )
    with pytest.raises(actions.ActionRefused, match="only an officer of Hillford Postal Workers"):
        actions.send_branch_motion(
            ward.gc,
            branch=union,
            by=ward.eastsec,
            title="x",
            text="x",
            decided_on=dt.date(2026, 11, 28),
            decision_note="x",
            now=BEFORE,
        )


def test_a_sent_motion_merged_into_a_composite_follows_the_composites_fate(
    org: Org, ward: Ward
) -> None:
    sent = actions.send_branch_motion(
        ward.gc, branch=org.hillford_east, by=ward.eastsec, forwards=ward.carried, now=BEFORE
    )
    other = actions.submit_motion(
        ward.gc, title="Buses too", text="x", by=None, from_unit=ward.west, now=BEFORE
    )
    merged = actions.composite(
        ward.gc,
        [sent, other],
        title="Evening buses (composite)",
        text="Keep the evening buses.",
        agreed_by="Hillford East and Hillford West",
        by=None,
        now=BEFORE,
    )
    sent.refresh_from_db()
    words = outcome(sent).words
    assert words.startswith("merged into the composite “Evening buses (composite)”: ")
    assert "to be debated at the meeting on 17 December 2026" in words
    assert merged.state == "submitted"
