"""The Borda count, for comparisons.

Source: J.-C. de Borda, "Mémoire sur les élections au scrutin" (1781), in the form
usually called the "truncated Borda count with averaged ties". The variant counted here:

* with ``n`` standing candidates, the candidate a paper places ``k``-th (``k`` = 1 + the
  number of candidates it ranks above them) scores ``n - k`` points;
* candidates a paper leaves unranked score 0 from it;
* candidates ranked equal share the positions they occupy: each scores the average of those
  positions' points. Those points are consecutive whole numbers, so the average is always a
  whole or a half point, and the count is exact to one decimal place;
* the ``seats`` candidates with the most points are elected; a tie at the cut is decided by
  lot (seed recorded); representation constraints pass over, in a "constraint" stage, anyone
  whose election would leave a constraint impossible (as ``fptp`` and ``block`` do).

A complete ranking hands out ``n(n-1)/2`` points; a shorter one hands out fewer, and the
points it leaves unawarded are recorded as non-transferable, so that points awarded plus
non-transferable equal ``n(n-1)/2`` times the number of papers.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from grassroots.count.ballots import Election, Ranking
from grassroots.count.rules import CountOptions
from grassroots.count.rules.plurality import (
    exact_bincount,
    highest_with_constraints,
    result_stages,
    use_packed,
)
from grassroots.count.stages import CountResult
from grassroots.count.tiebreak import Lot

__all__ = ["count", "half_points"]


def half_points(ranking: Ranking, n: int) -> dict[int, int]:
    """The points a paper gives each candidate it ranks, in half points (exact integers)."""
    out: dict[int, int] = {}
    position = 1
    for rank in ranking:
        m = len(rank)
        # Positions position..position+m-1 score n-position down to n-position-m+1; their
        # average, in half points, is the sum of the first and last.
        share = (n - position) + (n - position - m + 1)
        for c in rank:
            out[c] = share
        position += m
    return out


def count(election: Election, options: CountOptions) -> CountResult:
    """Count by Borda (see the module docstring); the highest ``seats`` scores win."""
    names = election.candidates
    standing = election.hopeful
    n = len(standing)
    lot = Lot(options.seed)
    halves = dict.fromkeys(standing, 0)
    papers = 0
    if use_packed(election):
        # Strict rankings: the k-th preference (k from 0) scores n - 1 - k points.
        packed = election.packed
        papers = packed.total
        lengths = packed.lengths
        position = np.arange(packed.prefs.shape[0]) - np.repeat(packed.offsets[:-1], lengths)
        points = np.repeat(packed.weights, lengths) * 2 * (n - 1 - position)
        sums = exact_bincount(packed.prefs, points, len(names))
        for c in standing:
            halves[c] = int(sums[c])
    else:
        for ranking, weight in election.effective_rankings():
            papers += weight
            for c, pts in half_points(ranking, n).items():
                halves[c] += weight * pts
    available = papers * n * (n - 1)  # in half points: n(n-1)/2 points per paper
    awarded = sum(halves.values())
    elected, passed = highest_with_constraints(
        halves, options.seats, lot, names, "borda: last seat", options.constraints
    )
    stages = result_stages(
        names,
        standing,
        {c: Decimal(v) / 2 for c, v in halves.items()},
        Decimal(available - awarded) / 2,
        f"k-th place scores {n} - k points; unranked 0; equal ranks share the average; "
        f"the {options.seats} highest are elected",
        elected,
        passed,
    )
    return CountResult(
        rule="borda",
        seats=options.seats,
        candidates=tuple(names[c] for c in standing),
        quota=None,
        elected=tuple(names[c] for c in elected),
        stages=stages,
        places=1,
        title=election.title,
        seed=options.seed,
        tie_breaks=tuple(lot.log),
        notes=(
            "points not awarded by papers that rank fewer than all candidates are shown "
            "as non-transferable",
        ),
        valid_votes=Decimal(available) / 2,
    )
