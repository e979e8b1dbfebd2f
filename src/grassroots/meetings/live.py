"""The live figures of a meeting in progress: who is present, who votes, and the quorum.

Read side only, shared by the live page, the chair's vote and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def presence(meeting: Meeting) -> Presence:
    """Who is in the room (or online) now, and whether that makes a quorum."""
    here = Attendance.objects.filter(meeting=meeting, left_at__isnull=True)
    voters = here.filter(may_vote=True).count()
    visitors = here.filter(may_vote=False).count()
    # those entitled on the day, plus anyone admitted with a vote since (paid on the day)
    entitled_set = set(entitled_ids(meeting.body, meeting.local_start().date()))
    entitled_set |= set(
        Attendance.objects.filter(meeting=meeting, may_vote=True, member__isnull=False).values_list(
            "member_id", flat=True
        )
    )
    entitled = len(entitled_set)
    return Presence(
        voters,
        visitors,
        entitled,
        quorum(meeting.body.quorum_rule(), present=voters, entitled=entitled),
    )
