"""Meeting bodies with their rules as data, meetings, agenda items and papers.

Nothing here is ever deleted: a cancelled meeting keeps its record, a replaced paper keeps its
earlier version (each stored with its content hash and the moment it was published).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

from grassroots.meetings.notice import UNITS, NoticeRule
from grassroots.meetings.quorum import QuorumRule
from grassroots.meetings.requisition import RequisitionRule
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Member, Unit

__all__ = [
    "BODY_KINDS",
    "AgendaItem",
    "Attendance",
    "Body",
    "DecisionNotToMeet",
    "Meeting",
    "MeetingBallot",
    "Minutes",
    "Motion",
    "Notice",
    "Paper",
    "Requisition",
    "Seat",
    "Signature",
    "Vote",
    "VoteCast",
    "VoteRoll",
]

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
    """That a member was sent the notice of a meeting: one row each, so a resend skips them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="notices")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=300, blank=True)  # why it could not be sent

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_notice_per_member")
        ]


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
