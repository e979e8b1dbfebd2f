"""Ballot papers in piles, moved between candidates with exact integer arithmetic.

The weighted inclusive Gregory method (WIGM) moves *all* of a candidate's papers when a
surplus is transferred or the candidate is excluded, so the count keeps, for every packed
row (a group of identical papers), where on its ranking it stands and what one of its papers
is worth now; each candidate's pile is a list of row indices. A stage touches only the rows
of the candidate whose papers move, with vectorised numpy and integers throughout: values
are int64 counts of units of 10**-places, never floats.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from grassroots.count.packed import PackedBallots

__all__ = ["PaperPiles"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class PaperPiles:
    """Every row's position and value, and each candidate's pile of rows."""

    def __init__(self, packed: PackedBallots, n_candidates: int, unit: int) -> None:
        self.n = n_candidates
        self.prefs = packed.prefs
        self.ends = packed.offsets[1:]
        self.weights = packed.weights
        rows = packed.size
        self.pos = packed.offsets[:-1].copy()
        self.values = np.full(rows, unit, dtype=np.int64)
        self.piles: list[list[IntArray]] = [[] for _ in range(n_candidates)]
        self._holder_dtype = np.int16 if n_candidates < 2**15 - 1 else np.int32

    def first_preferences(self) -> IntArray:
        """Put every row on its first preference's pile; return each candidate's units."""
        rows = np.arange(self.weights.shape[0], dtype=np.int64)
        holders = self.prefs[self.pos].astype(np.int64) if rows.size else rows
        return self._deal(rows, holders, self.values)

    def take(self, candidate: int) -> IntArray:
        """Remove and return the rows on ``candidate``'s pile."""
        pieces = self.piles[candidate]
        self.piles[candidate] = []
        if not pieces:
            return np.zeros(0, dtype=np.int64)
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces)

    def move(self, rows: IntArray, continuing: BoolArray, new_values: IntArray | None) -> IntArray:
        """Send ``rows`` to their next continuing preference, at ``new_values`` if given.

        Returns the units each candidate gains. A preference for a candidate who is no
        longer continuing is skipped; a row that runs out of preferences leaves the count
        (non-transferable: the caller finds it as the valid total less what candidates hold).
        """
        if new_values is not None:
            self.values[rows] = new_values
        holders = self._advance(rows, continuing)
        return self._deal(rows, holders, self.values[rows])

    def _advance(self, rows: IntArray, continuing: BoolArray) -> IntArray:
        """Move each row's position to its next continuing preference (-1: none left)."""
        holders = np.full(rows.shape[0], -1, dtype=np.int64)
        pos = self.pos[rows] + 1
        ends = self.ends[rows]
        active = np.arange(rows.shape[0])
        while active.size:
            inside = pos[active] < ends[active]
            active = active[inside]
            if not active.size:
                break
            cands = self.prefs[pos[active]]
            ok = continuing[cands]
            holders[active[ok]] = cands[ok]
            active = active[~ok]
            pos[active] += 1
        self.pos[rows] = pos
        return holders

    def _deal(self, rows: IntArray, holders: IntArray, values: IntArray) -> IntArray:
        """Add rows to their holders' piles and sum the units each holder gains, exactly."""
        gained = np.zeros(self.n, dtype=np.int64)
        if not rows.size:
            return gained
        amounts = self.weights[rows] * values
        # A stable sort on a small integer type is a radix sort: linear in the rows moved.
        order = np.argsort(holders.astype(self._holder_dtype), kind="stable")
        sorted_holders = holders[order]
        starts = np.flatnonzero(np.r_[True, sorted_holders[1:] != sorted_holders[:-1]])
        # reduceat on int64 keeps sums exact (np.bincount with weights goes through float64).
        sums = np.add.reduceat(amounts[order], starts)
        bounds = [*starts.tolist(), int(order.shape[0])]
        for k, start in enumerate(starts.tolist()):
            holder = int(sorted_holders[start])
            if holder < 0:
                continue  # no continuing preference left: these papers leave the count
            gained[holder] = sums[k]
            self.piles[holder].append(rows[order[start : bounds[k + 1]]])
        return gained
