"""Splitting payments onto units and writing them: shared by the subscription actions, the demo
and the benchmark.

A member's levels come from the tree: the national unit at its top, the region and branch on the
branch's path, and the member's ward. Each payment's split is worked out by ``apportion`` under
the rule in force on its date (cached per rule, band, amount and levels, since most payments
repeat a few amounts) and written with its units in one row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from grassroots.finance.apportion import LEVELS, RuleBook, SplitRule, apportion
from grassroots.finance.models import Payment, SubscriptionRule
from grassroots.members.models import Unit

__all__ = ["Book", "NewPayment", "insert_payments", "lock_rules", "split_rows"]

# PostgreSQL advisory lock held while rules change or payments are split under them
_RULES_LOCK = 0x7375627321  # "subs!"
_COLUMNS = (
    "member_id", "paid_on", "amount", "currency", "band", "rule_id", "source", "reference",
    "recorded_at", "recorded_by_id", "national_id", "national_pence", "region_id",
    "region_pence", "branch_id", "branch_pence", "ward_id", "ward_pence",
)  # fmt: skip


def lock_rules() -> None:
    """Let one transaction at a time change the rules or split payments under them.

    SQLite transactions already hold the database's write lock from their BEGIN.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_RULES_LOCK])


@dataclass(frozen=True)
class NewPayment:
    member_id: int
    branch_id: int
    ward_id: int | None
    paid_on: dt.date
    amount: int
    band: str
    reference: str = ""


class Book:
    """The rules and the tree, read once, to split many payments."""

    def __init__(self) -> None:
        stored = list(SubscriptionRule.objects.order_by("effective_from"))
        self.rules = RuleBook(s.rule() for s in stored)
        self.rule_ids = {s.effective_from: s.pk for s in stored}
        self.units = {
            pk: (kind, path) for pk, kind, path in Unit.objects.values_list("pk", "kind", "path")
        }
        self._levels: dict[tuple[int, int | None], dict[str, int]] = {}
        self._splits: dict[tuple[dt.date, str, int, tuple[str, ...]], tuple[tuple[str, int], ...]]
        self._splits = {}

    def levels(self, branch_id: int, ward_id: int | None) -> dict[str, int]:
        """Level → unit id for a member of ``branch_id`` (and ``ward_id``)."""
        key = (branch_id, ward_id)
        found = self._levels.get(key)
        if found is None:
            found = {}
            _, path = self.units[branch_id]
            for part in path.strip("/").split("/"):
                kind, _ = self.units[int(part)]
                if kind in LEVELS and kind != "ward":
                    found.setdefault(kind, int(part))
            if ward_id is not None and self.units.get(ward_id, ("", ""))[0] == "ward":
                found["ward"] = ward_id
            self._levels[key] = found
        return found

    def split(
        self, rule: SplitRule, band: str, amount: int, levels: Iterable[str]
    ) -> tuple[tuple[str, int], ...]:
        present = tuple(levels)
        key = (rule.effective_from, band, amount, present)
        shares = self._splits.get(key)
        if shares is None:
            shares = apportion(amount, rule.band(band), present)
            self._splits[key] = shares
        return shares


def split_rows(
    payments: Iterable[NewPayment],
    book: Book,
    *,
    source: str,
    recorded_by: int | None,
    recorded_at: dt.datetime | None = None,
) -> Iterator[tuple[object, ...]]:
    """Each payment as the values of its row, its split under the rule in force on its date."""
    at = recorded_at or timezone.now()
    current: SplitRule | None = None
    for p in payments:
        if current is None or not _in_force(current, book, p.paid_on):
            current = book.rules.rule_on(p.paid_on)
        levels = book.levels(p.branch_id, p.ward_id)
        shares = dict(book.split(current, p.band, p.amount, levels))
        row: list[object] = [
            p.member_id, p.paid_on, p.amount, current.currency, p.band,
            book.rule_ids[current.effective_from], source, p.reference, at, recorded_by,
        ]  # fmt: skip
        for level in LEVELS:
            pence = shares.get(level, 0)
            row.append(levels.get(level))  # the member's unit at that level, even with no share
            row.append(pence)
        yield tuple(row)


def _in_force(rule: SplitRule, book: Book, day: dt.date) -> bool:
    """Whether ``rule`` is the one in force on ``day`` (cheaper than a look-up per payment)."""
    if day < rule.effective_from:
        return False
    later = [r.effective_from for r in book.rules.rules if r.effective_from > rule.effective_from]
    return not later or day < later[0]


def insert_payments(rows: Iterable[tuple[object, ...]], batch_size: int = 5000) -> int:
    """Write payment rows: COPY on PostgreSQL, a prepared INSERT with many rows elsewhere."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("payments are written inside the action's transaction")
    table = connection.ops.quote_name(Payment._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    count = 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
                    count += 1
            return count
        day = connection.ops.adapt_datefield_value
        moment = connection.ops.adapt_datetimefield_value
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
        batch: list[tuple[object, ...]] = []
        for r in rows:
            batch.append((r[0], day(r[1]), *r[2:8], moment(r[8]), *r[9:]))
            if len(batch) >= batch_size:
                cur.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cur.executemany(sql, batch)
            count += len(batch)
    return count
