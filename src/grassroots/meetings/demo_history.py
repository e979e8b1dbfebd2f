"""Demo meetings with a history: General Committees held with their votes and minutes (one set
approved at the next meeting, one circulated and on the coming agenda), and an online
all-member meeting in progress that a visitor joins as the demo member and votes in."""

from __future__ import annotations

import datetime as dt

from grassroots.meetings import actions
from grassroots.meetings.models import Body, Meeting, Minutes
from grassroots.members.models import Member, Unit

__all__ = ["seed_history"]

DAY = dt.timedelta(days=1)
MIN = dt.timedelta(minutes=1)


def _hold(meeting: Meeting, people: list[Member], *, motions: list[tuple[str, str]]) -> None:
    """Check people in, open the meeting, take each motion by show of hands, close."""
    start = meeting.start
    for p in people:
        actions.check_in(meeting, p, by=None, now=start - 10 * MIN)
    actions.open_meeting(meeting, by=None, now=start)
    at = start + 5 * MIN
    for motion in meeting.motions.filter(state="submitted").order_by("submitted_at"):
        vote = actions.open_vote(meeting, motion=motion, by=None, now=at)
        against = 1 if len(people) > 3 else 0
        actions.record_hands(vote, for_=len(people) - against, against=against, abstain=0, by=None)
        actions.close_vote(vote, by=None, now=at + 3 * MIN)
        at += 10 * MIN
    actions.close_meeting(meeting, by=None, now=start + 2 * dt.timedelta(hours=1))


def _minutes(meeting: Meeting, *, written: dt.datetime, discussion: str) -> Minutes:
    m = actions.draft_minutes(meeting, by=None, now=written)
    m = actions.edit_minutes(m, text=f"{m.text}\n\nDiscussion: {discussion}", by=None)
    return actions.circulate_minutes(m, by=None, now=written + DAY)


def seed_history(
    *, gc: Body, past: Meeting, upcoming: Meeting, home: Unit, now: dt.datetime
) -> Meeting:
    """Hold the past General Committees; return the online meeting in progress."""
    delegates = [s.member for s in gc.seats.select_related("member").order_by("pk")][:6]
    place = past.place
    earlier = actions.call_meeting(
        gc,
        title="General Committee, two months ago",
        start=past.start - 30 * DAY,
        by=None,
        items=["Apologies", "Affiliation fees"],
        place=place,
        now=past.start - 45 * DAY,
    )
    _hold(earlier, delegates, motions=[])
    first_minutes = _minutes(
        earlier, written=earlier.start + 2 * DAY, discussion="the fees were agreed without dissent."
    )
    approval = actions.propose_approval(past, first_minutes, by=None, now=past.start - 7 * DAY)
    approval.item = past.items.get(position=2)
    approval.save(update_fields=["item"])
    actions.submit_motion(
        past,
        title="Spring campaign",
        text="This General Committee adopts the spring campaign plan in the papers.",
        by=None,
        mover=delegates[0],
        seconder=delegates[1] if len(delegates) > 1 else None,
        item=past.items.get(position=3),
        now=past.start - 10 * DAY,
    )
    _hold(past, delegates, motions=[])
    second = _minutes(
        past, written=past.start + 2 * DAY, discussion="door-knocking on Saturdays was welcomed."
    )
    actions.propose_approval(upcoming, second, by=None, now=now - DAY)

    # An online all-member meeting in progress: the demo member may check in and vote.
    present = list(
        Member.objects.filter(branch=home, status="full", user__isnull=True).order_by("pk")[:40]
    )
    forum = actions.create_body(
        unit=home,
        kind="all_member",
        name=f"{home.name} online members' meeting",
        by=None,
        quorum_number=min(10, len(present)),  # a small demo still has a quorum
        attend_rules={"provisional_days": 56},
        visitors_admitted=True,
        speakers_alternate="side",
        speech_limit_minutes=3,
    )
    start = now - 10 * MIN
    live = actions.call_meeting(
        forum,
        title="Online members' meeting (in progress)",
        start=start,
        by=None,
        items=["The library closures", "Any other business"],
        join_url="https://meet.example.org/demo-members",
        now=now - 20 * DAY,
    )
    motion = actions.submit_motion(
        live,
        title="Save our libraries",
        text="This branch campaigns against the council's library closures.",
        by=None,
        mover=present[0],
        seconder=present[1] if len(present) > 1 else None,
        item=live.items.get(position=1),
        now=now - 15 * DAY,
    )
    for p in present:
        actions.check_in(live, p, by=None, how="online", now=start + MIN)
    actions.open_meeting(live, by=None, now=start)
    if motion.seconder_id is not None:  # a tiny demo branch may have no second member to second it
        vote = actions.open_vote(live, motion=motion, method="online", by=None, now=now - 2 * MIN)
        for i, p in enumerate(present[:25]):
            actions.cast_online(vote, p, ("for", "for", "against")[i % 3], by=None, now=now - MIN)
    for i, p in enumerate(present[25:28]):
        actions.ask_to_speak(live, p, by=None, side=("for", "against")[i % 2], now=now - MIN)
    live.refresh_from_db()
    return live
