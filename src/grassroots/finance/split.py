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
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from grassroots.finance.apportion import LEVELS, RuleBook, SplitRule, apportion
from grassroots.finance.models import Payment, SubscriptionRule
from grassroots.members.models import Unit

__all__ = [
    "Book",
    "NewPayment",
    "insert_payments",
    "lock_rules",
    "recorded_references",
    "split_rows",
]

_SQLITE_CACHE_KIB = 256 * 1024
# PostgreSQL advisory lock held while rules change or payments are split under them
_RULES_LOCK = 0x7375627321  # "subs!"
# the order of ``split_rows``' values: the payment's own, then those shared by many payments
_COLUMNS = (
    "member_id", "paid_on", "amount", "reference", "recorded_at", "recorded_by_id", "currency",
    "band", "rule_id", "source", "national_id", "national_pence", "region_id", "region_pence",
    "branch_id", "branch_pence", "ward_id", "ward_pence",
)  # fmt: skip


def lock_rules() -> None:
    """Let one transaction at a time change the rules or split payments under them.

    SQLite transactions already hold the database's write lock from their BEGIN.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_RULES_LOCK])


def recorded_references(source: str, references: list[str], chunk: int = 10000) -> set[str]:
    """Which of ``references`` are already recorded from ``source``.

    Plain SQL, one indexed query per ``chunk``: the ORM takes longer to compile a 10,000-item
    ``IN`` than the database takes to answer it (as ``members.models.registered_numbers``).
    """
    table = connection.ops.quote_name(Payment._meta.db_table)
    found: set[str] = set()
    with connection.cursor() as cur:
        for i in range(0, len(references), chunk):
            part = references[i : i + chunk]
            marks = ", ".join(["%s"] * len(part))
            cur.execute(
                f"SELECT reference FROM {table} WHERE source = %s AND reference <> '' "
                f"AND reference IN ({marks})",
                [source, *part],
            )
            found.update(r for (r,) in cur.fetchall())
    return found


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
    """Each payment as the values of its row, its split under the rule in force on its date.

    The split's columns (each level's unit and pence) depend only on the rule, band, amount,
    branch and ward, so they are worked out once for each such combination.
    """
    at = recorded_at or timezone.now()
    starts = [r.effective_from for r in book.rules.rules]
    ends = [*starts[1:], dt.date.max]
    lo = hi = dt.date.min
    rule: SplitRule | None = None
    rule_id = 0
    tails: dict[tuple[int, str, int, int, int | None], tuple[object, ...]] = {}
    for p in payments:
        day = p.paid_on
        if rule is None or not lo <= day < hi:
            rule = book.rules.rule_on(day)
            i = starts.index(rule.effective_from)
            lo, hi, rule_id = starts[i], ends[i], book.rule_ids[rule.effective_from]
        key = (rule_id, p.band, p.amount, p.branch_id, p.ward_id)
        tail = tails.get(key)
        if tail is None:
            levels = book.levels(p.branch_id, p.ward_id)
            shares = dict(book.split(rule, p.band, p.amount, levels))
            cols: list[object] = [rule.currency, p.band, rule_id, source]
            for level in LEVELS:
                cols.append(levels.get(level))  # the member's unit there, even with no share
                cols.append(shares.get(level, 0))
            tail = tuple(cols)
            tails[key] = tail
        yield (p.member_id, day, p.amount, p.reference, at, recorded_by, *tail)


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
        # a large page cache while writing: each payment goes into four indexes at scattered
        # places, which a small cache reads back from disk again and again
        cur.execute("PRAGMA cache_size")
        (cache_size,) = cur.fetchone()
        cur.execute(f"PRAGMA cache_size = {-_SQLITE_CACHE_KIB}")
        try:
            count = _sqlite_insert(cur, table, cols, rows, batch_size)
        finally:
            cur.execute(f"PRAGMA cache_size = {int(cache_size)}")
    return count


def _sqlite_insert(
    cur: Any, table: str, cols: str, rows: Iterable[tuple[object, ...]], batch_size: int
) -> int:
    """The SQLite side of ``insert_payments``: dates and times adapted once per value."""
    adapt_day = connection.ops.adapt_datefield_value
    moment = connection.ops.adapt_datetimefield_value
    days: dict[object, object] = {}
    moments: dict[object, object] = {}
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    count = 0
    batch: list[tuple[object, ...]] = []
    for r in rows:
        member, day, amount, reference, at, *rest = r
        d = days.get(day)
        if d is None:
            d = days[day] = adapt_day(day)
        m = moments.get(at)
        if m is None:
            m = moments[at] = moment(at)
        batch.append((member, d, amount, reference, m, *rest))
        if len(batch) >= batch_size:
            cur.executemany(sql, batch)
            count += len(batch)
            batch = []
    if batch:
        cur.executemany(sql, batch)
        count += len(batch)
    return count
