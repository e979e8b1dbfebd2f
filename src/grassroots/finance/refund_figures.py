"""What refunds took back, for the subscription figures: each is counted in the month it was
made (as the money left then), against the units of the payment it refunds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum
from django.db.models.functions import ExtractMonth

from grassroots.finance.models import Refund

__all__ = ["RefundKind", "by_month", "by_unit", "in_period", "kinds_in_year", "of_payments"]


def _year(year: int) -> dict[str, dt.date]:
    return {"refunded_on__gte": dt.date(year, 1, 1), "refunded_on__lt": dt.date(year + 1, 1, 1)}


def by_month(level: str, unit_id: int, year: int) -> dict[int, int]:
    """Month number → pence taken back from the unit (at ``level``) by refunds in ``year``."""
    return {
        row["month"]: row["s"] or 0
        for row in Refund.objects.filter(**{f"payment__split__{level}_id": unit_id}, **_year(year))
        .annotate(month=ExtractMonth("refunded_on"))
        .values("month")
        .annotate(s=Sum(f"{level}_pence"))
        .order_by()
    }


def by_unit(level: str, year: int) -> dict[int, int]:
    """Unit id → pence taken back from it (at ``level``) by refunds in ``year``."""
    return dict(
        Refund.objects.filter(**_year(year))
        .exclude(**{f"payment__split__{level}_id": None})
        .values_list(f"payment__split__{level}_id")
        .annotate(s=Sum(f"{level}_pence"))
        .order_by()
    )


def in_period(level: str, start: dt.date, end: dt.date) -> dict[int, int]:
    """Unit id → pence taken back from it (at ``level``) by refunds from ``start`` to before
    ``end``."""
    return dict(
        Refund.objects.filter(refunded_on__gte=start, refunded_on__lt=end)
        .exclude(**{f"payment__split__{level}_id": None})
        .values_list(f"payment__split__{level}_id")
        .annotate(s=Sum(f"{level}_pence"))
        .order_by()
    )


def of_payments(payment_ids: list[int]) -> dict[int, list[Refund]]:
    """Each payment's refunds, oldest first."""
    out: dict[int, list[Refund]] = defaultdict(list)
    for r in Refund.objects.filter(payment_id__in=payment_ids).order_by("refunded_on", "pk"):
        out[r.payment_id].append(r)
    return out


# (rule id, band, payment's amount, has a region, has a ward, refunded before, the refund)
RefundKind = tuple[int, str, int, bool, bool, int, int]


def kinds_in_year(level: str, unit_id: int, year: int) -> dict[RefundKind, tuple[int, int]]:
    """The refunds made in ``year`` of payments whose share at ``level`` went to the unit, by
    kind: the payment's rule, band and amount, whether its member had a region and a ward, what
    earlier refunds of it had taken back and the refund's amount (what splitting it again under
    another rule needs) → how many refunds and the pence they took back from the unit."""
    of_unit = {f"payment__split__{level}_id": unit_id}
    rows = list(
        Refund.objects.filter(**of_unit, **_year(year)).values_list(
            "pk", "payment_id", "amount", f"{level}_pence", "payment__split__rule_id",
            "payment__split__band", "payment__split__amount", "payment__split__region_id",
            "payment__split__ward_id",
        )
    )  # fmt: skip
    before: dict[int, int] = {}  # refund id → what the payment's earlier refunds took back
    taken: dict[int, int] = defaultdict(int)
    for pk, payment_id, amount in (
        Refund.objects.filter(payment_id__in={r[1] for r in rows})
        .order_by("pk")  # recorded in this order, each split after the ones before it
        .values_list("pk", "payment_id", "amount")
    ):
        before[pk] = taken[payment_id]
        taken[payment_id] += amount
    out: dict[RefundKind, tuple[int, int]] = {}
    for pk, _, amount, pence, rule_id, band, paid, region, ward in rows:
        key = (rule_id, band, paid, region is not None, ward is not None, before[pk], amount)
        n, s = out.get(key, (0, 0))
        out[key] = (n + 1, s + pence)
    return out
