"""Attendance from one roll: the door and online, pay on the day, visitors apart, the late-arrival
cut-off, double check-ins refused, and the quorum as people arrive and leave."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from grassroots.meetings import actions
from grassroots.meetings.live import presence
from grassroots.meetings.models import Attendance, Meeting
from grassroots.members import actions as member_actions
from tests.web.conftest import Org

LONDON = ZoneInfo("Europe/London")
START = dt.datetime(2026, 12, 17, 19, 30, tzinfo=LONDON)
CALLED = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
DOOR = START - dt.timedelta(minutes=10)


def meeting(org: Org, **body: Any) -> Meeting:
    values: dict[str, Any] = {
        "unit": org.hillford,
        "kind": "branch",
        "name": "Hillford branch meeting",
        "by": None,
        "quorum_number": 2,
        "attend_rules": {"paid_up_to": "2026-12-17", "may_pay_on_day": True},
        "visitors_admitted": True,
        "late_cutoff_minutes": 15,
    }
    values.update(body)
    b = actions.create_body(**values)
    return actions.call_meeting(
        b,
        title="December",
        start=START,
        by=None,
        place="Hall",
        join_url="https://meet.example.org/h",
        now=CALLED,
    )


def paid_member(org: Org, number: str, name: str) -> Any:
    return member_actions.create_member(
        by=None,
        number=number,
        name=name,
        branch=org.hillford,
        join_date=dt.date(2019, 1, 1),
        status="full",
        paid_up_to=dt.date(2027, 6, 30),
    )


def test_a_steward_checks_in_a_member_who_may_vote(org: Org) -> None:
    m = meeting(org)
    cat = paid_member(org, "M3", "Cat Paid")
    a = actions.check_in(m, cat, by=org.users["secretary"], now=DOOR)
    assert a.may_vote and a.how == "door" and a.checked_in_by == org.users["secretary"]


def test_a_member_in_arrears_votes_once_they_pay_on_the_day(org: Org) -> None:
    m = meeting(org)
    with pytest.raises(actions.ActionRefused, match="record their payment on the day"):
        actions.check_in(m, org.ann, by=None, now=DOOR)
    a = actions.check_in(m, org.ann, by=None, pay_on_day=True, now=DOOR)
    org.ann.refresh_from_db()
    assert a.may_vote and a.paid_on_day and org.ann.paid_up_to == dt.date(2026, 12, 17)


def test_online_a_member_checks_in_only_themselves_and_cannot_pay_there(org: Org) -> None:
    m = meeting(org)
    with pytest.raises(actions.ActionRefused, match="pay on the day at the door"):
        actions.check_in(m, org.ann, by=org.users["member"], how="online", now=DOOR)
    cat = paid_member(org, "M3", "Cat Paid")
    with pytest.raises(actions.ActionRefused, match="check themselves in online"):
        actions.check_in(m, cat, by=org.users["member"], how="online", now=DOOR)
    assert not Attendance.objects.exists()


def test_a_member_not_entitled_comes_in_only_as_a_visitor_where_visitors_are_admitted(
    org: Org,
) -> None:
    m = meeting(org, attend_rules={"provisional_days": 56})
    newcomer = member_actions.create_member(
        by=None,
        number="M5",
        name="Nia New",
        branch=org.hillford,
        join_date=dt.date(2026, 12, 1),
        status="provisional",
    )
    with pytest.raises(actions.ActionRefused, match=r"provisional period.*as a visitor"):
        actions.check_in(m, newcomer, by=None, now=DOOR)
    a = actions.check_in(m, newcomer, by=None, as_visitor=True, now=DOOR)
    assert not a.may_vote and "provisional" in a.reasons
    closed = meeting(
        org, name="Closed body", attend_rules={"provisional_days": 56}, visitors_admitted=False
    )
    with pytest.raises(actions.ActionRefused, match="Visitors are not admitted"):
        actions.check_in(closed, newcomer, by=None, as_visitor=True, now=DOOR)


def test_a_double_check_in_is_refused_and_nothing_changes(org: Org) -> None:
    m = meeting(org)
    cat = paid_member(org, "M3", "Cat Paid")
    first = actions.check_in(m, cat, by=None, now=DOOR)
    with pytest.raises(actions.ActionRefused, match="already checked in"):
        actions.check_in(m, cat, by=None, now=DOOR + dt.timedelta(minutes=1))
    with pytest.raises(actions.ActionRefused, match="already checked in"):
        actions.check_in(m, cat, by=None, how="online", now=DOOR)
    assert list(Attendance.objects.all()) == [first]


def test_the_doors_close_at_the_bodys_late_arrival_cut_off(org: Org) -> None:
    m = meeting(org)
    cat = paid_member(org, "M3", "Cat Paid")
    with pytest.raises(actions.ActionRefused, match="check-in opens at 17:30"):
        actions.check_in(m, cat, by=None, now=START - dt.timedelta(hours=3))
    actions.check_in(m, cat, by=None, now=START + dt.timedelta(minutes=15))
    dan = paid_member(org, "M4", "Dan Late")
    with pytest.raises(actions.ActionRefused, match="the doors closed at 19:45"):
        actions.check_in(m, dan, by=None, now=START + dt.timedelta(minutes=16))


def test_the_quorum_is_lost_and_regained_as_voters_leave_and_come_back(org: Org) -> None:
    m = meeting(org)
    cat, dan = paid_member(org, "M3", "Cat Paid"), paid_member(org, "M4", "Dan Paid")
    actions.admit_visitor(m, name="A journalist", by=None, now=DOOR)
    actions.check_in(m, cat, by=None, now=DOOR)
    p = presence(m)
    assert (p.voters, p.visitors, p.quorum.quorate) == (1, 1, False)
    a = actions.check_in(m, dan, by=None, now=DOOR)
    assert presence(m).quorum.quorate
    actions.leave(a, by=None, now=START + dt.timedelta(minutes=40))
    assert not presence(m).quorum.quorate
    actions.check_in(m, dan, by=None, now=START + dt.timedelta(minutes=10))
    assert presence(m).quorum.quorate and Attendance.objects.filter(member=dan).count() == 1


def test_a_fraction_quorum_counts_those_who_paid_on_the_day_as_entitled(org: Org) -> None:
    m = meeting(org, quorum_number=0, quorum_fraction="1/2")
    cat = paid_member(org, "M3", "Cat Paid")  # entitled: Cat; Ann only once she pays
    assert presence(m).entitled == 1
    actions.check_in(m, org.ann, by=None, pay_on_day=True, now=DOOR)
    p = presence(m)
    assert (p.entitled, p.voters, p.quorum.required) == (2, 1, 1)
    actions.check_in(m, cat, by=None, now=DOOR)
    assert presence(m).voters == 2


@pytest.mark.parametrize("who", ["member", "officer", "moorsec", "returning"])
def test_only_stewards_and_the_secretary_check_people_in_at_the_door(org: Org, who: str) -> None:
    m = meeting(org)
    cat = paid_member(org, "M3", "Cat Paid")
    with pytest.raises(PermissionDenied):
        actions.check_in(m, cat, by=org.users[who], now=DOOR)
    with pytest.raises(PermissionDenied):
        actions.admit_visitor(m, name="X", by=org.users[who], now=DOOR)
    steward = member_actions.create_login(username="stew", password="pw-steward-1", by=None)
    member_actions.grant_role(user=steward, kind="steward", unit=org.hillford, by=None)
    assert actions.check_in(m, cat, by=steward, now=DOOR).may_vote


def test_the_chair_opens_and_closes_the_meeting_and_closing_empties_the_room(org: Org) -> None:
    m = meeting(org)
    cat = paid_member(org, "M3", "Cat Paid")
    actions.check_in(m, cat, by=None, now=DOOR)
    with pytest.raises(PermissionDenied):
        actions.open_meeting(m, by=org.users["member"], now=START)
    actions.open_meeting(m, by=org.users["secretary"], now=START)
    actions.close_meeting(m, by=org.users["secretary"], now=START + dt.timedelta(hours=2))
    m.refresh_from_db()
    assert m.state == "held" and presence(m).voters == 0
    with pytest.raises(actions.ActionRefused, match="held"):
        actions.check_in(m, paid_member(org, "M4", "Dan"), by=None, now=START)
