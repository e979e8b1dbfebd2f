"""Bank statements as CSV, read through the columns the treasurer mapped for that bank."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from grassroots.finance.bank import LineProblem, Parsed, StatementLine, too_big
from grassroots.finance.ledger import LedgerError, exact_amount
from grassroots.textfiles import heading_delimiter, records, unicode_text

__all__ = ["Columns", "read_csv"]


@dataclass(frozen=True, slots=True)
class Columns:
    """Which heading holds what: one signed amount column, or paid in and paid out."""

    date: str
    date_format: str
    description: str
    payee: str = ""
    amount: str = ""
    paid_in: str = ""
    paid_out: str = ""
    reference: str = ""
    decimal_comma: bool = False

    def problem(self) -> str:
        if not self.date or not self.description:
            return "name the date and description columns"
        if bool(self.amount) == bool(self.paid_in or self.paid_out):
            return "name either one amount column, or the paid in and paid out columns"
        return ""


_SYMBOLS = re.compile(r"[£€$\s]|GBP|EUR|USD")


def _amount(text: str, columns: Columns, currency: str) -> Decimal | None:
    cleaned = _SYMBOLS.sub("", text)
    if not cleaned:
        return None
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    cleaned = cleaned.strip("()")
    if columns.decimal_comma:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    if cleaned.endswith("-"):  # "12.50-" as some banks write a debit
        cleaned, negative = cleaned[:-1], True
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", cleaned):
        raise LedgerError(f"{text!r} is not an amount of money")
    value = exact_amount(cleaned, currency)
    return -value if negative else value


def _decode(data: bytes) -> str:
    """UTF-8 (with or without the byte-order mark), UTF-16 with its byte-order mark (Excel's
    "Unicode text"), else the Windows encoding banks still use."""
    text = unicode_text(data)
    return text if text is not None else data.decode("cp1252", errors="replace")


def read_csv(data: bytes, columns: Columns, currency: str) -> Parsed:
    """Read a CSV statement; every row that cannot be read is named with its problem."""
    out = Parsed()
    big = too_big(data)
    if big:
        out.problems.append(big)
        return out
    if columns.problem():
        out.problems.append(LineProblem("the column mapping", columns.problem()))
        return out
    text = _decode(data)
    if "\x00" in text:
        out.problems.append(
            LineProblem(
                "the file",
                "it is not a text file (if it is UTF-16 text, save it as CSV UTF-8 instead)",
            )
        )
        return out
    rows = csv.reader(io.StringIO(text), csv.excel, delimiter=heading_delimiter(text))
    try:
        heading = [h.strip() for h in next(rows)]
    except (StopIteration, csv.Error):
        out.problems.append(LineProblem("row 1", "there is no heading row"))
        return out
    wanted = [
        c
        for c in (
            columns.date,
            columns.description,
            columns.payee,
            columns.amount,
            columns.paid_in,
            columns.paid_out,
            columns.reference,
        )
        if c
    ]
    missing = [c for c in wanted if c not in heading]
    if missing:
        out.problems.append(
            LineProblem(
                "row 1",
                f"no column {', '.join(repr(m) for m in missing)} in the heading "
                f"(it has {', '.join(repr(h) for h in heading)})",
            )
        )
        return out
    at = {h: i for i, h in enumerate(heading)}
    for number, row in records(rows):
        if isinstance(row, csv.Error):
            out.problems.append(LineProblem(f"row {number}", f"unreadable CSV ({row})"))
            continue
        problem = _row(row, number, at, columns, currency, out)
        if problem:
            out.problems.append(LineProblem(f"row {number}", problem))
    return out


def _row(
    row: list[str],
    number: int,
    at: dict[str, int],
    columns: Columns,
    currency: str,
    out: Parsed,
) -> str:
    def cell(name: str) -> str:
        i = at.get(name)
        return row[i].strip() if name and i is not None and i < len(row) else ""

    if len(row) < len(at):
        return f"it has {len(row)} columns where the heading has {len(at)}"
    raw_date = cell(columns.date)
    try:
        date = dt.datetime.strptime(raw_date, columns.date_format).date()
    except ValueError:
        example = dt.date(2026, 1, 31).strftime(columns.date_format)
        return f"{columns.date} {raw_date!r} is not a date written like {example}"
    try:
        if columns.amount:
            amount = _amount(cell(columns.amount), columns, currency)
            if amount is None:
                return f"{columns.amount} is empty"
        else:
            paid_in = _amount(cell(columns.paid_in), columns, currency)
            paid_out = _amount(cell(columns.paid_out), columns, currency)
            if (paid_in is None) == (paid_out is None):
                return f"give an amount in exactly one of {columns.paid_in} and {columns.paid_out}"
            amount = paid_in if paid_in is not None else -abs(paid_out or Decimal(0))
    except LedgerError as e:
        return str(e)
    if amount == 0:
        return "the amount is nothing"
    description = cell(columns.description)
    if not description:
        return f"{columns.description} is empty"
    out.lines.append(
        StatementLine(
            position=number,
            date=date,
            amount=amount,
            currency=currency,
            description=description[:300],
            payee=cell(columns.payee)[:200],
            reference=cell(columns.reference)[:200],
        )
    )
    return ""
