"""Instant-runoff voting (the alternative vote) for a single seat.

Source: the alternative vote as the UK Parliamentary Voting System and Constituencies Act 2011,
s. 9, would have written it into the Parliamentary Elections Rules (Representation of the
People Act 1983, Sch. 1, new rule 45A; repealed unused after the 2011 referendum): a candidate
with more votes than the other candidates put together is elected (45A(2)); otherwise the
candidate with the fewest votes is eliminated and their papers counted for their next
preference (45A(3)), stage after stage. RCTab's "singleWinnerMajority" mode counts the same way.

Every round each paper counts, whole, for its highest-ranked continuing candidate; a candidate
holding more than half of the papers still in the count (the continuing, non-exhausted papers)
wins; otherwise the candidate with the fewest votes is excluded and their papers pass to the
next continuing preference.

Choices this module makes where texts differ, all recorded here and in
``docs/notes/single-winner.md``:

* One candidate is excluded per round (no batch exclusion), so every exclusion is visible.
* A rank holding several candidates (equal ranking, an overvote) counts for the one continuing
  candidate in it if only one of them is continuing, is passed over if none is, and exhausts
  the paper if two or more are: a whole vote cannot be split between them (RCTab calls this
  "exhaustIfMultipleContinuing").
* A tie for exclusion is broken by the most recent earlier round in which the tied candidates
  had different totals (the lowest there is excluded), and failing that by lot.
* The count stops as soon as one candidate has a majority of continuing papers, or only one
  candidate is left.

All figures are whole numbers of papers.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

import numpy as np
import numpy.typing as npt

from grassroots.count.ballots import Election, Ranking
from grassroots.count.errors import CountError, InputError
from grassroots.count.packed import PackedBallots
from grassroots.count.rules import CountOptions
from grassroots.count.stages import CountResult, Stage
from grassroots.count.tiebreak import Lot, resolve_by_history

__all__ = ["count", "next_choice"]

EXHAUSTED = -1


def next_choice(ranking: Ranking, start: int, continuing: set[int] | frozenset[int]) -> int:
    """Where the paper counts from rank ``start`` on: a candidate, or ``EXHAUSTED``.

    Ranks with no continuing candidate are passed over; a rank with two or more continuing
    candidates exhausts the paper (a whole vote cannot go to both).
    """
    for rank in ranking[start:]:
        live = [c for c in rank if c in continuing]
        if len(live) == 1:
            return live[0]
        if len(live) > 1:
            return EXHAUSTED
    return EXHAUSTED


class Piles(Protocol):
    """Where every paper sits: with one continuing candidate, or exhausted."""

    total: int

    @property
    def exhausted(self) -> int:
        """Papers with no continuing candidate left to count for."""
        ...

    def tally(self) -> dict[int, int]:
        """Each continuing candidate's votes."""
        ...

    def exclude(self, excluded: Sequence[int], continuing: set[int]) -> None:
        """Move the excluded candidates' papers on to their next continuing preference."""
        ...


class _Piles:
    """The papers as grouped rankings, each sitting with one continuing candidate or exhausted."""

    def __init__(self, election: Election, continuing: set[int]) -> None:
        pairs = election.effective_rankings()
        self.rankings: list[Ranking] = [r for r, _ in pairs]
        self.weights: list[int] = [w for _, w in pairs]
        self.total = sum(self.weights)
        self.pile: dict[int, list[int]] = {c: [] for c in continuing}
        self._exhausted = 0
        for i, ranking in enumerate(self.rankings):
            self._place(i, next_choice(ranking, 0, continuing))

    @property
    def exhausted(self) -> int:
        return self._exhausted

    def _place(self, i: int, choice: int) -> None:
        if choice == EXHAUSTED:
            self._exhausted += self.weights[i]
        else:
            self.pile[choice].append(i)

    def tally(self) -> dict[int, int]:
        """Each continuing candidate's votes."""
        return {c: sum(self.weights[i] for i in rows) for c, rows in self.pile.items()}

    def exclude(self, excluded: Sequence[int], continuing: set[int]) -> None:
        """Move the excluded candidates' papers on to their next continuing preference."""
        moving: list[int] = []
        for c in excluded:
            moving.extend(self.pile.pop(c))
        for i in moving:
            # A paper's earlier ranks hold no continuing candidate (they were passed over or
            # named someone now excluded), so walking again from the top finds the same place
            # as walking on from where it sat.
            self._place(i, next_choice(self.rankings[i], 0, continuing))


