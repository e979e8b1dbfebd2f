"""The books' read side: balances, statements of a period, the beancount export."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, Sum

from grassroots.finance import ledger
from grassroots.finance.beancount_export import BookAccount, BookTransaction, export
from grassroots.finance.models import Account, Leg, Spend, Transaction
from grassroots.members.models import Unit

__all__ = ["account_totals", "beancount_text", "transactions_of"]


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


def _approval_words(t: Transaction) -> str:
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
            _approval_words(t),
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
