"""The keep-factor iteration shared by Meek and Warren STV, in exact fixed point.

Source: the Proportional Representation Foundation's "Reference Rule: Meek's Method"
(prfound.org/resources/reference/reference-meek-rule/), itself after Hill, Wichmann & Woodall,
"Algorithm 123: Single Transferable Vote by Meek's method", Computer Journal 30(3), 1987.
Clause labels in comments (A, B.1, B.2.a ... B.3, C) are that rule's. Warren's method
(C.H.E. Warren, "Counting in STV elections", Voting matters 1, 1994) differs in how a
ballot's value is shared out (B.2.a); our Warren also follows Droop's parametric iteration
(``Method.droop_parametric``: another quota, batch defeats), so both rules run this one loop.

Every figure is an integer count of units of 10**-places. The strict ballots are counted with
numpy, column by column over all rows at once, in int64 only: the candidates together never
hold more than ballots x 10**9 units, which ``limits.ballot_limit`` keeps below 2**63 (at most
9,223,372,036 ballots); candidate totals are summed exactly (see ``_exact_totals``), never
rounded through float64. Ballots that rank candidates equally take a slower exact Python path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from grassroots.count.arithmetic import div_ceil, from_units
from grassroots.count.ballots import Election, Ranking
from grassroots.count.errors import CountError
from grassroots.count.limits import check_ballot_limit
from grassroots.count.packed import PackedBallots
from grassroots.count.rules import CountOptions
from grassroots.count.stages import CountResult, Stage
from grassroots.count.tiebreak import Lot

__all__ = ["MEEK", "WARREN", "Method", "count_keep_factors"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Method:
    """What distinguishes one keep-factor rule from another."""

    name: str
    places: int
    omega_places: int  # omega is 10**-omega_places
    warren: bool  # Warren: each candidate keeps kf of the whole vote, not of what reaches them
    description: str
    # Droop's parametric rule instead of the PRF's: quota without the added 10**-9, elected
    # only above it, and a round ends as soon as a batch of certain losers can be defeated
    droop_parametric: bool = False


MEEK = Method("meek", 9, 6, False, "Meek STV (PRF reference rule, 9-decimal fixed point)")
WARREN = Method(
    "warren",
    9,
    9,
    True,
    "Warren STV (Droop's parametric iteration, 9-decimal fixed point)",
    droop_parametric=True,
)


# Totals are summed with float64 bincount only where that is provably exact: every partial
# sum is then an integer below 2**53. A column whose ballots hold fewer than 2**53 units in
# all (about 9 million ballots) is summed at once; a bigger one in a high and a low part of
# LOW_BITS bits (the low parts stay exact below 2**29 rows, the high parts below about 1.5e15
# ballots).
EXACT = 1 << 53
LOW_BITS = 24
LOW_MASK = (1 << LOW_BITS) - 1
MAX_ROWS = 1 << (53 - LOW_BITS)


def _exact_totals(cands: IntArray, contrib: IntArray, n: int, split: bool) -> IntArray:
    """Sum ``contrib`` per candidate exactly (see EXACT and LOW_BITS)."""
    if not split:
        return np.bincount(cands, weights=contrib.astype(np.float64), minlength=n).astype(np.int64)
    low = np.bincount(cands, weights=(contrib & LOW_MASK).astype(np.float64), minlength=n)
    high = np.bincount(cands, weights=(contrib >> LOW_BITS).astype(np.float64), minlength=n)
    return (high.astype(np.int64) << LOW_BITS) + low.astype(np.int64)


@dataclass
class _Columns:
    """Strict ballots laid out column by column, rows sorted longest first.

    Column ``j`` concerns the first ``sizes[j]`` rows (those with more than ``j``
    preferences); ``cands[j]`` is their ``j``-th preference. Every ballot starts at value 1,
    so the first column needs only how many ballots put each candidate first. A hopeful
    candidate keeps all that reaches them (kf = 1), so a ballot goes no further than its
    first hopeful candidate: ``prune`` keeps, for each later column, only the rows still live
    under the current states (which change once a round; keep factors change every
    iteration), with ``subs[j]`` picking them out of the previous column's live rows.
    """

    n: int
    mult: IntArray
    first: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sizes: list[int] = field(default_factory=list)
    cands: list[IntArray] = field(default_factory=list)
    subs: list[IntArray] = field(default_factory=list)  # columns 1..
    live_cands: list[IntArray] = field(default_factory=list)
    live_mult: list[IntArray] = field(default_factory=list)
    split: list[bool] = field(default_factory=list)

    @classmethod
    def build(cls, packed: PackedBallots, n: int, unit: int) -> _Columns:
        lengths = packed.lengths
        if lengths.size >= MAX_ROWS:
            raise CountError(f"{lengths.size} distinct ballots exceed {MAX_ROWS} for exact sums")
        order = np.argsort(-lengths, kind="stable")
        lengths = lengths[order]
        begin = packed.offsets[:-1][order]
        cols = cls(n=n, mult=packed.weights[order].astype(np.int64))
        width = int(lengths[0]) if lengths.size else 0
        for j in range(width):
            # rows 0..size-1 have length > j (lengths sorted descending)
            size = int(np.searchsorted(-lengths, -j, side="left"))
            cols.sizes.append(size)
            cols.cands.append(packed.prefs[begin[:size] + j].astype(np.int64))
        cols.first = np.zeros(n, dtype=np.int64)
        if width:
            np.add.at(cols.first, cols.cands[0], cols.mult)
        return cols

    def prune(self, passes_on: npt.NDArray[np.bool_], unit: int) -> None:
        """Keep, per column, the rows whose earlier candidates all pass value on."""
        self.subs, self.live_cands, self.live_mult, self.split = [], [], [], []
        if not self.sizes:
            return
        rows = np.arange(self.sizes[0], dtype=np.int64)
        cand = self.cands[0]
        for j in range(1, len(self.sizes)):
            sub = np.flatnonzero(passes_on[cand] & (rows < self.sizes[j]))
            if sub.size == 0:
                break
            rows = rows[sub]
            cand = self.cands[j][rows]
            mult = self.mult[rows]
            self.subs.append(sub)
            self.live_cands.append(cand)
            self.live_mult.append(mult)
            self.split.append(int(mult.sum()) * unit >= EXACT)


class _Ballots:
    """All the ballots of a count, ready to be distributed again and again."""

    def __init__(self, election: Election, n: int, unit: int, warren: bool) -> None:
        self.n = n
        self.unit = unit
        self.warren = warren
        self.equal: list[tuple[Ranking, int]] = []
        packed = election.packed
        if packed.cut_at_equal:
            # the shared packing cuts a ballot where candidates are ranked equal; Meek and
            # Warren share such a ballot among them instead, so those ballots go apart
            strict: list[tuple[Ranking, int]] = []
            for ranking, weight in election.effective_rankings():
                if all(len(rank) == 1 for rank in ranking):
                    strict.append((ranking, weight))
                else:
                    self.equal.append((ranking, weight))
            packed = PackedBallots.from_rankings(strict)
        self.cols = _Columns.build(packed, n, unit)
        self._passes_on: npt.NDArray[np.bool_] | None = None
        self.total = int(packed.weights.sum()) + sum(w for _, w in self.equal)

    def distribute(self, kf: Sequence[int]) -> list[int]:
        """Each candidate's vote (in units) when every ballot is shared out by ``kf``."""
        unit = self.unit
        kfa = np.asarray(kf, dtype=np.int64)
        cols = self.cols
        # a ballot stops at a candidate with kf exactly 1 (a hopeful one), who keeps it all
        passes_on = kfa != unit
        if self._passes_on is None or not np.array_equal(passes_on, self._passes_on):
            cols.prune(passes_on, unit)
            self._passes_on = passes_on
        # B.2.a (Meek): add w x kf (to 9 places, rounded up) and reduce w by the same;
        # Warren: the candidate takes kf of the ballot's whole value, or what is left.
        # At the first preference w = 1, so each candidate keeps exactly kf of each ballot.
        votes = kfa * cols.first
        if cols.subs:
            rest = unit - kfa[cols.cands[0]]
            for sub, cand, mult, split in zip(
                cols.subs, cols.live_cands, cols.live_mult, cols.split, strict=True
            ):
                w = rest[sub]
                k = kfa[cand]
                keep = np.minimum(w, k) if self.warren else (w * k + (unit - 1)) // unit
                rest = w - keep
                votes += _exact_totals(cand, keep * mult, self.n, split)
        out = [int(v) for v in votes]
        for ranking, weight in self.equal:
            self._distribute_equal(ranking, weight, kf, out)
        return out

    def _distribute_equal(
        self, ranking: Ranking, weight: int, kf: Sequence[int], out: list[int]
    ) -> None:
        # Equally ranked candidates share the weight that reaches their rank equally: the
        # 1/k share is truncated at 9 places (so the shares never add up to more than w) and
        # each keeps kf of it (rounded up, as B.2.a); the rest, and the units the truncation
        # left over, pass on. A defeated candidate (kf 0) counts as if not on the ballot, as
        # a withdrawn one does, so the share is split among the others of the rank (as
        # Droop does).
        unit = self.unit
        w = unit
        for full_rank in ranking:
            if w <= 0:
                break
            rank = [c for c in full_rank if kf[c]]
            if not rank:
                continue
            share = w // len(rank)
            kept = 0
            for c in rank:
                keep = min(share, kf[c]) if self.warren else div_ceil(share * kf[c], unit)
                out[c] += keep * weight
                kept += keep
            w -= kept


