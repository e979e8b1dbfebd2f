"""The register a page at a time by seeking, not skipping: the page after (or before) a member
names that member, and the database reads from there along the sort's index, so the
10,000th page of a national register costs what the first does (``OFFSET`` read and threw
away every member before it: 0.5 s and more at 500,000).

Any sort works: the order is the sort's fields then the membership number (unique), so the
member a page starts after fixes the place exactly. A field that may be empty (ward, paid up
to) sorts its empty values after every other when ascending and before them when descending,
on every database (PostgreSQL's own choice, made explicit for SQLite).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OrderBy, Q, QuerySet

from grassroots.members.models import Member

__all__ = ["NULLABLE", "Seek", "order_by", "seek_page"]

# sort fields a member may have no value in
NULLABLE = frozenset({"ward__name", "paid_up_to"})

PAGE_SIZE = 50


def order_by(fields: Sequence[str], descending: bool) -> list[OrderBy]:
    """The ordering of ``fields`` (the last one unique), every field in the same direction."""
    out = []
    for f in fields:
        if f in NULLABLE:
            out.append(F(f).desc(nulls_first=True) if descending else F(f).asc(nulls_last=True))
        else:
            out.append(F(f).desc() if descending else F(f).asc())
    return out


def _beyond(fields: Sequence[str], values: Sequence[Any], descending: bool) -> Q:
    """Members strictly after the one with ``values`` in the order of ``fields``."""
    f, v = fields[0], values[0]
    if v is None:  # empty sorts last ascending, first descending
        past = Q(pk__in=[]) if not descending else Q(**{f"{f}__isnull": False})
        same = Q(**{f"{f}__isnull": True})
    else:
        past = Q(**{f"{f}__{'lt' if descending else 'gt'}": v})
        if f in NULLABLE and not descending:
            past |= Q(**{f"{f}__isnull": True})
        same = Q(**{f: v})
    if len(fields) == 1:
        return past
    q = past | (same & _beyond(fields[1:], values[1:], descending))
    if v is not None and f not in NULLABLE:
        # the same set, said so that the database reads the sort's index from ``v`` on
        q = Q(**{f"{f}__{'lte' if descending else 'gte'}": v}) & q
    return q


@dataclass(frozen=True)
class Seek:
    """One page of the register, and where the pages beside it start."""

    members: list[Member]
    after: str  # the member number the next page starts after; "" if this is the last page
    before: str  # the number the previous page ends before; "" if this is the first page
    problem: str  # a cursor that names no member, said in words; "" if none


def seek_page(
    members: QuerySet[Member],
    fields: Sequence[str],
    descending: bool,
    params: Mapping[str, str],
    size: int | None = None,
) -> Seek | None:
    """The page after ``params["after"]`` or before ``params["before"]`` (membership numbers),
    or None when neither is given (the first page, or a page by number)."""
    after, before = params.get("after", "").strip(), params.get("before", "").strip()
    cursor = after or before
    if not cursor:
        return None
    size = size or PAGE_SIZE
    values = Member.objects.filter(number=cursor).values_list(*fields).first()
    if values is None:
        first = list(members.order_by(*order_by(fields, descending))[: size + 1])
        more = len(first) > size
        first = first[:size]
        problem = f"No member has the number {cursor}: this is the first page."
        return Seek(first, first[-1].number if more and first else "", "", problem)
    forward = bool(after)
    way = descending if forward else not descending
    rows = list(
        members.filter(_beyond(fields, values, way)).order_by(*order_by(fields, way))[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not rows:
        return Seek([], "", "", "")
    first_values = [_value(rows[0], f) for f in fields]
    last_values = [_value(rows[-1], f) for f in fields]
    if forward:
        behind = members.filter(_beyond(fields, first_values, not descending)).exists()
        return Seek(rows, rows[-1].number if more else "", rows[0].number if behind else "", "")
    ahead = members.filter(_beyond(fields, last_values, descending)).exists()
    return Seek(rows, rows[-1].number if ahead else "", rows[0].number if more else "", "")


def _value(m: Member, field: str) -> Any:
    obj: Any = m
    for part in field.split("__"):
        obj = getattr(obj, part) if obj is not None else None
    return obj
