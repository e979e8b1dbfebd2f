"""Who may do what where: each role holds over its unit and every unit below it.

A branch secretary of branch B may see and edit B's register and nothing else; an administrator
of the national unit may do everything everywhere. The table is data, checked by permission tests
in which each role tries what it must not do.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q, QuerySet

from grassroots.members.models import Role, Unit

__all__ = [
    "PERMISSIONS",
    "NotAllowed",
    "can",
    "held_roles",
    "holds_any",
    "paths_where",
    "remember_roles",
    "require",
    "units_where",
]

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
    # send the branch's (or affiliate's) motions to the meetings of the bodies it sends to
    "move_branch_motions": frozenset({"branch_secretary", "branch_officer", "administrator"}),
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
    # refund a recorded payment (a treasurer of the payment's branch or above)
    "refund_subscriptions": frozenset({"treasurer", "administrator"}),
}

User = AbstractBaseUser | AnonymousUser


class NotAllowed(PermissionDenied):
    """The user's roles do not cover this; the message says what was refused and where."""


# set on a request's user (``RolesOnceMiddleware``): its roles, read at most once a request
_MEMO = "_grassroots_roles"


def remember_roles(user: User) -> None:
    """Let ``user`` (a request's own user object) keep its roles once they are read.

    Every permission check during the request then reads the roles from that one query (kind
    and unit path of each) instead of one query per check. A user object made anywhere else
    (an action's caller, a test's) reads them afresh at every check, as before.
    """
    if user.is_authenticated:
        setattr(user, _MEMO, None)


def held_roles(user: User) -> list[tuple[str, str]] | None:
    """``(kind, unit path)`` of each of a request user's roles, read once; ``None`` for a user
    object that does not keep them (see ``remember_roles``)."""
    if not hasattr(user, _MEMO):
        return None
    roles: list[tuple[str, str]] | None = getattr(user, _MEMO)
    if roles is None:
        # plain SQL: asked at every signed-in request, it cost more to build with the ORM
        # than to answer
        sql = (
            f"SELECT r.kind, u.path FROM {Role._meta.db_table} r"
            f" JOIN {Unit._meta.db_table} u ON u.id = r.unit_id WHERE r.user_id = %s"
        )
        with connection.cursor() as cur:
            cur.execute(sql, [user.pk])
            roles = [(str(kind), str(path)) for kind, path in cur.fetchall()]
        setattr(user, _MEMO, roles)
    return roles


def _roles(user: User, perm: str) -> QuerySet[Role]:
    if perm not in PERMISSIONS:
        raise KeyError(f"unknown permission {perm!r}")
    return Role.objects.filter(user_id=user.pk, kind__in=PERMISSIONS[perm])


def _paths(user: User, perm: str) -> list[str]:
    """The paths of the units where ``user`` holds a role that gives ``perm``."""
    held = held_roles(user)
    if held is None:
        return list(_roles(user, perm).values_list("unit__path", flat=True))
    if perm not in PERMISSIONS:
        raise KeyError(f"unknown permission {perm!r}")
    kinds = PERMISSIONS[perm]
    return [path for kind, path in held if kind in kinds]


def can(user: User | None, perm: str, unit: Unit) -> bool:
    """Whether ``user`` holds ``perm`` over ``unit`` through a role at it or above it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return any(unit.path.startswith(p) for p in _paths(user, perm))


def require(user: User | None, perm: str, unit: Unit) -> None:
    """Raise ``NotAllowed`` unless ``user`` holds ``perm`` over ``unit``."""
    if not can(user, perm, unit):
        who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
        raise NotAllowed(f"{who} may not {perm.replace('_', ' ')} for {unit.name}")


def paths_where(user: User | None, perm: str) -> list[str] | None:
    """The paths of the units where ``user`` holds ``perm`` (each unit under one of them too);
    ``None`` for a superuser, who holds every permission everywhere."""
    if user is None or not user.is_authenticated or not user.is_active:
        if perm not in PERMISSIONS:
            raise KeyError(f"unknown permission {perm!r}")
        return []
    if getattr(user, "is_superuser", False):
        return None
    return _paths(user, perm)


def units_where(user: User | None, perm: str) -> QuerySet[Unit]:
    """Every unit over which ``user`` holds ``perm``."""
    paths = paths_where(user, perm)
    if paths is None:
        return Unit.objects.all()
    if not paths:
        return Unit.objects.none()
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    return Unit.objects.filter(q)


def holds_any(user: User | None, perms: tuple[str, ...]) -> bool:
    """Whether ``user`` holds any of ``perms`` over any unit at all."""
    for perm in perms:
        paths = paths_where(user, perm)
        if paths is None:
            return Unit.objects.exists()
        if paths:
            return True
    return False
