"""The demo's subscriptions: a year of monthly payments by every full or provisional member,
split under the rule members cite (£52.56 a year at the standard rate, £2.50 of it to the
branch) and, from the first of the month four months ago, under a changed rule giving the
branch 10% and the region and ward a share; and the national office's remittances to branches,
one branch short for one month so its remittances page shows a difference.

Written through the actions (a payments file recorded for the national unit, each remittance),
so the audit log shows how it came about. Runs after ``members.demo.seed``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Sum

from grassroots.finance.actions.subscriptions import (
    create_rule,
    import_payments,
    record_remittance,
)
from grassroots.finance.models import Payment
from grassroots.finance.payments_csv import PaymentRow, PaymentsFile
from grassroots.members.models import Member, Unit

__all__ = ["CHANGED", "CITED", "seed"]


def _split(national: int, branch: int, region: int = 0, ward: int = 0) -> dict[str, Any]:
    shares = {"national": national, "region": region, "branch": branch, "ward": ward}
    return {"rate": sum(shares.values()), "shares": {k: v for k, v in shares.items() if v}}


# pence a year per band, and each level's share of it
CITED = {
    "standard": _split(5006, 250),
    "reduced": _split(2503, 125),
    "youth": _split(1143, 57),
    "student": _split(1143, 57),
    "unwaged": _split(571, 29),
    "retired": _split(2503, 125),
}
# 10% to the branch, 5% each to the region and the ward
CHANGED = {
    "standard": _split(4204, 526, 263, 263),
    "reduced": _split(2102, 263, 131, 132),
    "youth": _split(960, 120, 60, 60),
    "student": _split(960, 120, 60, 60),
    "unwaged": _split(480, 60, 30, 30),
    "retired": _split(2102, 263, 131, 132),
}


def _month(today: dt.date, back: int) -> dt.date:
    y, m = divmod(today.year * 12 + today.month - 1 - back, 12)
    return dt.date(y, m + 1, 1)


def seed(today: dt.date | None = None) -> int:
    """Add the demo's subscriptions; return how many payments were recorded."""
    today = today or dt.date.today()
    first = _month(today, 11)
    changed = _month(today, 3)
    create_rule(
        effective_from=dt.date(first.year - 1, 1, 1),
        bands=CITED,
        reason="the rates and split members cite: £2.50 of £52.56 reaches the branch",
        by=None,
    )
    create_rule(
        effective_from=changed,
        bands=CHANGED,
        reason="conference decision: 10% of every subscription to the branch, 5% each to "
        "the region and the ward",
        by=None,
    )
    months = [_month(today, back) for back in range(11, -1, -1)]
    rows: list[PaymentRow] = []
    members = Member.objects.filter(status__in=("full", "provisional")).values_list(
        "pk", "number", "rate_band", "join_date"
    )
    for pk, number, band, joined in members.iterator(chunk_size=5000):
        monthly = CITED.get(band, CITED["standard"])["rate"] // 12
        for month in months:
            if month >= joined:
                ref = f"demo-{number}-{month:%Y%m}"
                rows.append(PaymentRow(len(rows) + 2, pk, number, month, monthly, band, ref))
    national = Unit.objects.get(parent=None, kind="national")
    import_payments(PaymentsFile("own", rows), unit=national, by=None, filename="demo seed")
    # the national office pays each branch its share a month in arrears; Hillford's last month
    # arrives short (£5, or half of it if that is less)
    for branch in Unit.objects.filter(kind="branch").order_by("path"):
        for month in months[:-1]:
            owed = Payment.objects.filter(
                split__branch=branch, paid_on__gte=month, paid_on__lt=_month(month, -1)
            ).aggregate(s=Sum("split__branch_pence"))["s"]
            if not owed:
                continue
            last = month == months[-2]
            short = min(500, owed // 2) if last and branch.code == "hillford" else 0
            amount = owed - short
            record_remittance(
                branch,
                period=month,
                paid_on=min(_month(month, -1) + dt.timedelta(days=9), today),
                amount=amount,
                reference=f"BACS {branch.code.upper()} {month:%Y-%m}",
                by=None,
            )
    return len(rows)
