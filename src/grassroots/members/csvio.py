"""The member register as CSV: reading with a row-by-row error report, and writing.

Pure Python, no Django: ``parse`` checks every row and returns the valid rows and one
``RowError`` (row number as a spreadsheet shows it, column, problem) per fault, so the caller can
refuse the whole file or import only the valid rows, as the user chooses (issue 4).
``match_existing`` then sets apart the rows whose membership number is already in the register:
each becomes a ``RowUpdate`` saying which columns change from what to what, or an error where the
importer may not edit that member or the status change is not one an import makes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import sys
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from grassroots.members.eligibility import STATUSES
from grassroots.members.fieldrules import (
    GENDER_MAX,
    NAME_MAX,
    date_problem,
    email_problem,
    line_problem,
)
from grassroots.members.identifiers import number_problem
from grassroots.textfiles import records

__all__ = [
    "COLUMNS",
    "RATE_BANDS",
    "REQUIRED",
    "Current",
    "MemberRow",
    "ParseResult",
    "RowError",
    "RowUpdate",
    "UnitRef",
    "cell",
    "export_row",
    "export_writer",
    "match_existing",
    "parse",
    "read_heading",
    "write",
]

COLUMNS: tuple[str, ...] = (
    "number",
    "name",
    "email",
    "branch",
    "ward",
    "join_date",
    "status",
    "paid_up_to",
    "rate_band",
    "gender",
    "birth_date",
)
REQUIRED: tuple[str, ...] = ("number", "name", "branch", "join_date", "status")
RATE_BANDS: tuple[str, ...] = ("standard", "reduced", "youth", "student", "unwaged", "retired")

# A spreadsheet opening a CSV runs a cell starting with one of these as a formula (a name such as
# =HYPERLINK("https://…?"&B2) can send what the register holds elsewhere). Every CSV export goes
# through ``cell``, which puts an apostrophe before such a value (and before one that already
# starts with apostrophes and then such a character): spreadsheets show it as text, and ``parse``
# takes that one apostrophe off again, so an export imports back unchanged.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class UnitRef:
    """A unit a row may name by code: its id, kind and the id of its parent."""

    id: int
    kind: str
    parent_id: int | None


@dataclass(frozen=True)
class RowError:
    """One problem: row 1 is the header, so data rows start at 2 as in a spreadsheet."""

    row: int
    column: str
    problem: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.problem}"


@dataclass(frozen=True, slots=True)  # slots: a 500,000-row file holds 500,000 of these
class MemberRow:
    """A valid row, ready to become a member."""

    row: int
    number: str
    name: str
    email: str
    branch_id: int
    ward_id: int | None
    join_date: dt.date
    status: str
    paid_up_to: dt.date | None
    rate_band: str
    gender: str
    birth_date: dt.date | None


@dataclass(frozen=True, slots=True)
class Current:
    """A member already in the register: the values an import row is compared with."""

    id: int
    name: str
    email: str
    branch_id: int
    ward_id: int | None
    join_date: dt.date
    status: str
    paid_up_to: dt.date | None
    rate_band: str
    gender: str
    birth_date: dt.date | None


@dataclass(frozen=True)
class RowUpdate:
    """A valid row for a member already in the register, and what it changes.

    ``changes`` holds (column, now, after) as the file writes them (unit codes, ISO dates, ""
    for blank); ``values`` the new values keyed by the member's field (``branch_id``, ...).
    """

    row: MemberRow
    member_id: int
    changes: tuple[tuple[str, str, str], ...]
    values: Mapping[str, object]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c, _, _ in self.changes)


@dataclass
class ParseResult:
    """The valid rows, the errors, and how many data rows the file had.

    After ``match_existing``, ``rows`` are the new members only, ``updates`` the rows that change
    a member already in the register and ``unchanged`` the rows that match the register already.
    """

    rows: list[MemberRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0
    columns: tuple[str, ...] = ()
    updates: list[RowUpdate] = field(default_factory=list)
    unchanged: int = 0

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row > 1})

    @property
    def header_ok(self) -> bool:
        return not any(e.row == 1 for e in self.errors)

    def plan_digest(self) -> str:
        """A fingerprint of what importing would do: which rows add, change (how) or fail.

        The report shows the plan; the confirmation checks the file again and compares
        fingerprints, so a register changed in between never gets a change nobody was shown.
        """
        plan = (
            [r.number for r in self.rows],
            [(u.row.number, u.member_id, u.changes) for u in self.updates],
            [(e.row, e.column, e.problem) for e in self.errors],
            self.unchanged,
        )
        return hashlib.sha256(repr(plan).encode()).hexdigest()


def cell(value: object) -> str:
    """One value as an exported CSV cell: blank for None, ISO dates, formulas neutralised."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def export_row(values: Iterable[object]) -> list[str]:
    """A row of an exported CSV file, every value passed through ``cell``."""
    return [cell(v) for v in values]


