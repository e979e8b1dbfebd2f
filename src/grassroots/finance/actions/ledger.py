"""The ledger's actions: a unit's books opened, accounts opened, transactions posted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction

from grassroots.audit.log import record
from grassroots.finance import ledger
from grassroots.finance.actions._common import BooksRefused, User, check, money, now_or
from grassroots.finance.models import Account, Books, Leg, Transaction
from grassroots.members.fieldrules import line_problem
from grassroots.members.models import Unit

__all__ = ["open_account", "open_books", "post_transaction", "write_transaction"]


@transaction.atomic
def open_books(
    unit: Unit, *, currency: str = "GBP", threshold: Decimal | str, by: User | None
) -> Books:
    """Open ``unit``'s books, or change its spending threshold."""
    check(by, "keep_books", unit)
    try:
        limit = ledger.exact_amount(threshold, currency)
    except ledger.LedgerError as e:
        raise BooksRefused(f"threshold: {e}") from None
    if limit < 0:
        raise BooksRefused("the spending threshold cannot be negative")
    books = Books.objects.filter(unit=unit).first()
    if books is not None and books.currency != currency:
        raise BooksRefused(f"{unit.name}'s books are kept in {books.currency}")
    old = books.threshold if books is not None else None
    books, _ = Books.objects.update_or_create(
        unit=unit, defaults={"currency": currency, "threshold": limit}
    )
    record(
        by,
        "finance.books",
        f"unit:{unit.code}",
        f"{unit.name}'s spending threshold is {money(limit, currency)}"
        + (f" (was {money(old, currency)})" if old is not None else ""),
        detail={"currency": currency, "threshold": str(limit), "was": str(old or "")},
    )
    return books


@transaction.atomic
def open_account(
    unit: Unit,
    *,
    code: str,
    name: str,
    category: str,
    by: User | None,
    is_bank: bool = False,
    opened: dt.date | None = None,
) -> Account:
    check(by, "keep_books", unit)
    books = Books.objects.filter(unit=unit).first()
    if books is None:
        raise BooksRefused(f"{unit.name}'s books are not open yet: set its spending threshold")
    if category not in ledger.CATEGORIES:
        raise BooksRefused(f"{category!r} is not a category of account")
    if is_bank and category != "asset":
        raise BooksRefused("a bank account is an asset")
    if not name.strip() or not code.strip():
        raise BooksRefused("an account needs a code and a name")
    problem = line_problem("account name", name.strip(), 120)
    if problem:
        raise BooksRefused(problem)
    if Account.objects.filter(unit=unit, code=code).exists():
        raise BooksRefused(f"{unit.name} already has an account {code!r}")
    account = Account.objects.create(
        unit=unit,
        code=code,
        name=name.strip(),
        category=category,
        currency=books.currency,
        is_bank=is_bank,
        opened=opened or now_or(None).date(),
    )
    record(
        by,
        "finance.account",
        f"unit:{unit.code}",
        f"Account {name} ({category}) opened in {unit.name}'s books",
        detail={"account": account.pk, "code": code},
    )
    return account


def write_transaction(
    unit: Unit,
    *,
    date: dt.date,
    description: str,
    legs: Sequence[tuple[Account, Decimal]],
    by: User | None,
    payee: str = "",
    source: str = "manual",
    now: dt.datetime | None = None,
) -> Transaction:
    """Write one balanced transaction; for use inside another action's transaction, which
    records the audit entry. Refuses legs that do not balance or are not ``unit``'s."""
    for account, _ in legs:
        if account.unit_id != unit.pk:
            raise BooksRefused(f"{account.name} is not an account of {unit.name}")
    try:
        ledger.check_balanced(ledger.Leg(a.code, amt, a.currency) for a, amt in legs)
    except ledger.LedgerError as e:
        raise BooksRefused(str(e)) from None
    if not description.strip():
        raise BooksRefused("a transaction says what it was for")
    if not ledger.FIRST_YEAR <= date.year <= ledger.LAST_YEAR:
        raise BooksRefused(
            f"{date.day:02}/{date.month:02}/{date.year:04} is outside the years the books keep "
            f"({ledger.FIRST_YEAR} to {ledger.LAST_YEAR})"
        )
    t = Transaction.objects.create(
        unit=unit,
        date=date,
        payee=payee.strip()[:200],
        description=description.strip()[:300],
        source=source,
        recorded_at=now_or(now),
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    Leg.objects.bulk_create(
        Leg(transaction=t, account=a, amount=amt, currency=a.currency) for a, amt in legs
    )
    return t


@transaction.atomic
def post_transaction(
    unit: Unit,
    *,
    date: dt.date,
    description: str,
    legs: Sequence[tuple[Account, Decimal]],
    by: User | None,
    payee: str = "",
) -> Transaction:
    """The treasurer posts a transaction by hand (a cash receipt, a transfer, a correction)."""
    check(by, "keep_books", unit)
    t = write_transaction(unit, date=date, description=description, legs=legs, by=by, payee=payee)
    record(
        by,
        "finance.transaction",
        f"unit:{unit.code}",
        f"Transaction on {date:%d/%m/%Y}: {description}",
        detail={"transaction": t.pk, "legs": [[a.code, str(x)] for a, x in legs]},
    )
    return t
