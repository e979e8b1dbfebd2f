"""Subscription income written into the units' ledgers, and remittances into both sides'.

Two events post, each a balanced transaction in the unit's books and the matching one in the
national office's (docs/finance.md, "Subscription income in the books"):

- **a month's share** (accrual), ``post_subscription_income``: the unit's share of the month's
  payments less the month's refunds is its income, owed to it by the national office.
  Unit: debit *Subscriptions due from the national office* (asset), credit *Subscriptions*
  (income). National office: debit *Units' shares of subscriptions* (expenditure), credit
  *Subscriptions owed to units* (liability).
- **a remittance paid** (cash), ``post_remittance`` (from ``record_remittance``): unit: debit
  its bank, credit *Subscriptions due*; national office: debit *Subscriptions owed to units*,
  credit its bank.

So a unit's income is what the apportionment gave it, its bank holds what actually arrived (a
line of its bank statement is matched to the remittance's transaction), and what is still due
is the remittances page's difference. Posting again writes only what changed since the last
posting (a late payment or a refund): re-running posts nothing twice.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.finance import refund_figures
from grassroots.finance.actions.ledger import write_transaction
from grassroots.finance.actions.subscriptions import national_unit
from grassroots.finance.apportion import format_pence
from grassroots.finance.models import (
    Account,
    Books,
    PaymentFigure,
    Remittance,
    SubscriptionPosting,
)
from grassroots.members.actions import ActionRefused
from grassroots.members.actions._common import User, _check
from grassroots.members.models import Unit

__all__ = [
    "DUE",
    "INCOME",
    "OWED",
    "SHARES",
    "PostingOutcome",
    "month_shares",
    "post_remittance",
    "post_subscription_income",
]

# (code, name, category) of the accounts postings use, opened the first time they are needed
INCOME = ("subscriptions", "Subscriptions (share of members' payments)", "income")
DUE = ("subscriptions-due", "Subscriptions due from the national office", "asset")
SHARES = ("units-shares", "Units' shares of subscriptions", "expense")
OWED = ("owed-to-units", "Subscriptions owed to units", "liability")
SHARE_LEVELS = ("region", "branch", "ward")


@dataclass
class PostingOutcome:
    period: dt.date
    posted: list[SubscriptionPosting] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # why a unit's share was not posted


def _next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def _money(pence: int) -> Decimal:
    return Decimal(pence) / 100


def _account(unit: Unit, spec: tuple[str, str, str], currency: str, day: dt.date) -> Account:
    code, name, category = spec
    found = Account.objects.filter(unit=unit, code=code).first()
    if found is not None:
        if found.category != category:
            raise ActionRefused(
                f"{unit.name}'s account {code!r} is {found.get_category_display().lower()}, "
                f"not {category}: rename it so subscriptions can be posted"
            )
        return found
    return Account.objects.create(
        unit=unit, code=code, name=name, category=category, currency=currency, opened=day
    )


def _bank(unit: Unit) -> Account | None:
    """The unit's bank account remittances go through: the one coded "bank", else the first."""
    banks = list(Account.objects.filter(unit=unit, is_bank=True).order_by("pk"))
    return next((a for a in banks if a.code == "bank"), banks[0] if banks else None)


def _not_ready(unit: Unit, currency: str, bank: bool) -> str:
    """Why ``unit``'s books cannot take a posting, or ""."""
    books = Books.objects.filter(unit=unit).first()
    if books is None:
        return f"{unit.name}'s books are not open"
    if books.currency != currency:
        return f"{unit.name}'s books are kept in {books.currency}, not {currency}"
    if bank and _bank(unit) is None:
        return f"{unit.name}'s books have no bank account"
    return ""


def month_shares(month: dt.date) -> dict[int, int]:
    """Unit id → its share of ``month``'s payments less the month's refunds, in pence, for
    every region, branch and ward (the national office keeps the rest).

    Read from the figures kept per unit and month as payments are recorded
    (``PaymentFigure``) and the month's refunds (``refund_figures``), never by reading the
    month's payments: the payment table has no index by date."""
    end = _next_month(month)
    owed: dict[int, int] = defaultdict(int)
    for unit_id, pence in (
        PaymentFigure.objects.filter(month=month, unit__kind__in=SHARE_LEVELS)
        .values_list("unit_id")
        .annotate(s=Sum("received"))
        .order_by()
    ):
        owed[unit_id] += pence or 0
    for level in SHARE_LEVELS:
        for unit_id, pence in refund_figures.in_period(level, month, end).items():
            owed[unit_id] -= pence or 0
    return dict(owed)


def _posted(month: dt.date) -> dict[int, int]:
    return dict(
        SubscriptionPosting.objects.filter(kind="share", period=month)
        .values_list("unit_id")
        .annotate(s=Sum("pence"))
        .order_by()
    )


