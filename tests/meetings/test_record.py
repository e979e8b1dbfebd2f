"""After and around the vote: minutes drafted from the record and approved at the next meeting
(frozen, hashed, corrections only by a new minute); a nominating meeting's vote becoming the
unit's nomination; the speakers' list with alternation."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from grassroots.elections import actions as election_actions
from grassroots.elections.models import Nomination
from grassroots.meetings import actions
from grassroots.meetings.models import Meeting, Minutes
from grassroots.meetings.speakers import Waiting, next_speaker
from grassroots.members import actions as member_actions
from tests.web.conftest import Org

LONDON = ZoneInfo("Europe/London")
START = dt.datetime(2026, 12, 17, 19, 30, tzinfo=LONDON)
CALLED = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)


def people(org: Org, n: int, **kw: Any) -> list[Any]:
    return [
        member_actions.create_member(
            by=None,
            number=f"P{i}",
            name=f"Person {i}",
            branch=org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2030, 1, 1),
            gender=kw.get("genders", ["woman", "man"])[i % 2],
        )
        for i in range(n)
    ]


def held(org: Org, body: Any, start: dt.datetime, who: list[Any], **kw: Any) -> Meeting:
    m = actions.call_meeting(
        body,
        title=kw.pop("title", f"Meeting {start:%d %b}"),
        start=start,
        by=None,
        items=["Minutes", "Motions"],
        place="Hall",
        now=start - dt.timedelta(days=16),
        **kw,
    )
    for p in who:
        actions.check_in(m, p, by=None, now=start - dt.timedelta(minutes=5))
    actions.open_meeting(m, by=None, now=start)
    return m


def test_minutes_are_drafted_from_the_record_and_approved_at_the_next_meeting(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    crowd = people(org, 3)
    first = held(org, body, START, crowd)
    motion = actions.submit_motion(
        first,
        title="Libraries",
        text="We oppose closures.",
        by=None,
        mover=crowd[0],
        seconder=crowd[1],
        item=first.items.get(position=2),
        now=START - dt.timedelta(days=10),
    )
    vote = actions.open_vote(first, motion=motion, by=None, now=START + dt.timedelta(minutes=10))
    actions.record_hands(vote, for_=2, against=1, abstain=0, by=None)
    actions.close_vote(vote, by=None, now=START + dt.timedelta(minutes=20))
    with pytest.raises(actions.ActionRefused, match="has not been held"):
        actions.draft_minutes(first, by=None)
    actions.close_meeting(first, by=None, now=START + dt.timedelta(hours=2))
    minutes = actions.draft_minutes(first, by=None, now=START + dt.timedelta(days=1))
    assert "Present: 3 with a vote (3 in person, 0 online" in minutes.text
    assert "Motion “Libraries”, moved by Person 0, seconded by Person 1: carried." in minutes.text
    assert "Libraries (show of hands): carried. 2 for, 1 against" in minutes.text
    actions.edit_minutes(minutes, text=minutes.text + "\nDiscussion: lively.", by=None)

    second_start = START + dt.timedelta(days=28)
    second = actions.call_meeting(
        body,
        title="January",
        start=second_start,
        by=None,
        place="Hall",
        now=second_start - dt.timedelta(days=16),
    )
    with pytest.raises(actions.ActionRefused, match="must be circulated"):
        actions.propose_approval(second, minutes, by=None)
    actions.circulate_minutes(minutes, by=None)
    with pytest.raises(actions.ActionRefused, match="later meeting"):
        actions.propose_approval(first, minutes, by=None)
    approval = actions.propose_approval(second, minutes, by=None)
    for p in crowd:
        actions.check_in(second, p, by=None, now=second_start)
    actions.open_meeting(second, by=None, now=second_start)
    v = actions.open_vote(second, motion=approval, by=None, now=second_start)
    actions.record_hands(v, for_=3, against=0, abstain=0, by=None)
    actions.close_vote(v, by=None, now=second_start + dt.timedelta(minutes=5))
    minutes.refresh_from_db()
    assert minutes.state == "approved" and minutes.approved_by_vote == v
    assert minutes.sha256 == hashlib.sha256(minutes.text.encode()).hexdigest()
    with pytest.raises(actions.ActionRefused, match="frozen"):
        actions.edit_minutes(minutes, text="rewritten", by=None)
    correction = actions.correct_minutes(minutes, text="Item 2: Person 2 voted against.", by=None)
    assert correction.corrects == minutes and correction.state == "draft"
    assert Minutes.objects.get(pk=minutes.pk).text.endswith("Discussion: lively.")


def test_minutes_that_lose_their_approval_vote_stay_unapproved(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    crowd = people(org, 2)
    first = held(org, body, START, crowd)
    actions.close_meeting(first, by=None, now=START + dt.timedelta(hours=1))
    minutes = actions.draft_minutes(first, by=None)
    actions.circulate_minutes(minutes, by=None)
    second = held(org, body, START + dt.timedelta(days=28), crowd)
    approval = actions.propose_approval(second, minutes, by=None)
    v = actions.open_vote(second, motion=approval, by=None)
    actions.record_hands(v, for_=0, against=2, abstain=0, by=None)
    actions.close_vote(v, by=None)
    minutes.refresh_from_db()
    assert minutes.state == "circulated" and minutes.sha256 == ""


def test_a_nominating_meetings_vote_becomes_the_units_nomination(org: Org) -> None:
    now = dt.datetime.now(tz=LONDON)
    ro = org.users["returning"]
    from grassroots.members.eligibility import RuleSet

    election = election_actions.create_election(
        title="National Executive",
        seats=1,
        rule="scottish",
        unit=org.national,
        eligibility=RuleSet(on=now.date()),
        freeze_date=now.date(),
        nominations_open=now - dt.timedelta(days=30),
        nominations_close=now + dt.timedelta(days=30),
        voting_open=now + dt.timedelta(days=40),
        voting_close=now + dt.timedelta(days=50),
        threshold={"kind": "branch", "count": 1},
        by=ro,
    )
    ada = election_actions.add_candidate(election, name="Ada Rivers", by=ro)
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    crowd = people(org, 3)
    start = now + dt.timedelta(minutes=30)
    m = held(org, body, start, crowd, election=election, purpose="nominating")
    motion = actions.propose_nomination(m, candidate=ada, by=None)
    v = actions.open_vote(m, motion=motion, by=None, now=start)
    actions.record_hands(v, for_=2, against=0, abstain=1, by=None)
    actions.close_vote(v, by=None, now=start + dt.timedelta(minutes=3))
    n = Nomination.objects.get(election=election, body=org.hillford)
    assert n.candidate == ada
    assert f"meetings/{m.pk}" in n.note and "3 present with a vote" in n.note
    assert "2 for, 0 against, 1 abstaining" in n.note


def test_a_vote_to_make_no_nomination_records_the_decision_not_to_nominate(org: Org) -> None:
    now = dt.datetime.now(tz=LONDON)
    from grassroots.members.eligibility import RuleSet

    election = election_actions.create_election(
        title="National Executive",
        seats=1,
        rule="scottish",
        unit=org.national,
        eligibility=RuleSet(on=now.date()),
        freeze_date=now.date(),
        nominations_open=now - dt.timedelta(days=30),
        nominations_close=now + dt.timedelta(days=30),
        voting_open=now + dt.timedelta(days=40),
        voting_close=now + dt.timedelta(days=50),
        threshold={"kind": "branch", "count": 1},
        by=None,
    )
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    crowd = people(org, 2)
    m = held(org, body, now + dt.timedelta(minutes=30), crowd, election=election)
    motion = actions.propose_nomination(m, candidate=None, by=None)
    v = actions.open_vote(m, motion=motion, by=None)
    actions.record_hands(v, for_=2, against=0, abstain=0, by=None)
    actions.close_vote(v, by=None)
    n = Nomination.objects.get(election=election, body=org.hillford)
    assert n.candidate is None and "decided at" in n.note
    plain = held(org, body, now + dt.timedelta(days=3), crowd, title="Ordinary")
    with pytest.raises(actions.ActionRefused, match="not a nominating meeting"):
        actions.propose_nomination(plain, candidate=None, by=None)


def test_the_speakers_list_alternates_as_the_body_says_and_only_the_chair_calls(org: Org) -> None:
    body = actions.create_body(
        unit=org.hillford,
        kind="branch",
        name="Hillford branch",
        by=None,
    )
    body.speakers_alternate = "gender"
    body.save()
    w1, m1, w2, m2 = people(org, 4)  # woman, man, woman, man
    m = held(org, body, START, [w1, m1, w2, m2])
    for p in (w1, w2, m1):
        actions.ask_to_speak(m, p, by=None, now=START)
    with pytest.raises(actions.ActionRefused, match="already waiting"):
        actions.ask_to_speak(m, w1, by=None, now=START)
    with pytest.raises(PermissionDenied):
        actions.call_next(m, by=org.users["member"])
    order = [actions.call_next(m, by=None) for _ in range(3)]
    assert [r.member for r in order if r] == [w1, m1, w2]
    assert actions.call_next(m, by=None) is None


def test_alternation_falls_back_to_the_queue_when_nobody_of_the_other_kind_waits() -> None:
    q = [Waiting(1, "for", "woman"), Waiting(2, "for", "man"), Waiting(3, "against", "man")]
    assert next_speaker(q, Waiting(9, "for", "man"), "side").key == 3
    assert next_speaker(q, Waiting(9, "against", "man"), "side").key == 1
    assert next_speaker(q, Waiting(9, "x", "woman"), "gender").key == 2
    assert next_speaker(q[:1], Waiting(9, "", "woman"), "gender").key == 1
    assert next_speaker([], None) is None
    with pytest.raises(ValueError, match="alternation"):
        next_speaker(q, None, "height")  # type: ignore[arg-type]
