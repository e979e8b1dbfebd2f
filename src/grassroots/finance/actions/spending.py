"""Spending: a spend is proposed, approved and paid, each an audited action.

Above the unit's threshold a spend cannot be approved without citing the carried vote that
approved it (a meeting's, or the executive's), linked to its minute; nobody approves a spend
they proposed. Money that left the bank without a spend is recorded as an *unapproved* spend
when its statement line is reconciled (``actions.bank``), and shown publicly as such.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.finance import ledger
from grassroots.finance.actions._common import BooksRefused, User, check, money, now_or
from grassroots.finance.actions.ledger import write_transaction
from grassroots.finance.decisions import problem_with
from grassroots.finance.models import Account, Books, Spend
from grassroots.meetings.models import Vote
from grassroots.members.fieldrules import line_problem
from grassroots.members.models import Unit
from grassroots.members.permissions import can

__all__ = ["approve_spend", "pay_spend", "propose_spend"]


def _books(unit: Unit) -> Books:
    books = Books.objects.filter(unit=unit).first()
    if books is None:
        raise BooksRefused(f"{unit.name}'s books are not open yet")
    return books


@transaction.atomic
def propose_spend(
    unit: Unit,
    *,
    payee: str,
    amount: Decimal | str,
    purpose: str,
    budget_line: Account,
    by: User | None,
    now: dt.datetime | None = None,
) -> Spend:
    """Propose a spend: a unit's treasurer or an officer who may approve spends."""
    if by is not None and not (can(by, "keep_books", unit) or can(by, "approve_spending", unit)):
        check(by, "keep_books", unit)  # raises, naming the permission
    books = _books(unit)
    try:
        value = ledger.exact_amount(amount, books.currency)
    except ledger.LedgerError as e:
        raise BooksRefused(f"The amount: {e}, such as 400 or 12.50") from None
    if value <= 0:
        raise BooksRefused("a spend is for more than nothing")
    if not payee.strip():
        raise BooksRefused("name who is to be paid")
    if not purpose.strip():
        raise BooksRefused("say what the spend is for")
    problem = line_problem("payee", payee.strip(), 200) or line_problem(
        "purpose", purpose.strip(), 300
    )
    if problem:
        raise BooksRefused(problem)
    if budget_line.unit_id != unit.pk or budget_line.category != "expense":
        raise BooksRefused(f"{budget_line.name} is not an expenditure line of {unit.name}")
    spend = Spend.objects.create(
        unit=unit,
        payee=payee.strip()[:200],
        amount=value,
        currency=books.currency,
        purpose=purpose.strip()[:300],
        budget_line=budget_line,
        proposed_at=now_or(now),
        proposed_by=by if by is not None and by.is_authenticated else None,
    )
    record(
        by,
        "finance.spend.propose",
        f"spend:{spend.pk}",
        f"Spend of {money(value, books.currency)} to {spend.payee} proposed: {spend.purpose}",
        detail={"unit": unit.code, "amount": str(value), "line": budget_line.code},
    )
    return spend


@transaction.atomic
def approve_spend(
    spend: Spend,
    *,
    by: User | None,
    decision: Vote | None = None,
    now: dt.datetime | None = None,
) -> Spend:
    """Approve a proposed spend. Above the unit's threshold, ``decision`` (the carried vote
    that approved it) is required; the spend's author may not approve it."""
    spend = Spend.objects.select_for_update().get(pk=spend.pk)
    check(by, "approve_spending", spend.unit)
    if spend.state != "proposed":
        raise BooksRefused(f"this spend is {spend.get_state_display().lower()}, not proposed")
    if by is None or not by.is_authenticated:
        raise BooksRefused("a spend is approved by a named officer")
    if spend.proposed_by_id is not None and spend.proposed_by_id == by.pk:
        raise BooksRefused("you proposed this spend: someone else must approve it")
    books = _books(spend.unit)
    if spend.amount > books.threshold and decision is None:
        raise BooksRefused(
            f"{money(spend.amount, spend.currency)} is above {spend.unit.name}'s threshold of "
            f"{money(books.threshold, books.currency)}: cite the minuted decision "
            "(a meeting's or the executive's) that approved it"
        )
    if decision is not None:
        problem = problem_with(spend.unit, decision)
        if problem:
            raise BooksRefused(f"that decision cannot be cited: {problem}")
    spend.state = "approved"
    spend.approved_at = now_or(now)
    spend.approved_by = by  # type: ignore[assignment]
    spend.decision = decision
    spend.threshold_at_approval = books.threshold
    spend.save()
    cited = f", citing “{decision.question}” ({decision.meeting.title})" if decision else ""
    record(
        by,
        "finance.spend.approve",
        f"spend:{spend.pk}",
        f"Spend of {money(spend.amount, spend.currency)} to {spend.payee} approved{cited}",
        detail={"decision": decision.pk if decision else None, "threshold": str(books.threshold)},
    )
    return spend


@transaction.atomic
def pay_spend(
    spend: Spend,
    *,
    bank: Account,
    date: dt.date,
    by: User | None,
    now: dt.datetime | None = None,
) -> Spend:
    """Record an approved spend as paid from ``bank``: its ledger transaction is written."""
    spend = Spend.objects.select_for_update().get(pk=spend.pk)
    check(by, "keep_books", spend.unit)
    if spend.state != "approved":
        raise BooksRefused(
            f"this spend is {spend.get_state_display().lower()}: only an approved spend is paid"
        )
    if bank.unit_id != spend.unit_id or not bank.is_bank:
        raise BooksRefused(f"{bank.name} is not a bank account of {spend.unit.name}")
    late = ledger.after_today("Date paid", date, timezone.localdate())
    if late:
        raise BooksRefused(f"{late}: record a spend as paid once it is paid")
    spend.transaction = write_transaction(
        spend.unit,
        date=date,
        description=spend.purpose,
        payee=spend.payee,
        legs=[(spend.budget_line, spend.amount), (bank, -spend.amount)],
        by=by,
        source="spend",
        now=now,
    )
    spend.state = "paid"
    spend.paid_at = now_or(now)
    spend.paid_by = by if by is not None and by.is_authenticated else None  # type: ignore[assignment]
    spend.save()
    record(
        by,
        "finance.spend.pay",
        f"spend:{spend.pk}",
        f"Spend of {money(spend.amount, spend.currency)} to {spend.payee} paid on {date:%d/%m/%Y}",
        detail={"transaction": spend.transaction.pk, "bank": bank.code},
    )
    return spend
