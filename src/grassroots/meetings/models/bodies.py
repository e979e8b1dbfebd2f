"""Bodies that meet, with their rules as data, and the seats of those that have members by name."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.db import models

from grassroots.meetings.notice import UNITS, NoticeRule
from grassroots.meetings.quorum import QuorumRule
from grassroots.meetings.requisition import RequisitionRule
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Member, Unit

BODY_KINDS = (
    ("all_member", "All-member meeting"),
    ("general_committee", "General Committee"),
    ("executive", "Executive committee"),
    ("agm", "Annual general meeting"),
    ("branch", "Branch meeting"),
)
# bodies whose members are named (delegates, executive members); the others are open to every
# member of the unit that the body's eligibility rules admit
SEATED_KINDS = frozenset({"general_committee", "executive"})


class Body(models.Model):
    """A body that meets, with its rules: notice, quorum, who attends, visitors, time limits."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bodies")
    kind = models.CharField(max_length=24, choices=BODY_KINDS)
    name = models.CharField(max_length=200)
    notice_amount = models.PositiveIntegerField(default=7)
    notice_unit = models.CharField(
        max_length=12, choices=[(u, u) for u in UNITS], default="clear days"
    )
    quorum_number = models.PositiveIntegerField(default=0)
    # a fraction of those entitled as "numerator/denominator" ("1/3"), or blank for none
    quorum_fraction = models.CharField(max_length=16, blank=True)
    quorum_combine = models.CharField(
        max_length=8,
        choices=[("both", "both must be met"), ("either", "either suffices")],
        default="both",
    )
    # all-member bodies: the eligibility rules (RuleSet.to_dict without a date) for attending
    attend_rules = models.JSONField(default=dict, blank=True)
    visitors_admitted = models.BooleanField(default=False)
    late_cutoff_minutes = models.PositiveIntegerField(null=True, blank=True)
    debate_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    speech_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    speakers_alternate = models.CharField(
        max_length=8,
        choices=[
            ("none", "in the order asked"),
            ("side", "for and against in turn"),
            ("gender", "women and men in turn"),
        ],
        default="none",
    )
    # a motion goes forward with a seconder, or (when set) with this many supporters instead
    motion_supporters = models.PositiveIntegerField(
        default=0, help_text="supporters a motion needs instead of a seconder; 0: a seconder"
    )
    motions_seconded = models.BooleanField(
        default=True,
        help_text="a member's motion or amendment needs a seconder before it is put "
        "(motions count supporters instead where a number is set)",
    )
    motions_close_days = models.PositiveIntegerField(
        default=3, help_text="motions close this many clear days before the meeting"
    )
    papers_public = models.BooleanField(
        default=True, help_text="agenda papers readable by anyone; otherwise by the body only"
    )
    time_zone = models.CharField(max_length=64, default="Europe/London")
    # requisitions: who can oblige the secretary to call a special meeting, and how soon; no
    # threshold set means the body's rules provide for none
    requisition_members = models.PositiveIntegerField(null=True, blank=True)
    requisition_members_fraction = models.CharField(max_length=16, blank=True)  # "1/10"
    requisition_branches_fraction = models.CharField(max_length=16, blank=True)  # "1/3"
    requisition_call_within_days = models.PositiveIntegerField(default=28)

    class Meta:
        ordering = ["unit__path", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def seated(self) -> bool:
        return self.kind in SEATED_KINDS

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def notice_rule(self) -> NoticeRule:
        return NoticeRule(self.notice_amount, self.notice_unit)  # type: ignore[arg-type]

    def quorum_rule(self) -> QuorumRule:
        fraction = Fraction(self.quorum_fraction) if self.quorum_fraction else None
        return QuorumRule(self.quorum_number, fraction, self.quorum_combine)  # type: ignore[arg-type]

    def requisition_rule(self) -> RequisitionRule | None:
        """The body's requisition thresholds, or None if its rules provide for none."""
        members = Fraction(self.requisition_members_fraction or 0) or None
        branches = Fraction(self.requisition_branches_fraction or 0) or None
        if self.requisition_members is None and members is None and branches is None:
            return None
        return RequisitionRule(
            members=self.requisition_members,
            fraction_of_members=members,
            fraction_of_branches=branches,
            call_within_days=self.requisition_call_within_days,
        )

    def rules_on(self, day: dt.date) -> RuleSet:
        """Who may attend on ``day``: the body's rules, for members of its unit."""
        data = {**self.attend_rules, "on": day.isoformat()}
        return RuleSet.from_dict(data)


class Seat(models.Model):
    """A named place on a seated body: an executive member with a role, or a delegate."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="seats")
    role = models.CharField(max_length=80, default="Member")  # "Chair", "Delegate", …
    represents = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="delegates"
    )  # the branch or affiliate that appointed a delegate
    appointed_by = models.CharField(max_length=200, blank=True)  # who appointed, in words
    appointed_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["body", "role", "member__name"]

    def __str__(self) -> str:
        return f"{self.member.name}, {self.role} of {self.body}"

    def holds_on(self, day: dt.date) -> bool:
        return self.appointed_on <= day and (self.ended_on is None or day < self.ended_on)
