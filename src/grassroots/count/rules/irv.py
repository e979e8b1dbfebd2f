"""Instant-runoff voting (the alternative vote) for a single seat.

Source: the alternative vote as commonly defined (e.g. the UK Parliamentary Voting System and
Constituencies Act 2011, Schedule 10, rules 37-40, which was never brought into force; the
RCTab "singleWinnerMajority" mode). Every round each paper counts, whole, for its
highest-ranked continuing candidate; a candidate holding more than half of the papers still
in the count (the continuing, non-exhausted papers) wins; otherwise the candidate with the
fewest votes is excluded and their papers pass to the next continuing preference.

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

from grassroots.count.ballots import Election, Ranking
from grassroots.count.errors import CountError, InputError
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


class _Piles:
    """The papers as grouped rankings, each sitting with one continuing candidate or exhausted."""

    def __init__(self, election: Election, continuing: set[int]) -> None:
        pairs = election.effective_rankings()
        self.rankings: list[Ranking] = [r for r, _ in pairs]
        self.weights: list[int] = [w for _, w in pairs]
        self.total = sum(self.weights)
        self.pile: dict[int, list[int]] = {c: [] for c in continuing}
        self.exhausted = 0
        for i, ranking in enumerate(self.rankings):
            self._place(i, next_choice(ranking, 0, continuing))

    def _place(self, i: int, choice: int) -> None:
        if choice == EXHAUSTED:
            self.exhausted += self.weights[i]
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
    piles = _Piles(election, continuing)
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
