"""Ballots packed into numpy arrays, for counting millions of them quickly.

``prefs`` holds every ballot's preferences end to end (candidate indices); ballot ``i`` is
``prefs[offsets[i]:offsets[i + 1]]`` and was cast ``weights[i]`` times. Only strict rankings
fit here: a ranking with candidates marked equal is cut at that mark, because the STV rules
that use packed ballots treat such a paper as non-transferable from that point on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

import numpy as np
import numpy.typing as npt

from grassroots.count.ballots import Ranking

__all__ = ["PackedBallots"]

IntArray = npt.NDArray[np.int64]
PrefArray = npt.NDArray[np.int32]
_INT64_MAX = 2**63 - 1


@dataclass(frozen=True, eq=False)
class PackedBallots:
    """Strict rankings as flat numpy arrays (see the module docstring)."""

    prefs: PrefArray
    offsets: IntArray
    weights: IntArray
    cut_at_equal: int = 0  # ballots (by weight) cut where candidates were marked equal

    @property
    def size(self) -> int:
        """How many distinct ballots (rows)."""
        return int(self.weights.shape[0])

    @property
    def total(self) -> int:
        """How many ballots, counting weights: exact, even where an int64 sum would wrap."""
        if not self.size:
            return 0
        if int(self.weights.max()) <= _INT64_MAX // self.size:
            return int(self.weights.sum())  # no partial sum can pass int64
        return sum(self.weights.tolist())

    @property
    def lengths(self) -> IntArray:
        """How many preferences each row has."""
        return np.diff(self.offsets)

    @classmethod
    def from_rankings(cls, pairs: Iterable[tuple[Ranking, int]]) -> PackedBallots:
        """Pack (ranking, weight) pairs; empty rankings are dropped."""
        pairs = list(pairs)
        try:
            return cls._from_rankings_vectorised(pairs)
        except IndexError:  # an empty rank somewhere: take the careful path
            return cls._from_rankings_loop(pairs)

    @classmethod
    def _from_rankings_vectorised(cls, pairs: list[tuple[Ranking, int]]) -> PackedBallots:
        # One pass of C-level iteration over the ranks, then numpy: several times faster than
        # a Python loop per rank for elections of tens of thousands of distinct rankings.
        rows = len(pairs)
        lengths = np.fromiter((len(r) for r, _ in pairs), dtype=np.int64, count=rows)
        weights = np.fromiter((w for _, w in pairs), dtype=np.int64, count=rows)
        total = int(lengths.sum())
        ranks = list(chain.from_iterable(r for r, _ in pairs))
        sizes = np.fromiter(map(len, ranks), dtype=np.int64, count=total)
        firsts = np.fromiter(map(itemgetter(0), ranks), dtype=np.int32, count=total)
        starts = np.zeros(rows + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        cut = lengths.copy()  # where each row is cut: at its first rank of equal candidates
        equal = np.flatnonzero(sizes != 1)
        if equal.size:
            row_of = np.repeat(np.arange(rows), lengths)
            np.minimum.at(cut, row_of[equal], equal - starts[:-1][row_of[equal]])
        cut_weight = int(weights[cut < lengths].sum())
        keep_rows = cut > 0
        if equal.size:
            row_of = np.repeat(np.arange(rows), lengths)
            keep = (np.arange(total) - starts[:-1][row_of]) < cut[row_of]
            prefs = firsts[keep & keep_rows[row_of]]
        else:
            prefs = firsts[np.repeat(keep_rows, lengths)] if not keep_rows.all() else firsts
        kept_lengths = cut[keep_rows]
        offsets = np.zeros(kept_lengths.shape[0] + 1, dtype=np.int64)
        np.cumsum(kept_lengths, out=offsets[1:])
        return cls(
            prefs=np.ascontiguousarray(prefs, dtype=np.int32),
            offsets=offsets,
            weights=weights[keep_rows],
            cut_at_equal=cut_weight,
        )

    @classmethod
    def _from_rankings_loop(cls, pairs: Iterable[tuple[Ranking, int]]) -> PackedBallots:
        flat: list[int] = []
        offsets = [0]
        weights: list[int] = []
        cut = 0
        for ranking, weight in pairs:
            row: list[int] = []
            for rank in ranking:
                if len(rank) != 1:
                    cut += weight
                    break
                row.append(rank[0])
            if not row:
                continue
            flat.extend(row)
            offsets.append(len(flat))
            weights.append(weight)
        return cls(
            prefs=np.asarray(flat, dtype=np.int32),
            offsets=np.asarray(offsets, dtype=np.int64),
            weights=np.asarray(weights, dtype=np.int64),
            cut_at_equal=cut,
        )

    def rows(self) -> Iterable[tuple[tuple[int, ...], int]]:
        """Each row as (preferences, weight): for small elections and tests."""
        prefs = self.prefs.tolist()
        offs = self.offsets.tolist()
        for i, w in enumerate(self.weights.tolist()):
            yield tuple(prefs[offs[i] : offs[i + 1]]), w

    def grouped(self) -> PackedBallots:
        """Merge identical rows, summing their weights (order of first appearance kept)."""
        if self.size == 0:
            return self
        lengths = self.lengths
        width = int(lengths.max())
        # A dense (rows x width) matrix padded with -1 lets numpy find identical rows.
        matrix = np.full((self.size, width), -1, dtype=np.int32)
        row_index = np.repeat(np.arange(self.size), lengths)
        col_index = np.arange(self.prefs.shape[0]) - np.repeat(self.offsets[:-1], lengths)
        matrix[row_index, col_index] = self.prefs
        _, first, inverse = np.unique(matrix, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        # np.add.at on int64 keeps the sums exact (bincount would go through float64).
        summed = np.zeros(first.shape[0], dtype=np.int64)
        np.add.at(summed, inverse, self.weights)
        order = np.argsort(first, kind="stable")
        keep = first[order]
        new_lengths = lengths[keep]
        new_offsets = np.zeros(keep.shape[0] + 1, dtype=np.int64)
        np.cumsum(new_lengths, out=new_offsets[1:])
        rows = matrix[keep]
        mask = rows >= 0
        return PackedBallots(
            prefs=rows[mask].astype(np.int32),
            offsets=new_offsets,
            weights=summed[order],
            cut_at_equal=self.cut_at_equal,
        )
