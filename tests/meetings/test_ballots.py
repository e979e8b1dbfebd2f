"""Secret ballots in a meeting through the elections app: the roll is those present with a vote
when it opens, members vote on the ordinary ballot, the count is published with its files."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from grassroots.elections import actions as election_actions
from grassroots.elections.models import RollEntry
from grassroots.meetings import actions
from grassroots.members import actions as member_actions
from tests.web.conftest import Org


def agm(org: Org, n: int) -> tuple[Any, list[Any]]:
    body = actions.create_body(
        unit=org.hillford,
        kind="agm",
        name="Hillford AGM",
        by=None,
        quorum_number=2,
        visitors_admitted=True,
        attend_rules={"provisional_days": 56},
    )
    start = timezone.now() - dt.timedelta(minutes=30)
    m = actions.call_meeting(
        body, title="AGM", start=start, by=None, place="Hall", now=start - dt.timedelta(days=20)
    )
    people = [
        member_actions.create_member(
            by=None,
            number=f"A{i}",
            name=f"Attendee {i}",
            branch=org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2030, 1, 1),
        )
        for i in range(n)
    ]
    for p in people:
        actions.check_in(m, p, by=None, now=start)
    actions.open_meeting(m, by=None, now=start)
    return m, people


def test_an_agm_elects_its_officers_by_stv_with_the_present_members_as_the_roll(org: Org) -> None:
    m, people = agm(org, 5)
    newcomer = member_actions.create_member(
        by=None,
        number="N1",
        name="New",
        branch=org.hillford,
        join_date=timezone.localdate(),
        status="provisional",
    )
    actions.check_in(m, newcomer, by=None, as_visitor=True, now=m.start)  # no vote, not on roll
    at = timezone.now()
    ballot = actions.hold_ballot(
        m, title="Officers", seats=2, candidates=["Ada", "Ben", "Cy"], by=None, now=at
    )
    e = ballot.election
    assert set(RollEntry.objects.filter(election=e).values_list("member_id", flat=True)) == {
        p.pk for p in people
    }
    rankings = [["Ada", "Ben"], ["Ada", "Cy"], ["Ben", "Ada"], ["Cy", "Ben"], ["Ada"]]
    for p, ranking in zip(people, rankings, strict=True):
        election_actions.cast(e, p, ranking, now=at + dt.timedelta(minutes=1))
    with pytest.raises(election_actions.ActionRefused):
        election_actions.cast(e, newcomer, ["Ada"], now=at + dt.timedelta(minutes=1))
    with pytest.raises(actions.ActionRefused, match="open until"):
        actions.close_and_count(ballot, by=None, now=at + dt.timedelta(minutes=5))
    done = actions.close_and_count(ballot, by=None, now=at + dt.timedelta(minutes=10))
    assert done.state == "published"
    import json

    result = json.loads(done.publication.files["result.json"])
    assert result["elected"][0] == "Ada" and len(result["elected"]) == 2
    assert "ballots.blt" in done.publication.files


def test_a_ballot_needs_the_chair_a_meeting_in_progress_and_candidates(org: Org) -> None:
    m, _ = agm(org, 3)
    with pytest.raises(PermissionDenied):
        actions.hold_ballot(m, title="x", seats=1, candidates=["A"], by=org.users["member"])
    with pytest.raises(actions.ActionRefused, match="name the candidates"):
        actions.hold_ballot(m, title="x", seats=1, candidates=[" "], by=None)
    with pytest.raises(actions.ActionRefused, match="named twice"):
        actions.hold_ballot(m, title="x", seats=1, candidates=["A", "A"], by=None)
    actions.close_meeting(m, by=None)
    with pytest.raises(actions.ActionRefused, match="not in progress"):
        actions.hold_ballot(m, title="x", seats=1, candidates=["A"], by=None)


def test_the_elections_roll_refuses_members_outside_its_unit(org: Org) -> None:
    m, people = agm(org, 2)
    with pytest.raises(actions.ActionRefused, match="outside Hillford"):
        from grassroots.meetings.models import Attendance

        Attendance.objects.filter(member=people[0]).update(member=org.bob)  # a Moorside member
        actions.hold_ballot(m, title="x", seats=1, candidates=["A"], by=None)


def test_an_agm_ballot_with_at_least_two_women_elected_is_counted_honouring_it(org: Org) -> None:
    import json

    m, people = agm(org, 9)
    first = ["Ben"] * 3 + ["Cy"] * 3 + ["Ada"] * 2 + ["Di"]
    at = timezone.now()
    results = []
    for constraints, groups in [
        (None, None),
        ({"minima": {"women": 2}}, {"Ada": ["women"], " Di ": ["women"]}),
    ]:
        ballot = actions.hold_ballot(
            m,
            title="Officers",
            seats=3,
            candidates=["Ada", "Ben", "Cy", "Di"],
            constraints=constraints,
            groups=groups,
            by=None,
            now=at,
        )
        for p, name in zip(people, first, strict=True):
            election_actions.cast(ballot.election, p, [name], now=at + dt.timedelta(minutes=1))
        done = actions.close_and_count(ballot, by=None, now=at + dt.timedelta(minutes=10))
        results.append(set(json.loads(done.publication.files["result.json"])["elected"]))
    unconstrained, constrained = results
    assert unconstrained == {"Ben", "Cy", "Ada"}  # preferences alone elect one woman
    assert {"Ada", "Di"} <= constrained and len(constrained) == 3  # the rule elects two
    assert done.constraints == {"minima": {"women": 2}}
    assert {c.name for c in done.candidates.all() if "women" in c.groups} == {"Ada", "Di"}


def test_a_ballots_representation_rule_must_be_one_its_candidates_can_meet(org: Org) -> None:
    from grassroots.elections.models import Election

    m, _ = agm(org, 3)
    with pytest.raises(actions.ActionRefused, match="“Zed” is given a group but is not among"):
        actions.hold_ballot(
            m, title="x", seats=2, candidates=["A", "B"], groups={"Zed": ["women"]}, by=None
        )
    with pytest.raises(actions.ActionRefused, match="at least 3 seats for women, but only 2"):
        actions.hold_ballot(
            m,
            title="x",
            seats=2,
            candidates=["A", "B", "C"],
            constraints={"minima": {"women": 3}},
            groups={"A": ["women"]},
            by=None,
        )
    with pytest.raises(actions.ActionRefused, match="cannot meet the constraints"):
        actions.hold_ballot(
            m,
            title="x",
            seats=2,
            candidates=["A", "B", "C"],
            constraints={"minima": {"women": 2}},
            groups={"A": ["women"]},
            by=None,
        )
    assert not Election.objects.exists()  # each refusal stored nothing
