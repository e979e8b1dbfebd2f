"""Figures over a unit's members counted once and stored, used while its register is unchanged.

A national register's counts by status and arrears, and the national delegates' table, read
every one of 500,000 members: a quarter of a second and two seconds a request. Both are sums
of figures per unit (each unit's own members), so each unit's figures are counted once (per day
for the register's counts, per snapshot date for the delegates) and kept in ``BranchTally``
with the unit's ``register_version`` at that moment. Every change to a member raises the
version of its unit (and of the unit it left): ``register_changed``, called by the members'
actions and, for any other ``save`` or ``delete`` of a member, by a signal. A stored figure
whose version is no longer the unit's is counted again, for that unit only.

The version is read before counting: a change committed while the figures are being counted
leaves them stored under the version before it, so they are counted again at the next read
rather than kept stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, Count, F, Q, QuerySet, When
from django.db.models.expressions import RawSQL

from grassroots.members.eligibility import STATUSES
from grassroots.members.models import BranchTally, Member, Unit

__all__ = [
    "WOMEN",
    "Tree",
    "delegate_figures",
    "members_of",
    "register_cells",
    "register_changed",
    "unit_versions",
]

# Self-described genders counted as women for delegate figures (configuration, not judgement).
WOMEN = ("woman", "female", "f", "w", "trans woman")

Figures = dict[str, int]


def register_changed(unit_ids: Iterable[int | None]) -> None:
    """Members of these units changed (added, edited, moved, removed): figures stored for them
    are counted again when next read. Call inside the change's transaction."""
    ids = {i for i in unit_ids if i is not None}
    if ids:
        Unit.objects.filter(pk__in=ids).update(register_version=F("register_version") + 1)


@dataclass(frozen=True)
class Tree:
    """A unit and every unit below it: ids, and each branch's register version now."""

    path: str
    ids: list[int]
    versions: dict[int, int]  # branch id -> register version (members belong to branches)
    whole: bool  # the tree holds every unit: its members are the whole register


def unit_versions(unit: Unit) -> Tree:
    """``unit``'s tree as the register and its figures need it (two small queries)."""
    rows = list(
        Unit.objects.filter(path__startswith=unit.path).values_list(
            "pk", "kind", "register_version"
        )
    )
    whole = unit.parent_id is None and not (
        Unit.objects.filter(parent__isnull=True).exclude(pk=unit.pk).exists()
    )
    return Tree(
        unit.path,
        [pk for pk, _, _ in rows],
        {pk: v for pk, kind, v in rows if kind == "branch"},
        whole,
    )


def in_units(ids: list[int]) -> Q | RawSQL:
    """Members whose branch is one of ``ids``, named by id so that PostgreSQL knows from its
    statistics how many a branch holds. On PostgreSQL the ids go as one array: as a list of
    1,800 parameters the driver took longer to write the statement than the database to
    answer it."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Member._meta.db_table)
        return RawSQL(f"{table}.branch_id = ANY(%s)", (ids,), output_field=BooleanField())
    return Q(branch_id__in=ids)


def members_of(tree: Tree) -> QuerySet[Member]:
    """The members of the tree's units; the whole register needs no condition."""
    return Member.objects.all() if tree.whole else Member.objects.filter(in_units(tree.ids))


def _stored(
    kind: str,
    on: dt.date,
    versions: dict[int, int],
    count: Callable[[list[int]], dict[int, Figures]],
    where: Q | None = None,
) -> dict[int, Figures]:
    """Each unit's figures: stored ones at the unit's version, the rest counted and stored.
    ``where`` selects the stored figures of these units (a long list of ids costs more)."""
    out: dict[int, Figures] = {}
    for unit_id, version, figures in BranchTally.objects.filter(
        where if where is not None else Q(unit_id__in=list(versions)), kind=kind, on=on
    ).values_list("unit_id", "version", "figures"):
        if versions.get(unit_id) == version:
            out[unit_id] = figures
    missing = [i for i in versions if i not in out]
    if missing:
        counted = count(missing)
        fresh = [
            BranchTally(
                unit_id=i, kind=kind, on=on, version=versions[i], figures=counted.get(i, {})
            )
            for i in missing
        ]
        BranchTally.objects.bulk_create(
            fresh,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["unit", "kind", "on"],
            update_fields=["version", "figures"],
        )
        for t in fresh:
            out[t.unit_id] = t.figures
        if kind == "register":  # yesterday's counts are never read again
            BranchTally.objects.filter(kind="register", on__lt=on).delete()
        else:  # the delegates page reads any snapshot date asked: the latest few are kept
            _keep_latest_snapshots(kind)
    return out