@dataclass
class _Count:
    """The mutable state of one count, and the stages it has written."""

    election: Election
    options: CountOptions
    method: Method
    tie_order: Sequence[int] | None
    names: tuple[str, ...] = ()
    unit: int = 0
    kf: list[int] = field(default_factory=list)
    hopeful: list[int] = field(default_factory=list)
    elected: list[int] = field(default_factory=list)
    defeated: list[int] = field(default_factory=list)
    votes: list[int] = field(default_factory=list)
    quota: int = 0
    stages: list[Stage] = field(default_factory=list)
    lot: Lot = field(default_factory=lambda: Lot(0))
    ballots: _Ballots = field(init=False)

    def stage(
        self,
        action: str,
        note: str,
        *,
        subject: Sequence[int] = (),
        elected: Sequence[int] = (),
        excluded: Sequence[int] = (),
    ) -> None:
        places = self.method.places
        standing = self.election.hopeful
        votes = {self.names[c]: from_units(self.votes[c], places) for c in standing}
        nt = self.total_units - sum(self.votes[c] for c in standing)
        if nt < 0:
            raise CountError(f"stage {len(self.stages) + 1}: candidates hold more than the total")
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                action=action,
                subject=tuple(self.names[c] for c in subject),
                votes=votes,
                non_transferable=from_units(nt, places),
                note=note,
                elected=tuple(self.names[c] for c in elected),
                excluded=tuple(self.names[c] for c in excluded),
                quota=from_units(self.quota, places),
            )
        )

    @property
    def total_units(self) -> int:
        return self.ballots.total * self.unit


