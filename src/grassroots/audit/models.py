"""The audit log: one row per state change, append-only and hash-chained."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

__all__ = ["AuditEntry", "Checkpoint"]


class AuditEntry(models.Model):
    """Who did what, when and why; ``digest`` chains each entry to the one before it."""

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150)  # kept even if the account is renamed
    action = models.CharField(max_length=64)
    subject = models.CharField(max_length=200)  # e.g. "member:12345" or "unit:7"
    summary = models.TextField()
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subject"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # append-only: an entry, once written, is never changed
        if self.pk is not None:
            raise PermissionError("audit entries are append-only and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit entries are append-only and cannot be deleted")


class Checkpoint(models.Model):
    """A head of the chain published outside the database: entry ``entry`` had ``digest``.

    Published in an election's bundle and on the public checkpoints page, so copies exist that
    whoever can write the database cannot reach: a log truncated before ``entry`` or rewritten
    up to it no longer matches. ``entry`` is a plain number, not a foreign key, so that it
    outlives a deleted entry and the deletion shows.
    """

    entry = models.BigIntegerField()  # AuditEntry.id; 0 for the empty log
    digest = models.CharField(max_length=64)
    at = models.DateTimeField()
    published_in = models.CharField(max_length=200)  # e.g. "the result of Chair (election 4)"

    class Meta:
        ordering = ["entry", "id"]

    def __str__(self) -> str:
        return f"entry {self.entry}: {self.digest[:12]}… ({self.published_in})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("published checkpoints cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("published checkpoints cannot be deleted")
