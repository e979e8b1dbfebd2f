"""Quorum: how many must be present for a meeting to decide anything, with its working.

Source: DOMAIN.md "Meetings": quorum rules are a number, a fraction of those entitled to
attend, or both. "Both" means both conditions hold, so the larger figure is required; some
rule books instead say "or", meaning whichever is smaller suffices (``combine="either"``).
A fraction of those entitled is rounded up: a quorum of one third of 28 is 10, not 9⅓.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

__all__ = ["QuorumRule", "QuorumState", "change", "quorum"]


@dataclass(frozen=True)
class QuorumRule:
    """At least ``number`` present, and/or at least ``fraction`` of those entitled."""

    number: int = 0
    fraction: Fraction | None = None
    combine: Literal["both", "either"] = "both"

    def __post_init__(self) -> None:
        if self.number < 0:
            raise ValueError(f"quorum: {self.number} present is negative")
        if self.fraction is not None and not 0 < self.fraction <= 1:
            raise ValueError(f"quorum: the fraction {self.fraction} is not between 0 and 1")
        if self.combine not in ("both", "either"):
            raise ValueError(f"quorum: combine {self.combine!r} is neither 'both' nor 'either'")

    def required(self, entitled: int) -> int:
        """How many must be present when ``entitled`` may attend."""
        if entitled < 0:
            raise ValueError(f"quorum: {entitled} entitled is negative")
        if self.fraction is None:
            return self.number
        share = math.ceil(self.fraction * entitled)
        if self.number == 0:
            return share
        return max(self.number, share) if self.combine == "both" else min(self.number, share)

    def describe(self) -> str:
        """The rule in words, e.g. "1/3 of those entitled and at least 5 present"."""
        parts = []
        if self.fraction is not None:
            parts.append(f"{self.fraction.numerator}/{self.fraction.denominator} of those entitled")
        if self.number or not parts:
            parts.append(f"{self.number} present")
        joiner = " and at least " if self.combine == "both" else " or "
        return joiner.join(parts) if len(parts) == 2 else parts[0]


@dataclass(frozen=True)
class QuorumState:
    """A meeting's quorum at one moment: present against required, and how that was worked."""

    present: int
    entitled: int
    required: int
    working: str

    @property
    def quorate(self) -> bool:
        return self.present >= self.required

    @property
    def short_by(self) -> int:
        return max(0, self.required - self.present)


def quorum(rule: QuorumRule, *, present: int, entitled: int) -> QuorumState:
    """Whether ``present`` of ``entitled`` make a quorum under ``rule``, with the working."""
    if present < 0:
        raise ValueError(f"quorum: {present} present is negative")
    required = rule.required(entitled)
    pieces = []
    if rule.fraction is not None:
        exact = rule.fraction * entitled
        shown = str(exact) if exact.denominator == 1 else f"{float(exact):.2f}, rounded up"
        pieces.append(f"{rule.fraction} of {entitled} entitled is {shown}")
    if rule.number or rule.fraction is None:
        pieces.append(f"at least {rule.number}")
    how = "; ".join(pieces)
    if len(pieces) == 2:
        how += "; the larger applies" if rule.combine == "both" else "; the smaller suffices"
    verdict = "quorate" if present >= required else f"inquorate, {required - present} short"
    return QuorumState(
        present=present,
        entitled=entitled,
        required=required,
        working=f"{present} present, {required} required ({how}): {verdict}",
    )


def change(before: QuorumState, after: QuorumState) -> Literal["lost", "regained"] | None:
    """What an arrival or departure did to the quorum: lost it, regained it, or nothing."""
    if before.quorate and not after.quorate:
        return "lost"
    if not before.quorate and after.quorate:
        return "regained"
    return None
