"""Published accounts: prepared by the treasurer (frozen and hashed), signed off by two of the
unit's auditors, approved at its AGM (the vote cited) and then published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from grassroots.audit.log import record
from grassroots.finance import ledger, statements
from grassroots.finance.actions._common import BooksRefused, User, check, now_or
from grassroots.finance.decisions import problem_with
from grassroots.finance.models import Account, BankLine, Books, PublishedAccounts, SignOff
from grassroots.finance.queries import account_totals, approval_words, transactions_of
from grassroots.finance.templatetags.books_money import money as shown
from grassroots.meetings.models import Vote
from grassroots.members.models import Unit

__all__ = ["approve_accounts", "compute", "prepare_accounts", "sign_off"]

AUDITORS_NEEDED = 2


def compute(unit: Unit, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The unit's accounts for the period, from the books as they stand."""
    books = Books.objects.filter(unit=unit).first()
    if books is None:
        raise BooksRefused(f"{unit.name}'s books are not open yet")
    accounts = list(Account.objects.filter(unit=unit))
    before = account_totals(unit, None, start - dt.timedelta(days=1))
    bank: dict[str, Decimal] = {}
    for a in accounts:
        if a.is_bank:
            lines = BankLine.objects.filter(account=a, date__lte=end)
            if BankLine.objects.filter(account=a).exists():
                bank[a.code] = sum(lines.values_list("amount", flat=True), Decimal(0))
    try:
        return statements.prepare(
            unit=unit.name,
            currency=books.currency,
            start=start,
            end=end,
            accounts=[
                statements.AccountInfo(a.code, a.name, a.category, a.is_bank)  # type: ignore[arg-type]
                for a in accounts
            ],
            opening={a.code: before.get(a.pk, Decimal(0)) for a in accounts},
            transactions=[
                statements.PeriodTransaction(
                    t.pk,
                    t.date,
                    t.description,
                    t.payee,
                    [ledger.Leg(x.account.code, x.amount, x.currency) for x in t.legs.all()],
                    approval_words(t),
                )
                for t in transactions_of(unit, start, end)
            ],
            bank_statement=bank,
        )
    except ledger.LedgerError as e:
        raise BooksRefused(str(e)) from None


@transaction.atomic
def prepare_accounts(
    unit: Unit, *, start: dt.date, end: dt.date, by: User | None, now: dt.datetime | None = None
) -> PublishedAccounts:
    """Freeze the unit's accounts for the period. Every bank line of the period must be
    reconciled, and each bank account must agree with its statements."""
    check(by, "keep_books", unit)
    if not (start.year >= ledger.FIRST_YEAR and end.year <= ledger.LAST_YEAR):
        raise BooksRefused(
            f"a period from {start.day:02}/{start.month:02}/{start.year:04} to "
            f"{end.day:02}/{end.month:02}/{end.year:04} is outside the years the books "
            f"keep ({ledger.FIRST_YEAR} to {ledger.LAST_YEAR})"
        )
    if start > end:
        raise BooksRefused(
            f"the period starts on {start:%-d %B %Y}, after it ends on {end:%-d %B %Y}: "
            "give the first day, then the last"
        )
    loose = BankLine.objects.filter(
        account__unit=unit, date__gte=start, date__lte=end, transaction__isnull=True
    ).count()
    if loose:
        raise BooksRefused(
            f"{loose} bank line{'s' if loose != 1 else ''} of the period "
            f"{'are' if loose != 1 else 'is'} not reconciled: reconcile them first"
        )
    content = compute(unit, start, end)
    off = [b for b in content["bank"] if b["difference"] not in (None, "0.00")]
    if off:
        b, cur = off[0], content["currency"]
        raise BooksRefused(
            f"{b['name']} holds {shown(b['books'], cur)} in the books but "
            f"{shown(b['statement'], cur)} on the bank's statements, "
            f"{shown(abs(Decimal(b['difference'])), cur)} apart: the accounts do not reconcile "
            "to the bank (a transaction on the bank account with no line on an imported "
            "statement, or a statement not yet imported)"
        )
    if PublishedAccounts.objects.filter(unit=unit, start=start, end=end).exists():
        raise BooksRefused("accounts for this period are already prepared")
    text, digest = statements.canonical(content)
    accounts = PublishedAccounts.objects.create(
        unit=unit,
        start=start,
        end=end,
        content=text,
        sha256=digest,
        prepared_at=now_or(now),
        prepared_by=by if by is not None and by.is_authenticated else None,
    )
    record(
        by,
        "finance.accounts.prepare",
        f"accounts:{accounts.pk}",
        f"{unit.name}'s accounts {start:%d/%m/%Y} to {end:%d/%m/%Y} prepared",
        detail={"sha256": digest},
    )
    return accounts


