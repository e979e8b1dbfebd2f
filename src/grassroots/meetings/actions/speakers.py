"""The speakers' list: members ask to speak (online, or the chair adds them), the chair calls
the next by the body's rule (in order, or alternating), each speech timed against its limit."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.audit.log import record
from grassroots.meetings.actions._common import ActionRefused, User, check, now_or
from grassroots.meetings.models import Attendance, Meeting, Motion, SpeakerRequest
from grassroots.meetings.speakers import Waiting, next_speaker
from grassroots.members.models import Member


@transaction.atomic
def ask_to_speak(
    meeting: Meeting,
    member: Member,
    *,
    by: User | None,
    side: str = "",
    motion: Motion | None = None,
    now: dt.datetime | None = None,
) -> SpeakerRequest:
    """A present member asks to speak (or the chair adds them); one place in the queue each."""
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    if by is not None and getattr(by, "pk", None) != member.user_id:
        check(by, "chair_meetings", meeting.body.unit)
    if meeting.state != "open":
        raise ActionRefused(f"{meeting.title} is not in progress")
    if side not in ("", "for", "against"):
        raise ActionRefused(f"{side!r} is neither for nor against")
    if not Attendance.objects.filter(meeting=meeting, member=member, left_at__isnull=True).exists():
        raise ActionRefused(f"{member.name} is not checked in")
    waiting = SpeakerRequest.objects.filter(
        meeting=meeting, member=member, called_at__isnull=True, withdrawn=False
    )
    if waiting.exists():
        raise ActionRefused(f"{member.name} is already waiting to speak")
    request = SpeakerRequest.objects.create(
        meeting=meeting, member=member, motion=motion, side=side, asked_at=now_or(now)
    )
    record(by, "meetings.speaker.ask", f"meeting:{meeting.pk}", f"{member.name} asked to speak")
    return request


def queue(meeting: Meeting) -> list[SpeakerRequest]:
    return list(
        SpeakerRequest.objects.filter(meeting=meeting, called_at__isnull=True, withdrawn=False)
        .select_related("member")
        .order_by("asked_at", "pk")
    )


@transaction.atomic
def call_next(
    meeting: Meeting, *, by: User | None, now: dt.datetime | None = None
) -> SpeakerRequest | None:
    """The chair calls the next speaker by the body's rule; the one speaking finishes."""
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    check(by, "chair_meetings", meeting.body.unit)
    at = now_or(now)
    SpeakerRequest.objects.filter(
        meeting=meeting, called_at__isnull=False, finished_at__isnull=True
    ).update(finished_at=at)
    waiting = queue(meeting)
    last = (
        SpeakerRequest.objects.filter(meeting=meeting, called_at__isnull=False)
        .select_related("member")
        .order_by("-called_at", "-pk")
        .first()
    )

    def w(r: SpeakerRequest) -> Waiting:
        return Waiting(r.pk, r.side, r.member.gender)

    chosen = next_speaker(
        [w(r) for r in waiting],
        w(last) if last is not None else None,
        meeting.body.speakers_alternate,  # type: ignore[arg-type]
    )
    if chosen is None:
        return None
    request = next(r for r in waiting if r.pk == chosen.key)
    request.called_at = at
    request.save(update_fields=["called_at"])
    record(by, "meetings.speaker.call", f"meeting:{meeting.pk}", f"{request.member.name} called")
    return request
