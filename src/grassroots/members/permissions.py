"""Who may do what where: each role holds over its unit and every unit below it.

A branch secretary of branch B may see and edit B's register and nothing else; an administrator
of the national unit may do everything everywhere. The table is data, checked by permission tests
in which each role tries what it must not do.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from grassroots.members.models import Role, Unit

__all__ = ["PERMISSIONS", "NotAllowed", "can", "require", "units_where"]

PERMISSIONS: dict[str, frozenset[str]] = {
    "view_register": frozenset(
        {"branch_secretary", "branch_officer", "executive", "administrator"}
    ),
    "edit_register": frozenset({"branch_secretary", "administrator"}),
    "view_eligibility": frozenset(
        {"branch_secretary", "branch_officer", "returning_officer", "executive", "administrator"}
    ),
    "manage_occasions": frozenset({"returning_officer", "administrator"}),
    "view_delegates": frozenset(
        {"branch_secretary", "branch_officer", "returning_officer", "executive", "administrator"}
    ),
    "manage_meetings": frozenset({"branch_secretary", "administrator"}),
    # at the door: check members in against the roll, and visitors apart
    "check_in": frozenset({"steward", "branch_secretary", "administrator"}),
    # in the chair: take votes, call speakers, record the meeting's decisions
    "chair_meetings": frozenset({"branch_secretary", "administrator"}),
    "manage_units": frozenset({"administrator"}),
    "manage_roles": frozenset({"administrator"}),
    "view_audit": frozenset({"executive", "administrator"}),
    # open books: keep the unit's ledger, import bank statements, propose and pay spends
    "keep_books": frozenset({"treasurer", "administrator"}),
    # approve a spend (never one's own) and record budgets and accounts' approval
    "approve_spending": frozenset({"treasurer", "branch_secretary", "executive", "administrator"}),
    # sign off a unit's accounts as one of its two auditors
    "audit_accounts": frozenset({"auditor"}),
    # see budgets, accounts and membership figures on demand (each look logged)
    "view_books": frozenset({"treasurer", "auditor", "executive", "administrator"}),
    # subscriptions: record members' payments (by hand or from a file) for the unit's members
    "record_subscriptions": frozenset({"treasurer", "branch_secretary", "administrator"}),
    # set the rates and their split from a date (held at the national unit), record remittances
    "set_subscription_rules": frozenset({"treasurer", "administrator"}),
}

User = AbstractBaseUser | AnonymousUser


class NotAllowed(PermissionDenied):
    """The user's roles do not cover this; the message says what was refused and where."""


def _roles(user: User, perm: str) -> QuerySet[Role]:
    if perm not in PERMISSIONS:
        raise KeyError(f"unknown permission {perm!r}")
    return Role.objects.filter(user_id=user.pk, kind__in=PERMISSIONS[perm])


def can(user: User | None, perm: str, unit: Unit) -> bool:
    """Whether ``user`` holds ``perm`` over ``unit`` through a role at it or above it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    paths = _roles(user, perm).values_list("unit__path", flat=True)
    return any(unit.path.startswith(p) for p in paths)


def require(user: User | None, perm: str, unit: Unit) -> None:
    """Raise ``NotAllowed`` unless ``user`` holds ``perm`` over ``unit``."""
    if not can(user, perm, unit):
        who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        raise NotAllowed(f"{who} may not {perm.replace('_', ' ')} for {unit.name}")


def units_where(user: User | None, perm: str) -> QuerySet[Unit]:
    """Every unit over which ``user`` holds ``perm``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Unit.objects.none()
    if getattr(user, "is_superuser", False):
        return Unit.objects.all()
    q = Q(pk__in=[])
    for p in _roles(user, perm).values_list("unit__path", flat=True):
        q |= Q(path__startswith=p)
    return Unit.objects.filter(q)
