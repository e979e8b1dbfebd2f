"""Shared by the election actions: the refusal errors, permission checks and the clock."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from grassroots.count.errors import InputError
from grassroots.elections.models import (
    Election,
)
from grassroots.members.models import Unit
from grassroots.members.permissions import require

User = AbstractBaseUser | AnonymousUser


class ActionRefused(InputError):
    """An election action's precondition is not met; the message says which."""


class AlreadyVoted(ActionRefused):
    """This member's vote is already recorded; a second ballot is never stored."""


def _check(by: User | None, perm: str, unit: Unit) -> None:
    if by is not None:
        require(by, perm, unit)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _subject(e: Election) -> str:
    return f"election:{e.pk}"
