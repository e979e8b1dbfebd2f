"""Writing many rows in few statements, on SQLite and PostgreSQL.

One INSERT of many rows instead of one statement per row: the database parses and plans once,
and Python binds the values in one call.

- SQLite: ``VALUES (...), (...)`` with as many rows as the bound-value limit allows. SQLite
  bumps a table's AUTOINCREMENT counter once per statement rather than per row (about half the
  time of ``executemany`` for a month of 500,000 payments).
- PostgreSQL: one array per column, ``SELECT * FROM unnest(...)``. A statement of thousands of
  placeholders costs the driver more than the database: psycopg parses every placeholder of a
  query this long each time (it caches only short ones), which took a third of a second for a
  month's 10,000 figure rows; a handful of arrays costs it nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from itertools import chain
from typing import Any

from django.db import connection, models

__all__ = ["insert_rows", "values_per_statement"]

_POSTGRESQL_VALUES = 65_535  # the protocol's limit on one statement's bound values
_MOST_ROWS = 5_000
_MOST_ROWS_IN_ARRAYS = 100_000  # PostgreSQL: bounds the arrays' memory, not a protocol limit


def values_per_statement() -> int:
    """How many values one statement may bind on this connection."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        raw: Any = connection.connection
        return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return _POSTGRESQL_VALUES


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    constants: Sequence[str] = (),
    suffix: str = "",
) -> None:
    """INSERT ``rows`` (values for ``columns``, in order) into ``model``'s table, many per
    statement.

    ``constants`` are SQL literals appended to every row for the columns after ``columns``
    (named in ``columns`` too): values the same for every row, written once instead of bound
    per row. They are the caller's own literals, never user input. ``suffix`` follows each
    statement (an ``ON CONFLICT`` clause); with one, no two rows may share a conflict key.
    """
    if not rows:
        return
    bound = len(columns) - len(constants)
    quoted = connection.ops.quote_name
    head = f"INSERT INTO {quoted(model._meta.db_table)} ({', '.join(quoted(c) for c in columns)}) "
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            by_column = {f.column: f for f in model._meta.concrete_fields}
            arrays = ", ".join(f"%s::{by_column[c].db_type(connection)}[]" for c in columns[:bound])
            select = ", ".join(["u.*", *constants])
            sql = f"{head}SELECT {select} FROM unnest({arrays}) AS u{suffix}"
            for i in range(0, len(rows), _MOST_ROWS_IN_ARRAYS):
                part = rows[i : i + _MOST_ROWS_IN_ARRAYS]
                cur.execute(sql, [list(values) for values in zip(*part, strict=True)])
            return
        one = "(" + ", ".join(["%s"] * bound + list(constants)) + ")"
        step = max(1, min(_MOST_ROWS, values_per_statement() // max(bound, 1)))
        for i in range(0, len(rows), step):
            part = rows[i : i + step]
            cur.execute(
                head + "VALUES " + ", ".join([one] * len(part)) + suffix,
                list(chain.from_iterable(part)),
            )