def export_writer(out: Any) -> Any:
    """The CSV writer of every export: RFC 4180 line ends, so a stray carriage return in a
    value is quoted (with a bare newline as line end it would split the row)."""
    return csv.writer(out, lineterminator="\r\n")


def _unguarded(text: str) -> str:
    """A cell as imported: the apostrophe ``cell`` put before a formula-like value taken off."""
    return (
        text[1:] if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) else text
    )


def read_heading(
    reader: Iterator[list[str]], columns: Sequence[str], required: Sequence[str]
) -> tuple[list[str], list[RowError]]:
    """The heading row, lower-cased, and what is wrong with it: empty, unreadable, a column
    not among ``columns``, one of ``required`` missing, or a column named twice."""
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [RowError(1, "-", "the file is empty: expected a header row")]
    except csv.Error as exc:
        return [], [RowError(1, "-", f"the header cannot be read as CSV: {exc}")]
    expected = f"unknown column; expected some of {', '.join(columns)}"
    errors = [RowError(1, h or "(blank)", expected) for h in header if h not in columns]
    errors += [RowError(1, h, "required column is missing") for h in required if h not in header]
    if len(set(header)) != len(header):
        errors.append(RowError(1, "-", "a column name appears twice"))
    return header, errors


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD, found {text!r}") from None


def parse(
    text: str | Iterable[str],
    units: Mapping[str, UnitRef],
    *,
    allowed_branches: set[int] | None = None,
    today: dt.date | None = None,
) -> ParseResult:
    """Check every row of a register CSV; ``units`` maps unit codes to units.

    ``allowed_branches`` (None: any) limits the branches the importer may write to. Whether a
    membership number is already in the register is ``match_existing``'s question.
    """
    lines: Iterator[str] = iter(io.StringIO(text) if isinstance(text, str) else text)
    reader = csv.reader(lines)
    result = ParseResult()
    header, result.errors = read_heading(reader, COLUMNS, REQUIRED)
    if result.errors:
        return result
    result.columns = tuple(header)
    index = {h: i for i, h in enumerate(header)}
    seen: dict[str, int] = {}
    today = today or dt.date.today()
    width = len(header)
    # one object per distinct date and short code, shared by the rows: a 500,000-row file
    # otherwise holds 1.5 million dates and as many copies of "full" and "standard"
    days: dict[str, dt.date] = {}
    for rownum, raw in records(reader):
        result.total += 1
        if isinstance(raw, csv.Error):
            # e.g. a field longer than the csv module reads (131,072 characters), a NUL byte
            result.errors.append(RowError(rownum, "-", f"cannot be read as CSV: {raw}"))
            continue
        errs: list[RowError] = []
        if len(raw) != width:
            errs.append(RowError(rownum, "-", f"expected {width} fields, found {len(raw)}"))
            result.errors.extend(errs)
            continue
        v = {h: _unguarded(raw[i].strip()) for h, i in index.items()}
        for h in REQUIRED:
            if not v[h]:
                errs.append(RowError(rownum, h, "required value is blank"))
        number = v["number"]
        problem = number_problem(number) if number else None
        if problem:
            errs.append(RowError(rownum, "number", problem))
        elif number:
            if number in seen:
                errs.append(RowError(rownum, "number", f"{number} repeats row {seen[number]}"))
            else:
                seen[number] = rownum
        # the member form's rules (fieldrules): lengths, one line, an address a mail header takes
        for h, longest in (("name", NAME_MAX), ("gender", GENDER_MAX)):
            problem = line_problem(h, v.get(h, ""), longest)
            if problem:
                errs.append(RowError(rownum, h, problem))
        email = v.get("email", "")
        problem = email_problem(email) if email else None
        if problem:
            errs.append(RowError(rownum, "email", problem))
        branch = units.get(v["branch"]) if v["branch"] else None
        if v["branch"] and branch is None:
            errs.append(RowError(rownum, "branch", f"no unit with code {v['branch']!r}"))
        elif branch is not None and branch.kind != "branch":
            errs.append(
                RowError(rownum, "branch", f"{v['branch']!r} is a {branch.kind}, not a branch")
            )
            branch = None
        elif (
            branch is not None
            and allowed_branches is not None
            and branch.id not in allowed_branches
        ):
            errs.append(RowError(rownum, "branch", f"you may not add members to {v['branch']!r}"))
            branch = None
        ward_id = None
        if v.get("ward"):
            ward = units.get(v["ward"])
            if ward is None or ward.kind != "ward":
                errs.append(RowError(rownum, "ward", f"no ward with code {v['ward']!r}"))
            elif branch is not None and ward.parent_id != branch.id:
                errs.append(
                    RowError(rownum, "ward", f"{v['ward']!r} is not a ward of {v['branch']!r}")
                )
            else:
                ward_id = ward.id
        dates: dict[str, dt.date | None] = {}
        for h in ("join_date", "paid_up_to", "birth_date"):
            dates[h] = None
            if v.get(h):
                day = days.get(v[h])
                if day is None:
                    try:
                        day = days[v[h]] = _date(v[h])
                    except ValueError as exc:
                        errs.append(RowError(rownum, h, str(exc)))
                        continue
                problem = date_problem(h.replace("_", " "), day)
                if problem:
                    errs.append(RowError(rownum, h, problem))
                else:
                    dates[h] = day
        join = dates["join_date"]
        if join is not None and join > today:
            errs.append(RowError(rownum, "join_date", f"{join} is in the future"))
        birth = dates["birth_date"]
        if birth is not None and join is not None and birth > join:
            errs.append(RowError(rownum, "birth_date", f"{birth} is after the join date {join}"))
        status = v["status"].lower()
        if status and status not in STATUSES:
            errs.append(
                RowError(rownum, "status", f"{status!r} is not one of {', '.join(STATUSES)}")
            )
        band = v.get("rate_band", "").lower()
        if band and band not in RATE_BANDS:
            errs.append(
                RowError(rownum, "rate_band", f"{band!r} is not one of {', '.join(RATE_BANDS)}")
            )
        if errs:
            result.errors.extend(errs)
            continue
        assert branch is not None and join is not None  # guaranteed by the checks above
        result.rows.append(
            MemberRow(
                rownum,
                number,
                v["name"],
                email,
                branch.id,
                ward_id,
                join,
                sys.intern(status),
                dates["paid_up_to"],
                sys.intern(band or "standard"),
                sys.intern(v.get("gender", "")),
                birth,
            )
        )
    return result


