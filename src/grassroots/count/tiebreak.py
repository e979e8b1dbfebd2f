"""Breaking ties: by the count's own history where a rule says so, otherwise by lot.

"By lot" uses a seeded generator; the seed is recorded in the result, so anyone can replay
the very same count.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Lot", "new_seed", "resolve_by_history"]


def new_seed() -> int:
    """A fresh seed for a count whose caller gave none, from the system's secure source.

    ``random.SystemRandom`` draws from ``os.urandom``, as ``secrets.randbelow`` does, without
    importing ``secrets`` (hashlib and OpenSSL) into every count from the command line.
    """
    return random.SystemRandom().randrange(2**32)


@dataclass
class Lot:
    """A seeded drawing of lots that remembers what it decided and why."""

    seed: int
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def choose(self, tied: Sequence[int], names: Sequence[str], purpose: str) -> int:
        """Pick one of ``tied`` (candidate indices) at random and record the drawing."""
        ordered = sorted(tied)
        pick = ordered[self._rng.randrange(len(ordered))]
        listed = ", ".join(names[c] for c in ordered)
        self.log.append(f"{purpose}: lot drawn between {listed} (seed {self.seed}): {names[pick]}")
        return pick


def resolve_by_history(
    tied: Sequence[int],
    history: Sequence[Mapping[int, int]],
    *,
    lowest: bool,
    most_recent_first: bool = True,
) -> list[int]:
    """Narrow a tie by earlier stages: keep the lowest (or highest) where the tied differed.

    ``history`` lists the candidates' totals at each earlier stage, oldest first. The stage
    looked at is the most recent (or, with ``most_recent_first=False``, the earliest) at which
    the tied candidates did not all have equal totals; those still level there are narrowed
    again at further stages. Returns the candidates the history cannot separate (one, when
    it decides the tie).
    """
    remaining = list(tied)
    stages = list(reversed(history)) if most_recent_first else list(history)
    for totals in stages:
        if len(remaining) < 2:
            break
        values = [totals.get(c, 0) for c in remaining]
        if len(set(values)) == 1:
            continue
        target = min(values) if lowest else max(values)
        remaining = [c for c, v in zip(remaining, values, strict=True) if v == target]
    return remaining
