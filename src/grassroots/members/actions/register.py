"""One member at a time: creating, editing, status changes, payments and logins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from grassroots.audit.log import record
from grassroots.members.actions._common import EDITABLE, TRANSITIONS, ActionRefused, User, _check
from grassroots.members.actions.units import _check_branch_and_ward
from grassroots.members.eligibility import STATUSES
from grassroots.members.identifiers import number_problem
from grassroots.members.models import Member, Unit
from grassroots.members.tallies import register_changed


@transaction.atomic
def create_member(
    *,
    by: User | None,
    number: str,
    name: str,
    branch: Unit,
    join_date: dt.date,
    status: str = "provisional",
    email: str = "",
    ward: Unit | None = None,
    paid_up_to: dt.date | None = None,
    rate_band: str = "standard",
    gender: str = "",
    birth_date: dt.date | None = None,
    reason: str = "",
) -> Member:
    """Add a member to a branch's register."""
    _check(by, "edit_register", branch)
    _check_branch_and_ward(branch, ward)
    problem = number_problem(number)
    if problem:
        raise ActionRefused(problem)
    if status not in STATUSES:
        raise ActionRefused(f"status {status!r} is not one of {', '.join(STATUSES)}")
    if Member.objects.filter(number=number).exists():
        raise ActionRefused(f"membership number {number} is already in the register")
    m = Member.objects.create(
        number=number,
        name=name,
        email=email,
        branch=branch,
        ward=ward,
        join_date=join_date,
        status=status,
        paid_up_to=paid_up_to,
        rate_band=rate_band,
        gender=gender,
        birth_date=birth_date,
    )
    record(
        by,
        "create_member",
        f"member:{m.number}",
        f"added {m.name} ({m.number}) to {branch.name} as {status}",
        reason=reason,
    )
    return m


@transaction.atomic
def update_member(
    member: Member, *, by: User | None, changes: Mapping[str, Any], reason: str = ""
) -> Member:
    """Change a member's details (not their status: that is ``change_status``)."""
    bad = set(changes) - set(EDITABLE)
    if bad:
        raise ActionRefused(f"cannot change {', '.join(sorted(bad))} here")
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check(by, "edit_register", member.branch)
    new_branch = changes.get("branch", member.branch)
    if new_branch != member.branch:
        _check(by, "edit_register", new_branch)
    _check_branch_and_ward(new_branch, changes.get("ward", member.ward))
    was_in = member.branch_id
    diff = {}
    for k, v in changes.items():
        old = getattr(member, k)
        if old != v:
            diff[k] = [str(old) if old is not None else None, str(v) if v is not None else None]
            setattr(member, k, v)
    if not diff:
        return member
    member.save()
    register_changed([was_in])  # the branch it joined is counted again by the save's signal
    record(
        by,
        "update_member",
        f"member:{member.number}",
        f"changed {', '.join(diff)} of {member.name} ({member.number})",
        reason=reason,
        detail={"changes": diff},
    )
    return member


@transaction.atomic
def change_status(member: Member, transition: str, *, by: User | None, reason: str = "") -> Member:
    """Move a member along one allowed transition (confirm, lapse, suspend, readmit, expel)."""
    if transition not in TRANSITIONS:
        raise ActionRefused(f"unknown status change {transition!r}")
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check(by, "edit_register", member.branch)
    start, end, needs_reason = TRANSITIONS[transition]
    if member.status not in start:
        raise ActionRefused(
            f"cannot {transition} {member.name}: status is {member.status}, "
            f"must be {' or '.join(sorted(start))}"
        )
    if needs_reason and not reason.strip():
        raise ActionRefused(f"a reason is required to {transition} a member")
    old = member.status
    member.status = end
    member.save(update_fields=["status"])
    record(
        by,
        f"{transition}_member",
        f"member:{member.number}",
        f"{transition}: {member.name} ({member.number}) {old} → {end}",
        reason=reason,
        detail={"from": old, "to": end},
    )
    return member


@transaction.atomic
def record_payment(
    member: Member, *, paid_up_to: dt.date, by: User | None, reason: str = ""
) -> Member:
    """Record that a member's subscription is now paid up to ``paid_up_to``."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check(by, "edit_register", member.branch)
    if member.paid_up_to is not None and paid_up_to <= member.paid_up_to:
        raise ActionRefused(f"{member.name} is already paid up to {member.paid_up_to}")
    old = member.paid_up_to
    member.paid_up_to = paid_up_to
    member.save(update_fields=["paid_up_to"])
    record(
        by,
        "record_payment",
        f"member:{member.number}",
        f"{member.name} ({member.number}) paid up to {paid_up_to} (was {old or 'none'})",
        reason=reason,
    )
    return member


@transaction.atomic
def link_account(member: Member, *, user: AbstractBaseUser, by: User | None) -> Member:
    """Link a login account to a member so they can see their own standing."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check(by, "edit_register", member.branch)
    if member.user_id is not None:
        raise ActionRefused(f"{member.name} already has an account")
    member.user = user
    member.save(update_fields=["user"])
    record(
        by,
        "link_account",
        f"member:{member.number}",
        f"linked {user.get_username()} to {member.name}",
    )
    return member


@transaction.atomic
def create_login(
    *,
    username: str,
    password: str | None,
    email: str = "",
    member: Member | None = None,
    by: User | None,
) -> AbstractBaseUser:
    """Create a login account, linked to ``member`` when given. ``password=None`` makes one
    that signs in only by link, code or passkey (its password unusable until one is set)."""
    from django.contrib.auth import get_user_model

    if member is not None:
        _check(by, "edit_register", member.branch)
    elif by is not None:
        raise ActionRefused("only the operator may create an account not linked to a member")
    model = get_user_model()
    if model.objects.filter(username=username).exists():
        raise ActionRefused(f"the username {username!r} is taken")
    user = model.objects.create_user(username=username, password=password, email=email)
    record(by, "create_login", f"user:{user.pk}", f"created the login {username}")
    if member is not None:
        link_account(member, user=user, by=by)
    return user
