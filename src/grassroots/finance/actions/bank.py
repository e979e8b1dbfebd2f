"""Bank statements: a CSV mapping saved per bank; a statement checked (its report shown, nothing
imported), then imported only when the treasurer confirms that report; each line reconciled to
a ledger transaction. Re-importing a statement finds its lines already there."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from grassroots.audit.log import record
from grassroots.finance.actions._common import BooksRefused, User, check, money, now_or
from grassroots.finance.actions.ledger import write_transaction
from grassroots.finance.bank import Balance, LineProblem, Parsed, StatementLine, fingerprints
from grassroots.finance.bank.camt import read_camt053
from grassroots.finance.bank.csvfile import Columns, read_csv
from grassroots.finance.bank.ofx import read_ofx
from grassroots.finance.models import Account, BankLine, CsvMapping, Spend, Statement, Transaction
from grassroots.members.models import Unit

__all__ = [
    "Report",
    "check_statement",
    "confirm_statement",
    "discard_statement",
    "match_candidates",
    "reconcile_line",
    "report",
    "save_mapping",
]

MATCH_DAYS = 7  # a payment recorded in the books is matched to a bank line this close


@dataclass
class Report:
    """What importing a statement would do: lines new to the books, lines already imported
    (by their fingerprint), and lines that cannot be read, each with where and why."""

    new: list[tuple[StatementLine, str]] = field(default_factory=list)
    duplicates: list[StatementLine] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    closing: Balance | None = None  # what the bank says the balance was
    lines_total: Decimal | None = None  # the account's bank lines to that day, once imported

    @property
    def difference(self) -> Decimal | None:
        if self.closing is None or self.lines_total is None:
            return None
        return self.lines_total - self.closing.amount


def columns_of(mapping: CsvMapping) -> Columns:
    return Columns(
        date=mapping.date_column,
        date_format=mapping.date_format,
        description=mapping.description_column,
        payee=mapping.payee_column,
        amount=mapping.amount_column,
        paid_in=mapping.paid_in_column,
        paid_out=mapping.paid_out_column,
        reference=mapping.reference_column,
        decimal_comma=mapping.decimal_comma,
    )


def _parse(statement: Statement) -> Parsed:
    data = bytes(statement.content)
    currency = statement.account.currency
    if statement.format == "csv":
        if statement.mapping is None:
            raise BooksRefused("a CSV statement is read through a bank's column mapping")
        return read_csv(data, columns_of(statement.mapping), currency)
    if statement.format == "ofx":
        return read_ofx(data, currency)
    return read_camt053(data, currency)


def report(statement: Statement) -> Report:
    parsed = _parse(statement)
    prints = fingerprints(parsed.lines)
    known = set(
        BankLine.objects.filter(account=statement.account, fingerprint__in=prints).values_list(
            "fingerprint", flat=True
        )
    )
    out = Report(problems=list(parsed.problems))
    for line, fp in zip(parsed.lines, prints, strict=True):
        if fp in known:
            out.duplicates.append(line)
        else:
            out.new.append((line, fp))
    if parsed.closing is not None:
        day = parsed.closing.date
        before = BankLine.objects.filter(account=statement.account, date__lte=day)
        out.closing = parsed.closing
        out.lines_total = sum(before.values_list("amount", flat=True), Decimal(0)) + sum(
            (line.amount for line, _ in out.new if line.date <= day), Decimal(0)
        )
    return out


@transaction.atomic
def save_mapping(unit: Unit, *, bank: str, columns: Columns, by: User | None) -> CsvMapping:
    """Save (or change) how ``bank``'s CSV statements are read for ``unit``."""
    check(by, "keep_books", unit)
    if not bank.strip():
        raise BooksRefused("name the bank")
    if columns.problem():
        raise BooksRefused(columns.problem())
    mapping, created = CsvMapping.objects.update_or_create(
        unit=unit,
        bank=bank.strip(),
        defaults={
            "date_column": columns.date,
            "date_format": columns.date_format,
            "description_column": columns.description,
            "payee_column": columns.payee,
            "amount_column": columns.amount,
            "paid_in_column": columns.paid_in,
            "paid_out_column": columns.paid_out,
            "reference_column": columns.reference,
            "decimal_comma": columns.decimal_comma,
        },
    )
    record(
        by,
        "finance.csv_mapping",
        f"unit:{unit.code}",
        f"{'Saved' if created else 'Changed'} how {mapping.bank}'s CSV statements are read",
        detail={"mapping": mapping.pk},
    )
    return mapping


@transaction.atomic
def check_statement(
    account: Account,
    *,
    format: str,
    filename: str,
    data: bytes,
    by: User | None,
    mapping: CsvMapping | None = None,
    now: dt.datetime | None = None,
) -> tuple[Statement, Report]:
    """Keep an uploaded statement and read it: nothing is imported until it is confirmed."""
    check(by, "keep_books", account.unit)
    if not account.is_bank:
        raise BooksRefused(f"{account.name} is not a bank account")
    if format not in dict(Statement.FORMATS):
        raise BooksRefused(f"{format!r} is not a statement format read here")
    if format == "csv" and (mapping is None or mapping.unit_id != account.unit_id):
        raise BooksRefused("choose the bank whose CSV columns this statement has")
    statement = Statement.objects.create(
        account=account,
        format=format,
        mapping=mapping if format == "csv" else None,
        filename=filename[:200],
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=now_or(now),
        uploaded_by=by if by is not None and by.is_authenticated else None,
    )
    result = report(statement)
    record(
        by,
        "finance.statement.check",
        f"statement:{statement.pk}",
        f"Statement {statement.filename} checked for {account.name}: {len(result.new)} new, "
        f"{len(result.duplicates)} already imported, {len(result.problems)} with problems",
        detail={"sha256": statement.sha256},
    )
    return statement, result


