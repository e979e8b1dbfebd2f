"""Bank statement readers: CSV (columns mapped per bank), OFX and CAMT.053.

Each reader takes the file's bytes and returns a ``Parsed``: the lines it read and, for each
line it could not, where it is (the CSV row, the file's line) and what is wrong. Readers import
no Django; ``actions.bank`` shows their report and imports only when it is confirmed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["Balance", "LineProblem", "Parsed", "StatementLine", "fingerprints"]

MAX_BYTES = 5 * 1024 * 1024  # a year of a branch's statement is a few hundred kilobytes


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One line of a statement; ``amount`` is positive for money in, negative for money out."""

    position: int  # the CSV row (the heading is row 1) or the line of the file
    date: dt.date
    amount: Decimal
    currency: str
    description: str
    payee: str = ""
    reference: str = ""  # the bank's own id for the line, where it gives one


@dataclass(frozen=True, slots=True)
class LineProblem:
    where: str  # "row 4", "line 37", "the file"
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass(frozen=True, slots=True)
class Balance:
    """The balance the bank states at the end of the statement (OFX LEDGERBAL, CAMT CLBD)."""

    date: dt.date
    amount: Decimal


@dataclass(slots=True)
class Parsed:
    lines: list[StatementLine] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    closing: Balance | None = None


def fingerprints(lines: Sequence[StatementLine]) -> list[str]:
    """A fingerprint per line that is the same when the same statement is imported again.

    The bank's id for the line where it gives one; otherwise the line's date, amount,
    currency, description and payee, with how many identical lines came before it in the
    file, so two identical payments on one day are both kept and a re-import finds both.
    """
    seen: Counter[tuple[str, ...]] = Counter()
    out = []
    for line in lines:
        if line.reference:
            key: tuple[str, ...] = ("ref", line.reference)
        else:
            key = (
                line.date.isoformat(),
                str(line.amount),
                line.currency,
                " ".join(line.description.split()).lower(),
                " ".join(line.payee.split()).lower(),
            )
        seen[key] += 1
        text = "\x1f".join((*key, str(seen[key])))
        out.append(hashlib.sha256(text.encode()).hexdigest())
    return out


def too_big(data: bytes) -> LineProblem | None:
    if len(data) > MAX_BYTES:
        return LineProblem("the file", f"it is over {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        return LineProblem("the file", "it is empty")
    return None