def _fmt(units: int, places: int) -> str:
    return f"{from_units(units, places):.{places}f}"


def count_keep_factors(
    election: Election,
    options: CountOptions,
    method: Method,
    *,
    tie_order: Sequence[int] | None = None,
) -> CountResult:
    """Count by the keep-factor iteration; see the module docstring for the rule.

    ``tie_order`` (candidate indices, first = first to lose) breaks ties for defeat the way
    Droop's "ballot order" does; without it, ties are broken by lot with ``options.seed``.
    """
    places = method.places
    unit = 10**places
    omega = 10 ** (places - method.omega_places)
    n = len(election.candidates)
    seats = options.seats
    st = _Count(election, options, method, tie_order, names=election.candidates, unit=unit)
    st.lot = Lot(options.seed)
    # ``count`` checks this first; a direct call of this module is checked here.
    check_ballot_limit(method.name, len(election.hopeful), election.total_ballots)
    st.ballots = _Ballots(election, n, unit, method.warren)
    constraints = options.constraints

    # A: hopeful candidates keep everything (kf 1), withdrawn ones nothing (kf 0).
    st.hopeful = list(election.hopeful)
    st.kf = [0] * n
    for c in st.hopeful:
        st.kf[c] = unit

    dirty = [False]  # whether keep factors changed since the last distribution

    def distribute() -> None:
        dirty[0] = False
        st.votes = st.ballots.distribute(st.kf)
        # B.2.b: quota = votes / (seats + 1), truncated to 9 places, plus 10**-9
        st.quota = sum(st.votes) // (seats + 1) + (0 if method.droop_parametric else 1)

    def defeat(c: int) -> None:
        st.hopeful.remove(c)
        st.defeated.append(c)
        st.kf[c] = 0  # B.3: a defeated candidate's keep factor is set to 0
        dirty[0] = True

    def finish(elect: list[int], exclude: list[int]) -> None:
        # C: fill the seats left with every hopeful candidate, or defeat those left over
        if len(st.elected) < seats:
            for c in list(st.hopeful):
                st.hopeful.remove(c)
                st.elected.append(c)
                elect.append(c)
        for c in list(st.hopeful):
            defeat(c)
            exclude.append(c)

    def complete() -> bool:
        # B.1: all seats filled, or no more hopeful candidates than seats left
        return len(st.elected) >= seats or len(st.elected) + len(st.hopeful) <= seats

    distribute()
    st.stage("first", "first preferences")

    while st.hopeful:
        if complete():
            if dirty[0]:
                distribute()  # papers of candidates a constraint just excluded move first
            elect: list[int] = []
            exclude: list[int] = []
            finish(elect, exclude)
            st.stage(
                "iteration" if elect else "exclusion",
                "count complete: the remaining candidates take the seats left"
                if elect
                else "count complete: every seat is filled",
                subject=elect or exclude,
                elected=elect,
                excluded=exclude,
            )
            break
        if constraints:
            forced = constraints.forced_exclusions(st.elected, st.hopeful, seats - len(st.elected))
            if forced:
                for c, _ in forced:
                    defeat(c)
                reasons = "; ".join(f"{st.names[c]}: {why}" for c, why in forced)
                st.stage(
                    "constraint",
                    f"excluded to keep the constraints satisfiable ({reasons})",
                    subject=[c for c, _ in forced],
                    excluded=[c for c, _ in forced],
                )
                continue
        # B.2: iterate
        iterations = 0
        previous: int | None = None
        newly: list[int] = []
        surplus = 0
        reason = ""
        blocked: int | None = None
        batch: list[int] = []
        while True:
            if dirty[0]:
                distribute()
            iterations += 1
            # B.2.c: elect each hopeful candidate whose vote reaches the quota
            if method.droop_parametric:
                reached = [c for c in st.hopeful if st.votes[c] > st.quota]
            else:
                reached = [c for c in st.hopeful if st.votes[c] >= st.quota]
            for c in reached:
                if constraints and not constraints.electable(
                    c, st.elected, st.hopeful, seats - len(st.elected)
                ):
                    blocked = c
                    break
                st.hopeful.remove(c)
                st.elected.append(c)
                newly.append(c)
            if newly or blocked is not None:
                break
            # B.2.d: total surplus of the elected, not less than 0
            surplus = max(0, sum(st.votes[c] - st.quota for c in st.elected))
            # B.2.e: stop when the surplus is below omega, or no longer falls
            if surplus < omega:
                reason = f"surplus {_fmt(surplus, places)} < omega"
                break
            if method.droop_parametric:
                batch = _certain_losers(st, surplus, seats)
                if batch and constraints:
                    rest = [c for c in st.hopeful if c not in batch]
                    if not constraints.feasible(st.elected, rest, seats - len(st.elected)):
                        batch = []  # one at a time, passing over the protected
                if batch:
                    reason = "certain losers"
                    break
            if previous is not None and surplus >= previous:
                reason = f"stable surplus {_fmt(surplus, places)}"
                break
            previous = surplus
            # B.2.f: kf <- kf x quota (rounded up) / vote (rounded up)
            for c in st.elected:
                st.kf[c] = div_ceil(div_ceil(st.kf[c] * st.quota, unit) * unit, st.votes[c])
            dirty[0] = True
        plural = "s" if iterations != 1 else ""
        if newly or blocked is not None:
            if newly:
                elect = list(newly)
                exclude = []
                done = complete() and blocked is None
                if done:
                    finish(elect, exclude)
                st.stage(
                    "iteration",
                    f"{iterations} iteration{plural}; reached the quota"
                    + ("; count complete" if done else ""),
                    subject=newly,
                    elected=elect,
                    excluded=exclude,
                )
                if done:
                    break
            if blocked is not None:
                why = constraints.blocking(blocked, st.elected, st.hopeful, seats - len(st.elected))
                defeat(blocked)
                st.stage(
                    "constraint",
                    f"{st.names[blocked]} reached the quota but electing them would break: {why}",
                    subject=[blocked],
                    excluded=[blocked],
                )
            continue
        # B.3: defeat the hopeful candidate with the lowest vote; candidates within the
        # total surplus of the lowest are tied with it
        passed_over: list[int] = []
        if batch:
            losers = batch
        else:
            # The rule chooses first, so a count the constraints never bind on is exactly
            # the unconstrained count (same lots drawn).
            losers = [_lowest(st, st.hopeful, surplus)]
            seats_left = seats - len(st.elected)
            if constraints and not constraints.excludable(
                losers[0], st.elected, st.hopeful, seats_left
            ):
                # a candidate a constraint still needs is not defeated as the lowest: the
                # lowest of the others is (ConstraintSet.excludable)
                open_to_defeat = [
                    c
                    for c in st.hopeful
                    if constraints.excludable(c, st.elected, st.hopeful, seats_left)
                ]
                if open_to_defeat:
                    passed_over = [
                        c
                        for c in st.hopeful
                        if c not in open_to_defeat
                        and st.votes[c] < min(st.votes[d] for d in open_to_defeat)
                    ] or [losers[0]]
                    losers = [_lowest(st, open_to_defeat, surplus)]
        if passed_over:
            seats_left = seats - len(st.elected)
            reason += "; passed over: " + "; ".join(
                f"{st.names[c]} (needed for "
                f"{constraints.protecting(c, st.elected, st.hopeful, seats_left)})"
                for c in passed_over
            )
        for loser in losers:
            defeat(loser)
        elect = []
        exclude = list(losers)
        done = complete()
        if done:
            finish(elect, exclude)
        st.stage(
            "exclusion",
            f"{iterations} iteration{plural}; {reason}" + ("; count complete" if done else ""),
            subject=losers,
            elected=elect,
            excluded=exclude,
        )
        if done:
            break

    return CountResult(
        rule=options.rule,
        seats=seats,
        candidates=tuple(st.names[c] for c in election.hopeful),
        quota=from_units(st.quota, places),
        elected=tuple(st.names[c] for c in st.elected),
        stages=tuple(st.stages),
        places=places,
        title=election.title,
        seed=options.seed,
        tie_breaks=tuple(st.lot.log),
        notes=(
            method.description,
            f"omega 10^-{method.omega_places}; figures in units of 10^-{places}",
            "ties for defeat: "
            + ("by the given order" if tie_order is not None else "by lot (seed recorded)"),
        ),
        valid_votes=Decimal(st.ballots.total),
    )


