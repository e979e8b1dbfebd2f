"""Sending a meeting's notice to everyone entitled, with its iCalendar event attached.

Each recipient gets one ``Notice`` row; sending again skips those already sent, so a retry
after a failure never sends twice, and one bad address is recorded and never stops the rest.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.meetings.actions._common import ActionRefused, User, check
from grassroots.meetings.calendar import calendar_for
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


def send_notice(meeting: Meeting, *, by: User | None, base_url: str = "") -> tuple[int, int]:
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
    ics = calendar_for([meeting], name=meeting.body.name, base_url=base_url)
    subject = f"Notice: {meeting.title} ({meeting.body.name})"
    if meeting.short_notice:
        subject += " (short notice)"
    sent = failed = 0
    connection = get_connection()
    for member in Member.objects.filter(pk__in=[i for i in ids if i not in done]).exclude(email=""):
        msg = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [member.email])
        msg.attach("meeting.ics", ics, "text/calendar; method=PUBLISH")
        try:
            connection.send_messages([msg])
        except Exception as exc:  # any backend's failure for this address: record, go on
            Notice.objects.update_or_create(
                meeting=meeting, member=member, defaults={"failure": str(exc)[:300]}
            )
            failed += 1
            continue
        Notice.objects.update_or_create(
            meeting=meeting, member=member, defaults={"sent_at": timezone.now(), "failure": ""}
        )
        sent += 1
    with transaction.atomic():
        record(
            by,
            "meetings.notice",
            f"meeting:{meeting.pk}",
            f"Notice of {meeting.title} sent to {sent} members"
            + (f"; {failed} could not be sent" if failed else ""),
        )
    return sent, failed
