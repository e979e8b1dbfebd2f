"""The figures kept per unit and month (``PaymentFigure``), added to as payments are recorded.

``add`` takes a batch of payments already split (as numpy arrays: one row per payment, and one
row per kind of split the batch holds) and adds their shares to each unit's figures for the
month, in the caller's transaction. The members who paid a unit for the first time in a year are
found against ``PayerBlock`` (the units each member paid to that year), so a year's payers are a sum
of monthly figures too. ``rebuild`` works everything out again from the stored payments: for a
database that held payments before the figures were kept, and to check them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.db import connection

from grassroots.finance.apportion import LEVELS
from grassroots.finance.arrays import distinct
from grassroots.finance.models import PayerBlock, Payment, PaymentFigure
from grassroots.site.bulk_sql import insert_rows

__all__ = ["Kinds", "add", "rebuild"]

Ints = npt.NDArray[np.int64]
_FIGURE_COLUMNS = (
    "unit_id", "month", "rule_id", "band", "amount", "has_region", "has_ward", "received",
    "paid_in", "payments", "new_payers",
)  # fmt: skip


@dataclass
class Kinds:
    """The kinds of split in a batch, one row each: the rule, band and amount, and each level's
    unit (0: none) and pence."""

    rule_id: list[int]
    band: list[str]
    amount: list[int]
    units: dict[str, Ints]  # level -> unit id per kind
    pence: dict[str, Ints]  # level -> pence per kind


def _month_code(days: Ints) -> Ints:
    """Day ordinals (``date.toordinal``) to year * 12 + month - 1."""
    base = dt.date(1970, 1, 1).toordinal()
    d = (days - base).astype("datetime64[D]")
    months = d.astype("datetime64[M]").astype(np.int64)  # months since January 1970
    return months + 1970 * 12


def _month_day(code: int) -> dt.date:
    y, m = divmod(code, 12)
    return dt.date(y, m + 1, 1)


def add(member: Ints, day: Ints, kind: Ints, kinds: Kinds) -> None:
    """Add a batch of payments to the kept figures: ``member``, ``day`` (ordinal) and ``kind``
    (a row of ``kinds``) per payment."""
    if len(member) == 0:
        return
    months = _month_code(day)
    # (unit, month, rule, band, amount, has region, has ward) -> received, paid in, n, new payers
    out: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    region, ward = kinds.units["region"], kinds.units["ward"]

    def key(k: int, level: str, month: int) -> tuple[object, ...]:
        return (
            int(kinds.units[level][k]), _month_day(month), kinds.rule_id[k], kinds.band[k],
            kinds.amount[k], bool(region[k]), bool(ward[k]),
        )  # fmt: skip

    lo = int(months.min())
    span = int(months.max()) - lo + 1
    groups, counts = np.unique(kind * span + (months - lo), return_counts=True)
    for g, n in zip(groups.tolist(), counts.tolist(), strict=True):
        k, m = divmod(g, span)
        for level in LEVELS:
            if kinds.units[level][k]:
                row = out[key(k, level, m + lo)]
                row[0] += int(kinds.pence[level][k]) * n
                row[1] += kinds.amount[k] * n
                row[2] += n
    for year in distinct(months // 12).tolist():
        rows = np.flatnonzero(months // 12 == year)
        rows = rows[np.argsort(day[rows], kind="stable")]  # each member's first payment first
        _new_payers(int(year), member[rows], kind[rows], months[rows], kinds, out, key)
    _write(out)


def _new_payers(
    year: int,
    member: Ints,
    kind: Ints,
    months: Ints,
    kinds: Kinds,
    out: dict[tuple[object, ...], list[int]],
    key: object,
) -> None:
    """Count, into ``out``, each member's first payment of ``year`` to each unit, and store the
    units they paid to that they had not before."""
    known, by_block = _payers(year, member)
    units = {level: kinds.units[level][kind] for level in LEVELS}
    seen_at = _seen(member, units, known)
    fresh = np.zeros(len(member), dtype=bool)
    for level in LEVELS:
        u = units[level]
        seen = seen_at[level]
        scale = int(u.max()) + 1
        if int(member.max()) >= (2**62) // scale:
            raise OverflowError("member and unit ids too large to pair")
        pairs = member * scale + u
        new = (u != 0) & ~seen
        idx = np.flatnonzero(new)
        _, first = np.unique(pairs[idx], return_index=True)
        firsts = idx[first]
        fresh[idx] = True
        span = int(months.max()) - int(months.min()) + 1
        lo = int(months.min())
        groups, counts = np.unique(kind[firsts] * span + (months[firsts] - lo), return_counts=True)
        for g, n in zip(groups.tolist(), counts.tolist(), strict=True):
            k, m = divmod(g, span)
            out[key(k, level, m + lo)][3] += n  # type: ignore[operator]
    if fresh.any():
        combos = np.unique(
            np.stack([member[fresh]] + [units[lv][fresh] for lv in LEVELS], axis=1), axis=0
        )
        _store_payers(year, combos, by_block)


def _seen(member: Ints, units: dict[str, Ints], known: Ints) -> dict[str, npt.NDArray[np.bool_]]:
    """For each level, whether each payment's member had already paid that level's unit this
    year: ``known`` holds their stored (member, national, region, branch, ward) rows, sorted by
    member.

    Most members have one stored row, so each payment is matched to its member's row by a
    binary search; the few with more (they moved during the year) are matched on every row."""
    if len(known) == 0:
        return {level: np.zeros(len(member), dtype=bool) for level in LEVELS}
    km = known[:, 0]
    at = np.minimum(np.searchsorted(km, member), len(km) - 1)
    has = km[at] == member
    repeated = distinct(km[1:][km[1:] == km[:-1]])
    several = has & np.isin(member, repeated) if len(repeated) else np.zeros(len(member), bool)
    out = {}
    for i, level in enumerate(LEVELS):
        seen = has & (known[at, i + 1] == units[level])
        if several.any():
            rows = np.isin(km, repeated)
            scale = int(max(known[:, i + 1].max(), units[level].max())) + 1
            if int(max(km.max(), member.max())) >= (2**62) // scale:
                raise OverflowError("member and unit ids too large to pair")
            theirs = km[rows] * scale + known[rows, i + 1]
            seen[several] = np.isin(member[several] * scale + units[level][several], theirs)
        out[level] = seen
    return out


def _payers(year: int, member: Ints) -> tuple[Ints, dict[int, Ints]]:
    """(member, national, region, branch, ward) already stored for ``year`` in the blocks that
    hold these members, sorted by member; and each of those blocks' own rows."""
    blocks = distinct(member // PayerBlock.MEMBERS).tolist()
    stored = PayerBlock.objects.filter(year=year)
    if len(blocks) <= 500:  # else: the whole year, in one pass
        stored = stored.filter(block__in=blocks)
    by_block = {
        int(block): np.frombuffer(bytes(data), dtype="<i8").reshape(-1, 5).astype(np.int64)
        for block, data in stored.values_list("block", "data")
    }
    if not by_block:
        return np.zeros((0, 5), dtype=np.int64), {}
    rows = np.concatenate([by_block[b] for b in sorted(by_block)])
    return rows, by_block  # blocks in order, each sorted: sorted by member


def _store_payers(year: int, combos: Ints, by_block: dict[int, Ints]) -> None:
    """Add ``combos`` (new (member, units) rows, none stored yet) to their blocks."""
    block_of = combos[:, 0] // PayerBlock.MEMBERS
    for block in distinct(block_of).tolist():
        new = combos[block_of == block]
        rows = np.concatenate([by_block.get(block, np.zeros((0, 5), dtype=np.int64)), new])
        rows = rows[np.argsort(rows[:, 0], kind="stable")]
        PayerBlock.objects.update_or_create(
            year=year,
            block=block,
            defaults={"rows": len(rows), "data": rows.astype("<i8").tobytes()},
        )


def _write(out: dict[tuple[object, ...], list[int]]) -> None:
    """Add ``out`` to the stored figures: an upsert of many figure rows per statement."""
    if not out:
        return
    table = connection.ops.quote_name(PaymentFigure._meta.db_table)
    adds = ("received", "paid_in", "payments", "new_payers")
    upsert = (
        " ON CONFLICT (unit_id, month, rule_id, band, amount, has_region, has_ward) DO UPDATE SET "
        + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in adds)
    )
    adapt = connection.ops.adapt_datefield_value
    rows = [(k[0], adapt(k[1]), *k[2:], *v) for k, v in out.items()]
    insert_rows(PaymentFigure, _FIGURE_COLUMNS, rows, suffix=upsert)


