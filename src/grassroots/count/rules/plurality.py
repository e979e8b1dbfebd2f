"""First past the post (``fptp``) and the block vote (``block``), for comparisons.

Source: the plurality rule as used for UK parliamentary and English local elections (Electoral
Administration Act 2006 / Local Elections Rules: "the candidate(s) to whom the greatest number
of votes is given shall be declared elected"), applied to preference ballots:

* ``fptp``: each paper gives one vote to its first preference; the ``seats`` candidates with
  the most votes are elected (with several seats this is the single non-transferable vote).
* ``block``: each paper gives one vote to each of its first ``seats`` preferences, as if the
  voter had put a cross against that many candidates; the ``seats`` candidates with the most
  votes are elected.

A rank holding several candidates (equal ranking) is counted only when every candidate in it
fits within the paper's allowance (one for ``fptp``, ``seats`` for ``block``); otherwise the
rank and everything after it is set aside, because it cannot be said which of them the voter
meant to mark. Each paper carries as many votes as it may mark (one, or ``seats``); the votes
it leaves unused are recorded as non-transferable, so that votes plus non-transferable equal
the votes available. A tie for the last seat is decided by lot (seed recorded).

Representation constraints: the highest are taken in turn, and a candidate whose election
would leave a constraint impossible to meet is passed over (a "constraint" stage records it
and the constraint; their votes, which cannot move under these rules, become
non-transferable), as the list systems with reserved places do.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from grassroots.count.ballots import Election, Ranking
from grassroots.count.constraints import ConstraintSet
from grassroots.count.errors import InputError
from grassroots.count.rules import CountOptions
from grassroots.count.stages import CountResult, Stage
from grassroots.count.tiebreak import Lot

__all__ = [
    "count",
    "exact_bincount",
    "highest_with_constraints",
    "marks",
    "result_stages",
    "top_by_lot",
    "use_packed",
]


def use_packed(election: Election) -> bool:
    """Whether to count from the numpy arrays: they hold every paper as it is (no equal ranks)
    and there are enough of them for numpy to pay off."""
    return election.is_packed_only or (
        election.packed.cut_at_equal == 0 and election.packed.size > 5_000
    )


def exact_bincount(
    values: npt.NDArray[np.int32], weights: npt.NDArray[np.int64], length: int
) -> npt.NDArray[np.int64]:
    """Weighted counts per value, exactly (float sums of whole numbers are exact below 2**53)."""
    if int(weights.sum()) < 2**53:
        return np.bincount(values, weights=weights, minlength=length).astype(np.int64)
    sums = np.zeros(length, dtype=np.int64)
    np.add.at(sums, values, weights)
    return sums


def marks(ranking: Ranking, allowance: int) -> list[int]:
    """The candidates a paper gives one vote each: its first ``allowance`` preferences."""
    chosen: list[int] = []
    for rank in ranking:
        if len(chosen) + len(rank) > allowance:
            break
        chosen.extend(rank)
    return chosen


def top_by_lot(
    totals: dict[int, int], seats: int, lot: Lot, names: Sequence[str], purpose: str
) -> list[int]:
    """The ``seats`` candidates with the highest totals, most first; a tie at the cut by lot."""
    ordered = sorted(totals, key=lambda c: (-totals[c], c))
    if len(ordered) <= seats:
        return ordered
    cut = totals[ordered[seats - 1]]
    sure = [c for c in ordered if totals[c] > cut]
    level = [c for c in ordered if totals[c] == cut]
    chosen = list(sure)
    while len(chosen) < seats:
        if len(level) == 1 or len(chosen) + len(level) == seats:
            chosen.extend(level)
            break
        pick = lot.choose(level, names, f"{purpose} (tied on {cut})")
        chosen.append(pick)
        level.remove(pick)
    return chosen[:seats]


def highest_with_constraints(
    totals: dict[int, int],
    seats: int,
    lot: Lot,
    names: Sequence[str],
    purpose: str,
    constraints: ConstraintSet,
) -> tuple[list[int], list[tuple[int, str]]]:
    """The highest totals in turn, passing over anyone whose election breaks a constraint.

    Returns those elected (in order) and those passed over, each with the constraint that
    ruled them out. Candidates level on votes are ordered by lot (seed recorded).
    """
    if not constraints:
        return top_by_lot(totals, seats, lot, names, purpose), []
    remaining = set(totals)
    elected: list[int] = []
    passed: list[tuple[int, str]] = []
    while len(elected) < seats and remaining:
        best = max(totals[c] for c in remaining)
        level = sorted(c for c in remaining if totals[c] == best)
        pick = level[0] if len(level) == 1 else lot.choose(level, names, f"{purpose} (order)")
        remaining.discard(pick)
        seats_left = seats - len(elected)
        if constraints.electable(pick, elected, remaining | {pick}, seats_left):
            elected.append(pick)
        else:
            passed.append(
                (pick, constraints.blocking(pick, elected, remaining | {pick}, seats_left))
            )
    return elected, passed


def result_stages(
    names: Sequence[str],
    standing: Sequence[int],
    totals: dict[int, Decimal],
    non_transferable: Decimal,
    note: str,
    elected: Sequence[int],
    passed: Sequence[tuple[int, str]],
) -> tuple[Stage, ...]:
    """One "round" stage, then a "constraint" stage per candidate a constraint passed over.

    A passed-over candidate's votes cannot move under these rules, so they become
    non-transferable; the last stage names those elected.
    """
    votes = {names[c]: totals[c] for c in standing}
    stages = [Stage(1, "round", (), dict(votes), non_transferable, note)]
    for c, reason in passed:
        non_transferable += votes[names[c]]
        votes[names[c]] = Decimal(0)
        stages.append(
            Stage(
                len(stages) + 1,
                "constraint",
                (names[c],),
                dict(votes),
                non_transferable,
                f"{names[c]} passed over: electing them would break {reason}",
                excluded=(names[c],),
            )
        )
    last = stages[-1]
    stages[-1] = Stage(
        last.number,
        last.action,
        last.subject,
        last.votes,
        last.non_transferable,
        last.note,
        elected=tuple(names[c] for c in elected),
        excluded=last.excluded,
    )
    return tuple(stages)


def count(election: Election, options: CountOptions) -> CountResult:
    """Count ``fptp`` or ``block`` (see the module docstring), by ``options.rule``."""
    if options.rule not in ("fptp", "block"):
        raise InputError(f"the plurality module counts fptp or block, not {options.rule!r}")
    names = election.candidates
    standing = election.hopeful
    seats = options.seats
    allowance = 1 if options.rule == "fptp" else seats
    lot = Lot(options.seed)
    totals = dict.fromkeys(standing, 0)
    papers = 0
    used = 0
    if use_packed(election):
        # Strict rankings: a paper's marks are its first ``allowance`` preferences.
        packed = election.packed
        papers = packed.total
        lengths = packed.lengths
        sums = np.zeros(len(names), dtype=np.int64)
        for k in range(allowance):
            rows = lengths > k
            if not rows.any():
                break
            at = packed.offsets[:-1][rows] + k
            sums += exact_bincount(packed.prefs[at], packed.weights[rows], len(names))
            used += int(packed.weights[rows].sum())
        for c in standing:
            totals[c] = int(sums[c])
    else:
        for ranking, weight in election.effective_rankings():
            papers += weight
            chosen = marks(ranking, allowance)
            used += weight * len(chosen)
            for c in chosen:
                totals[c] += weight
    available = papers * allowance
    elected, passed = highest_with_constraints(
        totals, seats, lot, names, f"{options.rule}: last seat", options.constraints
    )
    what = "first preferences" if options.rule == "fptp" else f"first {seats} preferences"
    stages = result_stages(
        names,
        standing,
        {c: Decimal(v) for c, v in totals.items()},
        Decimal(available - used),
        f"one vote to each of a paper's {what}; the {seats} highest are elected",
        elected,
        passed,
    )
    return CountResult(
        rule=options.rule,
        seats=seats,
        candidates=tuple(names[c] for c in standing),
        quota=None,
        elected=tuple(names[c] for c in elected),
        stages=stages,
        places=0,
        title=election.title,
        seed=options.seed,
        tie_breaks=tuple(lot.log),
        notes=(f"each paper carries {allowance} vote(s); unused votes are non-transferable",),
        valid_votes=Decimal(available),
    )
