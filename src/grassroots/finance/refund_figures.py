"""What refunds took back, for the subscription figures: each is counted in the month it was
made (as the money left then), against the units of the payment it refunds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum
from django.db.models.functions import ExtractMonth

from grassroots.finance.models import Refund

__all__ = ["by_month", "by_unit", "in_period", "of_payments"]


def _year(year: int) -> dict[str, dt.date]:
    return {"refunded_on__gte": dt.date(year, 1, 1), "refunded_on__lt": dt.date(year + 1, 1, 1)}


def by_month(level: str, unit_id: int, year: int) -> dict[int, int]:
    """Month number → pence taken back from the unit (at ``level``) by refunds in ``year``."""
    return {
        row["month"]: row["s"] or 0
        for row in Refund.objects.filter(**{f"payment__{level}_id": unit_id}, **_year(year))
        .annotate(month=ExtractMonth("refunded_on"))
        .values("month")
        .annotate(s=Sum(f"{level}_pence"))
        .order_by()
    }


def by_unit(level: str, year: int) -> dict[int, int]:
    """Unit id → pence taken back from it (at ``level``) by refunds in ``year``."""
    return dict(
        Refund.objects.filter(**_year(year))
        .exclude(**{f"payment__{level}_id": None})
        .values_list(f"payment__{level}_id")
        .annotate(s=Sum(f"{level}_pence"))
        .order_by()
    )


def in_period(level: str, start: dt.date, end: dt.date) -> dict[int, int]:
    """Unit id → pence taken back from it (at ``level``) by refunds from ``start`` to before
    ``end``."""
    return dict(
        Refund.objects.filter(refunded_on__gte=start, refunded_on__lt=end)
        .exclude(**{f"payment__{level}_id": None})
        .values_list(f"payment__{level}_id")
        .annotate(s=Sum(f"{level}_pence"))
        .order_by()
    )


def of_payments(payment_ids: list[int]) -> dict[int, list[Refund]]:
    """Each payment's refunds, oldest first."""
    out: dict[int, list[Refund]] = defaultdict(list)
    for r in Refund.objects.filter(payment_id__in=payment_ids).order_by("refunded_on", "pk"):
        out[r.payment_id].append(r)
    return out
