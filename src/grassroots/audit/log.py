"""Writing and verifying the audit log: every action calls ``record`` inside its transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from grassroots.audit.models import AuditEntry

__all__ = ["GENESIS", "Broken", "record", "record_many", "verify"]

GENESIS = "0" * 64


def _digest(previous: str, fields: dict[str, Any]) -> str:
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((previous + body).encode()).hexdigest()


def _fields(e: AuditEntry) -> dict[str, Any]:
    return {
        "at": e.at.isoformat(),
        "actor": e.actor_id,
        "actor_name": e.actor_name,
        "action": e.action,
        "subject": e.subject,
        "summary": e.summary,
        "reason": e.reason,
        "detail": e.detail,
    }


def record(
    by: AbstractBaseUser | AnonymousUser | None,
    action: str,
    subject: str,
    summary: str,
    *,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; must run inside the action's transaction so both land or neither."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the action's transaction")
    entry = _chained(_actor(by), action, subject, summary, reason, detail, _tail(), timezone.now())
    entry.save()
    return entry


def _actor(
    by: AbstractBaseUser | AnonymousUser | None,
) -> AbstractBaseUser | AnonymousUser | None:
    """The acting user, or None for the system (no login, or an anonymous request)."""
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _tail() -> str:
    """The digest to chain to; the tail row is locked so two writers cannot both chain to it."""
    last = AuditEntry.objects.select_for_update().order_by("-id").only("digest").first()
    return last.digest if last else GENESIS


def _chained(
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
    subject: str,
    summary: str,
    reason: str,
    detail: dict[str, Any] | None,
    previous: str,
    at: Any,
) -> AuditEntry:
    """An unsaved entry chained to ``previous``, its digest computed."""
    entry = AuditEntry(
        at=at,
        actor=user,
        actor_name=user.get_username() if user is not None else "system",
        action=action,
        subject=subject,
        summary=summary,
        reason=reason,
        detail=json.loads(json.dumps(detail or {}, default=str)),
        previous=previous,
    )
    entry.digest = _digest(previous, _fields(entry))
    return entry


def record_many(
    by: AbstractBaseUser | AnonymousUser | None,
    entries: Iterable[tuple[str, str, str, dict[str, Any]]],
    *,
    reason: str = "",
    batch_size: int = 2000,
) -> int:
    """Append one entry per (action, subject, summary, detail), chained in order, in one go.

    For an action that changes many records at once (an import updating members), so that each
    record's history holds its own entry without a round trip per entry. Same rules as ``record``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must be called inside the action's transaction")
    user = _actor(by)
    previous = _tail()
    at = timezone.now()
    batch: list[AuditEntry] = []
    written = 0
    for action, subject, summary, detail in entries:
        entry = _chained(user, action, subject, summary, reason, detail, previous, at)
        previous = entry.digest
        batch.append(entry)
        if len(batch) == batch_size:
            # one INSERT per batch, in order: ids follow the chain as verify() reads it
            AuditEntry.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)
    return written + len(batch)


@dataclass(frozen=True)
class Broken:
    """Where the chain breaks, and how."""

    entry_id: int
    problem: str


def verify() -> Broken | None:
    """Recompute the chain from the start; None if every entry is intact and in order."""
    previous = GENESIS
    for e in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if e.previous != previous:
            return Broken(
                e.id, f"entry {e.id} follows {e.previous[:12]}…, expected {previous[:12]}…"
            )
        if _digest(previous, _fields(e)) != e.digest:
            return Broken(e.id, f"entry {e.id} was altered: its digest does not match its content")
        previous = e.digest
    return None
