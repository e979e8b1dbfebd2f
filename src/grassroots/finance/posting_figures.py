"""A unit's subscription income as its books hold it: the months' shares and the remittances
posted to its ledger (``actions.postings``), for the member's and the remittances pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse

from grassroots.finance.models import PublishedAccounts, SubscriptionPosting
from grassroots.members.models import Unit

__all__ = ["BooksIncome", "books_income"]


@dataclass
class BooksIncome:
    unit: Unit
    year: int
    # (month, "share" or "remittance", pence, the unit's transaction id)
    postings: list[tuple[dt.date, str, int, int]] = field(default_factory=list)
    income: int = 0  # the shares posted as income
    remitted: int = 0  # the remittances posted through its bank
    accounts_url: str = ""  # the income line of its latest published accounts in the year
    accounts_period: tuple[dt.date, dt.date] | None = None

    @property
    def due(self) -> int:
        return self.income - self.remitted


def books_income(unit: Unit, year: int) -> BooksIncome:
    out = BooksIncome(unit, year)
    for period, kind, pence, txn in (
        SubscriptionPosting.objects.filter(unit=unit, period__year=year)
        .order_by("period", "pk")
        .values_list("period", "kind", "pence", "unit_transaction_id")
    ):
        out.postings.append((period, kind, pence, txn))
        if kind == "share":
            out.income += pence
        else:
            out.remitted += pence
    published = (
        PublishedAccounts.objects.filter(
            unit=unit,
            state="published",
            start__lte=dt.date(year, 12, 31),
            end__gte=dt.date(year, 1, 1),
        )
        .order_by("-end")
        .first()
    )
    if published is not None:
        out.accounts_url = (
            reverse("finance:accounts", kwargs={"code": unit.code, "pk": published.pk})
            + "#line-subscriptions"
        )
        out.accounts_period = (published.start, published.end)
    return out
