"""A unit's accounts for a period, from its ledger, as plain values (no Django).

``prepare`` turns the period's legs into income and expenditure by line, each account's
opening and closing balance, each bank account's balance in the books against its statement,
and every transaction with its approval, and checks that the figures reconcile: each line's
total is the sum of its transactions, each closing balance is the opening plus the movements,
the surplus is the change in what the unit holds, the funds (what was put into them and every
surplus so far) equal what the unit holds less what it owes, and each bank account agrees with
its bank.
The result is canonical JSON, hashed when published.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from grassroots.finance.ledger import Category, LedgerError, Leg, check_balanced

__all__ = ["AccountInfo", "NotReconciled", "PeriodTransaction", "canonical", "prepare"]


class NotReconciled(LedgerError):
    """The figures do not agree; the message says which."""


@dataclass(frozen=True, slots=True)
class AccountInfo:
    code: str
    name: str
    category: Category
    is_bank: bool = False


@dataclass(frozen=True, slots=True)
class PeriodTransaction:
    id: int
    date: dt.date
    description: str
    payee: str
    legs: Sequence[Leg]
    approval: str = ""  # the spend's approval in words, "UNAPPROVED…", or empty


def _s(d: Decimal) -> str:
    return f"{d:.2f}"


def prepare(
    *,
    unit: str,
    currency: str,
    start: dt.date,
    end: dt.date,
    accounts: Sequence[AccountInfo],
    opening: Mapping[str, Decimal],
    transactions: Sequence[PeriodTransaction],
    bank_statement: Mapping[str, Decimal],
) -> dict[str, Any]:
    """The accounts of ``unit`` from ``start`` to ``end`` inclusive.

    ``opening`` is each account's balance (debits positive) before ``start``;
    ``transactions`` are those dated in the period; ``bank_statement`` is, for each bank
    account with imported statements, the sum of its bank lines up to ``end``.
    """
    if end < start:
        raise LedgerError("the period ends before it starts")
    movement: dict[str, Decimal] = defaultdict(Decimal)
    per_account: dict[str, list[int]] = defaultdict(list)
    for t in transactions:
        if not start <= t.date <= end:
            raise LedgerError(f"transaction {t.id} of {t.date} is outside the period")
        check_balanced(t.legs)
        for leg in t.legs:
            if leg.currency != currency:
                raise LedgerError(f"transaction {t.id} has a leg in {leg.currency}")
            movement[leg.account] += leg.amount
            if t.id not in per_account[leg.account]:
                per_account[leg.account].append(t.id)
    by_code = {a.code: a for a in accounts}
    unknown = set(movement) - set(by_code)
    if unknown:
        raise LedgerError(f"legs on accounts not in the books: {sorted(unknown)}")

    def line(a: AccountInfo, sign: int) -> dict[str, Any]:
        return {
            "code": a.code,
            "name": a.name,
            "amount": _s(sign * movement[a.code]),
            "transactions": per_account[a.code],
        }

    income = [line(a, -1) for a in accounts if a.category == "income" and movement[a.code]]
    spending = [line(a, 1) for a in accounts if a.category == "expense" and movement[a.code]]
    total_income = -sum((movement[a.code] for a in accounts if a.category == "income"), Decimal(0))
    total_spending = sum(
        (movement[a.code] for a in accounts if a.category == "expense"), Decimal(0)
    )
    surplus = total_income - total_spending
    balances = []
    held_change = Decimal(0)
    funds_change = Decimal(0)
    for a in accounts:
        if a.category not in ("asset", "liability", "funds"):
            continue
        before = opening.get(a.code, Decimal(0))
        after = before + movement[a.code]
        balances.append(
            {
                "code": a.code,
                "name": a.name,
                "category": a.category,
                "opening": _s(before),
                "closing": _s(after),
                "transactions": per_account[a.code],
            }
        )
        if a.category == "funds":
            funds_change += movement[a.code]
        else:
            held_change += movement[a.code]
    # what the unit holds changed by the surplus plus what was moved into its funds directly
    if held_change != surplus - funds_change:
        raise NotReconciled(
            f"the surplus {_s(surplus)} and funds moved {_s(-funds_change)} do not explain "
            f"the change of {_s(held_change)} in what the unit holds"
        )

    # the funds: what was put into them and every surplus so far (the income and spending
    # before the period, never closed into a fund account, carried as its surplus). They equal
    # what the unit holds less what it owes, at the start and at the end.
    def opening_of(categories: tuple[str, ...]) -> Decimal:
        return sum((opening.get(a.code, Decimal(0)) for a in accounts
                    if a.category in categories), Decimal(0))  # fmt: skip

    held_opening = opening_of(("asset", "liability"))
    funds_opening = -opening_of(("funds",)) - opening_of(("income", "expense"))
    funds_closing = funds_opening - funds_change + surplus
    # at the end too: the closing funds and holdings move by the same amount (checked above)
    if funds_opening != held_opening:
        raise NotReconciled(
            f"the funds ({_s(funds_opening)} at the start, {_s(funds_closing)} at the end) are "
            f"not what the unit holds less what it owes ({_s(held_opening)}, "
            f"{_s(held_opening + held_change)})"
        )
    funds = {
        "opening": _s(funds_opening),
        "put_in": _s(-funds_change),
        "surplus": _s(surplus),
        "closing": _s(funds_closing),
    }
    bank = []
    for a in accounts:
        if not a.is_bank:
            continue
        books = opening.get(a.code, Decimal(0)) + movement[a.code]
        statement = bank_statement.get(a.code)
        bank.append(
            {
                "code": a.code,
                "name": a.name,
                "books": _s(books),
                "statement": None if statement is None else _s(statement),
                "difference": None if statement is None else _s(books - statement),
            }
        )
    return {
        "unit": unit,
        "currency": currency,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "income": income,
        "expenditure": spending,
        "total_income": _s(total_income),
        "total_expenditure": _s(total_spending),
        "surplus": _s(surplus),
        "balances": balances,
        "funds": funds,
        "bank": bank,
        "transactions": [
            {
                "id": t.id,
                "date": t.date.isoformat(),
                "description": t.description,
                "payee": t.payee,
                "approval": t.approval,
                "legs": [[leg.account, _s(leg.amount)] for leg in t.legs],
            }
            for t in sorted(transactions, key=lambda t: (t.date, t.id))
        ],
    }


def canonical(content: Mapping[str, Any]) -> tuple[str, str]:
    """The content as canonical JSON and its SHA-256."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text, hashlib.sha256(text.encode()).hexdigest()
