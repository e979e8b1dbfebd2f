"""Shared by the meeting actions: the refusal error, permission checks and the clock."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from grassroots.count.errors import InputError
from grassroots.members.models import Unit
from grassroots.members.permissions import require

User = AbstractBaseUser | AnonymousUser


class ActionRefused(InputError):
    """A meeting action's precondition is not met; the message says which."""


def check(by: User | None, perm: str, unit: Unit) -> None:
    """``by=None`` is the trusted operator at the command line (demo seeding)."""
    if by is not None:
        require(by, perm, unit)


def now_or(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()
