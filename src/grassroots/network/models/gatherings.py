"""Gatherings: the network's events (a national gathering, a training evening), online or in
person, with registration, a join link for those registered and reminders sent before."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class Gathering(models.Model):
    network = models.ForeignKey("network.Network", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=60, default="Europe/London")
    place = models.CharField(max_length=300, blank=True)  # in person: where
    join_url = models.URLField(blank=True, max_length=500)  # online: shown to those registered
    capacity = models.PositiveIntegerField(null=True, blank=True)  # places; none: no limit
    remind_hours = models.PositiveIntegerField(default=24)  # reminders this long before
    # a gathering held as a meeting of the meetings app: its notice, attendance and record
    meeting = models.OneToOneField(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_gathering",
    )
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def online(self) -> bool:
        return bool(self.join_url)

    def remind_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(hours=self.remind_hours)

    def local_start(self) -> dt.datetime:
        from zoneinfo import ZoneInfo

        return self.starts_at.astimezone(ZoneInfo(self.time_zone))


class Registration(models.Model):
    """One person's place at a gathering; cancelling keeps the row (with when)."""

    gathering = models.ForeignKey(Gathering, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey("network.Person", on_delete=models.CASCADE, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_failure = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gathering", "person"], name="one_place_per_person")
        ]
