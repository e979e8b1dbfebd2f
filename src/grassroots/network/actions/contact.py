"""A group's public profile, and its contact form: a message relayed to the group's contact
address by the job queue, which the sender never sees, limited in how often one sender writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.members.fieldrules import email_problem
from grassroots.network.actions.access import ActionRefused, User
from grassroots.network.models import ContactMessage, Group, GroupProfile
from grassroots.network.permissions import is_group_admin

__all__ = [
    "MAX_BODY",
    "PER_GROUP_DAY",
    "PER_SENDER_HOUR",
    "deliver_message",
    "send_message",
    "sender_key",
    "update_profile",
]

PER_SENDER_HOUR = 3  # messages one sender (one address on the internet) sends in an hour
PER_GROUP_DAY = 50  # messages one group receives through its form in a day
MAX_BODY = 5000  # characters of a message


def sender_key(ip: str) -> str:
    """A keyed hash of the sender's IP address: the limit counts it; the address is not kept."""
    key = f"network.contact:{settings.SECRET_KEY}".encode()
    return hmac.new(key, ip.encode(), hashlib.sha256).hexdigest()


def update_profile(
    group: Group, *, by: User, about: str, issues: str, meeting_times: str
) -> GroupProfile:
    """A group's admin changes what its public profile says."""
    if not is_group_admin(by, group):
        raise ActionRefused(f"Only {group.name}'s admins can change its profile")
    for label, text, limit in (
        ("About the group", about, 5000),
        ("Issues", issues, 2000),
        ("Meeting times", meeting_times, 1000),
    ):
        if len(text) > limit:
            raise ActionRefused(f"{label}: {len(text)} characters is over the {limit} allowed")
    with transaction.atomic():
        profile, _ = GroupProfile.objects.select_for_update().get_or_create(group=group)
        profile.about, profile.issues = about.strip(), issues.strip()
        profile.meeting_times, profile.updated_at = meeting_times.strip(), timezone.now()
        profile.save()
        record(by, "network.group.profile", f"group:{group.pk}", f"Updated {group.name}'s profile")
    return profile


def send_message(
    group: Group,
    *,
    by: User,
    sender_name: str,
    sender_email: str,
    body: str,
    ip: str,
    now: dt.datetime | None = None,
) -> ContactMessage:
    """Take a message for ``group`` from its public form and put its relay on the queue."""
    if not group.affiliated:
        raise ActionRefused(f"{group.name} is not an affiliated group of the network")
    name = " ".join(sender_name.split())
    if not name:
        raise ActionRefused("Your name: say who the message is from")
    if len(name) > 200:
        raise ActionRefused("Your name: at most 200 characters")
    problem = email_problem(sender_email.strip())
    if problem:
        raise ActionRefused(f"Your e-mail address: {problem}")
    text = body.strip()
    if not text:
        raise ActionRefused("Your message is empty")
    if len(text) > MAX_BODY:
        raise ActionRefused(f"Your message is {len(text)} characters; at most {MAX_BODY}")
    now = now or timezone.now()
    key = sender_key(ip)
    with transaction.atomic():
        recent = ContactMessage.objects.filter(
            sender_key=key, created_at__gt=now - dt.timedelta(hours=1)
        ).count()
        if recent >= PER_SENDER_HOUR:
            raise ActionRefused(
                f"You have sent {recent} messages through the network's contact forms in the "
                "last hour; please wait an hour before sending another"
            )
        today = ContactMessage.objects.filter(
            group=group, created_at__gt=now - dt.timedelta(days=1)
        ).count()
        if today >= PER_GROUP_DAY:
            raise ActionRefused(
                f"{group.name} has had {today} messages through this form today; "
                "please try again tomorrow"
            )
        m = ContactMessage.objects.create(
            group=group,
            sender_name=name,
            sender_email=sender_email.strip(),
            body=text,
            sender_key=key,
            created_at=now,
        )
        record(by, "network.contact.message", f"group:{group.pk}", f"A message for {group.name}")
    from grassroots.network.tasks import relay_message

    relay_message.enqueue(m.pk)
    return m


def deliver_message(message_id: int) -> ContactMessage | None:
    """Send one message on to its group's contact address (a worker runs this); sent once."""
    with transaction.atomic():
        m = (
            ContactMessage.objects.select_for_update()
            .select_related("group")
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if m is None:
            return None
        mail = EmailMessage(
            subject=f"Message for {m.group.name} through the network's contact form",
            body=(
                f"{m.sender_name} wrote to {m.group.name} through its public page:\n\n"
                f"{m.body}\n\n"
                f"Reply to this e-mail to answer {m.sender_name}; your address is shown to "
                "them only when you reply."
            ),
            to=[m.group.contact],
            reply_to=[m.sender_email],
        )
        try:
            mail.send(fail_silently=False)
        except Exception as exc:  # the mail server refused or was unreachable: recorded
            m.failure = f"{type(exc).__name__}: {exc}"[:300]
            m.save(update_fields=["failure"])
            return m
        m.sent_at, m.failure = timezone.now(), ""
        m.save(update_fields=["sent_at", "failure"])
    return m