def _lowest(st: _Count, candidates: list[int], surplus: int) -> int:
    """B.3: the lowest of ``candidates``; those within the total surplus of it are tied."""
    low = min(st.votes[c] for c in candidates)
    tied = [c for c in candidates if st.votes[c] == low or st.votes[c] < low + surplus]
    return _break_tie(st, tied) if len(tied) > 1 else tied[0]


def _certain_losers(st: _Count, surplus: int, seats: int) -> list[int]:
    """The largest set of lowest hopefuls who together, with all the surplus, stay below
    the next candidate up, leaving enough candidates to fill the seats (Droop's safe batch).
    """
    ranked = sorted(st.hopeful, key=lambda c: st.votes[c])
    spare = len(st.elected) + len(st.hopeful) - seats
    best = 0
    running = surplus
    for k in range(1, min(spare, len(ranked) - 1) + 1):
        running += st.votes[ranked[k - 1]]
        if running < st.votes[ranked[k]]:
            best = k
    return ranked[:best]


def _break_tie(st: _Count, tied: list[int]) -> int:
    if st.tie_order is not None:
        rank: Callable[[int], int] = {c: i for i, c in enumerate(st.tie_order)}.__getitem__
        pick = min(tied, key=rank)
        st.lot.log.append(
            "defeat: tie between "
            + ", ".join(st.names[c] for c in sorted(tied, key=rank))
            + f" broken by the given order: {st.names[pick]}"
        )
        return pick
    return st.lot.choose(tied, st.names, f"stage {len(st.stages) + 1} defeat")
