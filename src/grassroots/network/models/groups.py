"""The network, its affiliated groups, the people in them, and who runs what.

A network's groups are not units of the party: a group applies, the network's organisers accept
or refuse it on the record (``GroupDecision``), and its admins (``GroupAdmin``) keep its profile
and its list of members. A ``Person`` is one entry about one human being in the network: someone
who signed up (with a confirmed e-mail address and maybe an account) may belong to several
groups through one ``Person``; a group's imported list makes its own entries, never matched in
the clear against other groups' lists (a primary matches them by keyed hashes instead, see
``network.dedup``). A person may be in the party register (``member``) or not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = [
    "GROUP_KINDS",
    "GROUP_STATUSES",
    "MEMBERSHIP_SOURCES",
    "Group",
    "GroupAdmin",
    "GroupDecision",
    "GroupMembership",
    "Network",
    "Organiser",
    "Person",
]

GROUP_KINDS = (
    ("local", "Local group"),
    ("national", "National organisation"),
    ("union", "Union branch"),
    ("liberation", "Liberation group"),
    ("other", "Other"),
)

GROUP_STATUSES = (
    ("applied", "Applied, awaiting a decision"),
    ("accepted", "Affiliated"),
    ("refused", "Refused"),
)

MEMBERSHIP_SOURCES = (
    ("signup", "Signed up on the group's page"),
    ("import", "Imported from the group's list"),
    ("admin", "Added by a group admin"),
)


class Network(models.Model):
    """A national network of affiliated groups."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A group in (or applying to join) a network, with what it says about itself."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60)
    area = models.CharField(max_length=200)  # "Leeds", "national", "North West"
    kind = models.CharField(max_length=16, choices=GROUP_KINDS)
    contact = models.EmailField()  # the group's own contact address (never shown publicly)
    stated_size = models.PositiveIntegerField()  # how many members the group says it has
    rules_link = models.URLField(max_length=500, blank=True)  # the group's own rules
    status = models.CharField(max_length=16, choices=GROUP_STATUSES, default="applied")
    applied_at = models.DateTimeField(default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="one_group_slug_a_network"),
            models.UniqueConstraint(fields=["network", "name"], name="one_group_name_a_network"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def affiliated(self) -> bool:
        return self.status == "accepted"


class GroupDecision(models.Model):
    """An organiser's decision on a group's application, on the record with its reason."""

    DECISIONS = (("accepted", "Accepted"), ("refused", "Refused"))

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=16, choices=DECISIONS)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["group", "decided_at"]

    def __str__(self) -> str:
        return f"{self.group}: {self.get_decision_display().lower()}"


class Person(models.Model):
    """One entry about a person in the network: their own sign-up, or a row of a group's list.

    ``membership_number`` is the party membership number where a group has it (matched by keyed
    hash in a primary); ``member`` links the party register's record when it is known, and
    ``user`` the person's own account when they have one.
    """

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="people")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    membership_number = models.CharField(max_length=32, blank=True)
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_entries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="network_entries",
    )
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["network", "email"])]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    """A person is (or was) a member of a group: from ``joined_on`` until ``left_on``.

    A sign-up waits for the person to confirm their e-mail address (``confirmed`` false until
    then); only confirmed memberships count for a primary's electorate.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=16, choices=MEMBERSHIP_SOURCES)
    confirmed = models.BooleanField(default=True)

    class Meta:
        ordering = ["group", "person"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="once_in_a_group"),
        ]
        indexes = [models.Index(fields=["group", "confirmed"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.group}"


class GroupAdmin(models.Model):
    """A user who runs a group: its profile and its list of members (and no other group's)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="admins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_groups_run"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_admin_row_a_group"),
        ]

    def __str__(self) -> str:
        return f"{self.user} runs {self.group}"


class Organiser(models.Model):
    """A network organiser: decides applications, runs primaries; sees groups' lists as counts."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="organisers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="networks_organised"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_organiser_row"),
        ]

    def __str__(self) -> str:
        return f"{self.user} organises {self.network}"
