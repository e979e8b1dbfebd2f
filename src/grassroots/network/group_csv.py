"""A group's list of members as CSV, checked row by row (pure: no Django, no I/O).

Columns: ``name`` and ``email`` (required), ``phone``, ``postcode``, ``membership_number`` and
``joined_on`` (YYYY-MM-DD; the day of the import when blank). Each fault is one ``RowError``
(row 1 is the header, as a spreadsheet numbers rows), as in the register's import; the caller
stores nothing while any row is faulty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Collection
from dataclasses import dataclass, field

from grassroots.members.csvio import RowError, read_heading
from grassroots.members.fieldrules import NAME_MAX, date_problem, email_problem, line_problem
from grassroots.network.dedup import normalise_email, normalise_number
from grassroots.textfiles import records

__all__ = ["COLUMNS", "REQUIRED", "ListRow", "Parsed", "parse"]

COLUMNS: tuple[str, ...] = ("name", "email", "phone", "postcode", "membership_number", "joined_on")
REQUIRED: tuple[str, ...] = ("name", "email")
_LIMITS = {"phone": 40, "postcode": 12, "membership_number": 32}


@dataclass(frozen=True)
class ListRow:
    """One checked row of a group's list."""

    row: int
    name: str
    email: str
    phone: str
    postcode: str
    membership_number: str
    joined_on: dt.date


@dataclass
class Parsed:
    rows: list[ListRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse(text: str, *, today: dt.date, on_list: Collection[str] = ()) -> Parsed:
    """Check every row; ``on_list`` holds the normalised addresses already on the group's list."""
    out = Parsed()
    reader = csv.reader(io.StringIO(text))
    header, out.errors = read_heading(reader, COLUMNS, REQUIRED)
    if out.errors:
        return out
    seen: dict[str, int] = {}
    for rownum, raw in records(reader):
        if isinstance(raw, csv.Error):
            out.errors.append(RowError(rownum, "-", f"cannot be read as CSV: {raw}"))
            continue
        if len(raw) != len(header):
            out.errors.append(
                RowError(rownum, "-", f"expected {len(header)} fields, found {len(raw)}")
            )
            continue
        v = {h: raw[i].strip() for i, h in enumerate(header)}
        errs: list[RowError] = []
        for h in REQUIRED:
            if not v[h]:
                errs.append(RowError(rownum, h, "required value is blank"))
        problem = line_problem("name", v["name"], NAME_MAX)
        if problem:
            errs.append(RowError(rownum, "name", problem))
        for h, longest in _LIMITS.items():
            problem = line_problem(h.replace("_", " "), v.get(h, ""), longest)
            if problem:
                errs.append(RowError(rownum, h, problem))
        email = v["email"]
        if email:
            problem = email_problem(email)
            key = normalise_email(email)
            if problem:
                errs.append(RowError(rownum, "email", problem))
            elif key in seen:
                errs.append(RowError(rownum, "email", f"{email} repeats row {seen[key]}"))
            elif key in on_list:
                errs.append(RowError(rownum, "email", f"{email} is already on this group's list"))
            else:
                seen[key] = rownum
        joined = today
        if v.get("joined_on"):
            try:
                joined = dt.date.fromisoformat(v["joined_on"])
            except ValueError:
                errs.append(
                    RowError(
                        rownum,
                        "joined_on",
                        f"expected a date as YYYY-MM-DD, found {v['joined_on']!r}",
                    )
                )
            else:
                problem = date_problem("joining date", joined)
                if problem:
                    errs.append(RowError(rownum, "joined_on", problem))
                elif joined > today:
                    errs.append(RowError(rownum, "joined_on", "the joining date is in the future"))
        if errs:
            out.errors.extend(errs)
            continue
        out.rows.append(
            ListRow(
                rownum,
                v["name"],
                email,
                v.get("phone", ""),
                v.get("postcode", ""),
                normalise_number(v.get("membership_number", "")),
                joined,
            )
        )
    return out
