"""The record of a count: one frozen value per stage, and the result that holds them.

Every figure is an exact ``Decimal`` at the rule's precision; ``to_dict`` writes them as
strings with exactly ``places`` decimals so that nothing is lost to floating point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from grassroots.count.arithmetic import from_units

__all__ = ["ACTIONS", "CountResult", "Stage", "format_votes", "stage_from_units"]

# What a stage did. "first": first preferences; "surplus": a surplus transferred;
# "exclusion": one or more candidates excluded and their papers transferred; "constraint":
# a representation constraint excluded candidates; "iteration": a Meek/Warren round that
# converged; "round": a non-STV round (IRV elimination, a block or Borda tally).
ACTIONS = frozenset({"first", "surplus", "exclusion", "constraint", "iteration", "round"})


def format_votes(value: Decimal, places: int) -> str:
    """Write an exact figure with exactly ``places`` decimals (no rounding happens here)."""
    quantum = Decimal(1).scaleb(-places)
    q = value.quantize(quantum)
    if q != value:
        raise ValueError(f"{value} has more than {places} decimal places")
    return f"{q:.{places}f}"


@dataclass(frozen=True)
class Stage:
    """One step of a count and the state it left.

    ``votes`` holds every standing candidate's total after the step (excluded ones at 0).
    ``subject`` names whom the step was about: the candidate whose surplus moved or who was
    excluded (several for a bulk exclusion), or nothing (an empty tuple) for first
    preferences.
    """

    number: int
    action: str
    subject: tuple[str, ...]
    votes: Mapping[str, Decimal]
    non_transferable: Decimal
    note: str = ""
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    quota: Decimal | None = None

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown stage action {self.action!r}")

    @property
    def total(self) -> Decimal:
        """Votes held by candidates plus non-transferable votes."""
        return sum(self.votes.values(), Decimal(0)) + self.non_transferable

    def to_dict(self, places: int) -> dict[str, Any]:
        """A JSON-ready dict; figures as strings with ``places`` decimals."""
        subject: str | list[str] | None
        if not self.subject:
            subject = None
        elif len(self.subject) == 1:
            subject = self.subject[0]
        else:
            subject = list(self.subject)
        out: dict[str, Any] = {
            "number": self.number,
            "action": self.action,
            "subject": subject,
            "votes": {name: format_votes(v, places) for name, v in self.votes.items()},
            "non_transferable": format_votes(self.non_transferable, places),
            "total": format_votes(self.total, places),
            "note": self.note,
            "elected": list(self.elected),
            "excluded": list(self.excluded),
        }
        if self.quota is not None:
            out["quota"] = format_votes(self.quota, places)
        return out


def stage_from_units(
    *,
    number: int,
    action: str,
    names: Sequence[str],
    standing: Sequence[int],
    votes: Sequence[int],
    non_transferable: int,
    places: int,
    quota: Decimal,
    subject: Sequence[int] = (),
    elected: Sequence[int] = (),
    excluded: Sequence[int] = (),
    note: str = "",
) -> Stage:
    """A stage from a count's integer figures (units of 10**-places, candidates by index)."""
    return Stage(
        number=number,
        action=action,
        subject=tuple(names[c] for c in subject),
        votes={names[c]: from_units(int(votes[c]), places) for c in standing},
        non_transferable=from_units(non_transferable, places),
        note=note,
        elected=tuple(names[c] for c in elected),
        excluded=tuple(names[c] for c in excluded),
        quota=quota,
    )


@dataclass(frozen=True)
class CountResult:
    """The outcome of counting one election under one rule set, with every stage."""

    rule: str
    seats: int
    candidates: tuple[str, ...]
    quota: Decimal | None
    elected: tuple[str, ...]
    stages: tuple[Stage, ...]
    places: int
    title: str = ""
    seed: int | None = None
    tie_breaks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    valid_votes: Decimal = field(default=Decimal(0))
    # What the ballot file's reader repaired or set aside (file, line, what), so every
    # irregular paper is visible in the published result.
    irregularities: tuple[str, ...] = ()

    @property
    def not_elected(self) -> tuple[str, ...]:
        """Standing candidates who were not elected, in ballot order."""
        chosen = set(self.elected)
        return tuple(c for c in self.candidates if c not in chosen)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict in the documented shape (``rule``, ``seats``, ``quota`` ...)."""
        return {
            "rule": self.rule,
            "seats": self.seats,
            "title": self.title,
            "quota": None if self.quota is None else format_votes(self.quota, self.places),
            "valid_votes": format_votes(self.valid_votes, self.places),
            "candidates": list(self.candidates),
            "elected": list(self.elected),
            "seed": self.seed,
            "tie_breaks": list(self.tie_breaks),
            "notes": list(self.notes),
            "irregularities": list(self.irregularities),
            "stages": [s.to_dict(self.places) for s in self.stages],
        }
