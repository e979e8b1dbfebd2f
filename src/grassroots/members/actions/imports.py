"""Importing a register from CSV: new members inserted, known ones updated, all audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from grassroots.audit.log import record, record_many
from grassroots.members import csvio
from grassroots.members.actions._common import IMPORT_STATUS_MOVES, ActionRefused, User, _check
from grassroots.members.models import Member, Unit, registered_numbers
from grassroots.members.tallies import register_changed
from grassroots.site.bulk_sql import insert_rows


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: members added, rows skipped for errors, members updated, rows that
    matched the register already."""

    created: int
    skipped: int
    updated: int = 0
    unchanged: int = 0


_COLUMNS = (
    "number", "name", "email", "branch_id", "ward_id", "join_date", "status", "paid_up_to",
    "rate_band", "gender", "birth_date",
)  # fmt: skip


Written = Callable[[int], None]  # told the number of rows written so far


def _nothing(n: int) -> None:
    return None


def _insert_rows(rows: list[csvio.MemberRow], batch_size: int, written: Written = _nothing) -> None:
    """Insert checked rows: COPY on PostgreSQL, INSERTs of many rows each elsewhere.

    The ORM's bulk_create spends most of its time building model instances and SQL per batch
    (on SQLite only ~90 rows fit a statement); these are several times faster.
    """
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    table = connection.ops.quote_name(Member._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    day = _same if postgres else connection.ops.adapt_datefield_value

    def values(r: csvio.MemberRow) -> tuple[object, ...]:
        return (
            r.number, r.name, r.email, r.branch_id, r.ward_id, day(r.join_date), r.status,
            day(r.paid_up_to), r.rate_band, r.gender, day(r.birth_date),
        )  # fmt: skip

    if postgres:
        # one COPY per batch: the rows written so far can be told as they go
        with connection.cursor() as cur:
            for i in range(0, len(rows), batch_size):
                with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for r in rows[i : i + batch_size]:
                        copy.write_row(values(r))
                written(min(i + batch_size, len(rows)))
        return
    # many rows per INSERT (``bulk_sql``): about half the CPU of ``executemany`` on SQLite
    for i in range(0, len(rows), batch_size):
        insert_rows(Member, _COLUMNS, [values(r) for r in rows[i : i + batch_size]])
        written(min(i + batch_size, len(rows)))


def _update_rows(
    updates: list[csvio.RowUpdate], batch_size: int, written: Written = _nothing
) -> None:
    """Write the changed columns of each updated member: one prepared UPDATE per set of columns."""
    from django.db import connection

    qn = connection.ops.quote_name
    table = qn(Member._meta.db_table)
    adapt = connection.ops.adapt_datefield_value

    def value(v: object) -> object:
        return adapt(v) if isinstance(v, dt.date) else v

    groups: dict[tuple[str, ...], list[csvio.RowUpdate]] = {}
    for u in updates:
        groups.setdefault(tuple(sorted(u.values)), []).append(u)
    done = 0
    with connection.cursor() as cur:
        for cols, group in groups.items():
            sets = ", ".join(f"{qn(c)} = %s" for c in cols)
            sql = f"UPDATE {table} SET {sets} WHERE {qn('id')} = %s"
            for i in range(0, len(group), batch_size):
                cur.executemany(
                    sql,
                    [
                        (*(value(u.values[c]) for c in cols), u.member_id)
                        for u in group[i : i + batch_size]
                    ],
                )
                done += len(group[i : i + batch_size])
                written(done)


def _branches_before(updates: list[csvio.RowUpdate]) -> set[int]:
    """The branches the updated members are in before the import (a row may move one)."""
    out: set[int] = set()
    for ids in _chunks([u.member_id for u in updates]):
        out.update(Member.objects.filter(pk__in=ids).values_list("branch_id", flat=True).distinct())
    return out


def _same(d: dt.date | None) -> dt.date | None:
    return d


def _chunks(items: list[Any], size: int = 10000) -> Any:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _check_updates(updates: list[csvio.RowUpdate], unit: Unit, allowed: set[int]) -> None:
    """Every member an import updates is in ``unit`` now, and each status change is allowed."""
    now: dict[int, tuple[str, int, str]] = {}
    for ids in _chunks([u.member_id for u in updates]):
        for pk, number, branch_id, status in Member.objects.filter(pk__in=ids).values_list(
            "pk", "number", "branch_id", "status"
        ):
            now[pk] = (number, branch_id, status)
    for u in updates:
        number, branch_id, status = now.get(u.member_id, ("", 0, ""))
        if number != u.row.number:
            raise ActionRefused(
                f"row {u.row.row}: member {u.row.number} has changed since the file was checked; "
                "check the file again"
            )
        if branch_id not in allowed:
            raise ActionRefused(f"row {u.row.row}: {number} is a member outside {unit.name}")
        if "status" in u.values and (status, u.values["status"]) not in IMPORT_STATUS_MOVES:
            raise ActionRefused(
                f"row {u.row.row}: an import does not change {number} from {status} "
                f"to {u.values['status']}"
            )


@transaction.atomic
def import_members(
    parsed: csvio.ParseResult,
    *,
    unit: Unit,
    by: User | None,
    import_valid: bool = False,
    source: str = "upload",
    batch_size: int = 5000,
    written: Written = _nothing,
) -> ImportOutcome:
    """Write a checked register file; with errors, nothing changes unless ``import_valid``.

    ``parsed`` must have been checked against ``unit``'s branches (``csvio.parse`` with
    ``allowed_branches``) and matched with the register (``csvio.match_existing``, as
    ``queries.check_register`` does): its ``rows`` are added, its ``updates`` change the members
    they name, each with its own audit entry. Branches and members are checked again here.
    ``written`` is told how many of the rows and updates are written as they go (all of them
    land at the commit, or none).
    """
    _check(by, "edit_register", unit)
    if not parsed.header_ok:
        raise ActionRefused("the file's header is wrong: nothing can be imported")
    if parsed.errors and not import_valid:
        raise ActionRefused(
            f"{len(parsed.errors)} problem(s) in {parsed.bad_rows} row(s): nothing was imported; "
            "fix the file or choose to import the valid rows"
        )
    allowed = set(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    stray = next(
        (r for r in [*parsed.rows, *(u.row for u in parsed.updates)] if r.branch_id not in allowed),
        None,
    )
    if stray is not None:
        raise ActionRefused(f"row {stray.row}: its branch is outside {unit.name}")
    taken = registered_numbers([r.number for r in parsed.rows])
    if taken:
        first = min(taken)
        raise ActionRefused(
            f"{len(taken)} membership number(s) already in the register, e.g. {first}; "
            "check the file again"
        )
    _check_updates(parsed.updates, unit, allowed)
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    if postgres:
        # the branch and ward references checked as each row is written, not all at the commit:
        # the rows written so far are then the work done so far
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # rows written in bulk (no signal): the figures stored for the branches they are in, were
    # in or join are counted again
    touched = {r.branch_id for r in parsed.rows} | {u.row.branch_id for u in parsed.updates}
    touched |= _branches_before(parsed.updates)
    new = len(parsed.rows)
    _insert_rows(parsed.rows, batch_size, written)
    _update_rows(parsed.updates, batch_size, lambda n: written(new + n))
    if postgres:
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares every reference
    register_changed(touched)
    record_many(
        by,
        (
            (
                "update_member",
                f"member:{u.row.number}",
                f"changed {', '.join(u.columns)} of {u.row.name} ({u.row.number}) "
                f"by import from {source}",
                {
                    "changes": {c: [before, after] for c, before, after in u.changes},
                    "source": source,
                    "row": u.row.row,
                },
            )
            for u in parsed.updates
        ),
    )
    created, updated, skipped = len(parsed.rows), len(parsed.updates), parsed.bad_rows
    record(
        by,
        "import_members",
        f"unit:{unit.pk}",
        f"imported {created} member(s)"
        + (f" and updated {updated}" if updated else "")
        + f" into {unit.name} from {source}"
        + (f", skipping {skipped} row(s) with errors" if skipped else ""),
        detail={
            "created": created,
            "updated": updated,
            "unchanged": parsed.unchanged,
            "skipped_rows": sorted({e.row for e in parsed.errors})[:1000],
            "source": source,
        },
    )
    return ImportOutcome(created, skipped, updated, parsed.unchanged)
