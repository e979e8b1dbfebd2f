"""Sending one message to each recipient of a mail-out job, each at most once.

Every recipient gets a ``Delivery`` row when their message is handed to the mail server
(or when it cannot be: why). A retried job skips those already sent to. Each message carries
a Message-ID made from the job and the recipient, the same on every attempt, so that in the
one case a worker cannot know (killed after the server took a message, before its row was
written) the copy sent again is recognisably the same message.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.mail import EmailMessage, get_connection
from django.core.mail.utils import DNS_NAME
from django.utils import timezone

from grassroots.jobs.actions import ActionRefused
from grassroots.jobs.models import Delivery, Job
from grassroots.jobs.runner import Progress
from grassroots.members.fieldrules import email_problem


@dataclass(frozen=True)
class Recipient:
    member_id: int
    number: str  # membership number: how a refused address is named to the officer
    email: str


@dataclass(frozen=True)
class Sent:
    """What the mail-out did over all its attempts."""

    sent: int
    refused: tuple[tuple[str, str], ...]  # (membership number, problem), this attempt


def message_id(kind: str, job_pk: int, member_id: int) -> str:
    return f"<{kind}.{job_pk}.{member_id}@{DNS_NAME}>"


def send_each(
    job: Job,
    progress: Progress,
    recipients: Sequence[Recipient],
    message: Callable[[Recipient], EmailMessage],
) -> Sent:
    """Send ``message(r)`` to every recipient not yet sent to by this job."""
    done = set(
        Delivery.objects.filter(job=job, sent_at__isnull=False).values_list("member_id", flat=True)
    )
    todo = [r for r in recipients if r.member_id not in done]
    # recipients with a row already (refused on an earlier attempt): updated, the rest inserted
    rows = set(Delivery.objects.filter(job=job).values_list("member_id", flat=True))

    def note(r: Recipient, **values: object) -> None:
        if r.member_id in rows:
            Delivery.objects.filter(job=job, member_id=r.member_id).update(**values)
        else:
            Delivery.objects.create(job=job, member_id=r.member_id, **values)
            rows.add(r.member_id)

    progress.total(len(done) + len(todo))
    progress.step(len(done))
    refused: list[tuple[str, str]] = []

    def fail(r: Recipient, why: str) -> None:
        refused.append((r.number, why))
        progress.problem(r.number, why)
        note(r, failure=why)

    count = len(done)
    try:
        with get_connection(fail_silently=False) as connection:
            for i, r in enumerate(todo, start=1):
                problem = email_problem(r.email)
                if problem:
                    fail(r, problem)
                    continue
                msg = message(r)
                msg.extra_headers["Message-ID"] = message_id(job.kind, job.pk, r.member_id)
                try:
                    connection.send_messages([msg])
                except (smtplib.SMTPException, ValueError) as exc:
                    fail(r, f"the mail server refused it: {exc}"[:300])
                    continue
                note(r, sent_at=timezone.now(), failure="")
                count += 1
                progress.step(len(done) + i)
    except OSError as exc:  # the server cannot be reached, or the connection dropped
        raise ActionRefused(
            f"the mail server could not be reached ({exc}) after {count} of "
            f"{len(done) + len(todo)} messages; retry to send the rest"
        ) from None
    progress.step(len(done) + len(todo))
    return Sent(count, tuple(refused))
