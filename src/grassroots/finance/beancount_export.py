"""A unit's books in beancount's plain-text format, so an auditor can open them in fava.

Pure: takes the accounts and transactions as values and returns the text. Names are made to
beancount's rules (``Assets:Hillford:Bank-Current``: a root per category, then components that
start with a capital letter or a digit and hold letters, digits and dashes); strings are
quoted on one line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from grassroots.finance.ledger import Category, Leg, check_balanced

__all__ = ["BookAccount", "BookTransaction", "account_name", "export"]

ROOTS: dict[Category, str] = {
    "asset": "Assets",
    "liability": "Liabilities",
    "funds": "Equity",
    "income": "Income",
    "expense": "Expenses",
}


@dataclass(frozen=True, slots=True)
class BookAccount:
    code: str
    name: str
    category: Category
    currency: str
    opened: dt.date


@dataclass(frozen=True, slots=True)
class BookTransaction:
    id: int
    date: dt.date
    payee: str
    narration: str
    legs: Sequence[Leg]
    link: str = ""  # e.g. the decision that approved a spend, as words


def _component(text: str) -> str:
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", text) if p]
    name = "-".join(p[:1].upper() + p[1:] for p in parts) or "X"
    return name if name[0].isupper() or name[0].isdigit() else "X" + name


def account_name(unit_code: str, account: BookAccount) -> str:
    return f"{ROOTS[account.category]}:{_component(unit_code)}:{_component(account.code)}"


def _quoted(text: str) -> str:
    one_line = " ".join(text.split())
    return '"' + one_line.replace("\\", "\\\\").replace('"', '\\"') + '"'


def export(
    unit_code: str,
    unit_name: str,
    accounts: Sequence[BookAccount],
    transactions: Sequence[BookTransaction],
) -> str:
    """The books as a beancount file: options, an ``open`` per account, then transactions."""
    by_code = {a.code: a for a in accounts}
    currencies = sorted({a.currency for a in accounts}) or ["GBP"]
    out = [
        f"option {_quoted('title')} {_quoted(unit_name)}",
        *(f"option {_quoted('operating_currency')} {_quoted(c)}" for c in currencies),
        "",
    ]
    first = min((t.date for t in transactions), default=None)
    for a in sorted(accounts, key=lambda a: (a.category, a.code)):
        opened = min(a.opened, first) if first is not None else a.opened
        out.append(f"{opened.isoformat()} open {account_name(unit_code, a)} {a.currency}")
        out.append(f"  name: {_quoted(a.name)}")
    out.append("")
    for t in sorted(transactions, key=lambda t: (t.date, t.id)):
        check_balanced(t.legs)
        out.append(f"{t.date.isoformat()} * {_quoted(t.payee)} {_quoted(t.narration)}")
        out.append(f"  grassroots-id: {_quoted(str(t.id))}")
        if t.link:
            out.append(f"  approved-by: {_quoted(t.link)}")
        for leg in t.legs:
            name = account_name(unit_code, by_code[leg.account])
            out.append(f"  {name}  {leg.amount} {leg.currency}")
        out.append("")
    return "\n".join(out)
