"""The member register as CSV: reading with a row-by-row error report, and writing.

Pure Python, no Django: ``parse`` checks every row and returns the valid rows and one
``RowError`` (row number as a spreadsheet shows it, column, problem) per fault, so the caller can
refuse the whole file or import only the valid rows, as the user chooses (issue 4).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from grassroots.members.eligibility import STATUSES

__all__ = [
    "COLUMNS",
    "RATE_BANDS",
    "REQUIRED",
    "MemberRow",
    "ParseResult",
    "RowError",
    "UnitRef",
    "parse",
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


@dataclass(frozen=True)
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


@dataclass
class ParseResult:
    """The valid rows, the errors, and how many data rows the file had."""

    rows: list[MemberRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row > 1})

    @property
    def header_ok(self) -> bool:
        return not any(e.row == 1 for e in self.errors)


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
    existing_numbers: set[str] | frozenset[str] = frozenset(),
    today: dt.date | None = None,
) -> ParseResult:
    """Check every row of a register CSV; ``units`` maps unit codes to units.

    ``allowed_branches`` (None: any) limits the branches the importer may write to;
    ``existing_numbers`` are membership numbers already in the register.
    """
    lines: Iterator[str] = iter(io.StringIO(text) if isinstance(text, str) else text)
    reader = csv.reader(lines)
    result = ParseResult()
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        result.errors.append(RowError(1, "-", "the file is empty: expected a header row"))
        return result
    for h in header:
        if h not in COLUMNS:
            result.errors.append(
                RowError(
                    1, h or "(blank)", f"unknown column; expected some of {', '.join(COLUMNS)}"
                )
            )
    for h in REQUIRED:
        if h not in header:
            result.errors.append(RowError(1, h, "required column is missing"))
    if len(set(header)) != len(header):
        result.errors.append(RowError(1, "-", "a column name appears twice"))
    if result.errors:
        return result
    index = {h: i for i, h in enumerate(header)}
    seen: dict[str, int] = {}
    today = today or dt.date.today()
    width = len(header)
    for rownum, raw in enumerate(reader, start=2):
        if not any(c.strip() for c in raw):
            continue  # blank lines are not rows
        result.total += 1
        errs: list[RowError] = []
        if len(raw) != width:
            errs.append(RowError(rownum, "-", f"expected {width} fields, found {len(raw)}"))
            result.errors.extend(errs)
            continue
        v = {h: raw[i].strip() for h, i in index.items()}
        for h in REQUIRED:
            if not v[h]:
                errs.append(RowError(rownum, h, "required value is blank"))
        number = v["number"]
        if number:
            if number in existing_numbers:
                errs.append(RowError(rownum, "number", f"{number} is already in the register"))
            elif number in seen:
                errs.append(RowError(rownum, "number", f"{number} repeats row {seen[number]}"))
            else:
                seen[number] = rownum
        email = v.get("email", "")
        if email and ("@" not in email or " " in email):
            errs.append(RowError(rownum, "email", f"{email!r} is not an email address"))
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
                try:
                    dates[h] = _date(v[h])
                except ValueError as exc:
                    errs.append(RowError(rownum, h, str(exc)))
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
                status,
                dates["paid_up_to"],
                band or "standard",
                v.get("gender", ""),
                birth,
            )
        )
    return result


def write(rows: Iterable[Mapping[str, object]], out: io.TextIOBase | None = None) -> str:
    """Write register rows (mappings keyed by ``COLUMNS``) as CSV; ``parse`` reads it back."""
    buf = out if out is not None else io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow(["" if r.get(c) is None else str(r.get(c)) for c in COLUMNS])
    return buf.getvalue() if isinstance(buf, io.StringIO) else ""
