"""The books' read side: balances, statements of a period, the beancount export."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Sum

from grassroots.finance import ledger
from grassroots.finance.beancount_export import BookAccount, BookTransaction, export
from grassroots.finance.models import Account, Budget, Leg, Spend, Transaction
from grassroots.members.models import Unit

__all__ = [
    "account_totals",
    "actual_against_budget",
    "approval_words",
    "beancount_text",
    "transactions_of",
]


def transactions_of(
    unit: Unit, start: dt.date | None = None, end: dt.date | None = None
) -> list[Transaction]:
    qs = Transaction.objects.filter(unit=unit)
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    return list(
        qs.select_related("spend", "spend__decision", "spend__decision__meeting")
        .prefetch_related(Prefetch("legs", queryset=Leg.objects.select_related("account")))
        .order_by("date", "pk")
    )


def approval_words(t: Transaction) -> str:
    spend: Spend | None = getattr(t, "spend", None)
    if spend is None:
        return ""
    if spend.state == "unapproved":
        return "UNAPPROVED: paid without an approved spend"
    if spend.decision is not None:
        return f"{spend.decision.question} ({spend.decision.meeting.title})"
    return "approved under the spending threshold"


def beancount_text(unit: Unit) -> str:
    accounts = [
        BookAccount(a.code, a.name, a.category, a.currency, a.opened)  # type: ignore[arg-type]
        for a in Account.objects.filter(unit=unit)
    ]
    txns = [
        BookTransaction(
            t.pk,
            t.date,
            t.payee,
            t.description,
            [ledger.Leg(leg.account.code, leg.amount, leg.currency) for leg in t.legs.all()],
            approval_words(t),
        )
        for t in transactions_of(unit)
    ]
    return export(unit.code, unit.name, accounts, txns)


def account_totals(unit: Unit, start: dt.date | None, end: dt.date) -> dict[int, Decimal]:
    """Each account's sum of legs (debits positive) from ``start`` (or the beginning) to
    ``end``, inclusive."""
    qs = Leg.objects.filter(transaction__unit=unit, transaction__date__lte=end)
    if start is not None:
        qs = qs.filter(transaction__date__gte=start)
    out: dict[int, Decimal] = defaultdict(Decimal)
    for row in qs.values("account_id").annotate(total=Sum("amount")):
        out[row["account_id"]] = row["total"]
    return dict(out)


def actual_against_budget(budget: Budget) -> list[dict[str, Any]]:
    """Each budget line with what was actually received or spent on it in the year, the
    difference, and bar lengths (percent of the largest figure) for the chart."""
    start, end = dt.date(budget.year, 1, 1), dt.date(budget.year, 12, 31)
    totals = account_totals(budget.unit, start, end)
    rows = []
    for line in budget.lines.select_related("account").order_by(
        "account__category", "account__name"
    ):
        sign = ledger.normal_balance(line.account.category)  # type: ignore[arg-type]
        actual = sign * totals.get(line.account_id, Decimal(0))
        rows.append(
            {
                "account": line.account,
                "budget": line.amount,
                "actual": actual,
                "difference": actual - line.amount,
            }
        )
    largest = max(
        [abs(r["budget"]) for r in rows] + [abs(r["actual"]) for r in rows] + [Decimal(1)]
    )
    for i, r in enumerate(rows):
        r["budget_pct"] = float(abs(r["budget"]) * 100 / largest)
        r["actual_pct"] = float(abs(r["actual"]) * 100 / largest)
        r["y"] = i * 56
    return rows
