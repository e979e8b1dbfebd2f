"""Read-side use cases shared by the pages and the CLI: standing, electorates, delegate figures,
and checking a register file against the register before it is imported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from grassroots.dates import day
from grassroots.members import csvio
from grassroots.members.actions import IMPORT_STATUS_MOVES
from grassroots.members.delegates import Entitlement, Figures, Formula, entitlement
from grassroots.members.eligibility import (
    Decision,
    Electorate,
    ElectorateResult,
    decide,
    evaluate,
)
from grassroots.members.models import Affiliation, Member, Occasion, Unit
from grassroots.members.tallies import WOMEN, delegate_figures

__all__ = [
    "REASON_LABELS",
    "WOMEN",
    "BodyEntitlement",
    "BranchEntitlement",
    "check_register",
    "current_members",
    "delegate_table",
    "electorate_of",
    "standing",
    "unit_refs",
]

REASON_LABELS = {
    "status": "lapsed or expelled",
    "suspended": "suspended",
    "branch": "not a member of the branch",
    "freeze": "joined after the freeze date",
    "provisional": "in the provisional period",
    "min_length": "not a member long enough",
    "arrears": "in arrears",
}


def standing(member: Member, occasions: QuerySet[Occasion]) -> list[tuple[Occasion, Decision]]:
    """For each open occasion a member's branch takes part in, whether they may and why not."""
    facts = member.facts()
    ancestors = [int(p) for p in member.branch.path.strip("/").split("/")]
    if member.ward_id is not None:
        ancestors.append(member.ward_id)
    out = []
    for o in occasions.filter(is_open=True, unit_id__in=ancestors).select_related("unit"):
        out.append((o, decide(o.rule_set(), facts)))
    return out


def electorate_of(occasion: Occasion) -> tuple[int, ElectorateResult]:
    """Evaluate an occasion's rules for every member under its unit, in one pass."""
    # dates as text and parsed by numpy: converting 500 000 rows to date objects takes seconds
    unit = occasion.unit
    scope = Q(ward=unit) if unit.kind == "ward" else Q(branch__path__startswith=unit.path)
    rows = (
        Member.objects.filter(scope)
        .annotate(j=Cast("join_date", CharField()), p=Cast("paid_up_to", CharField()))
        .values_list("j", "p", "status", "branch_id")
    )
    cols = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    e = Electorate.from_iso(*cols)  # type: ignore[arg-type]
    return len(e), evaluate(occasion.rule_set(), e)


@dataclass(frozen=True)
class BodyEntitlement:
    """One branch's or affiliated body's figures, where they come from, and what the formula
    gives it."""

    body: Unit
    basis: str  # the figures' source in words, the first line of the working
    figures: Figures
    result: Entitlement

    @property
    def branch(self) -> Unit:
        return self.body


BranchEntitlement = BodyEntitlement  # the name it had when only branches were counted


def delegate_table(
    units: QuerySet[Unit], formula: Formula, snapshot: dt.date
) -> list[BodyEntitlement]:
    """Entitlement per branch and affiliated body at ``snapshot``.

    A branch counts its members paying dues then (not lapsed or expelled), with its women and
    young members, from figures counted once per snapshot date and kept while its register is
    unchanged (members.tallies); an affiliated body counts its affiliated membership as last
    recorded on or before the snapshot (``Affiliation``), whose women and young members are not
    recorded.
    """
    branches = list(units.filter(kind="branch").order_by("path"))
    counted = delegate_figures(
        {b.pk: b.register_version for b in branches},
        snapshot,
        Q(unit__in=units.filter(kind="branch").values("pk")),
    )
    out = []
    for b in branches:
        got = counted.get(b.pk, {})
        n = got.get("members", 0)
        fig = Figures(n, {"women": got.get("women", 0), "young": got.get("young", 0)})
        basis = f"{n} member{'s' if n != 1 else ''} paying dues on {day(snapshot)}"
        out.append(BodyEntitlement(b, basis, fig, entitlement(formula, fig)))
    affiliates = list(units.filter(kind="affiliate").order_by("path"))
    latest: dict[int, Affiliation] = {}
    for a in Affiliation.objects.filter(unit__in=affiliates, as_of__lte=snapshot).order_by("as_of"):
        latest[a.unit_id] = a
    for u in affiliates:
        a = latest.get(u.pk)
        if a is None:
            fig = Figures(0, {})
            basis = f"no affiliated membership recorded on or before {day(snapshot)}"
        else:
            fig = Figures(a.members, {})
            basis = f"{a.members} affiliated members, as recorded at {day(a.as_of)}"
        out.append(BodyEntitlement(u, basis, fig, entitlement(formula, fig)))
    return sorted(out, key=lambda row: row.body.path)


def unit_refs() -> dict[str, csvio.UnitRef]:
    """Every unit by code, as a register file names them."""
    return {
        code: csvio.UnitRef(pk, kind, parent)
        for code, pk, kind, parent in Unit.objects.values_list("code", "pk", "kind", "parent_id")
    }


_CURRENT = (
    "number", "id", "name", "email", "branch_id", "ward_id", "join_date", "status", "paid_up_to",
    "rate_band", "gender", "birth_date",
)  # fmt: skip


def _day(value: object) -> dt.date | None:
    # Django's drivers hand dates back as dates; a date kept as text is read as ISO all the same,
    # since a text value would otherwise differ from every date a file gives
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def current_members(numbers: list[str], chunk: int = 10000) -> dict[str, csvio.Current]:
    """The members already in the register among ``numbers``, by number.

    Plain SQL, as in ``registered_numbers``: a file re-importing a whole register asks this of
    every member, and the ORM's compiling and converting took most of the time.
    """
    qn = connection.ops.quote_name
    table, cols = qn(Member._meta.db_table), ", ".join(qn(c) for c in _CURRENT)
    out: dict[str, csvio.Current] = {}
    with connection.cursor() as cur:
        for i in range(0, len(numbers), chunk):
            part = numbers[i : i + chunk]
            marks = ", ".join(["%s"] * len(part))
            cur.execute(f"SELECT {cols} FROM {table} WHERE {qn('number')} IN ({marks})", part)
            for row in cur.fetchall():
                number, pk, name, email, branch, ward, join, status, paid, band, gender, birth = row
                out[number] = csvio.Current(
                    pk, name, email, branch, ward, _day(join), status, _day(paid), band, gender,
                    _day(birth),
                )  # fmt: skip
    return out


def check_register(
    text: str | Iterable[str], *, allowed_branches: set[int] | None
) -> csvio.ParseResult:
    """Check a register file row by row and match it with the register: new members, updates
    (within ``allowed_branches``), rows that change nothing, and errors."""
    refs = unit_refs()
    parsed = csvio.parse(text, refs, allowed_branches=allowed_branches)
    current = current_members([r.number for r in parsed.rows])
    return csvio.match_existing(
        parsed,
        current,
        refs,
        allowed_branches=allowed_branches,
        status_moves=IMPORT_STATUS_MOVES,
    )
