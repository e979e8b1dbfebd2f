"""After the meeting: minutes drafted from the record, circulated, corrected, approved as an
item at the body's next meeting (the vote on the record), then frozen and hashed; after
approval, corrections only by a new minute."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction

from grassroots.audit.log import record
from grassroots.meetings.actions._common import ActionRefused, User, check, now_or
from grassroots.meetings.minutes import draft_from_record
from grassroots.meetings.models import Meeting, Minutes, Motion


def _subject(m: Meeting) -> str:
    return f"meeting:{m.pk}"


@transaction.atomic
def draft_minutes(
    meeting: Meeting, *, by: User | None, text: str = "", now: dt.datetime | None = None
) -> Minutes:
    """Start the minutes of a held meeting, from its record unless a text is given."""
    meeting = Meeting.objects.select_related("body__unit").get(pk=meeting.pk)
    check(by, "manage_meetings", meeting.body.unit)
    if meeting.state != "held":
        raise ActionRefused(f"{meeting.title} has not been held: minutes follow the meeting")
    if meeting.minutes.filter(corrects__isnull=True).exists():
        raise ActionRefused("this meeting's minutes exist: edit the draft, or correct them")
    minutes = Minutes.objects.create(
        meeting=meeting,
        text=text.strip() or draft_from_record(meeting),
        drafted_at=now_or(now),
        drafted_by=by if by is not None and by.is_authenticated else None,
    )
    record(by, "meetings.minutes.draft", _subject(meeting), f"Minutes of {meeting.title} drafted")
    return minutes


@transaction.atomic
def edit_minutes(minutes: Minutes, *, text: str, by: User | None, reason: str = "") -> Minutes:
    """Change the text of minutes not yet approved (a correction before approval)."""
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__body__unit").get(pk=minutes.pk)
    )
    check(by, "manage_meetings", minutes.meeting.body.unit)
    if minutes.state == "approved":
        raise ActionRefused("approved minutes are frozen: correct them by a new minute")
    if not text.strip():
        raise ActionRefused("minutes cannot be empty")
    minutes.text = text.strip()
    minutes.save(update_fields=["text"])
    record(
        by, "meetings.minutes.edit", _subject(minutes.meeting), f"{minutes} edited", reason=reason
    )
    return minutes


@transaction.atomic
def circulate_minutes(
    minutes: Minutes, *, by: User | None, now: dt.datetime | None = None
) -> Minutes:
    """Publish the draft to the body's members ahead of the meeting that approves it."""
    minutes = (
        Minutes.objects.select_for_update().select_related("meeting__body__unit").get(pk=minutes.pk)
    )
    check(by, "manage_meetings", minutes.meeting.body.unit)
    if minutes.state != "draft":
        raise ActionRefused(f"{minutes} are {minutes.get_state_display().lower()}")
    minutes.state, minutes.circulated_at = "circulated", now_or(now)
    minutes.save(update_fields=["state", "circulated_at"])
    record(by, "meetings.minutes.circulate", _subject(minutes.meeting), f"{minutes} circulated")
    return minutes


@transaction.atomic
def correct_minutes(
    approved: Minutes, *, text: str, by: User | None, now: dt.datetime | None = None
) -> Minutes:
    """After approval, a correction is a new minute, approved at a meeting in its turn."""
    approved = Minutes.objects.select_related("meeting__body__unit").get(pk=approved.pk)
    check(by, "manage_meetings", approved.meeting.body.unit)
    if approved.state != "approved":
        raise ActionRefused("minutes not yet approved are corrected by editing the draft")
    if not text.strip():
        raise ActionRefused("say what the correction is")
    correction = Minutes.objects.create(
        meeting=approved.meeting,
        text=text.strip(),
        corrects=approved,
        drafted_at=now_or(now),
        drafted_by=by if by is not None and by.is_authenticated else None,
    )
    record(by, "meetings.minutes.correct", _subject(approved.meeting), f"{correction} drafted")
    return correction


@transaction.atomic
def propose_approval(
    meeting: Meeting, minutes: Minutes, *, by: User | None, now: dt.datetime | None = None
) -> Motion:
    """Put "that the minutes be approved as a true record" to a later meeting of the body."""
    meeting = Meeting.objects.select_related("body__unit").get(pk=meeting.pk)
    minutes = Minutes.objects.select_related("meeting").get(pk=minutes.pk)
    check(by, "manage_meetings", meeting.body.unit)
    if minutes.meeting.body_id != meeting.body_id:
        raise ActionRefused("minutes are approved by a meeting of the same body")
    if meeting.start <= minutes.meeting.start:
        raise ActionRefused("minutes are approved at a later meeting than the one they record")
    if minutes.state != "circulated":
        raise ActionRefused(f"{minutes} must be circulated before a meeting approves them")
    if meeting.state not in ("called", "open"):
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    motion = Motion.objects.create(
        meeting=meeting,
        kind="motion",
        title=f"That the {str(minutes)[0].lower()}{str(minutes)[1:]} be approved as a true record",
        text=minutes.text,
        approves=minutes,
        from_unit=meeting.body.unit,
        submitted_at=now_or(now),
        submitted_by=by if by is not None and by.is_authenticated else None,
    )
    record(by, "meetings.minutes.propose", _subject(meeting), motion.title)
    return motion


def approve_from_vote(motion: Motion, vote_id: int, at: dt.datetime) -> None:
    """Called when a vote carries an approval motion: the minutes are frozen and hashed."""
    minutes = Minutes.objects.select_for_update().get(pk=motion.approves_id)
    minutes.state = "approved"
    minutes.approved_at = at
    minutes.approved_by_vote_id = vote_id
    minutes.sha256 = hashlib.sha256(minutes.text.encode()).hexdigest()
    minutes.save(update_fields=["state", "approved_at", "approved_by_vote", "sha256"])
