"""Open slate primaries: a network's groups choose a slate through the elections app.

A ``Primary`` wraps one ``elections.Election``: its ballot, receipts, count with the
representation constraints and published bundle are the election's own. The election's
electorate is made here: the union of the affiliated groups' members at the freeze date, each
person once (``network.dedup``, keyed by the primary's secret ``key``). The elections app keeps
its roll as membership records, so each person on a primary's roll gets a voter record
(``members.Member``) in the network's own unit (``NetworkVoters``), a tree apart from the
party's: party elections and the party register's officers never see it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from grassroots.network.models.groups import Group, Network, Person

__all__ = [
    "Backing",
    "Candidacy",
    "Declaration",
    "HustingsAnswer",
    "HustingsQuestion",
    "HustingsTheme",
    "NetworkVoters",
    "Primary",
    "PrimaryEntry",
    "PrimaryExclusion",
    "PrimaryGroupFigure",
]


def _new_key() -> bytes:
    return secrets.token_bytes(32)


class NetworkVoters(models.Model):
    """The unit (a root of its own, outside the party's tree) holding a network's voter records."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="voters")
    unit = models.OneToOneField("members.Unit", on_delete=models.PROTECT, related_name="+")


class Primary(models.Model):
    """A primary for an internal election: who takes part, the rules, and its election."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="primaries")
    election = models.OneToOneField(
        "elections.Election", on_delete=models.PROTECT, related_name="primary"
    )
    purpose = models.TextField()  # what the slate is for, in the organisers' words
    # never shown to anyone, never exported: the HMAC key matching groups' lists
    key = models.BinaryField(default=_new_key, editable=False)
    # elections.thresholds tree over backing groups, e.g. {"kind": "group", "count": 3}
    backing_threshold = models.JSONField(default=dict, blank=True)
    requires_party_membership = models.BooleanField(default=False)
    hustings_open = models.BooleanField(default=True)  # members may ask questions
    # the hustings held online as a meeting of the meetings app: its notice, attendance, record
    hustings_meeting = models.OneToOneField(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="network_hustings",
    )
    roll_frozen_at = models.DateTimeField(null=True, blank=True)
    entries_count = models.PositiveIntegerField(null=True, blank=True)  # rows on groups' lists
    groups_count = models.PositiveIntegerField(null=True, blank=True)
    excluded_count = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.election.title


class PrimaryGroupFigure(models.Model):
    """What a group is told about its part in the roll: counts, never names."""

    primary = models.ForeignKey(Primary, on_delete=models.CASCADE, related_name="figures")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    entries = models.PositiveIntegerField()  # its confirmed members at the freeze date
    people = models.PositiveIntegerField()  # distinct people among them
    found_elsewhere = models.PositiveIntegerField()  # of those, also listed by another group

    class Meta:
        ordering = ["group__name"]
        constraints = [
            models.UniqueConstraint(fields=["primary", "group"], name="one_figure_a_group")
        ]


class PrimaryEntry(models.Model):
    """A group's list entry on a primary's roll and the voter record it counts as.

    Several entries (one person listed by several groups) share one ``card``; it is how a
    signed-in person finds their ballot and how turnout is counted per group.
    """

    # A national primary writes half a million of these in the transaction that opens voting.
    # Database foreign keys made PostgreSQL look up and lock the primary, group, person and
    # voter record of every row at the commit, and an index per column cost as much again at
    # the insert. The rows are written from the lists read in that same transaction; Django
    # still refuses to delete a group or voter record on a roll (PROTECT), unlinks an erased
    # person (SET_NULL) and deletes a primary's entries with it (CASCADE). Lookups go by the
    # primary and group (turnout), the person (their ballot, their data) and the card.
    primary = models.ForeignKey(
        Primary,
        on_delete=models.CASCADE,
        related_name="entries",
        db_index=False,  # the first column of the index below
        db_constraint=False,
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    person = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    card = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    class Meta:
        indexes = [models.Index(fields=["primary", "group"])]


class PrimaryExclusion(models.Model):
    """A person left off the roll, with the reasons (the party register's eligibility)."""

    primary = models.ForeignKey(Primary, on_delete=models.CASCADE, related_name="exclusions")
    person = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    reasons = models.JSONField()


class Declaration(models.Model):
    """A voter's own declaration of party membership in good standing, on the record."""

    primary = models.ForeignKey(Primary, on_delete=models.CASCADE, related_name="declarations")
    card = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()  # the words the voter declared
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["primary", "card"], name="declares_once"),
        ]


class Candidacy(models.Model):
    """A person's self-nomination: the election's candidate, with the groups backing them."""

    primary = models.ForeignKey(Primary, on_delete=models.CASCADE, related_name="candidacies")
    candidate = models.OneToOneField(
        "elections.Candidate", on_delete=models.CASCADE, related_name="candidacy"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidacies"
    )
    photo_consent = models.BooleanField(default=False)  # consent to publish the photo
    nominated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["primary", "user"], name="stands_once"),
        ]


class Backing(models.Model):
    """A group backs a candidate, decided by one of its admins, on the record."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="backings")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="backings")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["group__name"]
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "group"], name="backs_once"),
        ]


class HustingsTheme(models.Model):
    """Organisers group members' questions under a theme; candidates answer the theme."""

    primary = models.ForeignKey(Primary, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class HustingsQuestion(models.Model):
    """A member's question, published with the asker's first name only."""

    primary = models.ForeignKey(Primary, on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    asked_at = models.DateTimeField(default=timezone.now)
    theme = models.ForeignKey(
        HustingsTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )

    class Meta:
        ordering = ["asked_at", "pk"]


class HustingsAnswer(models.Model):
    """A candidate's written answer to a theme's questions, published as written."""

    theme = models.ForeignKey(HustingsTheme, on_delete=models.CASCADE, related_name="answers")
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["candidacy__candidate__name"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "candidacy"], name="answers_once"),
        ]
