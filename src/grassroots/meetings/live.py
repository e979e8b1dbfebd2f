"""The live figures of a meeting in progress: who is present, who votes, and the quorum.

Read side only, shared by the live page, the chair's vote and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q

from grassroots.meetings.entitlement import entitled_ids
from grassroots.meetings.models import Attendance, Meeting
from grassroots.meetings.quorum import QuorumState, quorum

__all__ = ["Presence", "presence"]


@dataclass(frozen=True)
class Presence:
    voters: int  # present members with a vote
    visitors: int  # present without a vote
    entitled: int
    quorum: QuorumState


ENTITLED_FOR = 10  # seconds a meeting's entitled set is reused between live-page refreshes


def _entitled(meeting: Meeting) -> frozenset[int]:
    """Who the body's rules entitle on the meeting's day: evaluated for the whole unit, so kept
    a few seconds (the live page refreshes every two) rather than evaluated per request."""
    key = f"meetings:entitled:{meeting.pk}"
    ids: frozenset[int] | None = cache.get(key)
    if ids is None:
        ids = frozenset(entitled_ids(meeting.body, meeting.local_start().date()))
        cache.set(key, ids, ENTITLED_FOR)
    return ids


def presence(meeting: Meeting) -> Presence:
    """Who is in the room (or online) now, and whether that makes a quorum."""
    here = Attendance.objects.filter(meeting=meeting, left_at__isnull=True).aggregate(
        voters=Count("pk", filter=Q(may_vote=True)), visitors=Count("pk", filter=Q(may_vote=False))
    )
    # those entitled on the day, and those admitted with a vote since by paying on the day
    paid = Attendance.objects.filter(meeting=meeting, paid_on_day=True).values_list(
        "member_id", flat=True
    )
    entitled = len(_entitled(meeting) | set(paid))
    voters = here["voters"]
    return Presence(
        voters,
        here["visitors"],
        entitled,
        quorum(meeting.body.quorum_rule(), present=voters, entitled=entitled),
    )
