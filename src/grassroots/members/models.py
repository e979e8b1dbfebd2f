"""The organisation tree, members, roles scoped to a unit, and occasions with eligibility rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import connection, models
from django.db.models.functions import Upper

from grassroots.members.eligibility import STATUSES, MemberFacts, RuleSet

__all__ = [
    "ROLE_KINDS",
    "UNIT_KINDS",
    "Affiliation",
    "BranchTally",
    "Member",
    "Occasion",
    "Role",
    "Unit",
    "in_unit",
    "registered_numbers",
]

UNIT_KINDS = (
    ("national", "National"),
    ("region", "Region"),
    ("branch", "Branch"),
    ("ward", "Ward"),
    ("affiliate", "Affiliated body"),
)

ROLE_KINDS = (
    ("member", "Member"),
    ("branch_secretary", "Branch secretary"),
    ("branch_officer", "Branch officer"),
    ("returning_officer", "Returning officer"),
    ("steward", "Steward"),
    ("treasurer", "Treasurer"),
    ("auditor", "Auditor"),
    ("executive", "Executive member"),
    ("administrator", "Administrator"),
)


class Unit(models.Model):
    """A node of the organisation tree: national → region → branch → ward, or an affiliate."""

    kind = models.CharField(max_length=16, choices=UNIT_KINDS)
    code = models.SlugField(max_length=40, unique=True)  # used by CSV files
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # materialised path "/1/4/17/": a unit's subtree is every unit whose path starts with its own
    path = models.CharField(max_length=255, db_index=True, editable=False)
    # raised by every change to the members whose branch this is (members.tallies): the
    # figures stored for it are used only while they were counted at the version it has now
    register_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class Member(models.Model):
    """One person's membership record."""

    number = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    branch = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="members")
    ward = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="ward_members"
    )
    join_date = models.DateField()
    status = models.CharField(max_length=16, choices=[(s, s.capitalize()) for s in STATUSES])
    paid_up_to = models.DateField(null=True, blank=True)
    rate_band = models.CharField(max_length=16, default="standard")
    gender = models.CharField(max_length=40, blank=True)  # self-described
    birth_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        indexes = [
            models.Index(fields=["branch", "status"]),
            # the register's search by address (``email__iexact``)
            models.Index(Upper("email"), name="member_email_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    def facts(self) -> MemberFacts:
        """What the eligibility rules look at."""
        return MemberFacts(
            self.join_date, self.status, self.paid_up_to, self.branch_id, self.branch.name
        )


class Affiliation(models.Model):
    """An affiliated body's affiliated membership at a date: the members it affiliates (pays
    affiliation fees for). Its delegate entitlement is worked out from the latest figure."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="affiliations")
    members = models.PositiveIntegerField()
    as_of = models.DateField()

    class Meta:
        ordering = ["unit", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "as_of"], name="one_affiliation_figure_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.members} affiliated members at {self.as_of}"


class BranchTally(models.Model):
    """Figures counted once over one unit's own members and kept while its register is
    unchanged: the register's counts by status and arrears on a day, or a delegate snapshot's
    members, women and young members (members.tallies)."""

    KINDS = (("register", "Register counts"), ("delegates", "Delegate figures"))

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=KINDS)
    on = models.DateField()  # the day counted (register) or the snapshot date (delegates)
    version = models.PositiveBigIntegerField()  # the unit's register_version when counted
    figures = models.JSONField()  # name -> count

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "on"], name="one_tally_a_unit_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} on {self.on} (version {self.version})"


def registered_numbers(numbers: Sequence[str], chunk: int = 10000) -> set[str]:
    """Which of ``numbers`` are already in the register.

    Plain SQL, one indexed query per ``chunk`` numbers: an import asks this of every row, and
    the ORM spends several times longer compiling a 10,000-item ``IN`` than the database takes.
    """
    table = connection.ops.quote_name(Member._meta.db_table)
    column = connection.ops.quote_name("number")
    found: set[str] = set()
    with connection.cursor() as cur:
        for i in range(0, len(numbers), chunk):
            part = list(numbers[i : i + chunk])
            marks = ", ".join(["%s"] * len(part))
            cur.execute(f"SELECT {column} FROM {table} WHERE {column} IN ({marks})", part)
            found.update(n for (n,) in cur.fetchall())
    return found


def in_unit(unit: Unit) -> models.Q:
    """Members whose branch is ``unit`` or a unit below it.

    The units are looked up first and named by id (a branch is one id, the national unit every
    one): PostgreSQL then knows from its statistics how many members a branch holds and reads
    a branch's few hundred through the branch index, where a join on the path prefix left it
    guessing and scanning the whole register for a search or a sorted page.
    """
    ids = list(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    return models.Q(branch_id__in=ids)


class Role(models.Model):
    """A user's role over a unit and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(max_length=24, choices=ROLE_KINDS)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="roles")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "unit"], name="one_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} of {self.unit}"


class Occasion(models.Model):
    """A meeting or ballot whose eligibility rules members can check themselves against.

    The meetings and elections apps attach their own records to an occasion; here it holds
    what the register needs: the unit holding it, the date, and the rule set as data.
    """

    KINDS = (("meeting", "Meeting"), ("ballot", "Ballot"))

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=KINDS)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="occasions")
    date = models.DateField()
    is_open = models.BooleanField(default=True)
    rules = models.JSONField()  # RuleSet.to_dict()

    class Meta:
        ordering = ["date", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"

    def rule_set(self) -> RuleSet:
        return RuleSet.from_dict(self.rules)

    @property
    def past(self) -> bool:
        return self.date < dt.date.today()
