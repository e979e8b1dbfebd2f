"""Shared by the books' actions: the refusal error, permission checks, the clock."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from grassroots.count.errors import InputError
from grassroots.members.models import Unit
from grassroots.members.permissions import require

User = AbstractBaseUser | AnonymousUser


class BooksRefused(InputError):
    """A books action's precondition is not met; the message says which."""


def check(by: User | None, perm: str, unit: Unit) -> None:
    """``by=None`` is the trusted operator at the command line (demo seeding)."""
    if by is not None:
        require(by, perm, unit)


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def money(amount: object, currency: str) -> str:
    """An amount in words for messages and the audit log: "£1,250.00"."""
    sign = {"GBP": "£", "EUR": "€", "USD": "$"}.get(currency, "")
    text = f"{amount:,.2f}" if not isinstance(amount, str) else amount
    return f"{sign}{text}" if sign else f"{text} {currency}"
