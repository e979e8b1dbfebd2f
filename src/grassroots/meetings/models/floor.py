"""The floor of a meeting in progress: the speakers' list and secret ballots."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grassroots.meetings.models.business import Motion
from grassroots.meetings.models.meetings import Meeting
from grassroots.members.models import Member


class SpeakerRequest(models.Model):
    """A member's request to speak, online or taken by the chair, and when they spoke."""

    SIDES = (("", "—"), ("for", "For"), ("against", "Against"))

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="speakers")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    motion = models.ForeignKey(
        Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="speakers"
    )
    side = models.CharField(max_length=8, choices=SIDES, blank=True)
    asked_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "asked_at", "pk"]


class MeetingBallot(models.Model):
    """A secret ballot held in the meeting through the elections app (e.g. an AGM electing its
    officers by STV), its roll the members present with a vote when it opened."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="ballots")
    election = models.OneToOneField(
        "elections.Election", on_delete=models.PROTECT, related_name="meeting_ballot"
    )
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "opened_at"]
