"""Double-entry book-keeping as plain values: legs, transactions that balance, balances.

A transaction is a set of legs, each an exact amount of one currency on one account; in each
currency its legs add up to zero (money moves, it is never made or lost). Debits are positive
and credits negative, as beancount writes them: paying £40 for leaflets from the bank is
``+40.00`` on Expenses:Leaflets and ``-40.00`` on Assets:Bank. No Django here; the models and
actions call these checks, and the database repeats the balance check where it can.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

from grassroots.dates import day as words

__all__ = [
    "CATEGORIES",
    "MINOR_UNITS",
    "Category",
    "LedgerError",
    "Leg",
    "Unbalanced",
    "after_today",
    "balances",
    "check_balanced",
    "exact_amount",
    "normal_balance",
]

Category = Literal["asset", "liability", "funds", "income", "expense"]
CATEGORIES: Final[tuple[Category, ...]] = ("asset", "liability", "funds", "income", "expense")

# decimal places of each currency's smallest unit (ISO 4217); others are refused
MINOR_UNITS: Final[Mapping[str, int]] = {"GBP": 2, "EUR": 2, "USD": 2, "CHF": 2, "JPY": 0}


class LedgerError(ValueError):
    """Bad book-keeping input; the message names the problem in words."""


class Unbalanced(LedgerError):
    """A transaction whose legs do not add up to zero in some currency."""


@dataclass(frozen=True, slots=True)
class Leg:
    """One leg: ``amount`` (positive debit, negative credit) of ``currency`` on ``account``."""

    account: str
    amount: Decimal
    currency: str


# the years a date in the books may have: one outside is a typing slip (0001, 9999)
FIRST_YEAR, LAST_YEAR = 1900, 2100


def after_today(what: str, day: dt.date, today: dt.date) -> str | None:
    """Why ``day`` cannot be the date called ``what`` ("Date paid") of money already paid or
    received, or None if it can: money is recorded once it has moved, never on a day to come
    (a budget's or a plan's dates are not such dates)."""
    if day <= today:
        return None
    return f"{what} ({words(day)}) cannot be after today ({words(today)})"


def exact_amount(value: str | Decimal | int, currency: str) -> Decimal:
    """``value`` as an exact amount of ``currency``: no fraction of its smallest unit.

    "12.5" is £12.50; "12.505" is refused, never rounded: money is not rounded silently.
    """
    if currency not in MINOR_UNITS:
        raise LedgerError(f"unknown currency {currency!r}: expected one of {sorted(MINOR_UNITS)}")
    if isinstance(value, float):
        raise LedgerError("amounts are exact decimals, never floating-point numbers")
    try:
        amount = Decimal(value.strip().replace(",", "") if isinstance(value, str) else value)
    except InvalidOperation:
        raise LedgerError(f"{value!r} is not an amount of money") from None
    if not amount.is_finite():
        raise LedgerError(f"{value!r} is not an amount of money")
    if abs(amount) >= Decimal(10) ** 12:  # before quantizing: 1e30 has no pence to round to
        raise LedgerError(f"{value} {currency} is too large for the books")
    places = MINOR_UNITS[currency]
    quantum = Decimal(1).scaleb(-places)
    if amount != amount.quantize(quantum):
        raise LedgerError(f"{value} {currency} has more than {places} decimal places")
    return amount.quantize(quantum)


def check_balanced(legs: Iterable[Leg]) -> None:
    """Raise unless there are two or more legs, each non-zero and exact in its currency, and
    the legs of each currency add up to zero."""
    legs = list(legs)
    if len(legs) < 2:
        raise Unbalanced("a transaction needs at least two legs")
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for leg in legs:
        exact_amount(leg.amount, leg.currency)
        if leg.amount == 0:
            raise LedgerError(f"a leg on {leg.account} is for nothing")
        totals[leg.currency] += leg.amount
    off = {c: t for c, t in totals.items() if t != 0}
    if off:
        said = ", ".join(f"{t:+} {c}" for c, t in sorted(off.items()))
        raise Unbalanced(f"the legs do not add up to zero: {said} left over")


def normal_balance(category: Category) -> int:
    """+1 where an account's balance is normally a debit (assets, expenses), else -1: the sign
    to show its balance as a positive figure."""
    return 1 if category in ("asset", "expense") else -1


def balances(legs: Iterable[Leg]) -> dict[tuple[str, str], Decimal]:
    """Each (account, currency)'s sum of legs (debits positive)."""
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for leg in legs:
        out[(leg.account, leg.currency)] += leg.amount
    return dict(out)
