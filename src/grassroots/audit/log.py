"""Writing and verifying the audit log: every action calls ``record`` inside its transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from grassroots.audit.models import AuditEntry, Checkpoint

__all__ = [
    "GENESIS",
    "Broken",
    "ChainHead",
    "Report",
    "check",
    "head",
    "publish_checkpoint",
    "record",
    "record_many",
    "verify",
]

GENESIS = "0" * 64
# PostgreSQL advisory lock held by the one transaction appending to the chain ("audit" in hex)
_CHAIN_LOCK = 0x6175646974


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


def _lock_chain() -> None:
    """Let one transaction at a time append to the chain, until it commits.

    PostgreSQL: a transaction-level advisory lock, taken before the tail is read; under READ
    COMMITTED each statement reads afresh, so the tail read after the lock sees every entry
    committed before it. (Locking the tail row is not enough: a writer that waited for that
    lock gets the same row once the first writer commits, and both chain to it: a fork.)
    SQLite: every transaction already holds the database's write lock from its BEGIN
    (``transaction_mode`` IMMEDIATE in the settings). Other databases: the tail row's lock.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])


def _last() -> AuditEntry | None:
    """The chain's last entry, with the chain locked for this transaction (``_lock_chain``)."""
    _lock_chain()
    entries = AuditEntry.objects.order_by("-id").only("digest")
    if transaction.get_connection().vendor not in ("postgresql", "sqlite"):
        entries = entries.select_for_update()
    return entries.first()


def _tail() -> str:
    """The digest to chain to; nobody else appends until this transaction ends."""
    last = _last()
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


@dataclass(frozen=True)
class ChainHead:
    """An entry's number and digest: the head of the chain at some moment (a checkpoint)."""

    entry: int
    digest: str

    def __str__(self) -> str:
        return f"{self.entry}:{self.digest}"


def head() -> ChainHead:
    """The chain's head now (entry 0 with the genesis digest while the log is empty)."""
    last = AuditEntry.objects.order_by("-id").only("digest").first()
    return ChainHead(last.id, last.digest) if last else ChainHead(0, GENESIS)


def publish_checkpoint(published_in: str) -> ChainHead:
    """The head now, stored as published ``published_in``; for the caller to publish it.

    Runs inside the publishing action's transaction: the chain stays locked until it commits,
    so the head returned is still the head when the publication lands.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "audit.publish_checkpoint must be called inside the action's transaction"
        )
    last = _last()
    now = ChainHead(last.id, last.digest) if last else ChainHead(0, GENESIS)
    Checkpoint.objects.create(
        entry=now.entry, digest=now.digest, at=timezone.now(), published_in=published_in
    )
    return now


@dataclass
class Report:
    """What ``check`` read: how many entries, the last one, the checkpoints compared."""

    entries: int = 0
    last: ChainHead = ChainHead(0, GENESIS)
    checkpoints: list[str] = field(default_factory=list)  # "entry N (published in …)"
    broken: Broken | None = None


def check(extra: Iterable[tuple[str, ChainHead]] = ()) -> Report:
    """Recompute the chain from the start and hold it against every published checkpoint.

    The checkpoints are those stored in the database (``publish_checkpoint``) and ``extra``
    (where each came from, and the head), e.g. read from a downloaded bundle or noted from the
    public page: those are out of reach of whoever can write the database. An entry that
    differs from a checkpoint's digest means the log was rewritten up to it; a checkpoint
    beyond the last entry means entries were removed from the end.
    """
    published = [(c.published_in, ChainHead(c.entry, c.digest)) for c in Checkpoint.objects.all()]
    expected: dict[int, list[tuple[str, str]]] = {}
    for source, cp in [*published, *extra]:
        expected.setdefault(cp.entry, []).append((source, cp.digest))
    report = Report()

    def compare(entry: int, digest: str) -> Broken | None:
        for source, published_digest in expected.pop(entry, []):
            report.checkpoints.append(f"entry {entry} (published in {source})")
            if published_digest != digest:
                return Broken(
                    entry,
                    f"entry {entry} has digest {digest[:12]}…, but {source} published "
                    f"{published_digest[:12]}…: the log was rewritten",
                )
        return None

    report.broken = compare(0, GENESIS)
    previous = GENESIS
    for e in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if report.broken:
            return report
        if e.previous != previous:
            report.broken = Broken(
                e.id, f"entry {e.id} follows {e.previous[:12]}…, expected {previous[:12]}…"
            )
        elif _digest(previous, _fields(e)) != e.digest:
            report.broken = Broken(
                e.id, f"entry {e.id} was altered: its digest does not match its content"
            )
        else:
            report.entries += 1
            report.last = ChainHead(e.id, e.digest)
            report.broken = compare(e.id, e.digest)
        previous = e.digest
    if report.broken is None and expected:
        entry = min(expected)
        source = expected[entry][0][0]
        if entry > report.last.entry:
            problem = (
                f"the log ends at entry {report.last.entry}, but {source} published entry "
                f"{entry}: entries were removed from its end"
            )
        else:
            problem = f"entry {entry}, published in {source}, is missing from the log"
        report.broken = Broken(entry, problem)
    return report


def verify(extra: Iterable[tuple[str, ChainHead]] = ()) -> Broken | None:
    """None if every entry is intact, in order, and matches every published checkpoint."""
    return check(extra).broken
