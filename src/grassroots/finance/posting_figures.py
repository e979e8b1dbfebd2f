"""A unit's subscription income as its books hold it: the months' shares and the remittances
posted to its ledger (``actions.postings``), for the member's and the remittances pages. Each
posting says where its transaction can be read: its row in the unit's accounts that hold it
(published ones for anyone; prepared ones too for those who may see the books), or that no
published accounts hold it yet."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.urls import reverse

from grassroots.finance.actions.postings import DUE, INCOME
from grassroots.finance.models import PublishedAccounts, SubscriptionPosting
from grassroots.members.models import Unit

__all__ = ["BooksIncome", "Posted", "books_income"]


@dataclass(frozen=True)
class Posted:
    """One posting: its month, "share" or "remittance", pence, the unit's transaction, and the
    accounts page row showing that transaction ("" when no accounts the reader sees hold it)."""

    period: dt.date
    kind: str
    pence: int
    transaction: int
    url: str = ""
    accounts: PublishedAccounts | None = None


@dataclass
class BooksIncome:
    unit: Unit
    year: int
    postings: list[Posted] = field(default_factory=list)
    income: int = 0  # the shares posted as income
    remitted: int = 0  # the remittances posted through its bank
    accounts_url: str = ""  # the income line of its latest published accounts in the year
    accounts_period: tuple[dt.date, dt.date] | None = None

    @property
    def due(self) -> int:
        return self.income - self.remitted


def _holding(unit: Unit, year: int, drafts: bool) -> list[tuple[PublishedAccounts, set[int]]]:
    """The unit's accounts overlapping ``year`` that the reader sees (published first, then the
    latest), each with the transactions it holds."""
    found = PublishedAccounts.objects.filter(
        unit=unit, start__lte=dt.date(year, 12, 31), end__gte=dt.date(year, 1, 1)
    )
    if not drafts:
        found = found.filter(state="published")
    ordered = sorted(found, key=lambda a: (a.state != "published", -a.end.toordinal()))
    return [(a, {t["id"] for t in json.loads(a.content)["transactions"]}) for a in ordered]


def books_income(unit: Unit, year: int, *, drafts: bool = False) -> BooksIncome:
    """``drafts``: the reader may see the books, so accounts not yet published are shown too."""
    out = BooksIncome(unit, year)
    holding = _holding(unit, year, drafts)
    for period, kind, pence, txn in (
        SubscriptionPosting.objects.filter(unit=unit, period__year=year)
        .order_by("period", "pk")
        .values_list("period", "kind", "pence", "unit_transaction_id")
    ):
        acc = next((a for a, held in holding if txn in held), None)
        url = ""
        if acc is not None:  # its row under the income line (a share) or what is due (cash)
            line = INCOME[0] if kind == "share" else DUE[0]
            url = reverse("finance:accounts", kwargs={"code": unit.code, "pk": acc.pk})
            url += f"#line-{line}-txn-{txn}"
        out.postings.append(Posted(period, kind, pence, txn, url, acc))
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
