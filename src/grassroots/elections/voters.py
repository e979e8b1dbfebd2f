"""Whose membership record a signed-in user votes with in an election.

By default, the user's own (``Member.user``). Another app whose elections keep voters' records
of their own (the network's primaries: one record per person on a primary's roll, in the
network's unit) registers a resolver in its ``AppConfig.ready``; the first resolver that knows
the election answers, and may answer ``None`` (this user has no ballot here).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from grassroots.elections.models import Election
from grassroots.members.models import Member

__all__ = ["NOT_MINE", "elsewhere", "register", "voter_for"]

User = AbstractBaseUser | AnonymousUser


class _NotMine:
    """A resolver's answer for an election it does not keep the voters of."""


NOT_MINE = _NotMine()
Resolver = Callable[[User, Election], "Member | _NotMine | None"]
_resolvers: list[Resolver] = []


def register(resolver: Resolver) -> None:
    """Add ``resolver`` (once) to those asked before the default."""
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def elsewhere(user: User, election: Election) -> Member | _NotMine | None:
    """What the first registered resolver that knows ``election`` answers; ``NOT_MINE`` if
    none does (the user's own record is then the one)."""
    for resolver in _resolvers:
        found = resolver(user, election)
        if not isinstance(found, _NotMine):
            return found
    return NOT_MINE


def voter_for(user: User, election: Election) -> Member | None:
    """The membership record ``user`` votes with in ``election``, or None."""
    found = elsewhere(user, election)
    if not isinstance(found, _NotMine):
        return found
    if not user.is_authenticated:
        return None
    return Member.objects.filter(user_id=user.pk).first()
