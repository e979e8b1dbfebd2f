"""Meetings, their agenda items and papers, and the notices sent for them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from grassroots.meetings.models.bodies import Body
from grassroots.members.models import Member


class Meeting(models.Model):
    """One meeting of a body, from its notice to its record."""

    PURPOSES = (
        ("ordinary", "Ordinary meeting"),
        ("special", "Special meeting"),
        ("nominating", "Nominating meeting"),
    )
    STATES = (
        ("called", "Called"),
        ("open", "In progress"),
        ("held", "Held"),
        ("cancelled", "Cancelled"),
    )

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    purpose = models.CharField(max_length=16, choices=PURPOSES, default="ordinary")
    start = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    join_url = models.URLField(blank=True, max_length=500)  # a video call; the app hosts none
    called_at = models.DateTimeField()
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notice_deadline = models.DateTimeField()  # from the body's notice period, when called
    short_notice = models.BooleanField(default=False)
    short_notice_reason = models.TextField(blank=True)
    state = models.CharField(max_length=12, choices=STATES, default="called")
    cancel_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # a nominating meeting: its votes make (or decline) the unit's nominations in this election
    election = models.ForeignKey(
        "elections.Election",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominating_meetings",
    )
    opened_at = models.DateTimeField(null=True, blank=True)  # the chair opened the meeting
    closed_at = models.DateTimeField(null=True, blank=True)
    # bumped by every change the live page shows (meetings.live.touch): its panel's shared part
    # is cached per version, and a poll from a page already showing it is answered "no change"
    live_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.title

    @property
    def online(self) -> bool:
        return bool(self.join_url)

    @property
    def in_person(self) -> bool:
        return bool(self.place)

    def local_start(self) -> dt.datetime:
        return self.start.astimezone(self.body.zone())

    def local_deadline(self) -> dt.datetime:
        return self.notice_deadline.astimezone(self.body.zone())


class AgendaItem(models.Model):
    """An item of a meeting's agenda, in order; one added after the notice deadline is late."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    details = models.TextField(blank=True)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    # a late item is taken only if the meeting votes to take it: the vote and its outcome
    taken = models.BooleanField(null=True)
    taken_by_vote = models.ForeignKey(
        "Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="one_item_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Paper(models.Model):
    """A paper for an agenda item: the file as published, its SHA-256 and when it was published.

    A corrected paper is a new row that ``replaces`` the earlier one, so a member can see
    exactly which version was published when.
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="papers")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to="papers/%Y/%m/")
    filename = models.CharField(max_length=200)  # as uploaded, cleaned
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )

    class Meta:
        ordering = ["item", "published_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> bool:
        return not self.replaced_by.exists()


class Notice(models.Model):
    """That a member was sent the notice of a meeting (and, if it is cancelled, the
    cancellation): one row each, so a resend skips them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="notices")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=300, blank=True)  # why it could not be sent
    # the cancellation, sent to everyone who was sent the notice, once each
    cancel_sent_at = models.DateTimeField(null=True, blank=True)
    cancel_failure = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_notice_per_member")
        ]
