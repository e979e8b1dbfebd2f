"""Voter records that are not the register's own, and how a sign-in link reaches their people.

The network's primaries give each person on a roll a voter record (a ``members.Member`` in the
network's own unit) that no login is linked to: the person votes with it through their groups'
entries (``elections.voters``). Such an app registers a ``Keeper`` in its ``AppConfig.ready``;
the sign-in links (``signin.actions``) then ask it, for a record it keeps, which account the
person already has, how to tie a new or found account to them, what to tell them (which
network, which vote) and which records an address may ask a link for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from grassroots.members.models import Member

__all__ = ["Keeper", "keeper_of", "kept", "register", "requestable"]


@dataclass(frozen=True)
class Keeper:
    # whether this keeper keeps the record
    owns: Callable[[Member], bool]
    # every record this keeper keeps (to leave out of the register's own sign-in links)
    records: Callable[[], QuerySet[Member]]
    # the account the person already has, if any
    account: Callable[[Member], AbstractBaseUser | None]
    # tie ``user`` (just made or found) to the person whose record it is
    attach: Callable[[Member, AbstractBaseUser], None]
    # words for the message and the page: "where" (e.g. the network) and "what" (the vote)
    about: Callable[[Member], dict[str, str]]
    # the records an address may ask a sign-in link for (e.g. on an open primary's roll)
    requestable: Callable[[str], QuerySet[Member]]


_keepers: list[Keeper] = []


def register(keeper: Keeper) -> None:
    if keeper not in _keepers:
        _keepers.append(keeper)


def keeper_of(member: Member) -> Keeper | None:
    return next((k for k in _keepers if k.owns(member)), None)


def kept() -> list[Keeper]:
    return list(_keepers)


def requestable(email: str) -> list[tuple[Member, Keeper]]:
    """The kept records an address may ask a sign-in link for, each with its keeper."""
    return [(m, k) for k in _keepers for m in k.requestable(email)]
