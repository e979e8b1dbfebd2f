"""Who may do what in a network: organisers over the network, admins over their own group.

A group's list of members is read by that group's admins only; organisers see counts.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from grassroots.network.models import Group, GroupAdmin, Network, Organiser

__all__ = [
    "NotAllowed",
    "is_group_admin",
    "is_organiser",
    "require_group_admin",
    "require_organiser",
]

User = AbstractBaseUser | AnonymousUser


class NotAllowed(PermissionDenied):
    """The user does not run this group or organise this network; the message says which."""


def _signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_organiser(user: User | None, network: Network) -> bool:
    """Whether ``user`` is one of ``network``'s organisers."""
    return _signed_in(user) and Organiser.objects.filter(network=network, user_id=user.pk).exists()  # type: ignore[union-attr]


def is_group_admin(user: User | None, group: Group) -> bool:
    """Whether ``user`` is one of ``group``'s admins (organisers are not, by being organisers)."""
    return _signed_in(user) and GroupAdmin.objects.filter(group=group, user_id=user.pk).exists()  # type: ignore[union-attr]


def _who(user: User | None) -> str:
    return user.get_username() if user is not None and user.is_authenticated else "anonymous"


def require_organiser(user: User | None, network: Network) -> None:
    if not is_organiser(user, network):
        raise NotAllowed(f"{_who(user)} is not an organiser of {network.name}")


def require_group_admin(user: User | None, group: Group) -> None:
    if not is_group_admin(user, group):
        raise NotAllowed(f"{_who(user)} is not an admin of {group.name}")
