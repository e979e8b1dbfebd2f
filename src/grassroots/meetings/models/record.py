"""The record around meetings: requisitions and their signatures, decisions not to meet, minutes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from grassroots.meetings.models.bodies import Body
from grassroots.meetings.models.business import Vote
from grassroots.meetings.models.meetings import Meeting
from grassroots.members.models import Member, Unit


class Requisition(models.Model):
    """A request by members or branches that the secretary call a special meeting of a body.

    Once enough have signed (the body's rule) it is met: ``met_at`` and the day by which the
    meeting must be called are stored then and never move. The meeting the secretary calls in
    answer is linked here.
    """

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="requisitions")
    purpose = models.CharField(max_length=300)  # what the special meeting is to decide
    text = models.TextField(blank=True)  # the request in full, as signed
    started_by = models.CharField(max_length=200)  # a member's or a branch's name
    started_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    call_by = models.DateField(null=True, blank=True)  # set once met
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="requisitions"
    )
    called_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Requisition: {self.purpose}"

    def overdue_on(self, day: dt.date) -> bool:
        """Met, not answered with a meeting, and the day to call it by has passed."""
        return self.call_by is not None and self.meeting_id is None and day > self.call_by


class Signature(models.Model):
    """One member's signature, or one branch's (recorded by its secretary with its decision).

    Withdrawing keeps the row, with when; only a signature still standing counts.
    """

    requisition = models.ForeignKey(
        Requisition, on_delete=models.PROTECT, related_name="signatures"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    branch = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.TextField(blank=True)  # a branch's: the meeting and vote that decided it
    signed_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=True) ^ models.Q(branch__isnull=True),
                name="signed_by_a_member_or_a_branch",
            ),
            models.UniqueConstraint(
                fields=["requisition", "member"],
                condition=models.Q(withdrawn_at__isnull=True, member__isnull=False),
                name="one_standing_signature_per_member",
            ),
            models.UniqueConstraint(
                fields=["requisition", "branch"],
                condition=models.Q(withdrawn_at__isnull=True, branch__isnull=False),
                name="one_standing_signature_per_branch",
            ),
        ]

    @property
    def signer(self) -> str:
        return self.member.name if self.member is not None else str(self.branch)


class DecisionNotToMeet(models.Model):
    """A body's recorded decision not to hold a meeting: who took it, the vote and why.

    e.g. a branch's officers deciding not to hold a nominating meeting. If it concerns an
    election's nominations, the unit's decision not to nominate is recorded with it through
    the elections app, and linked here.
    """

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="decisions_not_to_meet")
    purpose = models.CharField(max_length=16, choices=Meeting.PURPOSES, default="ordinary")
    what = models.CharField(max_length=300)  # the meeting not held, in words
    decided_on = models.DateField()
    present = models.ManyToManyField(Member, related_name="+")  # who took it, by name
    votes_for = models.PositiveIntegerField()
    votes_against = models.PositiveIntegerField()
    abstentions = models.PositiveIntegerField()
    reason = models.TextField()
    election = models.ForeignKey(
        "elections.Election", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nomination = models.ForeignKey(
        "elections.Nomination", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.body.name} decided not to hold {self.what}"


class Minutes(models.Model):
    """A meeting's minutes: drafted from the record, circulated, corrected, approved at the
    body's next meeting and then frozen with their SHA-256. A correction after approval is a
    new minute that ``corrects`` the approved one, approved in its turn."""

    STATES = (("draft", "Draft"), ("circulated", "Circulated"), ("approved", "Approved"))

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    text = models.TextField()
    state = models.CharField(max_length=12, choices=STATES, default="draft")
    drafted_at = models.DateTimeField()
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by_vote = models.ForeignKey(
        Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField(max_length=64, blank=True)  # of the text as approved
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    class Meta:
        ordering = ["meeting", "drafted_at", "pk"]

    def __str__(self) -> str:
        what = "Correction to the minutes" if self.corrects_id else "Minutes"
        return f"{what} of {self.meeting.title} ({self.meeting.local_start():%d %B %Y})"