class _PackedPiles:
    """The same, on packed strict rankings (numpy): for elections of millions of papers.

    ``pos[i]`` is where row ``i`` now counts: the index in ``prefs`` of its first continuing
    candidate, or its end when exhausted.
    """

    def __init__(self, packed: PackedBallots, continuing: set[int], n: int) -> None:
        self.prefs = packed.prefs
        self.ends = packed.offsets[1:]
        self.weights = packed.weights
        self.total = int(self.weights.sum())
        self.n = n
        self.live = np.zeros(n + 1, dtype=bool)  # index n stands for "exhausted"
        self.live[sorted(continuing)] = True
        self.pos = packed.offsets[:-1].copy()
        self.current = np.full(packed.size, n, dtype=np.int64)
        self._advance(np.arange(packed.size))

    def _advance(self, rows: npt.NDArray[np.int64]) -> None:
        # Walk each row on, one preference at a time, until it reaches a continuing candidate
        # or its end; rows stop as soon as they can, so each pass handles fewer.
        last = self.prefs.shape[0] - 1
        while rows.size:
            at_end = self.pos[rows] >= self.ends[rows]
            cand = np.where(at_end, self.n, self.prefs[np.minimum(self.pos[rows], last)])
            done = at_end | self.live[cand]
            self.current[rows[done]] = cand[done]
            rows = rows[~done]
            self.pos[rows] += 1

    @property
    def exhausted(self) -> int:
        return int(self.weights[self.current == self.n].sum())

    def tally(self) -> dict[int, int]:
        if self.total < 2**53:
            # Float sums of whole numbers are exact below 2**53, and bincount is fast.
            sums = np.bincount(self.current, weights=self.weights, minlength=self.n + 1)
            sums = sums.astype(np.int64)
        else:
            sums = np.zeros(self.n + 1, dtype=np.int64)
            np.add.at(sums, self.current, self.weights)
        return {int(c): int(sums[c]) for c in np.flatnonzero(self.live[: self.n])}

    def exclude(self, excluded: Sequence[int], continuing: set[int]) -> None:
        self.live[list(excluded)] = False
        rows = np.flatnonzero(np.isin(self.current, list(excluded)))
        self.pos[rows] += 1
        self._advance(rows)
        del continuing  # the live mask holds the same set


def _piles(election: Election, continuing: set[int]) -> Piles:
    """Numpy piles when packed rows say everything (no equal ranks), else ranking tuples.

    Both give the very same count (a property test checks it); numpy only pays off beyond a
    few thousand distinct rankings.
    """
    if election.is_packed_only or (
        election.packed.cut_at_equal == 0 and election.packed.size > 5_000
    ):
        return _PackedPiles(election.packed, continuing, len(election.candidates))
    return _Piles(election, continuing)