def rebuild(chunk: int = 200_000) -> None:
    """Work every kept figure out again from the stored payments, oldest first."""
    PaymentFigure.objects.all().delete()
    PayerBlock.objects.all().delete()
    cols = ["member_id", "paid_on", "split__rule_id", "split__band", "split__amount"]
    for level in LEVELS:
        cols += [f"split__{level}_id", f"split__{level}_pence"]
    last: tuple[dt.date, int] | None = None
    while True:
        qs = Payment.objects.order_by("paid_on", "pk")
        if last is not None:
            qs = qs.filter(paid_on__gte=last[0]).exclude(paid_on=last[0], pk__lte=last[1])
        batch = list(qs.values_list("pk", *cols)[:chunk])
        if not batch:
            return
        last = (batch[-1][2], batch[-1][0])
        kinds_at: dict[tuple[object, ...], int] = {}
        kind = np.empty(len(batch), dtype=np.int64)
        for i, r in enumerate(batch):
            k = tuple(0 if v is None else v for v in r[3:])
            kind[i] = kinds_at.setdefault(k, len(kinds_at))
        table = list(kinds_at)
        kinds = Kinds(
            [int(k[0]) for k in table],  # type: ignore[call-overload]
            [str(k[1]) for k in table],
            [int(k[2]) for k in table],  # type: ignore[call-overload]
            {lv: np.array([k[3 + 2 * i] for k in table], dtype=np.int64)
             for i, lv in enumerate(LEVELS)},
            {lv: np.array([k[4 + 2 * i] for k in table], dtype=np.int64)
             for i, lv in enumerate(LEVELS)},
        )  # fmt: skip
        member = np.array([r[1] for r in batch], dtype=np.int64)
        day = np.array([r[2].toordinal() for r in batch], dtype=np.int64)
        add(member, day, kind, kinds)
