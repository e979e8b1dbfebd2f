"""The directory: groups' public profiles, the messages relayed to a group through its contact
form, people's consents to share contact details with groups, and erasures.

Contact details themselves live on the network's ``Person``; what a group may see of them is
decided by ``network.consent`` from the ``Consent`` records here, through the one function
``network.actions.directory.contact_details``.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from grassroots.network import consent as rules


class GroupProfile(models.Model):
    """What a group says of itself in public, beside its name, area and kind."""

    group = models.OneToOneField("network.Group", on_delete=models.CASCADE, related_name="profile")
    about = models.TextField(blank=True)
    issues = models.TextField(blank=True)  # what the group works on, one a line
    meeting_times = models.TextField(blank=True)  # "Second Tuesday, 7pm, Hillford library"
    updated_at = models.DateTimeField(default=timezone.now)

    def issue_list(self) -> list[str]:
        return [line.strip() for line in self.issues.splitlines() if line.strip()]


class ConsentQuerySet(models.QuerySet["Consent"]):
    def current(self, at: dt.datetime | None = None) -> ConsentQuerySet:
        at = at or timezone.now()
        return self.filter(given_at__lte=at).filter(
            models.Q(revoked_at__isnull=True) | models.Q(revoked_at__gt=at)
        )


class Consent(models.Model):
    """One consent: who lets which group (or every group of the network) see which of their
    contact fields, for what purpose, under which version of the consent text, given when and
    how; revoked when and how. Never edited otherwise: a change is a revocation and a new one."""

    person = models.ForeignKey("network.Person", on_delete=models.CASCADE, related_name="consents")
    network = models.ForeignKey("network.Network", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(
        "network.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="consents"
    )  # none: every group in the network
    fields = models.JSONField()  # a list of consent.FIELDS
    purpose = models.CharField(max_length=16, choices=[(p, p) for p in rules.PURPOSES])
    text_version = models.CharField(max_length=8)
    given_at = models.DateTimeField(default=timezone.now)
    given_how = models.CharField(max_length=16, choices=list(rules.HOW.items()))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_how = models.CharField(max_length=16, blank=True, choices=list(rules.HOW.items()))

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["person", "revoked_at"])]

    def grant(self) -> rules.Grant:
        return rules.Grant(
            group=self.group_id,
            fields=frozenset(self.fields),
            purpose=self.purpose,
            given_at=self.given_at,
            revoked_at=self.revoked_at,
        )

    def scope(self) -> str:
        return self.group.name if self.group_id else "every group in the network"

    def field_labels(self) -> list[str]:
        return [rules.FIELD_LABELS[f] for f in rules.FIELDS if f in self.fields]

    def purpose_label(self) -> str:
        return rules.PURPOSE_LABELS.get(self.purpose, self.purpose)


class ContactMessage(models.Model):
    """A message sent through a group's public contact form, relayed to the group's contact by
    the job queue. The group's address is never shown to the sender; the sender's own address
    is the message's Reply-To, which they typed to be answered."""

    group = models.ForeignKey("network.Group", on_delete=models.CASCADE, related_name="+")
    sender_name = models.CharField(max_length=200)
    sender_email = models.EmailField()
    body = models.TextField()
    # a keyed hash of the sender's IP address: enough to limit how often one sender writes
    sender_key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=300, blank=True)


class Erasure(models.Model):
    """That a person erased themselves from a network: when, what was removed (counts) and what
    was kept, anonymised, and why. It names nobody."""

    network = models.ForeignKey("network.Network", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    removed = models.JSONField(default=dict)  # {"consents": 3, "memberships": 2, ...}
    kept = models.JSONField(default=list)  # [[what, why], ...]
