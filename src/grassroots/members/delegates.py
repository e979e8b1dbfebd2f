"""Delegate entitlement at a snapshot date, from a formula held as data.

Source: DOMAIN.md "Members and eligibility". Two shapes cover the cases described there:

* conference style (Labour rule book, annual conference delegations): one delegate for the first
  749 members paying dues at the snapshot date, one more for each further 250 (or part thereof),
  at most 6; every second delegate a woman; one extra woman delegate where the branch has at
  least 100 women members, one extra youth delegate (under 27) where it has at least 30;
* General Committee style: one delegate per N members of a branch (or part thereof), set locally.

Every number is a field of ``Formula`` (configuration, never code). ``entitlement`` returns the
delegates *and* the figures and steps it used, so the page can show its working.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["CONFERENCE", "Entitlement", "Extra", "Figures", "Formula", "entitlement", "gc_formula"]


@dataclass(frozen=True)
class Extra:
    """An additional delegate from a group when the branch has at least ``threshold`` of them."""

    label: str  # e.g. "women's delegate"
    group: str  # "women" or "young": a key of Figures.groups
    threshold: int


@dataclass(frozen=True)
class Formula:
    """How many delegates a branch's membership figures entitle it to."""

    name: str
    first_block: int = 0  # members covered by the first delegate (749); 0: none, use ``per``
    per: int = 250  # one more delegate per this many further members
    part_thereof: bool = True  # a part of a block counts as a whole block
    cap: int | None = None  # at most this many (extras not included)
    minimum: int = 0  # at least this many when the branch has any members
    alternate_gender: bool = False  # every second delegate a woman
    extras: tuple[Extra, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Formula:
        values = dict(data)
        values["extras"] = tuple(Extra(**x) for x in values.get("extras", ()))
        unknown = set(values) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"delegate formula: unknown setting(s) {', '.join(sorted(unknown))}")
        return cls(**values)

    def __post_init__(self) -> None:
        if self.per < 1:
            raise ValueError(f"delegate formula {self.name!r}: 'per' must be at least 1")
        if self.first_block < 0 or self.minimum < 0 or (self.cap is not None and self.cap < 0):
            raise ValueError(f"delegate formula {self.name!r}: negative numbers are not allowed")


# Labour rule book, conference delegations (DOMAIN.md): the default numbers, all configurable.
CONFERENCE = Formula(
    name="conference",
    first_block=749,
    per=250,
    part_thereof=True,
    cap=6,
    minimum=1,
    alternate_gender=True,
    extras=(Extra("women's delegate", "women", 100), Extra("youth delegate", "young", 30)),
)


def gc_formula(per: int) -> Formula:
    """A General Committee ratio: one delegate per ``per`` members or part thereof."""
    return Formula(name=f"GC 1 per {per}", per=per, part_thereof=True)


@dataclass(frozen=True)
class Figures:
    """A branch's figures at the snapshot date."""

    members: int  # members counted (e.g. paying dues at the snapshot date)
    groups: Mapping[str, int]  # e.g. {"women": 120, "young": 31}; a group absent: not recorded


@dataclass(frozen=True)
class Entitlement:
    """The delegates, how many must be women, the extras, and the working."""

    delegates: int  # from the main formula
    women_at_least: int
    extras: tuple[str, ...]
    steps: tuple[str, ...]

    @property
    def total(self) -> int:
        return self.delegates + len(self.extras)


def _blocks(n: int, per: int, part_thereof: bool) -> int:
    return -(-n // per) if part_thereof else n // per


def entitlement(f: Formula, fig: Figures) -> Entitlement:
    """Apply formula ``f`` to the figures ``fig``, recording each step in words."""
    if fig.members < 0:
        raise ValueError("a branch cannot have a negative number of members")
    steps: list[str] = []
    m = fig.members
    part = " or part thereof" if f.part_thereof else ""
    if m == 0:
        n = 0
        steps.append("no members counted: no delegates")
    elif f.first_block:
        further = max(0, m - f.first_block)
        more = _blocks(further, f.per, f.part_thereof)
        n = 1 + more
        steps.append(f"1 delegate for the first {f.first_block} members")
        if further:
            steps.append(f"{more} more for the further {further} members (1 per {f.per}{part})")
    else:
        n = _blocks(m, f.per, f.part_thereof)
        steps.append(f"{n} for {m} members (1 per {f.per}{part})")
    if m and n < f.minimum:
        n = f.minimum
        steps.append(f"raised to the minimum of {f.minimum}")
    if f.cap is not None and n > f.cap:
        n = f.cap
        steps.append(f"capped at {f.cap}")
    women = n // 2 if f.alternate_gender else 0
    if f.alternate_gender and women:
        steps.append(f"every second delegate a woman: at least {women} of {n}")
    extras = []
    for x in f.extras:
        if x.group not in fig.groups:
            steps.append(f"no {x.label}: {x.group} members not recorded")
            continue
        have = fig.groups[x.group]
        if have >= x.threshold:
            extras.append(x.label)
            steps.append(f"1 {x.label}: {have} {x.group} members (at least {x.threshold})")
        else:
            steps.append(f"no {x.label}: {have} {x.group} members (fewer than {x.threshold})")
    return Entitlement(n, women, tuple(extras), tuple(steps))
