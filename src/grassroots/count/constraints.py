"""Representation constraints: "at least k (or at most m) seats to candidates in group G".

The rule sets ask three questions of a ``ConstraintSet`` as they count:

* ``electable(c, elected, continuing, seats_left)``: may ``c`` be elected now, or would that
  leave some constraint impossible to meet with the candidates still in the count?
* ``forced_exclusions(elected, continuing, seats_left)``: which continuing candidates can no
  longer be elected without breaking a constraint? They are excluded in a stage of their own.
* ``excludable(c, elected, continuing, seats_left)``: may ``c`` be excluded as the lowest, or
  is ``c`` needed to meet a constraint (then the next lowest goes instead)?

All reduce to one feasibility test: can the seats still to fill be filled from the continuing
candidates so that every minimum and maximum holds? Candidates who belong to exactly the same
groups are interchangeable for that test, so it enumerates how many seats go to each kind of
candidate rather than which candidates take them: fast even with 150 candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from grassroots.count.errors import ConstraintError

__all__ = ["Constraint", "ConstraintSet"]

Signature = frozenset[str]


@dataclass(frozen=True)
class Constraint:
    """At least ``minimum`` and at most ``maximum`` of the seats go to members of ``group``."""

    group: str
    minimum: int = 0
    maximum: int | None = None

    def describe(self) -> str:
        """The constraint in words, for stage notes and errors."""
        parts = []
        if self.minimum:
            parts.append(f"at least {self.minimum}")
        if self.maximum is not None:
            parts.append(f"at most {self.maximum}")
        return f"{' and '.join(parts)} of the seats to {self.group}"


@dataclass(frozen=True)
class ConstraintSet:
    """Groups of candidates (by index) and the constraints on them."""

    groups: Mapping[str, frozenset[int]] = field(default_factory=dict)
    constraints: tuple[Constraint, ...] = ()

    @classmethod
    def none(cls) -> ConstraintSet:
        """No constraints at all: every question answers 'yes, go ahead'."""
        return cls()

    def __bool__(self) -> bool:
        return bool(self.constraints)

    def _signature(self, candidate: int) -> Signature:
        return frozenset(g for g, members in self.groups.items() if candidate in members)

    def check(self, candidates: Sequence[int], seats: int, names: Sequence[str]) -> None:
        """Refuse, before counting, constraints that no outcome could meet."""
        for con in self.constraints:
            if con.group not in self.groups:
                raise ConstraintError(f"constraint on unknown group {con.group!r}")
            if con.maximum is not None and con.maximum < con.minimum:
                raise ConstraintError(f"{con.describe()}: the maximum is below the minimum")
            standing = len(self.groups[con.group] & set(candidates))
            if con.minimum > standing:
                raise ConstraintError(
                    f"{con.describe()} cannot be met: only {standing} candidate(s) in "
                    f"{con.group} are standing"
                )
            if con.minimum > seats:
                raise ConstraintError(f"{con.describe()} cannot be met with {seats} seat(s)")
        seats_filled = min(seats, len(candidates))
        if not self.feasible((), candidates, seats_filled):
            raise ConstraintError(
                "the constraints cannot all be met together: "
                + "; ".join(c.describe() for c in self.constraints)
            )
        del names  # names are for messages of richer checks; kept in the signature for callers

    def feasible(self, elected: Iterable[int], continuing: Iterable[int], seats_left: int) -> bool:
        """Can ``seats_left`` more seats go to continuing candidates with every constraint met?

        When fewer continuing candidates remain than seats, all of them are elected and the
        remaining seats stay empty, exactly as the count would do.
        """
        if not self.constraints:
            return True
        have: Counter[str] = Counter()
        for c in elected:
            for g in self._signature(c):
                have[g] += 1
        kinds = Counter(self._signature(c) for c in continuing)
        fill = min(seats_left, sum(kinds.values()))
        return self._search(sorted(kinds.items(), key=lambda kv: sorted(kv[0])), fill, have)

    def _search(self, kinds: list[tuple[Signature, int]], fill: int, have: Counter[str]) -> bool:
        # Depth-first over how many seats each kind of candidate takes, pruned by maxima
        # (counts only grow) and by minima (what the remaining kinds could still add).
        for con in self.constraints:
            if con.maximum is not None and have[con.group] > con.maximum:
                return False
        if not kinds:
            return fill == 0 and all(have[c.group] >= c.minimum for c in self.constraints)
        for con in self.constraints:
            reachable = sum(n for sig, n in kinds if con.group in sig)
            if have[con.group] + min(reachable, fill) < con.minimum:
                return False
        (sig, available), rest = kinds[0], kinds[1:]
        rest_capacity = sum(n for _, n in rest)
        low = max(0, fill - rest_capacity)
        for take in range(min(available, fill), low - 1, -1):
            added = Counter({g: take for g in sig})
            if self._search(rest, fill - take, have + added if take else have):
                return True
        return False

    def electable(
        self, candidate: int, elected: Collection[int], continuing: Collection[int], seats_left: int
    ) -> bool:
        """Would electing ``candidate`` now still let every constraint be met?"""
        if not self.constraints:
            return True
        rest = [c for c in continuing if c != candidate]
        return self.feasible([*elected, candidate], rest, seats_left - 1)

    def blocking(
        self, candidate: int, elected: Collection[int], continuing: Collection[int], seats_left: int
    ) -> str:
        """Which constraint electing ``candidate`` would break, in words (for the stage note)."""
        rest = [c for c in continuing if c != candidate]
        for con in self.constraints:
            alone = ConstraintSet(self.groups, (con,))
            if not alone.feasible([*elected, candidate], rest, seats_left - 1):
                return con.describe()
        return "; ".join(c.describe() for c in self.constraints)

    def excludable(
        self, candidate: int, elected: Collection[int], continuing: Collection[int], seats_left: int
    ) -> bool:
        """May ``candidate`` be excluded now (as the lowest) with every constraint still met?

        A rule choosing whom to exclude takes the lowest candidate for whom this is true:
        excluding the only woman left when a seat must go to a woman would make the minimum
        impossible, so the next lowest is excluded instead (DOMAIN.md, "Representation
        constraints"; the mirror of ``electable``).
        """
        if not self.constraints:
            return True
        rest = [c for c in continuing if c != candidate]
        return self.feasible(elected, rest, seats_left)

    def protecting(
        self, candidate: int, elected: Collection[int], continuing: Collection[int], seats_left: int
    ) -> str:
        """Which constraint keeps ``candidate`` from being excluded, in words (for notes)."""
        rest = [c for c in continuing if c != candidate]
        for con in self.constraints:
            alone = ConstraintSet(self.groups, (con,))
            if not alone.feasible(elected, rest, seats_left):
                return con.describe()
        return "; ".join(c.describe() for c in self.constraints)

    def forced_exclusions(
        self, elected: Collection[int], continuing: Collection[int], seats_left: int
    ) -> list[tuple[int, str]]:
        """Continuing candidates whose election would make a constraint impossible, with why.

        Nobody is forced out while the continuing candidates cannot fill the seats anyway.
        """
        if not self.constraints or seats_left <= 0 or len(continuing) <= seats_left:
            return []
        return [
            (c, self.blocking(c, elected, continuing, seats_left))
            for c in sorted(continuing)
            if not self.electable(c, elected, continuing, seats_left)
        ]
