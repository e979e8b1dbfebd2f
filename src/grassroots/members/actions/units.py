"""The organisation tree and officers' roles: creating and renaming units, granting roles."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from grassroots.audit.log import record
from grassroots.members.actions._common import PARENT_KINDS, ActionRefused, User, _check
from grassroots.members.fieldrules import NAME_MAX, line_problem
from grassroots.members.identifiers import code_problem
from grassroots.members.models import Affiliation, Role, Unit


def child_kinds(parent_kind: str) -> tuple[str, ...]:
    """The kinds of unit that may be added under a unit of ``parent_kind``."""
    return tuple(k for k, parents in PARENT_KINDS.items() if parent_kind in parents)


@transaction.atomic
def create_unit(
    *, kind: str, code: str, name: str, parent: Unit | None, by: User | None, reason: str = ""
) -> Unit:
    """Add a unit to the organisation tree under ``parent``."""
    if kind not in PARENT_KINDS:
        raise ActionRefused(f"unknown unit kind {kind!r}")
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in PARENT_KINDS[kind]:
        where = " or ".join(p or "nothing" for p in PARENT_KINDS[kind])
        article = "an" if kind[0] in "aeiou" else "a"
        raise ActionRefused(
            f"{article} {kind} cannot sit under {parent_kind or 'nothing'}: it goes under {where}"
        )
    if parent is not None:
        _check(by, "manage_units", parent)
    elif by is not None and not getattr(by, "is_superuser", False):
        raise ActionRefused("only a superuser may create the national unit")
    problem = code_problem(code)
    if problem:
        raise ActionRefused(problem)
    if not name.strip():
        raise ActionRefused("a unit needs a name")
    problem = line_problem("name", name.strip(), NAME_MAX)
    if problem:
        raise ActionRefused(problem)
    if Unit.objects.filter(code=code).exists():
        raise ActionRefused(f"a unit with code {code!r} already exists")
    unit = Unit(kind=kind, code=code, name=name.strip(), parent=parent, path="")
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    under = f" under {parent.name}" if parent is not None else ""
    record(
        by,
        "create_unit",
        f"unit:{unit.pk}",
        f"created {kind} {unit.name} ({code}){under}",
        reason=reason,
    )
    return unit


@transaction.atomic
def rename_unit(unit: Unit, *, name: str, by: User | None, reason: str = "") -> Unit:
    """Give a unit a new name; its code stays, so files and addresses that use it still work."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _check(by, "manage_units", unit)
    name = name.strip()
    if not name:
        raise ActionRefused("a unit needs a name")
    problem = line_problem("name", name, NAME_MAX)
    if problem:
        raise ActionRefused(problem)
    if name == unit.name:
        raise ActionRefused(f"{unit.name} already has that name")
    old = unit.name
    unit.name = name
    unit.save(update_fields=["name"])
    record(
        by,
        "rename_unit",
        f"unit:{unit.pk}",
        f"renamed {unit.kind} {old} ({unit.code}) to {name}",
        reason=reason,
        detail={"from": old, "to": name},
    )
    return unit


@transaction.atomic
def grant_role(
    *, user: AbstractBaseUser, kind: str, unit: Unit, by: User | None, reason: str = ""
) -> Role:
    """Give ``user`` the role ``kind`` over ``unit`` and everything below it."""
    _check(by, "manage_roles", unit)
    # an affiliated body's secretary and officers send its motions to the bodies it sends to
    if kind in ("branch_secretary", "branch_officer") and unit.kind not in (
        "branch",
        "ward",
        "affiliate",
    ):
        raise ActionRefused(
            f"a {kind.replace('_', ' ')} is scoped to a branch, a ward or an affiliated body, "
            f"not a {unit.kind}"
        )
    role, created = Role.objects.get_or_create(user=user, kind=kind, unit=unit)
    if not created:
        raise ActionRefused(f"{user.get_username()} already holds that role over {unit.name}")
    record(
        by,
        "grant_role",
        f"user:{user.pk}",
        f"made {user.get_username()} {role.get_kind_display().lower()} of {unit.name}",
        reason=reason,
    )
    return role


@transaction.atomic
def revoke_role(role: Role, *, by: User | None, reason: str = "") -> None:
    """Take a role away."""
    _check(by, "manage_roles", role.unit)
    who, what = role.user.get_username(), role.get_kind_display().lower()
    summary = f"removed {who} as {what} of {role.unit.name}"
    subject = f"user:{role.user_id}"
    role.delete()
    record(by, "revoke_role", subject, summary, reason=reason)


def _check_branch_and_ward(branch: Unit, ward: Unit | None) -> None:
    if branch.kind != "branch":
        raise ActionRefused(f"{branch.name} is a {branch.kind}, not a branch")
    if ward is not None and (ward.kind != "ward" or ward.parent_id != branch.pk):
        raise ActionRefused(f"{ward.name} is not a ward of {branch.name}")


@transaction.atomic
def record_affiliation(
    unit: Unit, *, members: int, as_of: dt.date, by: User | None, reason: str = ""
) -> Affiliation:
    """Record an affiliated body's affiliated membership at ``as_of`` (replacing that day's)."""
    _check(by, "edit_register", unit)
    if unit.kind != "affiliate":
        raise ActionRefused(
            f"{unit.name} is a {unit.get_kind_display().lower()}, not an affiliated body: "
            "its delegates are worked out from its members in the register"
        )
    if members < 0:
        raise ActionRefused(f"affiliated membership cannot be negative, found {members}")
    if as_of > dt.date.today():
        raise ActionRefused(f"the figure's date {as_of} is in the future")
    old = Affiliation.objects.filter(unit=unit, as_of=as_of).first()
    a, _ = Affiliation.objects.update_or_create(
        unit=unit, as_of=as_of, defaults={"members": members}
    )
    record(
        by,
        "record_affiliation",
        f"unit:{unit.pk}",
        f"{unit.name}: {members} affiliated members at {as_of}"
        + (f" (was {old.members})" if old is not None else ""),
        reason=reason,
        detail={"members": members, "as_of": str(as_of), "was": old.members if old else None},
    )
    return a
