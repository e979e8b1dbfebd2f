"""One row per sign-in link sent to a member: the record that makes invitations idempotent."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from grassroots.members.models import Member, Unit


class Invitation(models.Model):
    """A single-use, expiring sign-in link for one member.

    Created before its message is sent (``sent_at`` empty) and marked sent after, so a mail-out
    that stops half-way is finished by running it again, and sends nobody a second link while
    their first still works. The link itself is signed (``django.core.signing``) and names
    this row; the row says whether it is spent (``used_at``) or expired (``expires_at``).
    """

    KINDS = (("invited", "Invited by an officer"), ("requested", "Asked for by the member"))

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=16, choices=KINDS)
    # the address the link went to, as the register had it then
    email = models.EmailField()
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["member", "expires_at"])]

    def __str__(self) -> str:
        return f"sign-in link for {self.member} ({self.get_kind_display()})"

    def usable(self, now: datetime.datetime | None = None) -> bool:
        return self.used_at is None and self.expires_at > (now or timezone.now())
