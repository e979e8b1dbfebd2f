"""Who may sign a body's requisition, and where its signatures stand against the body's rule.

Read side only. Members who may sign are those the body's meetings are for: a seated body's
seat holders, or the unit's members whom its rules admit on the day. Branches that may sign
are the units directly under the body's unit (branches, wards, affiliated bodies). Only
signatures still standing, of those who may sign today, are counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from grassroots.meetings.entitlement import entitled_ids, member_standing
from grassroots.meetings.models import Body, Meeting, Requisition, Signature
from grassroots.meetings.requisition import RequisitionRule, requisition_status
from grassroots.members.models import Member, Unit

__all__ = [
    "SIGNING_KINDS",
    "Standing",
    "may_sign",
    "signing_branches",
    "standing_of",
    "standing_signatures",
]

SIGNING_KINDS = ("branch", "ward", "affiliate")


def signing_branches(body: Body) -> QuerySet[Unit]:
    """The units that may sign as branches: those directly under the body's unit."""
    return Unit.objects.filter(parent=body.unit, kind__in=SIGNING_KINDS)


def may_sign(member: Member, body: Body, day: dt.date) -> tuple[bool, tuple[str, ...]]:
    """Whether ``member`` may sign a requisition of ``body`` on ``day``, and if not why."""
    probe = Meeting(body=body, start=dt.datetime.combine(day, dt.time(12), tzinfo=body.zone()))
    s = member_standing(member, probe)
    return s.may_attend, s.reasons


def standing_signatures(r: Requisition) -> QuerySet[Signature]:
    return r.signatures.filter(withdrawn_at__isnull=True).select_related("member", "branch")


@dataclass(frozen=True)
class Standing:
    """A requisition's signatures against its body's rule, today."""

    rule: RequisitionRule
    members: int  # members who may sign
    member_signatures: int
    branches: int
    branch_signatures: int
    met_now: bool  # the counts meet the rule today
    lines: tuple[str, ...]  # the working, one line a threshold


def standing_of(r: Requisition, day: dt.date | None = None) -> Standing:
    """Count ``r``'s standing signatures of those who may sign on ``day`` (today by default)."""
    rule = r.body.requisition_rule()
    if rule is None:
        raise ValueError(f"{r.body.name}'s rules provide for no requisition")
    day = day or timezone.localdate()
    eligible = set(entitled_ids(r.body, day))
    branches = set(signing_branches(r.body).values_list("pk", flat=True))
    sigs = list(standing_signatures(r))
    m = sum(1 for s in sigs if s.member_id in eligible)
    b = sum(1 for s in sigs if s.branch_id in branches)
    status = requisition_status(
        rule,
        member_signatures=m,
        members=len(eligible),
        branch_signatures=b,
        branches=len(branches),
    )
    return Standing(rule, len(eligible), m, len(branches), b, status.met, status.lines)
