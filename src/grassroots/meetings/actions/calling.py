"""Calling a meeting and keeping its agenda: items and papers, each late one flagged with why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from grassroots.audit.log import record
from grassroots.elections.models import Election
from grassroots.meetings.actions._common import ActionRefused, User, check, now_or
from grassroots.meetings.models import AgendaItem, Body, Meeting, Paper
from grassroots.meetings.notice import is_late, notice_deadline
from grassroots.meetings.papers import PaperError, check_paper


def _subject(m: Meeting) -> str:
    return f"meeting:{m.pk}"


@transaction.atomic
def call_meeting(
    body: Body,
    *,
    title: str,
    start: dt.datetime,
    by: User | None,
    items: Sequence[str] = (),
    place: str = "",
    join_url: str = "",
    purpose: str = "ordinary",
    short_notice_reason: str = "",
    election: Election | None = None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Call a meeting of ``body``: the notice deadline follows from the body's notice period.

    A meeting called after its own deadline is at short notice: allowed only with a reason,
    and flagged as such wherever it is shown.
    """
    check(by, "manage_meetings", body.unit)
    at = now_or(now)
    if start.tzinfo is None:
        raise ActionRefused("the meeting's start needs a time zone")
    if start <= at:
        raise ActionRefused("a meeting is called for a time still to come")
    if not place.strip() and not join_url.strip():
        raise ActionRefused("say where the meeting is: a place, an online link, or both")
    if purpose not in dict(Meeting.PURPOSES):
        raise ActionRefused(f"{purpose!r} is not a kind of meeting")
    if election is not None:
        if not body.unit.path.startswith(election.unit.path):
            raise ActionRefused(f"{body.unit.name} does not nominate in {election.title}")
        if election.state != "draft" or start > election.nominations_close:
            raise ActionRefused(
                f"nominations in {election.title} close "
                f"{election.nominations_close:%d %B %Y %H:%M}: the meeting must be before then"
            )
        purpose = "nominating"
    deadline = notice_deadline(body.notice_rule(), start, body.zone())
    short = is_late(at, deadline)
    if short and not short_notice_reason.strip():
        raise ActionRefused(
            f"{body.name} needs {body.notice_rule().describe()}: notice had to go out before "
            f"{deadline.astimezone(body.zone()):%d %B %Y %H:%M}. Calling it at short notice "
            "needs a reason, which is published with the notice"
        )
    m = Meeting.objects.create(
        body=body,
        title=title.strip(),
        purpose=purpose,
        start=start,
        place=place.strip(),
        join_url=join_url.strip(),
        called_at=at,
        called_by=by if by is not None and by.is_authenticated else None,
        notice_deadline=deadline,
        short_notice=short,
        short_notice_reason=short_notice_reason.strip() if short else "",
        election=election,
    )
    for n, text in enumerate((t.strip() for t in items if t.strip()), start=1):
        AgendaItem.objects.create(
            meeting=m, position=n, title=text, added_at=at, added_by=m.called_by
        )
    flag = " at short notice" if short else ""
    record(
        by,
        "meetings.call",
        _subject(m),
        f"Called {m.title} of {body.name}{flag} for {m.local_start():%d %B %Y %H:%M} "
        f"(notice deadline {m.local_deadline():%d %B %Y %H:%M}), {m.items.count()} agenda items",
        reason=m.short_notice_reason,
    )
    return m


def _open_for_agenda(meeting: Meeting, at: dt.datetime) -> None:
    if meeting.state != "called":
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    if at >= meeting.start:
        raise ActionRefused(f"{meeting.title} has started: its agenda is the meeting's now")


@transaction.atomic
def add_item(
    meeting: Meeting,
    *,
    title: str,
    by: User | None,
    details: str = "",
    reason: str = "",
    now: dt.datetime | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda; after the notice deadline it is late, with why."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check(by, "manage_meetings", meeting.body.unit)
    at = now_or(now)
    _open_for_agenda(meeting, at)
    if not title.strip():
        raise ActionRefused("an agenda item needs a title")
    late = is_late(at, meeting.notice_deadline)
    if late and not reason.strip():
        raise ActionRefused(
            "the notice deadline has passed: a late item needs a reason, and the meeting "
            "votes on whether to take it"
        )
    last = meeting.items.aggregate(n=Max("position"))["n"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        title=title.strip(),
        details=details.strip(),
        added_at=at,
        added_by=by if by is not None and by.is_authenticated else None,
        late=late,
        late_reason=reason.strip() if late else "",
    )
    record(
        by,
        "meetings.item.add",
        _subject(meeting),
        f"{'Late item' if late else 'Item'} {item.position} added: {item.title}",
        reason=item.late_reason,
    )
    return item


@transaction.atomic
def add_paper(
    item: AgendaItem,
    *,
    title: str,
    name: str,
    data: bytes,
    by: User | None,
    reason: str = "",
    replaces: Paper | None = None,
    now: dt.datetime | None = None,
) -> Paper:
    """Publish a paper for ``item`` (or a new version of one), stored with its SHA-256."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    check(by, "manage_meetings", meeting.body.unit)
    at = now_or(now)
    _open_for_agenda(meeting, at)
    try:
        described = check_paper(name, data)
    except PaperError as exc:
        raise ActionRefused(str(exc)) from None
    if replaces is not None:
        if replaces.item_id != item.pk:
            raise ActionRefused("a new version replaces a paper of the same agenda item")
        if not replaces.current:
            raise ActionRefused(f"{replaces.title} has already been replaced")
    late = is_late(at, meeting.notice_deadline)
    if late and not reason.strip():
        raise ActionRefused(
            "the notice deadline has passed: a late paper needs a reason, shown beside it"
        )
    paper = Paper(
        item=item,
        title=title.strip() or described.filename,
        filename=described.filename,
        content_type=described.content_type,
        size=described.size,
        sha256=described.sha256,
        published_at=at,
        published_by=by if by is not None and by.is_authenticated else None,
        late=late,
        late_reason=reason.strip() if late else "",
        replaces=replaces,
    )
    paper.file.save(f"{described.sha256[:16]}-{described.filename}", ContentFile(data), save=False)
    paper.save()
    what = "new version of a paper" if replaces else "paper"
    record(
        by,
        "meetings.paper.add",
        _subject(meeting),
        f"{'Late ' if late else ''}{what} for item {item.position}: {paper.title} "
        f"(sha256 {paper.sha256})",
        reason=paper.late_reason,
    )
    return paper


@transaction.atomic
def cancel_meeting(
    meeting: Meeting, *, by: User | None, reason: str, now: dt.datetime | None = None
) -> Meeting:
    """Cancel a called meeting; its record stays, marked cancelled with the reason. Those sent
    the notice are told by ``start_cancellation`` (the view starts it)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check(by, "manage_meetings", meeting.body.unit)
    if meeting.state != "called":
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    if not reason.strip():
        raise ActionRefused("say why the meeting is cancelled: members see the reason")
    meeting.state = "cancelled"
    meeting.cancel_reason = reason.strip()
    meeting.cancelled_at = now_or(now)
    meeting.save(update_fields=["state", "cancel_reason", "cancelled_at"])
    record(by, "meetings.cancel", _subject(meeting), f"Cancelled {meeting.title}", reason=reason)
    return meeting
