"""A ward that meets and decides, and the General Committee of its branch, for the tests of
motions a branch sends (actions, pages and the browser test)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from grassroots.meetings import actions
from grassroots.meetings.models import Meeting, Motion, Vote
from grassroots.members import actions as member_actions
from tests.web.conftest import PASSWORD, Org

LONDON = ZoneInfo("Europe/London")
WARD_MEETING = dt.datetime(2026, 11, 20, 19, 30, tzinfo=LONDON)


@dataclass
class Ward:
    west: Any  # another ward of Hillford
    meeting: Meeting  # Hillford East's meeting, held
    carried: Motion  # carried there
    vote: Vote  # the vote that carried it
    lost_vote: Vote  # a vote there that was lost
    gc: Meeting  # Hillford's General Committee, to come
    eastsec: Any  # secretary of Hillford East
    westsec: Any  # secretary of Hillford West


def ward_and_gc(org: Org, *, gc_start: dt.datetime, gc_called: dt.datetime) -> Ward:
    west = member_actions.create_unit(
        kind="ward", code="hillford-west", name="Hillford West", parent=org.hillford, by=None
    )
    people = [
        member_actions.create_member(
            by=None,
            number=f"W{i}",
            name=name,
            branch=org.hillford,
            ward=org.hillford_east,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2027, 12, 31),
        )
        for i, name in enumerate(["Cat Evans", "Dan Hughes", "Eve Khan"], start=1)
    ]
    body = actions.create_body(
        unit=org.hillford_east,
        kind="branch",
        name="Hillford East ward meeting",
        by=None,
        quorum_number=2,
    )
    meeting = actions.call_meeting(
        body,
        title="November ward meeting",
        start=WARD_MEETING,
        by=None,
        items=["Motions to the General Committee"],
        place="Library",
        now=WARD_MEETING - dt.timedelta(days=20),
    )
    motion = actions.submit_motion(
        meeting,
        title="Save the 42 bus",
        text="This ward asks the council to keep the 42 bus running after 7pm.",
        by=None,
        mover=people[0],
        seconder=people[1],
        now=WARD_MEETING - dt.timedelta(days=15),
    )
    for p in people:
        actions.check_in(meeting, p, by=None, now=WARD_MEETING - dt.timedelta(minutes=5))
    actions.open_meeting(meeting, by=None, now=WARD_MEETING)
    at = WARD_MEETING + dt.timedelta(minutes=10)
    vote = actions.open_vote(meeting, motion=motion, by=None, now=at)
    actions.record_hands(vote, for_=3, against=0, abstain=0, by=None)
    vote = actions.close_vote(vote, by=None, now=at)
    lost = actions.open_vote(meeting, question="That the ward meets monthly", by=None, now=at)
    actions.record_hands(lost, for_=1, against=2, abstain=0, by=None)
    lost = actions.close_vote(lost, by=None, now=at)
    actions.close_meeting(meeting, by=None, now=WARD_MEETING + dt.timedelta(hours=1))
    gc_body = actions.create_body(
        unit=org.hillford, kind="general_committee", name="Hillford General Committee", by=None
    )
    gc = actions.call_meeting(
        gc_body,
        title="December General Committee",
        start=gc_start,
        by=None,
        items=["Motions from wards"],
        place="Hall",
        now=gc_called,
    )
    secs = []
    for name, unit in (("eastsec", org.hillford_east), ("westsec", west)):
        u = member_actions.create_login(username=name, password=PASSWORD, by=None)
        member_actions.grant_role(user=u, kind="branch_secretary", unit=unit, by=None)
        secs.append(u)
    motion.refresh_from_db()
    return Ward(west, meeting, motion, vote, lost, gc, secs[0], secs[1])
