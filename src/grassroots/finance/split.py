"""Splitting payments onto units and writing them: shared by the subscription actions, the demo
and the benchmark.

A member's levels come from the tree: the national unit at its top, the region and branch on the
branch's path, and the member's ward. Each payment's split is worked out by ``apportion`` under
the rule in force on its date, once per rule, band, amount, branch and ward (most payments
repeat a few amounts), and stored once as a ``PaymentSplit`` that every payment of that kind
cites; each unit's figures for the month (``figures``) are added to in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.utils import timezone

from grassroots.finance import figures
from grassroots.finance.apportion import LEVELS, RuleBook, SplitRule, apportion
from grassroots.finance.models import (
    PAYMENT_SOURCES,
    Payment,
    PaymentBatch,
    PaymentSplit,
    SubscriptionRule,
)
from grassroots.finance.models.subscriptions import split_key
from grassroots.members.models import Unit
from grassroots.site.bulk_sql import insert_rows

__all__ = [
    "Book",
    "NewPayment",
    "Payments",
    "lock_rules",
    "recorded_references",
    "write_payments",
]

Ints = npt.NDArray[np.int64]
_SQLITE_CACHE_KIB = 1024 * 1024
# PostgreSQL advisory lock held while rules change or payments are split under them
_RULES_LOCK = 0x7375627321  # "subs!"
# a payment row's columns: its own, then its split's and its batch's
_COLUMNS = ("member_id", "paid_on", "reference", "split_id", "batch_id", "source")


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


@dataclass
class Payments:
    """Payments to record, as columns (one list per field, a payment per position)."""

    member_id: list[int]
    branch_id: list[int]
    ward_id: list[int | None]
    paid_on: list[dt.date]
    amount: list[int]
    band: list[str]
    reference: list[str]

    @classmethod
    def of(cls, payments: Sequence[NewPayment]) -> Payments:
        return cls(
            [p.member_id for p in payments], [p.branch_id for p in payments],
            [p.ward_id for p in payments], [p.paid_on for p in payments],
            [p.amount for p in payments], [p.band for p in payments],
            [p.reference for p in payments],
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.member_id)


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


def _kind_codes(columns: list[Ints]) -> tuple[Ints, Ints]:
    """One code per distinct combination of ``columns``' values (row by row), and for each code
    the first row that has it."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        _, inv = np.unique(col, return_inverse=True)
        code = code * (int(inv.max()) + 1) + inv
        _, code = np.unique(code, return_inverse=True)  # back to 0..distinct-1: no overflow
    _, first = np.unique(code, return_index=True)
    return code, first