# column → the member's field it sets
_FIELDS: dict[str, str] = {
    "name": "name",
    "email": "email",
    "branch": "branch_id",
    "ward": "ward_id",
    "join_date": "join_date",
    "status": "status",
    "paid_up_to": "paid_up_to",
    "rate_band": "rate_band",
    "gender": "gender",
    "birth_date": "birth_date",
}


def _shown(column: str, value: object, codes: Mapping[int, str]) -> str:
    if value is None:
        return ""
    if column in ("branch", "ward"):
        return codes.get(value, str(value))  # type: ignore[call-overload, no-any-return]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def match_existing(
    parsed: ParseResult,
    current: Mapping[str, Current],
    units: Mapping[str, UnitRef],
    *,
    allowed_branches: set[int] | None = None,
    status_moves: Collection[tuple[str, str]] = (),
) -> ParseResult:
    """Set apart the rows whose number is in ``current`` (members already in the register).

    Such a row updates that member: a column the file has replaces the member's value (a blank
    cell clears it), a column it lacks is left alone, except that a member moved to another
    branch by a file without a ward column leaves their old branch's ward. It is an error on
    the row if the member's present branch is outside ``allowed_branches``, or if it changes the
    status other than by one of ``status_moves`` ((from, to) pairs; the rest need a reason and
    are made on the member's page). A row that changes nothing is counted in ``unchanged``.
    """
    codes = {ref.id: code for code, ref in units.items()}
    out = ParseResult(total=parsed.total, columns=parsed.columns)
    compared = [c for c in parsed.columns if c in _FIELDS]
    errors: list[RowError] = []
    for r in parsed.rows:
        now = current.get(r.number)
        if now is None:
            out.rows.append(r)
            continue
        if allowed_branches is not None and now.branch_id not in allowed_branches:
            where = codes.get(now.branch_id, str(now.branch_id))
            errors.append(
                RowError(
                    r.row,
                    "number",
                    f"{r.number} is a member of {where!r}, whose register you may not edit",
                )
            )
            continue
        columns = list(compared)
        if "ward" not in columns and r.branch_id != now.branch_id and now.ward_id is not None:
            columns.append("ward")  # the old ward belongs to the old branch
        changes: list[tuple[str, str, str]] = []
        values: dict[str, object] = {}
        for c in columns:
            attr = _FIELDS[c]
            before, after = getattr(now, attr), getattr(r, attr)
            if before != after:
                changes.append((c, _shown(c, before, codes), _shown(c, after, codes)))
                values[attr] = after
        if "status" in values and (now.status, r.status) not in status_moves:
            errors.append(
                RowError(
                    r.row,
                    "status",
                    f"{r.number} is {now.status}: an import does not change that to {r.status}; "
                    "change the status on the member's page, with a reason",
                )
            )
            continue
        if changes:
            out.updates.append(RowUpdate(r, now.id, tuple(changes), values))
        else:
            out.unchanged += 1
    out.errors = sorted([*parsed.errors, *errors], key=lambda e: e.row)
    return out


def write(rows: Iterable[Mapping[str, object]], out: io.TextIOBase | None = None) -> str:
    """Write register rows (mappings keyed by ``COLUMNS``) as CSV; ``parse`` reads it back."""
    buf = out if out is not None else io.StringIO()
    w = export_writer(buf)
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow(export_row(r.get(c) for c in COLUMNS))
    return buf.getvalue() if isinstance(buf, io.StringIO) else ""
