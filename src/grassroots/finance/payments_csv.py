"""Subscription payments from CSV: the organisation's own file, or a payment processor's export.

Pure Python, no Django. ``parse`` reads either layout and checks every row against the members
it may record payments for and the split rules in force, returning the payments ready to record
and one ``RowError`` (the row as a spreadsheet numbers it, the column, the problem) per fault.
A file with any error records nothing: the caller refuses it whole.

The organisation's own layout has the columns ``number``, ``date`` and ``amount``, and may add
``reference`` (the payment's own id: a file imported again records it once) and ``band`` (the
member's rate band, when it is not the one on the register).

A payment processor's export (Stripe's payments export) is recognised by its ``id``,
``Created date (UTC)``, ``Amount``, ``Currency`` and ``Status`` columns; the member is named by the
``membership_number (metadata)`` column the payment link sets, or else by ``Customer Email``.
Only rows whose status is ``Paid`` are payments; the others (failed, refunded) are listed as
left out. The processor's ``id`` is the reference.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from grassroots.finance.apportion import NoRule, RuleBook, RuleError, parse_pence
from grassroots.finance.ledger import after_today
from grassroots.textfiles import heading_delimiter, records

__all__ = [
    "DELIMITERS",
    "MAX_ROWS",
    "MemberRef",
    "PaymentRow",
    "PaymentsFile",
    "RowError",
    "parse",
]

MAX_ROWS = 1_000_000
# commas, or tabs (Excel's "Unicode text"); not semicolons, whose files write 4,38 for 4.38
DELIMITERS = ",\t"
OWN = ("number", "date", "amount")
OWN_OPTIONAL = ("reference", "band")
PROCESSOR = ("id", "Amount", "Currency", "Status")
PROCESSOR_DATE = ("Created date (UTC)", "Created (UTC)")
PROCESSOR_MEMBER = ("membership_number (metadata)", "Customer Email")


@dataclass(frozen=True)
class MemberRef:
    """What a row needs to know of a member: id, number, name and rate band on the register."""

    id: int
    number: str
    name: str
    band: str


@dataclass(frozen=True)
class PaymentRow:
    """A checked payment: the row it came from, whose, when, how much, in which band."""

    row: int
    member_id: int
    number: str
    paid_on: dt.date
    amount: int
    band: str
    reference: str


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.problem}"


@dataclass
class PaymentsFile:
    """What a file holds: the layout, its payments, its errors, and rows left out with why."""

    layout: str  # "own" or "processor"
    rows: list[PaymentRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    left_out: list[RowError] = field(default_factory=list)  # not errors: already recorded, failed

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.rows)


def _date(text: str) -> dt.date:
    """ISO (2025-03-01, or a timestamp starting so) or day/month/year (01/03/2025)."""
    s = text.strip()
    try:
        return dt.date.fromisoformat(s[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(s.split(" ")[0], "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"{s!r} is not a date; write it as 2025-03-01 or 01/03/2025") from None


def _header_problem(header: list[str]) -> tuple[str, str | None]:
    cols = set(header)
    if set(OWN) <= cols:
        return "own", None
    if set(PROCESSOR) <= cols and cols & set(PROCESSOR_DATE) and cols & set(PROCESSOR_MEMBER):
        return "processor", None
    if set(PROCESSOR) <= cols:
        return "processor", (
            "the processor's export needs a 'Created date (UTC)' column and a "
            "'membership_number (metadata)' or 'Customer Email' column"
        )
    missing = [c for c in OWN if c not in cols]
    return "own", (
        f"the header lacks {', '.join(missing)}: a payments file's columns are number, date and "
        "amount (and reference, band if you have them), or a payment processor's export"
    )


def parse(
    text: str,
    *,
    members: Mapping[str, MemberRef],
    emails: Mapping[str, MemberRef] | None = None,
    rules: RuleBook,
    recorded: frozenset[str] = frozenset(),
    bands: frozenset[str] | None = None,
    today: dt.date | None = None,
) -> PaymentsFile:
    """Check every row of a payments file.

    ``members`` maps membership numbers to the members the importer may record payments for,
    ``emails`` (lower-cased) the same members by address; ``recorded`` holds the references of
    this source already stored (those rows are left out, not errors); ``bands`` the bands a
    ``band`` column may name (default: any the rule in force has); a payment dated after
    ``today`` is an error (money is recorded once it is paid).
    """
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=heading_delimiter(text, DELIMITERS))
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as e:  # a heading over the field limit, say
        out = PaymentsFile("own")
        out.errors.append(RowError(1, "", f"the header cannot be read as CSV ({e})"))
        return out
    layout, problem = _header_problem(header)
    out = PaymentsFile(layout)
    if problem:
        out.errors.append(RowError(1, "", problem))
        return out
    seen: dict[str, int] = {}
    for index, values in records(reader):
        if isinstance(values, csv.Error):  # a value over the CSV field limit, say
            out.errors.append(RowError(index, "", f"this row cannot be read as CSV ({values})"))
            break  # the file is refused anyway: the rest is left unread
        if index - 1 > MAX_ROWS:
            out.errors.append(RowError(index, "", f"a file holds at most {MAX_ROWS:,} payments"))
            break
        if len(values) != len(header):
            out.errors.append(
                RowError(index, "", f"{len(values)} values where the header has {len(header)}")
            )
            continue
        row = dict(zip(header, (v.strip() for v in values), strict=True))
        if layout == "own":
            _own_row(index, row, out, members, rules, recorded, seen, bands, today)
        else:
            _processor_row(index, row, out, members, emails or {}, rules, recorded, seen, today)
    return out


def _check(
    index: int,
    out: PaymentsFile,
    member: MemberRef,
    day: dt.date,
    amount: int,
    band: str,
    reference: str,
    rules: RuleBook,
    recorded: frozenset[str],
    seen: dict[str, int],
    ref_column: str,
    date_column: str,
) -> None:
    if reference:
        if reference in seen:
            out.errors.append(
                RowError(index, ref_column, f"{reference!r} is also on row {seen[reference]}")
            )
            return
        seen[reference] = index
        if reference in recorded:
            out.left_out.append(RowError(index, ref_column, f"{reference} is already recorded"))
            return
    try:
        rule = rules.rule_on(day)
        rule.band(band)
    except (NoRule, RuleError) as e:
        out.errors.append(RowError(index, date_column, str(e)))
        return
    out.rows.append(PaymentRow(index, member.id, member.number, day, amount, band, reference))


def _amount(index: int, column: str, text: str, out: PaymentsFile) -> int | None:
    try:
        amount = parse_pence(text)
    except ValueError as e:
        out.errors.append(RowError(index, column, str(e)))
        return None
    if amount <= 0:
        out.errors.append(RowError(index, column, "a payment must be more than nothing"))
        return None
    return amount


def _day(
    index: int, column: str, text: str, out: PaymentsFile, today: dt.date | None
) -> dt.date | None:
    try:
        day = _date(text)
    except ValueError as e:
        out.errors.append(RowError(index, column, str(e)))
        return None
    late = after_today("Date paid", day, today) if today is not None else None
    if late:
        out.errors.append(RowError(index, column, late))
        return None
    return day


def _own_row(
    index: int,
    row: dict[str, str],
    out: PaymentsFile,
    members: Mapping[str, MemberRef],
    rules: RuleBook,
    recorded: frozenset[str],
    seen: dict[str, int],
    bands: frozenset[str] | None,
    today: dt.date | None,
) -> None:
    number = row["number"]
    member = members.get(number)
    if member is None:
        problem = "no membership number" if not number else f"{number} is not a member you keep"
        out.errors.append(RowError(index, "number", problem))
        return
    day = _day(index, "date", row["date"], out, today)
    amount = _amount(index, "amount", row["amount"], out)
    band = row.get("band", "") or member.band
    if bands is not None and band not in bands:
        out.errors.append(RowError(index, "band", f"{band!r} is not a rate band"))
        return
    if day is None or amount is None:
        return
    reference = row.get("reference", "")
    if len(reference) > 100:
        out.errors.append(RowError(index, "reference", "a reference is at most 100 characters"))
        return
    _check(
        index, out, member, day, amount, band, reference, rules, recorded, seen, "reference",
        "date",
    )  # fmt: skip


def _processor_row(
    index: int,
    row: dict[str, str],
    out: PaymentsFile,
    members: Mapping[str, MemberRef],
    emails: Mapping[str, MemberRef],
    rules: RuleBook,
    recorded: frozenset[str],
    seen: dict[str, int],
    today: dt.date | None,
) -> None:
    reference = row["id"]
    if not reference or len(reference) > 100:
        out.errors.append(
            RowError(index, "id", "each payment needs its id (at most 100 characters)")
        )
        return
    status = row["Status"]
    if status.lower() != "paid":
        out.left_out.append(
            RowError(index, "Status", f"{reference} is {status or 'without a status'}, not paid")
        )
        return
    number = row.get("membership_number (metadata)", "")
    email = row.get("Customer Email", "").lower()
    member = members.get(number) if number else emails.get(email) if email else None
    if member is None:
        if number:
            out.errors.append(
                RowError(
                    index, "membership_number (metadata)", f"{number} is not a member you keep"
                )
            )
        elif email:
            out.errors.append(
                RowError(index, "Customer Email", f"no member you keep has the address {email}")
            )
        else:
            out.errors.append(
                RowError(index, "", "the payment names no membership number or address")
            )
        return
    date_column = next(c for c in PROCESSOR_DATE if c in row)
    day = _day(index, date_column, row[date_column], out, today)
    amount = _amount(index, "Amount", row["Amount"], out)
    if day is None or amount is None:
        return
    currency = row["Currency"].upper()
    try:
        rule_currency = rules.rule_on(day).currency
    except NoRule as e:
        out.errors.append(RowError(index, date_column, str(e)))
        return
    if currency != rule_currency:
        out.errors.append(
            RowError(
                index,
                "Currency",
                f"paid in {currency or 'no currency'}, subscriptions are in {rule_currency}",
            )
        )
        return
    _check(
        index, out, member, day, amount, member.band, reference, rules, recorded, seen, "id",
        date_column,
    )  # fmt: skip
