"""Model objects read with plain SQL on the hottest paths, converted as the ORM converts them.

A request that casts a ballot reads the signed-in user, the election and the voter. Building
those queries with the ORM (or even ``Model.objects.raw``, which works out the columns and
their converters at every call) cost more CPU than the database took to answer them. Here the
column list and each column's converters (the database backend's and the field's own: dates
stored as text on SQLite, JSON columns) are worked out once per model and database, and a row
becomes an object through ``Model.from_db``, as a queryset's rows do.

    sql = f"SELECT {select_list(Election, 'e')} FROM elections_election e WHERE e.id = %s"
    found = fetch_one(Election, sql, [pk])   # (election, extra values after its columns)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, models

__all__ = ["fetch_one", "select_list"]

M = TypeVar("M", bound=models.Model)

Converter = Callable[[Any, Any, Any], Any]
# (database alias, model) -> attribute names, and each column's converters with its expression
_PLANS: dict[tuple[str, type[models.Model]], tuple[list[str], list[tuple[list[Converter], Any]]]]
_PLANS = {}


def select_list(model: type[models.Model], alias: str) -> str:
    """The model's columns, in field order, for a SELECT over the table named ``alias``."""
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


def _plan(
    model: type[models.Model], using: str
) -> tuple[list[str], list[tuple[list[Converter], Any]]]:
    plan = _PLANS.get((using, model))
    if plan is None:
        connection = connections[using]
        fields = model._meta.concrete_fields
        converters = []
        for f in fields:
            col = f.get_col(model._meta.db_table)
            converters.append(
                (connection.ops.get_db_converters(col) + f.get_db_converters(connection), col)
            )
        plan = [f.attname for f in fields], converters
        _PLANS[(using, model)] = plan
    return plan


def fetch_one(
    model: type[M], sql: str, params: Sequence[Any], using: str = "default"
) -> tuple[M, tuple[Any, ...]] | None:
    """The first row of ``sql`` (which selects ``select_list(model, …)`` first) as a ``model``
    object, with the row's further values as they came; ``None`` if there is no row."""
    connection = connections[using]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    if row is None:
        return None
    names, converters = _plan(model, using)
    values = []
    for value, (funcs, col) in zip(row, converters, strict=False):
        for func in funcs:
            value = func(value, col, connection)
        values.append(value)
    return model.from_db(using, names, values), tuple(row[len(names) :])
