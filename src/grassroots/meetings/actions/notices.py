"""Sending a meeting's notice to everyone entitled, with its iCalendar event attached, and its
cancellation (if it is cancelled) to everyone who was sent the notice.

Each recipient gets one ``Notice`` row; sending again skips those already sent, so a retry
after a failure never sends twice, and one bad address is recorded and never stops the rest.
The views put it on the job queue (``start_notice``); a worker runs ``deliver_notice``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.jobs import actions as jobs
from grassroots.jobs.mailout import message_id
from grassroots.jobs.models import Job
from grassroots.jobs.runner import Progress
from grassroots.meetings.actions._common import ActionRefused, User, check
from grassroots.meetings.calendar import calendar_for, cancellation_for
from grassroots.meetings.entitlement import entitled_ids
from grassroots.meetings.models import Meeting, Notice
from grassroots.members.models import Member


def _text(m: Meeting, url: str) -> str:
    lines = [
        f"{m.body.name}: {m.title}",
        f"When: {m.local_start():%A %d %B %Y, %H:%M} ({m.body.time_zone})",
    ]
    if m.place:
        lines.append(f"Where: {m.place}")
    if m.join_url:
        lines.append(f"Online: {m.join_url}")
    if m.short_notice:
        lines.append(f"Called at short notice: {m.short_notice_reason}")
    lines += ["", "Agenda:"] + [f"  {i.position}. {i.title}" for i in m.items.all()]
    lines += ["", f"Papers, and whether you may attend and vote: {url}"]
    return "\n".join(lines)


def start_notice(meeting: Meeting, *, by: User | None, base_url: str = "") -> Job:
    """Put the mail-out of a meeting's notice on the queue (``send_notice`` in a worker)."""
    check(by, "manage_meetings", meeting.body.unit)
    if meeting.state != "called":
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    return _queue("meeting.notice", "Notice", meeting, by=by, base_url=base_url)


def deliver_notice(job: Job, progress: Progress) -> str:
    """The notice job: ``send_notice`` as the member who started it, with its progress."""
    return _deliver(job, progress, send_notice, "Notice")


def _queue(kind: str, what: str, meeting: Meeting, *, by: User | None, base_url: str) -> Job:
    """A mail-out about ``meeting`` (its notice or its cancellation) put on the queue."""
    return jobs.start(
        kind,
        title=f"{what} of {meeting.title} ({meeting.body.name})",
        params={"meeting": meeting.pk, "base_url": base_url},
        unit=meeting.body.unit,
        permission="manage_meetings",
        by=by,
        back_url=f"/meetings/{meeting.pk}/",
    )


def _deliver(job: Job, progress: Progress, send: Callable[..., tuple[int, int]], what: str) -> str:
    """A mail-out job: ``send`` as the member who started it, one Message-ID per member (so a
    retry sends nobody the same message twice); its outcome in one sentence."""
    meeting = Meeting.objects.select_related("body__unit").get(pk=job.params["meeting"])
    sent, failed = send(
        meeting,
        by=job.started_by,
        base_url=job.params.get("base_url", ""),
        progress=progress,
        message_id=lambda member_id: message_id(job.kind, meeting.pk, member_id),
    )
    return f"{what} sent to {sent} member{'s' if sent != 1 else ''}" + (
        f"; {failed} could not be sent (listed below)." if failed else "."
    )


def _mail_each(
    todo: list[Member],
    *,
    done: int,
    message: Callable[[Member], EmailMessage],
    mark: Callable[[Member, str], None],
    progress: Progress | None,
) -> tuple[int, int]:
    """Send ``message(member)`` to each of ``todo``; ``mark(member, failure)`` records each
    outcome ("" when sent) as it happens. One failing address never stops the others."""
    sent = failed = 0
    connection = get_connection()
    if progress is not None:
        progress.total(done + len(todo))
        progress.step(done)
    for member in todo:
        try:
            connection.send_messages([message(member)])
        except Exception as exc:  # any backend's failure for this address: record, go on
            mark(member, str(exc)[:300])
            failed += 1
            if progress is not None:
                progress.problem(member.number, str(exc)[:300])
            continue
        mark(member, "")
        sent += 1
        if progress is not None:
            progress.step(done + sent + failed)
    return sent, failed


