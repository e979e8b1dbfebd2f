"""Elections, candidates, nominations, the frozen roll, and the two unlinked casting tables.

Secrecy (issue 5): ``VoterRecord`` says *who* has voted and ``Ballot`` says *what* was voted.
They are written in one transaction and share nothing that could join them: no foreign key
between them, a random UUID as the ballot's key (no sequence), and no date or time on the
ballot. ``tests/elections/test_secrecy.py`` checks this against the model meta and the live
schema, and joins every column of the two tables after the close.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models

from grassroots.members.models import Member, Unit

__all__ = [
    "Ballot",
    "Candidate",
    "Election",
    "Nomination",
    "Publication",
    "RollEntry",
    "VoterRecord",
]

STATES = (
    ("draft", "Being set up"),
    ("voting", "Voting open"),
    ("closed", "Voting closed"),
    ("counted", "Counted, not yet published"),
    ("published", "Result published"),
    ("cancelled", "Cancelled"),
)


class ElectionQuerySet(models.QuerySet["Election"]):
    def visible_to(self, user: object) -> ElectionQuerySet:
        """Announced elections, and drafts only for those who manage them (issue 9.2)."""
        from grassroots.members.permissions import paths_where

        managed = paths_where(user, "manage_occasions")  # type: ignore[arg-type]
        if managed is None:  # a superuser manages every unit
            return self.all()
        q = models.Q(announced_at__isnull=False)
        for path in managed:  # the units where the user manages occasions, and those below
            q |= models.Q(unit__path__startswith=path)
        return self.filter(q)


class Election(models.Model):
    """One ballot for one or more posts, with its rules, electorate and timetable as data."""

    title = models.CharField(max_length=200)
    seats = models.PositiveSmallIntegerField()
    rule = models.CharField(max_length=16, default="scottish")  # a name in count.rules.RULES
    # {"minima": {"women": 2}, "maxima": {}}; group membership is on each candidate
    constraints = models.JSONField(default=dict, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="elections")
    eligibility = models.JSONField()  # members.eligibility.RuleSet.to_dict()
    freeze_date = models.DateField()
    nominations_open = models.DateTimeField()
    nominations_close = models.DateTimeField()
    voting_open = models.DateTimeField()
    voting_close = models.DateTimeField()
    # elections.thresholds.Threshold.to_dict(); {} means no nominations needed
    threshold = models.JSONField(default=dict, blank=True)
    nominating_kinds = models.JSONField(default=list, blank=True)  # unit kinds, e.g. ["branch"]
    # unit code -> subkind for thresholds such as "3 affiliates of which 2 unions"
    body_subkinds = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=STATES, default="draft")
    seed = models.BigIntegerField()  # for ties by lot; published so anyone can recount
    ballot = models.JSONField(default=list, blank=True)  # candidate names, fixed at opening
    roll_size = models.PositiveIntegerField(null=True, blank=True)
    roll_fingerprint = models.CharField(max_length=64, blank=True)
    # None: a draft that only those who manage it see; set when announced to members
    announced_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)  # why, when state is "cancelled"

    objects = ElectionQuerySet.as_manager()

    class Meta:
        ordering = ["-voting_open", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        """Being set up and not yet announced: only those who manage it see it."""
        return self.state == "draft" and self.announced_at is None

    def overdue(self, now: dt.datetime) -> bool:
        """Voting was due to open by ``now`` but the returning officer has not opened it."""
        return self.state == "draft" and now >= self.voting_open

    @property
    def overdue_now(self) -> bool:
        """``overdue`` at this moment (for templates)."""
        from django.utils import timezone

        return self.overdue(timezone.now())

    @property
    def rule_name(self) -> str:
        """The rule set by its name, as members know it ("Scottish STV …"), not its code."""
        from grassroots.count.rules import RULES

        return RULES.get(self.rule, ("", self.rule))[1]


class Candidate(models.Model):
    """A person nominated (or seeking nomination) in an election."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(max_length=200)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="candidacies"
    )
    consented = models.BooleanField(default=False)
    # when an official gave the consent, statement or photo for the candidate: the candidate's
    # documented request (how and when they asked); blank when the candidate acted themselves
    consent_request = models.TextField(blank=True)
    statement = models.TextField(blank=True)
    # JPEG re-encoded by elections.photos (metadata dropped); None: no photo
    photo = models.BinaryField(null=True, blank=True, editable=False)
    groups = models.JSONField(default=list, blank=True)  # e.g. ["women"], for constraints
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["election", "name"], name="one_candidate_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class Nomination(models.Model):
    """A nominating body's decision: it nominated a candidate, or decided not to nominate."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="nominations")
    body = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="nominations")
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="nominations"
    )  # null: the body decided not to nominate
    decided_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["body__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "body", "candidate"], name="one_nomination_per_body_candidate"
            )
        ]


class RollEntry(models.Model):
    """One member on the electoral roll, frozen when voting opens."""

    # Freezing a national roll writes 500,000 rows in one transaction. Database foreign keys
    # made PostgreSQL look up and lock the member, branch and election of every row at the
    # commit (most of a minute), and each column's own index cost as much again at the insert.
    # The rows are copied from the members read under the election's lock; Django still
    # refuses to delete a member or unit on a roll (PROTECT) and deletes an election's roll
    # with it (CASCADE). Lookups go by the election and member (the unique constraint).
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="roll", db_index=False, db_constraint=False
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    branch = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )  # for turnout

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="once_on_the_roll")
        ]


class VoterRecord(models.Model):
    """Member M has voted in election E (and nothing about how)."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    branch = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # for turnout
    voted_on = models.DateField()  # the day only (the ballot has no date at all)

    class Meta:
        constraints = [
            # exactly once: a second insert for the same voter fails, whatever the timing
            models.UniqueConstraint(fields=["election", "member"], name="votes_once")
        ]


def _ballot_id() -> uuid.UUID:
    return uuid.uuid4()


class Ballot(models.Model):
    """An anonymous ranking: a random key and only the hash of the voter's receipt.

    No date or time: the voter record keeps the day of voting, so a day here would join the two.
    """

    id = models.UUIDField(primary_key=True, default=_ballot_id, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    ranking = models.JSONField()  # candidate names, first preference first
    receipt_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [models.Index(fields=["election"])]


class Publication(models.Model):
    """The published files of a counted election (the export bundle), as text."""

    election = models.OneToOneField(Election, on_delete=models.PROTECT, related_name="publication")
    files = models.JSONField()  # file name -> text
    report_html = models.TextField()
