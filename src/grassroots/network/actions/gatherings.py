"""Gatherings' actions: an organiser sets one up (optionally held as a meeting of the meetings
app, with its record); people of the network register or cancel; reminders go out on the job
queue before it starts, each registered person reminded once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.meetings.models import Meeting
from grassroots.network.actions.access import (
    ActionRefused,
    User,
    in_network,
    may_organise,
    person_of,
)
from grassroots.network.models import Gathering, Network, Registration

__all__ = [
    "cancel_gathering",
    "cancel_registration",
    "create_gathering",
    "deliver_reminders",
    "register",
    "send_reminders_now",
]


def create_gathering(
    network: Network,
    *,
    by: User,
    title: str,
    starts_at: dt.datetime,
    description: str = "",
    ends_at: dt.datetime | None = None,
    time_zone: str = "Europe/London",
    place: str = "",
    join_url: str = "",
    capacity: int | None = None,
    remind_hours: int = 24,
    meeting: Meeting | None = None,
    now: dt.datetime | None = None,
) -> Gathering:
    """An organiser sets up a gathering; its reminders are put on the queue for their time."""
    if not may_organise(by, network):
        raise ActionRefused(f"Only {network.name}'s organisers can set up its gatherings")
    now = now or timezone.now()
    title = " ".join(title.split())
    if not title:
        raise ActionRefused("A gathering needs a title")
    if starts_at <= now:
        raise ActionRefused("A gathering must start in the future")
    if ends_at is not None and ends_at <= starts_at:
        raise ActionRefused("A gathering must end after it starts")
    if not place.strip() and not join_url and meeting is None:
        raise ActionRefused("Say where the gathering is held: a place, a join link, or both")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ActionRefused(f"'{time_zone}' is not a time zone") from None
    if capacity is not None and capacity < 1:
        raise ActionRefused("Places: a whole number of at least 1, or none for no limit")
    if meeting is not None and Gathering.objects.filter(meeting=meeting).exists():
        raise ActionRefused(f"The meeting '{meeting.title}' is already a gathering")
    with transaction.atomic():
        g = Gathering.objects.create(
            network=network,
            title=title[:200],
            description=description.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=time_zone,
            place=place.strip() or (meeting.place if meeting else ""),
            join_url=join_url or (meeting.join_url if meeting else ""),
            capacity=capacity,
            remind_hours=remind_hours,
            meeting=meeting,
            organised_by=by if by.is_authenticated else None,
            created_at=now,
        )
        record(
            by,
            "network.gathering.create",
            f"gathering:{g.pk}",
            f"Set up the gathering '{g.title}' of {network.name}"
            + (f", held as the meeting '{meeting.title}'" if meeting else ""),
        )
    _schedule(g, now)
    return g


def _schedule(g: Gathering, now: dt.datetime) -> None:
    """Queue the reminders for their time, where the queue can hold a task until then (the
    database queue can; a queue that runs tasks at once leaves it to ``send_reminders_now``)."""
    from grassroots.network.tasks import remind_gathering

    backend = remind_gathering.get_backend()
    if backend.supports_defer and g.remind_at() > now:
        remind_gathering.using(run_after=g.remind_at()).enqueue(g.pk)


def register(gathering: Gathering, *, by: User, now: dt.datetime | None = None) -> Registration:
    """The signed-in person takes a place (again, if they had cancelled)."""
    now = now or timezone.now()
    person = person_of(by, gathering.network)
    if person is None or not in_network(by, gathering.network):
        raise ActionRefused(
            f"Gatherings of {gathering.network.name} are for its people: join one of its "
            "groups first"
        )
    with transaction.atomic():
        g = Gathering.objects.select_for_update().get(pk=gathering.pk)
        if g.cancelled_at is not None:
            raise ActionRefused(f"'{g.title}' was cancelled")
        if g.starts_at <= now:
            raise ActionRefused(f"'{g.title}' has already started")
        mine = Registration.objects.filter(gathering=g, person=person).first()
        if mine is not None and mine.cancelled_at is None:
            raise ActionRefused(f"You are already registered for '{g.title}'")
        taken = Registration.objects.filter(gathering=g, cancelled_at__isnull=True).count()
        if g.capacity is not None and taken >= g.capacity:
            raise ActionRefused(f"'{g.title}' is full: all {g.capacity} places are taken")
        if mine is None:
            mine = Registration.objects.create(gathering=g, person=person, registered_at=now)
        else:
            mine.cancelled_at, mine.registered_at = None, now
            mine.save(update_fields=["cancelled_at", "registered_at"])
        record(by, "network.gathering.register", f"gathering:{g.pk}", f"Registered for {g.title}")
    return mine


def cancel_registration(gathering: Gathering, *, by: User) -> Registration:
    person = person_of(by, gathering.network)
    with transaction.atomic():
        mine = (
            Registration.objects.select_for_update()
            .filter(gathering=gathering, person=person, cancelled_at__isnull=True)
            .first()
        )
        if mine is None:
            raise ActionRefused(f"You have no place at '{gathering.title}' to cancel")
        mine.cancelled_at = timezone.now()
        mine.save(update_fields=["cancelled_at"])
        record(
            by, "network.gathering.cancel", f"gathering:{gathering.pk}", "Cancelled a registration"
        )
    return mine


def cancel_gathering(gathering: Gathering, *, by: User, reason: str) -> Gathering:
    """An organiser cancels a gathering: it stays listed, marked cancelled with the reason;
    registration closes and no reminder goes out."""
    if not may_organise(by, gathering.network):
        raise ActionRefused("Only the network's organisers can cancel its gatherings")
    if not reason.strip():
        raise ActionRefused("Say why the gathering is cancelled: the page shows it")
    with transaction.atomic():
        g = Gathering.objects.select_for_update().get(pk=gathering.pk)
        if g.cancelled_at is not None:
            raise ActionRefused(f"'{g.title}' was already cancelled")
        g.cancelled_at, g.cancel_reason = timezone.now(), reason.strip()
        g.save(update_fields=["cancelled_at", "cancel_reason"])
        record(
            by,
            "network.gathering.cancelled",
            f"gathering:{g.pk}",
            f"Cancelled {g.title}",
            reason=g.cancel_reason,
        )
    return g


def send_reminders_now(gathering: Gathering, *, by: User) -> None:
    """An organiser sends the reminders now (through the queue) instead of waiting."""
    if not may_organise(by, gathering.network):
        raise ActionRefused("Only the network's organisers can send a gathering's reminders")
    if gathering.cancelled_at is not None:
        raise ActionRefused(f"'{gathering.title}' was cancelled: no reminders")
    with transaction.atomic():
        record(by, "network.gathering.remind", f"gathering:{gathering.pk}", "Reminders sent")
    from grassroots.network.tasks import remind_gathering

    remind_gathering.enqueue(gathering.pk)


def deliver_reminders(gathering_id: int, now: dt.datetime | None = None) -> int:
    """Remind each person registered and not yet reminded (a worker runs this). Returns how many
    were sent; a failed address is recorded on its registration and never stops the others."""
    now = now or timezone.now()
    g = Gathering.objects.filter(pk=gathering_id).first()
    if g is None or g.cancelled_at is not None or g.starts_at <= now:
        return 0
    sent = 0
    todo = Registration.objects.filter(
        gathering=g, cancelled_at__isnull=True, reminded_at__isnull=True
    ).select_related("person")
    for r in todo:
        when = g.local_start().strftime("%A %-d %B %Y at %H:%M")
        where = []
        if g.place:
            where.append(f"Place: {g.place}")
        if g.join_url:
            where.append(f"Join online: {g.join_url}")
        mail = EmailMessage(
            subject=f"Reminder: {g.title}, {when}",
            body=(
                f"You registered for {g.title} ({g.network.name}), on {when} "
                f"({g.time_zone}).\n\n" + "\n".join(where)
            ),
            to=[r.person.email],
        )
        try:
            mail.send(fail_silently=False)
        except Exception as exc:
            Registration.objects.filter(pk=r.pk).update(
                reminder_failure=f"{type(exc).__name__}: {exc}"[:300]
            )
            continue
        Registration.objects.filter(pk=r.pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now(), reminder_failure=""
        )
        sent += 1
    return sent