# snapshot dates whose delegate figures are kept (a row per branch each): enough for the
# dates officers compare, while trying date after date stores no more than this
KEPT_SNAPSHOTS = 12


def _keep_latest_snapshots(kind: str) -> None:
    """Drop the figures of all but the latest ``KEPT_SNAPSHOTS`` dates (an earlier date asked
    again is counted again)."""
    dates = BranchTally.objects.filter(kind=kind).values_list("on", flat=True).distinct()
    kept = list(dates.order_by("-on")[:KEPT_SNAPSHOTS])
    if len(kept) == KEPT_SNAPSHOTS:
        BranchTally.objects.filter(kind=kind, on__lt=kept[-1]).delete()


def _paid(today: dt.date) -> Q:
    return Q(paid_up_to__gte=today)


def register_cells(tree: Tree, today: dt.date) -> dict[tuple[str, bool], int]:
    """The members of the tree on ``today`` by (status, paid up): what the register page sums
    into every count it shows when nothing is searched for."""

    def count(ids: list[int] | None) -> dict[int, Figures]:
        out: dict[int, Figures] = {}
        # ids None: the members of the tree's units that are not branches (none, unless put
        # there other than by the actions, which refuse it)
        others = [i for i in tree.ids if i not in tree.versions]
        members = Member.objects.filter(in_units(ids if ids is not None else others))
        rows = (
            members.order_by()
            .annotate(paid=Case(When(_paid(today), then=True), default=False))
            .values_list("branch_id", "status", "paid")
            .annotate(n=Count("id"))
        )
        for unit_id, status, paid, n in rows:
            key = f"{status} {'paid' if paid else 'unpaid'}"
            cell = out.setdefault(unit_id, {})
            cell[key] = cell.get(key, 0) + n
        return out

    cells: dict[tuple[str, bool], int] = {}
    scope = Q(unit__path__startswith=tree.path, unit__kind="branch")
    stored = _stored("register", today, tree.versions, count, scope)
    for figures in [*stored.values(), *count(None).values()]:
        for key, n in figures.items():
            status, paid = key.split(" ")
            cells[(status, paid == "paid")] = cells.get((status, paid == "paid"), 0) + n
    return cells


def _years_before(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


COUNTED_STATUSES = ("provisional", "full", "suspended")  # paying dues: not lapsed or expelled
assert set(COUNTED_STATUSES) <= set(STATUSES)


def delegate_figures(
    versions: dict[int, int], snapshot: dt.date, where: Q | None = None
) -> dict[int, Figures]:
    """Per branch at ``snapshot``: members paying dues then ("members"), of them women ("women")
    and those under 27 ("young")."""
    young_after = _years_before(snapshot, 27)

    def count(ids: list[int]) -> dict[int, Figures]:
        # the word in any case: one comparison a word, where a regular expression per member
        # took seconds over a national register
        women = Q.create([("gender__iexact", w) for w in WOMEN], connector=Q.OR)
        rows = (
            Member.objects.filter(in_units(ids))
            .filter(
                join_date__lte=snapshot,
                paid_up_to__gte=snapshot,
                status__in=COUNTED_STATUSES,
            )
            .order_by()
            .values("branch_id")
            .annotate(
                n=Count("id"),
                women=Count("id", filter=women),
                young=Count("id", filter=Q(birth_date__gt=young_after)),
            )
        )
        return {
            r["branch_id"]: {"members": r["n"], "women": r["women"], "young": r["young"]}
            for r in rows
        }

    return _stored("delegates", snapshot, versions, count, where)


def forget_member(instance: Any, **kwargs: Any) -> None:
    """Signal receiver: a member saved or deleted outside the actions still changes the figures
    of its unit."""
    register_changed([instance.branch_id])
