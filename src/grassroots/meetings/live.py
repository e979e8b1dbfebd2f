"""The live figures of a meeting in progress: who is present, who votes, and the quorum.

Read side only, shared by the live page, the chair's vote and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, Model, Q
from django.db.models.signals import post_delete, post_save

from grassroots.meetings.entitlement import entitled_ids
from grassroots.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingBallot,
    Motion,
    MotionSupport,
    SpeakerRequest,
    Vote,
)
from grassroots.meetings.quorum import QuorumState, quorum

__all__ = ["Presence", "connect", "presence", "touch"]


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


def touch(meeting_id: int | None) -> None:
    """Mark that what the live page shows of a meeting has changed (a new state version)."""
    if meeting_id is not None:
        Meeting.objects.filter(pk=meeting_id).update(live_version=F("live_version") + 1)


# every model of the meeting's business the live panel shows, and how to reach its meeting's
# id from a row. Arrivals and votes cast (Attendance, VoteCast) only move the counts: they do
# not bump the version, so check-in and voting write nothing to the meeting's row, and pages
# pick the counts up within a few polls (views.live.counts_seconds).
_MEETING_OF = {
    AgendaItem: "meeting_id",
    Motion: "meeting_id",
    Vote: "meeting_id",
    SpeakerRequest: "meeting_id",
    MeetingBallot: "meeting_id",
    Meeting: "pk",
}


def _changed(sender: type[Model], instance: Model, **kwargs: object) -> None:
    if sender is MotionSupport:
        touch(
            Motion.objects.filter(pk=instance.motion_id)
            .values_list("meeting_id", flat=True)
            .first()
        )  # type: ignore[attr-defined]
    else:
        touch(getattr(instance, _MEETING_OF[sender]))


def connect() -> None:
    """Bump a meeting's live version whenever a row the live page shows is saved or deleted
    (the app's ``ready`` calls this once)."""
    for model in (*_MEETING_OF, MotionSupport):
        post_save.connect(_changed, sender=model, dispatch_uid=f"meetings.live.{model.__name__}")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"meetings.live.del.{model.__name__}"
        )