@transaction.atomic
def sign_off(
    accounts: PublishedAccounts,
    *,
    sha256: str,
    by: User | None,
    note: str = "",
    now: dt.datetime | None = None,
) -> PublishedAccounts:
    """One of the unit's auditors signs off the accounts whose hash they read. The books must
    still give the same figures; two different auditors are needed."""
    accounts = PublishedAccounts.objects.select_for_update().get(pk=accounts.pk)
    check(by, "audit_accounts", accounts.unit)
    if by is None or not by.is_authenticated:
        raise BooksRefused("accounts are signed off by a named auditor")
    if accounts.state != "prepared":
        raise BooksRefused(f"these accounts are {accounts.get_state_display().lower()}")
    if sha256 != accounts.sha256:
        raise BooksRefused("these are not the accounts you read: their hash differs")
    _, now_digest = statements.canonical(compute(accounts.unit, accounts.start, accounts.end))
    if now_digest != accounts.sha256:
        raise BooksRefused(
            "the books have changed since these accounts were prepared: the treasurer must "
            "prepare them again"
        )
    if SignOff.objects.filter(accounts=accounts, auditor=by).exists():
        raise BooksRefused("you have already signed off these accounts: a second auditor must")
    if accounts.prepared_by_id == by.pk:
        raise BooksRefused("you prepared these accounts: auditors other than you sign them off")
    SignOff.objects.create(
        accounts=accounts, auditor=by, sha256=sha256, note=note.strip(), signed_at=now_or(now)
    )
    if SignOff.objects.filter(accounts=accounts).count() >= AUDITORS_NEEDED:
        accounts.state = "signed"
        accounts.save()
    record(
        by,
        "finance.accounts.sign_off",
        f"accounts:{accounts.pk}",
        f"{accounts} signed off by an auditor",
        reason=note,
        detail={"sha256": sha256},
    )
    return accounts


@transaction.atomic
def approve_accounts(
    accounts: PublishedAccounts,
    *,
    decision: Vote,
    by: User | None,
    now: dt.datetime | None = None,
) -> PublishedAccounts:
    """Record the AGM's approval (its carried vote) and publish the accounts."""
    accounts = PublishedAccounts.objects.select_for_update().get(pk=accounts.pk)
    check(by, "keep_books", accounts.unit)
    if accounts.state != "signed":
        raise BooksRefused(
            f"these accounts are {accounts.get_state_display().lower()}: the AGM approves "
            "accounts signed off by two auditors"
        )
    problem = problem_with(accounts.unit, decision, body_kind="agm")
    if problem:
        raise BooksRefused(f"that decision cannot be cited: {problem}")
    other = PublishedAccounts.objects.filter(decision=decision).exclude(pk=accounts.pk).first()
    if other is not None:
        raise BooksRefused(
            f"that decision cannot be cited: “{decision.question}” approved the accounts for "
            f"{other.start:%-d %B %Y} to {other.end:%-d %B %Y}, not these"
        )
    accounts.decision = decision
    accounts.approved_at = now_or(now)
    accounts.state = "published"
    accounts.save()
    record(
        by,
        "finance.accounts.approve",
        f"accounts:{accounts.pk}",
        f"{accounts} approved at {decision.meeting.title} and published",
        detail={"decision": decision.pk, "sha256": accounts.sha256},
    )
    return accounts
