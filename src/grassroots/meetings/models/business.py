"""The business of a meeting: who attended, motions, and votes with their frozen rolls."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from grassroots.meetings.models.meetings import AgendaItem, Meeting
from grassroots.members.models import Member, Unit


class Attendance(models.Model):
    """One person at a meeting, from one roll: a member checked in at the door or online, or a
    visitor recorded apart. Whether they may vote is decided at check-in, with the reasons."""

    HOW = (("door", "At the door"), ("online", "Online"))

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visitor_name = models.CharField(max_length=200, blank=True)  # a visitor without a record
    how = models.CharField(max_length=8, choices=HOW)
    may_vote = models.BooleanField()
    reasons = models.TextField(blank=True)  # why a visitor may not vote, from the rules
    paid_on_day = models.BooleanField(default=False)
    arrived_at = models.DateTimeField()
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "arrived_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=models.Q(member__isnull=False),
                name="one_attendance_per_member",
            )
        ]

    def __str__(self) -> str:
        return self.member.name if self.member else f"{self.visitor_name} (visitor)"

    @property
    def present(self) -> bool:
        return self.left_at is None


class Motion(models.Model):
    """A motion, amendment, composite, emergency or procedural motion, with its origin."""

    KINDS = (
        ("motion", "Motion"),
        ("amendment", "Amendment"),
        ("composite", "Composite motion"),
        ("emergency", "Emergency motion"),
        ("procedural", "Procedural motion"),
    )
    STATES = (
        ("submitted", "Submitted"),
        ("carried", "Carried"),
        ("lost", "Lost"),
        ("withdrawn", "Withdrawn"),
        ("composited", "Merged into a composite"),
        ("fallen", "Fell (next business)"),
        ("referred", "Referred back"),
    )

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="motions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="motions"
    )
    kind = models.CharField(max_length=12, choices=KINDS, default="motion")
    procedure = models.CharField(max_length=24, blank=True)  # procedural motions: which one
    title = models.CharField(max_length=300)
    text = models.TextField()  # as submitted; an amendment's text is the motion as amended
    current_text = models.TextField(blank=True)  # after carried amendments
    amends = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    applies_to = models.ForeignKey(  # a procedural motion's subject
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="procedurals"
    )
    composite_of = models.ManyToManyField("self", symmetrical=False, related_name="composites")
    composite_agreed_by = models.TextField(blank=True)  # the movers who agreed the composite
    origin = models.ForeignKey(  # forwarded from another body's meeting
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="forwarded"
    )
    mover = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seconder = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_unit = models.ForeignKey(  # moved by a branch or affiliate rather than a member
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # a motion a branch (or affiliate) sent: the decision of its own meeting that adopted it,
    # a carried vote on the record where there is one; else the day and the vote in words
    decision = models.ForeignKey(
        "Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    emergency_reason = models.TextField(blank=True)
    # a nominating meeting's motion: nominate this candidate, or (None) make no nomination
    nomination = models.BooleanField(default=False)
    nominates = models.ForeignKey(
        "elections.Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "that the minutes of … be approved as a true record"
    approves = models.ForeignKey(
        "Minutes", null=True, blank=True, on_delete=models.PROTECT, related_name="approval_motions"
    )
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=12, choices=STATES, default="submitted")
    state_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "submitted_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def text_now(self) -> str:
        return self.current_text or self.text

    def decided_day(self) -> dt.date | None:
        """The day of the meeting of the moving branch that decided to send it, if known."""
        if self.decided_on is not None:
            return self.decided_on
        if self.origin_id is not None and self.from_unit_id is not None:
            origin = self.origin.meeting
            return origin.start.astimezone(origin.body.zone()).date()
        return None

    def moved_by(self) -> str:
        """Who moved it, in words: a member's name, or "Hillford East Ward (decision of its
        meeting on 3 November 2026)" for a motion a branch sent, wherever it is shown."""
        if self.mover_id is not None:
            return self.mover.name
        if self.from_unit_id is None:
            return ""
        unit = self.from_unit.name
        day = self.decided_day()
        if day is None or self.from_unit_id == self.meeting.body.unit_id:
            return unit
        return f"{unit} (decision of its meeting on {day.day} {day:%B %Y})"


class Vote(models.Model):
    """One vote of a meeting: its method, majority rule, frozen roll and result."""

    METHODS = (("hands", "Show of hands"), ("online", "Online"), ("card", "Card vote"))

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    motion = models.ForeignKey(
        Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    question = models.CharField(max_length=300)
    late_item = models.ForeignKey(  # "that the late item be taken"
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=8, choices=METHODS)
    majority = models.CharField(max_length=24)  # a key of meetings.majority.RULES
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inquorate_reason = models.TextField(blank=True)  # the chair continued inquorate, why
    # the frozen roll's totals when the vote opened (exact, as fractions for card votes)
    present_weight = models.CharField(max_length=64)
    entitled_weight = models.CharField(max_length=64)
    closed_at = models.DateTimeField(null=True, blank=True)
    for_votes = models.CharField(max_length=64, blank=True)
    against_votes = models.CharField(max_length=64, blank=True)
    abstentions = models.CharField(max_length=64, blank=True)
    carried = models.BooleanField(null=True)
    working = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "opened_at", "pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class VoteRoll(models.Model):
    """Who may vote in one vote, frozen when it opened, with the weight each carries."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="roll")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    weight = models.CharField(max_length=64, default="1")  # exact: "1000/3" for a card share

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "member"], name="one_roll_line_per_member")
        ]


class VoteCast(models.Model):
    """A member's own vote from their device: open, recorded exactly once."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="casts")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8)  # for, against, abstain
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "member"], name="one_cast_per_member")
        ]


class MotionSupport(models.Model):
    """A member entitled to attend supporting a motion, where the body counts supporters."""

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="supporters")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    supported_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["motion", "member"], name="one_support_per_member")
        ]