def post_remittance(remittance: Remittance, *, by: User | None) -> SubscriptionPosting | str:
    """Write a remittance into the unit's and the national office's ledgers, inside the
    caller's transaction (which records the audit entry). Returns the posting, or why it could
    not be made yet (books not open, no bank account); a remittance is posted once."""
    existing = SubscriptionPosting.objects.filter(remittance=remittance).first()
    if existing is not None:
        return existing
    national = national_unit()
    unit = remittance.unit
    currency = "GBP"
    for u in (unit, national):
        why = _not_ready(u, currency, bank=True)
        if why:
            return why
    day = remittance.paid_on
    amount = _money(remittance.amount)
    words = f"Remittance of subscriptions for {remittance.period:%B %Y}"
    unit_bank, nat_bank = _bank(unit), _bank(national)
    assert unit_bank is not None and nat_bank is not None
    ours = write_transaction(
        unit,
        date=day,
        description=words,
        payee=national.name,
        legs=[(unit_bank, amount), (_account(unit, DUE, currency, day), -amount)],
        by=by,
        source="remittance",
    )
    theirs = write_transaction(
        national,
        date=day,
        description=f"{words} to {unit.name}",
        payee=unit.name,
        legs=[(_account(national, OWED, currency, day), amount), (nat_bank, -amount)],
        by=by,
        source="remittance",
    )
    return SubscriptionPosting.objects.create(
        kind="remittance",
        unit=unit,
        period=remittance.period,
        pence=remittance.amount,
        remittance=remittance,
        unit_transaction=ours,
        national_transaction=theirs,
        posted_at=timezone.now(),
    )


@transaction.atomic
def post_subscription_income(period: dt.date, *, by: User | None) -> PostingOutcome:
    """Post each unit's share of ``period``'s month into its books and the national office's,
    and any remittance for the month not posted yet. Only what changed since the last posting
    is written; a unit whose books are not open is named in ``skipped`` and posted next time.
    """
    national = national_unit()
    _check(by, "set_subscription_rules", national)
    month = period.replace(day=1)
    today = timezone.localdate()
    if month > today:
        raise ActionRefused(f"{month:%B %Y} has not begun: post a month once it has payments")
    why = _not_ready(national, "GBP", bank=False)
    if why:
        raise ActionRefused(f"{why}: open them before posting subscription income")
    last_day = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    day = min(last_day, today)
    owed = month_shares(month)
    posted = _posted(month)
    outcome = PostingOutcome(month)
    units = Unit.objects.filter(pk__in=set(owed) | set(posted)).order_by("path")
    for unit in units:
        change = owed.get(unit.pk, 0) - posted.get(unit.pk, 0)
        if change == 0:
            continue
        why = _not_ready(unit, "GBP", bank=False)
        if why:
            outcome.skipped.append(why)
            continue
        amount = _money(change)
        words = f"Share of members' subscriptions for {month:%B %Y}" + (
            " (payments and refunds recorded since it was last posted)" if unit.pk in posted else ""
        )
        ours = write_transaction(
            unit,
            date=day,
            description=words,
            payee=national.name,
            legs=[
                (_account(unit, DUE, "GBP", day), amount),
                (_account(unit, INCOME, "GBP", day), -amount),
            ],
            by=by,
            source="subscriptions",
        )
        theirs = write_transaction(
            national,
            date=day,
            description=f"{unit.name}'s share of members' subscriptions for {month:%B %Y}",
            payee=unit.name,
            legs=[
                (_account(national, SHARES, "GBP", day), amount),
                (_account(national, OWED, "GBP", day), -amount),
            ],
            by=by,
            source="subscriptions",
        )
        outcome.posted.append(
            SubscriptionPosting.objects.create(
                kind="share",
                unit=unit,
                period=month,
                pence=change,
                unit_transaction=ours,
                national_transaction=theirs,
                posted_at=timezone.now(),
            )
        )
    for remittance in Remittance.objects.filter(period=month, posting__isnull=True).select_related(
        "unit"
    ):
        result = post_remittance(remittance, by=by)
        if isinstance(result, str):
            outcome.skipped.append(f"a remittance to {remittance.unit.name}: {result}")
        else:
            outcome.posted.append(result)
    names = dict(Unit.objects.filter(pk__in=[p.unit_id for p in outcome.posted]).values_list(
        "pk", "name"
    ))  # fmt: skip
    record(
        by,
        "post_subscription_income",
        f"unit:{national.pk}",
        f"subscription income for {month:%B %Y} posted to the ledgers: "
        + (
            "; ".join(
                f"{names[p.unit_id]} {format_pence(p.pence)}"
                + (" remitted" if p.kind == "remittance" else "")
                for p in outcome.posted
            )
            or "nothing new"
        )
        + (f"; not posted: {'; '.join(outcome.skipped)}" if outcome.skipped else ""),
        detail={
            "period": str(month),
            "postings": [p.pk for p in outcome.posted],
            "skipped": outcome.skipped,
        },
    )
    return outcome