def match_candidates(line: BankLine) -> list[Transaction]:
    """Transactions already in the books that this bank line may be: the same amount on the
    same bank account within a week, and not yet reconciled to another line."""
    return list(
        Transaction.objects.filter(
            unit_id=line.account.unit_id,
            legs__account=line.account,
            legs__amount=line.amount,
            date__gte=line.date - dt.timedelta(days=MATCH_DAYS),
            date__lte=line.date + dt.timedelta(days=MATCH_DAYS),
        )
        .exclude(bank_lines__isnull=False)
        .distinct()
        .order_by("date", "pk")
    )


@transaction.atomic
def confirm_statement(
    statement: Statement, *, sha256: str, by: User | None, now: dt.datetime | None = None
) -> list[BankLine]:
    """Import the new lines of a checked statement, as its report showed them (``sha256`` is
    the file the treasurer saw). Lines with problems are not imported; lines already imported
    are not imported again; a line matching exactly one unreconciled transaction is
    reconciled to it."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    check(by, "keep_books", statement.account.unit)
    if statement.state != "checked":
        raise BooksRefused(f"this statement is already {statement.get_state_display().lower()}")
    if sha256 != statement.sha256:
        raise BooksRefused("this is not the statement whose report you saw")
    result = report(statement)
    at = now_or(now)
    lines = BankLine.objects.bulk_create(
        BankLine(
            statement=statement,
            account=statement.account,
            position=line.position,
            date=line.date,
            amount=line.amount,
            currency=line.currency,
            description=line.description,
            payee=line.payee,
            reference=line.reference,
            fingerprint=fp,
        )
        for line, fp in result.new
    )
    matched = 0
    for bank_line in BankLine.objects.filter(statement=statement).select_related("account"):
        candidates = match_candidates(bank_line)
        if len(candidates) == 1:
            bank_line.transaction = candidates[0]
            bank_line.reconciled_at = at
            bank_line.reconciled_by = by if by is not None and by.is_authenticated else None  # type: ignore[assignment]
            bank_line.save()
            matched += 1
    statement.state = "imported"
    statement.imported_at = at
    statement.save()
    record(
        by,
        "finance.statement.import",
        f"statement:{statement.pk}",
        f"Statement {statement.filename} imported into {statement.account.name}: "
        f"{len(lines)} lines ({matched} matched to the books), "
        f"{len(result.duplicates)} already imported, {len(result.problems)} not imported",
        detail={"problems": [str(p) for p in result.problems], "sha256": statement.sha256},
    )
    return lines


@transaction.atomic
def discard_statement(statement: Statement, *, by: User | None) -> None:
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    check(by, "keep_books", statement.account.unit)
    if statement.state != "checked":
        raise BooksRefused(f"this statement is already {statement.get_state_display().lower()}")
    statement.state = "discarded"
    statement.save()
    record(by, "finance.statement.discard", f"statement:{statement.pk}", "Statement discarded")


@transaction.atomic
def reconcile_line(
    line: BankLine,
    *,
    by: User | None,
    transaction_to: Transaction | None = None,
    account: Account | None = None,
    now: dt.datetime | None = None,
) -> BankLine:
    """Reconcile a bank line: to a transaction already in the books (``transaction_to``), or to
    a new one against ``account`` (an income or expense line, a transfer). Money out against
    an expenditure line with no approved spend is recorded as an *unapproved* spend."""
    line = BankLine.objects.select_for_update().select_related("account").get(pk=line.pk)
    unit = line.account.unit
    check(by, "keep_books", unit)
    if line.transaction_id is not None:
        raise BooksRefused("this bank line is already reconciled")
    if (transaction_to is None) == (account is None):
        raise BooksRefused("reconcile the line to a transaction in the books, or to an account")
    at = now_or(now)
    words = ""
    if transaction_to is not None:
        if transaction_to.pk not in {t.pk for t in match_candidates(line)}:
            raise BooksRefused(
                "that transaction is not this line: the same amount on this bank account "
                f"within {MATCH_DAYS} days, not already reconciled"
            )
        line.transaction = transaction_to
        words = f"to “{transaction_to.description}” of {transaction_to.date:%d/%m/%Y}"
    else:
        assert account is not None
        if account.unit_id != unit.pk or account.pk == line.account_id:
            raise BooksRefused(f"{account.name} cannot take the other side of this line")
        line.transaction = write_transaction(
            unit,
            date=line.date,
            description=line.description,
            payee=line.payee,
            legs=[(line.account, line.amount), (account, -line.amount)],
            by=by,
            source="bank",
            now=now,
        )
        words = f"to {account.name}"
        if line.amount < 0 and account.category == "expense":
            Spend.objects.create(
                unit=unit,
                payee=(line.payee or line.description)[:200],
                amount=-line.amount,
                currency=line.currency,
                purpose=line.description,
                budget_line=account,
                state="unapproved",
                proposed_at=at,
                transaction=line.transaction,
            )
            words += " (no approved spend: shown as unapproved)"
    line.reconciled_at = at
    line.reconciled_by = by if by is not None and by.is_authenticated else None  # type: ignore[assignment]
    line.save()
    record(
        by,
        "finance.bank.reconcile",
        f"bankline:{line.pk}",
        f"Bank line of {line.date:%d/%m/%Y}, {money(line.amount, line.currency)} "
        f"“{line.description}” reconciled {words}",
        detail={"transaction": line.transaction.pk},
    )
    return line


def unreconciled(unit: Unit) -> list[BankLine]:
    return list(
        BankLine.objects.filter(account__unit=unit, transaction__isnull=True)
        .select_related("account")
        .order_by("date", "pk")
    )
