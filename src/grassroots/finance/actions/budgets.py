"""Budgets: a unit's treasurer sets a year's lines; a meeting's carried vote approves them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from grassroots.audit.log import record
from grassroots.finance import ledger
from grassroots.finance.actions._common import BooksRefused, User, check, money, now_or
from grassroots.finance.decisions import problem_with
from grassroots.finance.models import Account, Books, Budget, BudgetLine
from grassroots.meetings.models import Vote
from grassroots.members.models import Unit

__all__ = ["approve_budget", "set_budget"]


@transaction.atomic
def set_budget(
    unit: Unit,
    *,
    year: int,
    lines: Mapping[Account, Decimal | str],
    by: User | None,
    now: dt.datetime | None = None,
) -> Budget:
    """Set (or redraft) ``unit``'s budget for ``year``: an amount per income or expenditure
    line. An approved budget is not changed."""
    check(by, "keep_books", unit)
    books = Books.objects.filter(unit=unit).first()
    if books is None:
        raise BooksRefused(f"{unit.name}'s books are not open yet")
    if not 2000 <= year <= 2100:
        raise BooksRefused(f"{year} is not a budget year")
    budget, _ = Budget.objects.get_or_create(
        unit=unit, year=year, defaults={"drafted_at": now_or(now), "drafted_by": _user(by)}
    )
    if budget.decision_id is not None:
        raise BooksRefused(f"the {year} budget is approved: it is not changed")
    cleaned = {}
    for account, amount in lines.items():
        if account.unit_id != unit.pk or account.category not in ("income", "expense"):
            raise BooksRefused(f"{account.name} is not an income or expenditure line")
        try:
            value = ledger.exact_amount(amount, books.currency)
        except ledger.LedgerError as e:
            raise BooksRefused(f"{account.name}: {e}") from None
        if value < 0:
            raise BooksRefused(f"{account.name}: a budget line is not negative")
        cleaned[account] = value
    BudgetLine.objects.filter(budget=budget).delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(budget=budget, account=a, amount=v) for a, v in cleaned.items()
    )
    budget.drafted_at = now_or(now)
    budget.drafted_by = _user(by)  # type: ignore[assignment]
    budget.save()
    record(
        by,
        "finance.budget.set",
        f"unit:{unit.code}",
        f"{unit.name}'s {year} budget drafted: "
        + "; ".join(f"{a.name} {money(v, books.currency)}" for a, v in cleaned.items()),
        detail={"budget": budget.pk, "lines": {a.code: str(v) for a, v in cleaned.items()}},
    )
    return budget


def _user(by: User | None) -> User | None:
    return by if by is not None and by.is_authenticated else None


@transaction.atomic
def approve_budget(
    budget: Budget, *, decision: Vote, by: User | None, now: dt.datetime | None = None
) -> Budget:
    """Record that a meeting approved the budget, citing its carried vote."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    check(by, "keep_books", budget.unit)
    if budget.decision_id is not None:
        raise BooksRefused(f"the {budget.year} budget is already approved")
    if not budget.lines.exists():
        raise BooksRefused("the budget has no lines")
    problem = problem_with(budget.unit, decision)
    if problem:
        raise BooksRefused(f"that decision cannot be cited: {problem}")
    budget.decision = decision
    budget.approved_at = now_or(now)
    budget.save()
    record(
        by,
        "finance.budget.approve",
        f"unit:{budget.unit.code}",
        f"{budget.unit.name}'s {budget.year} budget approved by “{decision.question}” "
        f"({decision.meeting.title})",
        detail={"budget": budget.pk, "decision": decision.pk},
    )
    return budget