def send_notice(
    meeting: Meeting,
    *,
    by: User | None,
    base_url: str = "",
    progress: Progress | None = None,
    message_id: Callable[[int], str] | None = None,
) -> tuple[int, int]:
    """E-mail the notice to every entitled member with an address; returns (sent, failed)."""
    check(by, "manage_meetings", meeting.body.unit)
    if meeting.state != "called":
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    ids = entitled_ids(meeting.body, meeting.local_start().date())
    done = set(
        Notice.objects.filter(meeting=meeting, sent_at__isnull=False).values_list(
            "member_id", flat=True
        )
    )
    url = f"{base_url.rstrip('/')}/meetings/{meeting.pk}/"
    body = _text(meeting, url)
    ics = calendar_for([meeting], name=meeting.body.name, base_url=base_url, method="PUBLISH")
    subject = f"Notice: {meeting.title} ({meeting.body.name})"
    if meeting.short_notice:
        subject += " (short notice)"
    subject = " ".join(subject.split())  # a mail header is one line whatever the title holds

    def message(member: Member) -> EmailMessage:
        msg = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
        msg.attach("meeting.ics", ics, "text/calendar; method=PUBLISH")
        if message_id is not None:
            msg.extra_headers["Message-ID"] = message_id(member.pk)
        return msg

    def mark(member: Member, failure: str) -> None:
        sent_at = None if failure else timezone.now()
        Notice.objects.update_or_create(
            meeting=meeting, member=member, defaults={"sent_at": sent_at, "failure": failure}
        )

    todo = Member.objects.filter(pk__in=[i for i in ids if i not in done]).exclude(email="")
    sent, failed = _mail_each(
        list(todo.order_by("pk")), done=len(done), message=message, mark=mark, progress=progress
    )
    with transaction.atomic():
        record(
            by,
            "meetings.notice",
            f"meeting:{meeting.pk}",
            f"Notice of {meeting.title} sent to {sent} members"
            + (f"; {failed} could not be sent" if failed else ""),
        )
    return sent, failed


def start_cancellation(meeting: Meeting, *, by: User | None, base_url: str = "") -> Job:
    """Put the mail-out of a cancelled meeting's cancellation on the queue."""
    meeting = Meeting.objects.select_related("body__unit").get(pk=meeting.pk)
    check(by, "manage_meetings", meeting.body.unit)
    if meeting.state != "cancelled":
        raise ActionRefused(f"{meeting.title} is not cancelled")
    return _queue("meeting.cancel", "Cancellation", meeting, by=by, base_url=base_url)


def deliver_cancellation(job: Job, progress: Progress) -> str:
    """The cancellation job: ``send_cancellation`` as the member who started it."""
    return _deliver(job, progress, send_cancellation, "Cancellation")


def send_cancellation(
    meeting: Meeting,
    *,
    by: User | None,
    base_url: str = "",
    progress: Progress | None = None,
    message_id: Callable[[int], str] | None = None,
) -> tuple[int, int]:
    """E-mail everyone who was sent the notice that the meeting is cancelled, with the reason
    and the calendar event's cancellation; each once (a retry skips those already told)."""
    meeting = Meeting.objects.select_related("body__unit").get(pk=meeting.pk)
    check(by, "manage_meetings", meeting.body.unit)
    if meeting.state != "cancelled":
        raise ActionRefused(f"{meeting.title} is not cancelled")
    told = Notice.objects.filter(meeting=meeting, sent_at__isnull=False)
    done = told.filter(cancel_sent_at__isnull=False).count()
    todo = [
        n.member
        for n in told.filter(cancel_sent_at__isnull=True)
        .exclude(member__email="")
        .select_related("member")
        .order_by("member_id")
    ]
    url = f"{base_url.rstrip('/')}/meetings/{meeting.pk}/"
    when = f"{meeting.local_start():%A %d %B %Y, %H:%M} ({meeting.body.time_zone})"
    body = "\n".join(
        [
            f"{meeting.body.name}: {meeting.title}, called for {when}, is CANCELLED.",
            "",
            f"Why: {meeting.cancel_reason}",
            "",
            f"The meeting's record stays, marked cancelled: {url}",
        ]
    )
    ics = cancellation_for(meeting, base_url=base_url)
    subject = " ".join(f"Cancelled: {meeting.title} ({meeting.body.name})".split())

    def message(member: Member) -> EmailMessage:
        msg = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
        msg.attach("cancel.ics", ics, "text/calendar; method=CANCEL")
        if message_id is not None:
            msg.extra_headers["Message-ID"] = message_id(member.pk)
        return msg

    def mark(member: Member, failure: str) -> None:
        Notice.objects.filter(meeting=meeting, member=member).update(
            cancel_sent_at=None if failure else timezone.now(), cancel_failure=failure
        )

    sent, failed = _mail_each(todo, done=done, message=message, mark=mark, progress=progress)
    with transaction.atomic():
        record(
            by,
            "meetings.cancel.sent",
            f"meeting:{meeting.pk}",
            f"Cancellation of {meeting.title} sent to {sent} members"
            + (f"; {failed} could not be sent" if failed else ""),
        )
    return sent, failed