def count(election: Election, options: CountOptions) -> CountResult:
    """Count one seat by instant runoff; refuses more seats (an STV rule fills several)."""
    if options.seats != 1:
        raise InputError(
            f"irv fills exactly one seat, but {options.seats} were asked for; "
            "use an STV rule (scottish, ers97, meek) to fill several seats"
        )
    names = election.candidates
    standing = election.hopeful
    if not standing:
        raise InputError("irv needs at least one standing candidate")
    lot = Lot(options.seed)
    constraints = options.constraints
    continuing = set(standing)
    piles = _piles(election, continuing)
    history: list[dict[int, int]] = []
    stages: list[Stage] = []
    excluded_so_far: list[int] = []

    def record(
        action: str,
        subject: Sequence[int],
        note: str,
        elected: Sequence[int] = (),
    ) -> dict[int, int]:
        tally = piles.tally()
        if sum(tally.values()) + piles.exhausted != piles.total:
            raise CountError(f"irv stage {len(stages) + 1}: votes and exhausted papers lost count")
        live = sum(tally.values())
        votes = {names[c]: Decimal(tally.get(c, 0)) for c in standing}
        stages.append(
            Stage(
                number=len(stages) + 1,
                action=action,
                subject=tuple(names[c] for c in subject),
                votes=votes,
                non_transferable=Decimal(piles.exhausted),
                note=note,
                elected=tuple(names[c] for c in elected),
                excluded=tuple(names[c] for c in subject) if action != "first" else (),
                quota=Decimal(live // 2 + 1),
            )
        )
        history.append(tally)
        return tally

    tally = record("first", (), "first preferences")
    winner: int | None = None
    while winner is None:
        live = sum(tally.values())
        leader = max(continuing, key=lambda c: (tally[c], -c))
        # rule 45A(2): more votes than the other continuing candidates put together
        has_majority = 2 * tally[leader] > live or len(continuing) == 1
        if constraints and has_majority and not constraints.electable(leader, (), continuing, 1):
            # Representation constraints, check (1): a candidate who would win but whose
            # election would break a constraint is excluded instead.
            reason = constraints.blocking(leader, (), continuing, 1)
            continuing.discard(leader)
            excluded_so_far.append(leader)
            piles.exclude([leader], continuing)
            tally = record(
                "constraint", [leader], f"{names[leader]} excluded instead of elected: {reason}"
            )
            continue
        forced = constraints.forced_exclusions((), continuing, 1) if constraints else []
        if forced:
            # Check (2): candidates who can no longer win without breaking a constraint.
            out = [c for c, _ in forced]
            for c in out:
                continuing.discard(c)
            excluded_so_far.extend(out)
            piles.exclude(out, continuing)
            reasons = "; ".join(f"{names[c]}: {why}" for c, why in forced)
            tally = record("constraint", out, f"excluded by constraint ({reasons})")
            continue
        if has_majority:
            winner = leader
            break
        # rule 45A(3): the candidate with the fewest votes is eliminated
        lowest = min(tally[c] for c in continuing)
        tied = sorted(c for c in continuing if tally[c] == lowest)
        loser = _choose_loser(tied, history[:-1], lot, names, len(stages) + 1)
        continuing.discard(loser)
        excluded_so_far.append(loser)
        piles.exclude([loser], continuing)
        tally = record("exclusion", [loser], f"{names[loser]} has the fewest votes ({lowest})")

    last = stages[-1]
    live = sum(tally.values())
    stages[-1] = Stage(
        number=last.number,
        action=last.action,
        subject=last.subject,
        votes=last.votes,
        non_transferable=last.non_transferable,
        note=(f"{last.note}; " if last.note else "")
        + f"{names[winner]} elected with {tally[winner]} of {live} continuing votes",
        elected=(names[winner],),
        excluded=last.excluded,
        quota=last.quota,
    )
    return CountResult(
        rule="irv",
        seats=1,
        candidates=tuple(names[c] for c in standing),
        quota=None,
        elected=(names[winner],),
        stages=tuple(stages),
        places=0,
        title=election.title,
        seed=options.seed,
        tie_breaks=tuple(lot.log),
        notes=(
            "the quota shown at each stage is the majority of continuing votes: "
            "half of them, rounded down, plus one",
        ),
        valid_votes=Decimal(piles.total),
    )


def _choose_loser(
    tied: list[int],
    history: Sequence[dict[int, int]],
    lot: Lot,
    names: Sequence[str],
    stage: int,
) -> int:
    if len(tied) == 1:
        return tied[0]
    # Look back to the most recent earlier round where the tied candidates differed.
    remaining = resolve_by_history(tied, history, lowest=True)
    if len(remaining) == 1:
        return remaining[0]
    return lot.choose(remaining, names, f"stage {stage}: exclusion")