def write_payments(
    payments: Payments,
    book: Book,
    *,
    source: str,
    recorded_by: int | None,
    recorded_at: dt.datetime | None = None,
) -> int:
    """Split each payment under the rule in force on its date, write them, and add them to the
    units' kept figures, in the caller's transaction.

    The split (each level's unit and pence) depends only on the rule, band, amount, branch and
    ward, so it is worked out once for each such combination in the batch ("kind"), stored once
    as a ``PaymentSplit`` (or found stored already), and each row cites its kind's split.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("payments are written inside the action's transaction")
    n = len(payments)
    if n == 0:
        return 0
    at = recorded_at or timezone.now()
    member = np.array(payments.member_id, dtype=np.int64)
    branch = np.array(payments.branch_id, dtype=np.int64)
    ward = np.array([w or 0 for w in payments.ward_id], dtype=np.int64)
    amount = np.array(payments.amount, dtype=np.int64)
    ordinals = {d: d.toordinal() for d in set(payments.paid_on)}
    day = np.array([ordinals[d] for d in payments.paid_on], dtype=np.int64)
    bands = sorted(set(payments.band))
    band_at = {b: i for i, b in enumerate(bands)}
    band = np.array([band_at[b] for b in payments.band], dtype=np.int64)
    days, day_inv = np.unique(day, return_inverse=True)
    rule_of_day = []
    for d in days.tolist():
        rule = book.rules.rule_on(dt.date.fromordinal(d))  # NoRule: before the first rule
        rule_of_day.append(book.rule_ids[rule.effective_from])
    rule_id = np.array(rule_of_day, dtype=np.int64)[day_inv]
    kind, first = _kind_codes([rule_id, band, amount, branch, ward])
    rules = {book.rule_ids[r.effective_from]: r for r in book.rules.rules}
    kinds = figures.Kinds([], [], [], {}, {})
    units: dict[str, list[int]] = {lv: [] for lv in LEVELS}
    pence: dict[str, list[int]] = {lv: [] for lv in LEVELS}
    wanted: list[tuple[str, dict[str, object]]] = []  # each kind's split: key, fields
    for i in first.tolist():
        rule = rules[int(rule_id[i])]
        b = bands[int(band[i])]
        levels = book.levels(int(branch[i]), int(ward[i]) or None)
        shares = dict(book.split(rule, b, int(amount[i]), levels))
        fields: dict[str, object] = {
            "rule_id": int(rule_id[i]), "currency": rule.currency, "band": b,
            "amount": int(amount[i]),
        }  # fmt: skip
        for level in LEVELS:
            # the member's unit there, even with no share; none: its share went up a level
            fields[f"{level}_id"] = levels.get(level)
            fields[f"{level}_pence"] = shares.get(level, 0)
            units[level].append(levels.get(level) or 0)
            pence[level].append(shares.get(level, 0))
        key = split_key(int(rule_id[i]), b, int(amount[i]),
                        tuple(levels.get(level) for level in LEVELS))  # fmt: skip
        wanted.append((key, fields))
        kinds.rule_id.append(int(rule_id[i]))
        kinds.band.append(b)
        kinds.amount.append(int(amount[i]))
    kinds.units = {lv: np.array(units[lv], dtype=np.int64) for lv in LEVELS}
    kinds.pence = {lv: np.array(pence[lv], dtype=np.int64) for lv in LEVELS}
    split_ids = np.array(_split_ids(wanted), dtype=np.int64)
    batch = PaymentBatch.objects.create(source=source, recorded_at=at, recorded_by_id=recorded_by)
    _insert(payments, split_ids[kind].tolist(), batch)
    figures.add(member, day, kind, kinds)
    return n


def _split_ids(wanted: list[tuple[str, dict[str, object]]]) -> list[int]:
    """The stored split for each of ``wanted`` (key and fields), storing those not yet stored.

    Splits are only added while the rules are locked (``lock_rules``), so none appears
    between the look-up and the insert."""
    keys = [key for key, _ in wanted]
    found: dict[str, int] = {}
    for i in range(0, len(keys), 1000):
        found.update(
            PaymentSplit.objects.filter(key__in=keys[i : i + 1000]).values_list("key", "pk")
        )
    new = [PaymentSplit(key=key, **fields) for key, fields in wanted if key not in found]
    for split in PaymentSplit.objects.bulk_create(new, batch_size=1000):
        found[split.key] = split.pk
    return [found[k] for k in keys]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _insert(payments: Payments, split_id: list[int], batch: PaymentBatch) -> None:
    """Write the narrow rows: COPY on PostgreSQL, a prepared INSERT of many rows at a time
    elsewhere."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(Payment._meta.db_table)
            cols = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
            refs = payments.reference
            if any(c in "".join(refs) for c in "\\\t\n\r"):
                refs = [r.translate(_COPY_ESCAPES) for r in refs]
            tail = f"\t{batch.pk}\t{_copy_text(batch.source)}\n"
            days = {d: d.isoformat() for d in set(payments.paid_on)}
            step = 50_000
            # errors as Django's (a reference already recorded: IntegrityError)
            with (
                connection.wrap_database_errors,
                cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy,
            ):
                for i in range(0, len(payments), step):
                    j = i + step
                    copy.write(
                        "".join(
                            f"{m}\t{days[d]}\t{r}\t{k}{tail}"
                            for m, d, r, k in zip(
                                payments.member_id[i:j], payments.paid_on[i:j], refs[i:j],
                                split_id[i:j], strict=True,
                            )
                        )
                    )  # fmt: skip
            return
        # a large page cache while writing: each payment goes into two indexes at scattered
        # places, which a small cache reads back from disk again and again
        cur.execute("PRAGMA cache_size")
        (cache_size,) = cur.fetchone()
        cur.execute(f"PRAGMA cache_size = {-_SQLITE_CACHE_KIB}")
        try:
            if batch.source not in dict(PAYMENT_SOURCES):
                raise ValueError(f"unknown payment source {batch.source!r}")
            days = {d: connection.ops.adapt_datefield_value(d) for d in set(payments.paid_on)}
            rows = [
                (m, days[d], r, k)
                for m, d, r, k in zip(
                    payments.member_id, payments.paid_on, payments.reference, split_id, strict=True
                )
            ]
            # the batch and its source are the same for every row: written once per statement
            insert_rows(Payment, _COLUMNS, rows,
                        constants=(str(int(batch.pk)), f"'{batch.source}'"))  # fmt: skip
        finally:
            cur.execute(f"PRAGMA cache_size = {int(cache_size)}")
