"""Requisitions: when members or branches can oblige the secretary to call a special meeting.

Source: DOMAIN.md "Meetings": rule books commonly let members or branches requisition a special
meeting (a threshold of members or branches; the secretary must call it within a stated
time). A rule may give several thresholds ("one third of the branches, or 50 members"); any
one met is enough. Fractions are of those entitled to sign and rounded up.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["RequisitionRule", "RequisitionStatus", "requisition_status"]


@dataclass(frozen=True)
class RequisitionRule:
    """Who can requisition a meeting, and how soon the secretary must call it."""

    members: int | None = None  # at least this many members' signatures
    fraction_of_members: Fraction | None = None
    fraction_of_branches: Fraction | None = None
    call_within_days: int = 28  # the secretary calls the meeting within this many days

    def __post_init__(self) -> None:
        if (
            self.members is None
            and self.fraction_of_members is None
            and self.fraction_of_branches is None
        ):
            raise ValueError("a requisition rule needs at least one threshold")
        if self.members is not None and self.members < 1:
            raise ValueError(f"requisition: {self.members} members is not a threshold")
        for f in (self.fraction_of_members, self.fraction_of_branches):
            if f is not None and not 0 < f <= 1:
                raise ValueError(f"requisition: the fraction {f} is not between 0 and 1")
        if self.call_within_days < 0:
            raise ValueError(f"requisition: {self.call_within_days} days is negative")


@dataclass(frozen=True)
class RequisitionStatus:
    """The signatures against each threshold, whether one is met and by when to call."""

    met: bool
    lines: tuple[str, ...]  # one line of working per threshold
    call_by: dt.date | None  # set once met: the last day the meeting may be called


def requisition_status(
    rule: RequisitionRule,
    *,
    member_signatures: int,
    members: int,
    branch_signatures: int = 0,
    branches: int = 0,
    met_on: dt.date | None = None,
) -> RequisitionStatus:
    """Count the signatures against every threshold of ``rule``.

    ``members``/``branches`` are how many may sign; ``met_on`` is the day the threshold was
    reached (the day of the signature that reached it), from which ``call_by`` runs.
    """
    if min(member_signatures, members, branch_signatures, branches) < 0:
        raise ValueError("requisition: counts cannot be negative")
    if member_signatures > members or branch_signatures > branches:
        raise ValueError("requisition: more signatures than those who may sign")
    lines: list[str] = []
    met = False
    if rule.members is not None:
        ok = member_signatures >= rule.members
        met |= ok
        lines.append(f"{member_signatures} of {rule.members} members' signatures needed")
    if rule.fraction_of_members is not None:
        need = math.ceil(rule.fraction_of_members * members)
        ok = member_signatures >= need
        met |= ok
        lines.append(
            f"{member_signatures} of {need} members' signatures needed "
            f"({rule.fraction_of_members} of {members} members)"
        )
    if rule.fraction_of_branches is not None:
        need = math.ceil(rule.fraction_of_branches * branches)
        ok = branches > 0 and branch_signatures >= need
        met |= ok
        lines.append(
            f"{branch_signatures} of {need} branches needed "
            f"({rule.fraction_of_branches} of {branches} branches)"
        )
    call_by = None
    if met and met_on is not None:
        call_by = met_on + dt.timedelta(days=rule.call_within_days)
    return RequisitionStatus(met=met, lines=tuple(lines), call_by=call_by)
