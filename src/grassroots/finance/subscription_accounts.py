"""Every unit's subscription accounts for a year at once: what ``unit_year`` gives one unit (its
share by month less refunds, what its members paid in, its payers, the units below it) and what
the national office owes it by month (``remittances``' owed column), for the whole tree in a few
queries over the kept figures instead of several per unit."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum
from django.db.models.functions import ExtractMonth

from grassroots.finance.apportion import LEVELS
from grassroots.finance.models import PaymentFigure, Refund
from grassroots.finance.subscription_figures import MONTHS, UnitYear, _figures
from grassroots.members.models import Unit

__all__ = ["every_unit_year"]

_BELOW = {"national": "region", "region": "branch", "branch": "ward"}


def _refunds(year: int) -> dict[tuple[int, int], int]:
    """(unit id, month number) → pence refunds in ``year`` took back from the unit."""
    out: dict[tuple[int, int], int] = defaultdict(int)
    qs = Refund.objects.filter(
        refunded_on__gte=dt.date(year, 1, 1), refunded_on__lt=dt.date(year + 1, 1, 1)
    ).annotate(month=ExtractMonth("refunded_on"))
    for level in LEVELS:
        for unit_id, month, pence in (
            qs.exclude(**{f"payment__split__{level}_id": None})
            .values_list(f"payment__split__{level}_id", "month")
            .annotate(s=Sum(f"{level}_pence"))
            .order_by()
        ):
            out[(unit_id, month)] += pence or 0
    return out


def every_unit_year(year: int) -> list[UnitYear]:
    """Each unit that receives subscriptions, in the tree's order, with its year's accounts as
    ``unit_year`` gives them (``months`` holds what the national office owes it each month)."""
    units = list(Unit.objects.filter(kind__in=LEVELS).order_by("path"))
    months: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for unit_id, month, received, paid_in, n, payers in (
        _figures(PaymentFigure.objects.all(), year)
        .values_list("unit_id", "month")
        .annotate(
            Sum("received"), Sum("paid_in"), Sum("payments"), Sum("new_payers")
        )
        .order_by()
    ):  # fmt: skip
        m = months[unit_id][month.month]
        m[0] += received
        m[1] += n
        t = totals[unit_id]
        t[0] += received
        t[1] += paid_in
        t[2] += payers
        t[3] += n
    back = _refunds(year)
    refunded: dict[int, int] = defaultdict(int)
    for (unit_id, _), pence in back.items():
        refunded[unit_id] += pence
    children: dict[int, list[Unit]] = defaultdict(list)
    for u in units:
        if u.parent_id is not None:
            children[u.parent_id].append(u)
    out = []
    for u in units:
        t = totals[u.pk]
        by_month = [
            (MONTHS[m - 1], months[u.pk][m][0] - back.get((u.pk, m), 0), months[u.pk][m][1])
            for m in range(1, 13)
        ]
        year_of = UnitYear(
            u, u.kind, year, t[0] - refunded[u.pk], t[1], t[2], t[3], by_month,
            refunded=refunded[u.pk],
        )  # fmt: skip
        below = _BELOW.get(u.kind)
        if below is not None:
            year_of.below = [
                (c, totals[c.pk][0] - refunded[c.pk])
                for c in sorted(children[u.pk], key=lambda c: c.pk)
                if c.kind == below
            ]
        out.append(year_of)
    by_kind: dict[str, int] = defaultdict(int)
    for y in out:
        by_kind[y.level] += y.received
    for y in out:
        if y.level == "national":
            y.levels = [(lv, by_kind[lv]) for lv in LEVELS]
    return out
