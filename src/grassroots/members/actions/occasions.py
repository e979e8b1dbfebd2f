"""Occasions (meetings and ballots) whose eligibility members can see."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.audit.log import record
from grassroots.members.actions._common import ActionRefused, User, _check
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Occasion, Unit


@transaction.atomic
def create_occasion(
    *,
    by: User | None,
    title: str,
    kind: str,
    unit: Unit,
    date: dt.date,
    rules: RuleSet,
    reason: str = "",
) -> Occasion:
    """Open a meeting or ballot with its eligibility rules."""
    _check(by, "manage_occasions", unit)
    if kind not in dict(Occasion.KINDS):
        raise ActionRefused(f"unknown occasion kind {kind!r}")
    if rules.on != date:
        raise ActionRefused(f"the rules are set for {rules.on}, the {kind} is on {date}")
    o = Occasion.objects.create(
        title=title, kind=kind, unit=unit, date=date, rules=rules.to_dict(), is_open=True
    )
    record(
        by,
        "create_occasion",
        f"occasion:{o.pk}",
        f"opened {kind} {title} on {date} for {unit.name}",
        reason=reason,
        detail={"rules": rules.to_dict()},
    )
    return o


@transaction.atomic
def close_occasion(occasion: Occasion, *, by: User | None, reason: str = "") -> Occasion:
    """Close a meeting or ballot: it no longer shows on members' standing pages."""
    occasion = Occasion.objects.select_for_update().get(pk=occasion.pk)
    _check(by, "manage_occasions", occasion.unit)
    if not occasion.is_open:
        raise ActionRefused(f"{occasion.title} is already closed")
    occasion.is_open = False
    occasion.save(update_fields=["is_open"])
    record(
        by, "close_occasion", f"occasion:{occasion.pk}", f"closed {occasion.title}", reason=reason
    )
    return occasion
