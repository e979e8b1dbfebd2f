"""Scottish STV, as the Scottish Local Government Elections Order 2007 prescribes.

Source: SSI 2007/42, Schedule 1, rules 45-52 (the counting rules, as amended), the rules used
for every Scottish council election since 2007. In short: a Droop quota (rule 46); a
candidate reaching it is elected (rule 47); a surplus moves *all* of the candidate's papers,
each at surplus x (its value when received) / the candidate's total, truncated to five
decimal places (rule 48, the weighted inclusive Gregory method); the largest surplus goes
first (rule 49); with no surplus left, the lowest candidate is excluded and all their papers
move at the value they had (rules 50-51); when the continuing candidates are as many as the
vacancies left, they are deemed elected and nothing more moves (rule 52). Since 2012 the
same rules, renumbered one higher, are in SSI 2011/399; the 2007 numbering is cited here.

Every figure is held as an integer number of units of 10**-5 (see ``arithmetic.py``), so the
count is exact: after each stage the candidates' votes plus the non-transferable votes (papers
with no further preference plus what truncation lost) equal the valid votes, to the unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from grassroots.count.arithmetic import from_units, unit
from grassroots.count.ballots import Election
from grassroots.count.errors import CountError
from grassroots.count.limits import check_ballot_limit
from grassroots.count.rules import CountOptions
from grassroots.count.stages import CountResult, Stage, stage_from_units
from grassroots.count.tiebreak import Lot, resolve_by_history
from grassroots.count.wigm import PaperPiles

__all__ = ["PLACES", "count"]

PLACES = 5  # rule 48(3): "the calculation being made to five decimal places"
UNIT = unit(PLACES)
_INT64_MAX = 2**63 - 1

IntArray = npt.NDArray[np.int64]
# After a stage: who reached the quota but a constraint blocks, and whom it forces out.
Outcome = tuple[list[tuple[int, str]], list[tuple[int, str]]]


def count(election: Election, options: CountOptions) -> CountResult:
    """Count ``election`` under the Scottish rules and return every stage."""
    return _Count(election, options).run()


def droop_quota(valid_papers: int, seats: int) -> int:
    """Rule 46: valid papers / (seats + 1), decimals ignored, plus one."""
    return valid_papers // (seats + 1) + 1


def transfer_values(surplus: int, total: int, values: IntArray) -> IntArray:
    """Rule 48(3): each paper's new value, surplus x its value / total, truncated (units).

    All three figures are in units of 10**-5; floor division of non-negative integers is
    exactly "the calculation being made to five decimal places (any remainder being ignored)".
    """
    if values.size and surplus * int(values.max()) > _INT64_MAX:
        # Beyond about 9 x 10**8 votes the product would overflow int64: use Python integers.
        return np.array([surplus * int(v) // total for v in values.tolist()], dtype=np.int64)
    return (surplus * values) // total


class _Count:
    """The state of one count as it proceeds stage by stage."""

    def __init__(self, election: Election, options: CountOptions) -> None:
        self.names = election.candidates
        self.seats = options.seats
        self.constraints = options.constraints
        self.lot = Lot(options.seed)
        self.tie_breaks: list[str] = []
        n = len(self.names)
        self.standing = election.hopeful
        packed = election.packed
        self.cut_at_equal = packed.cut_at_equal
        # rule 45(3): the total number of valid ballot papers.
        self.valid = packed.total
        # Piles sum weight x value in int64: refuse rather than let a total wrap round
        # (``count`` checks this first; a direct call of this module is checked here).
        check_ballot_limit("scottish", len(self.standing), self.valid)
        self.quota_votes = droop_quota(self.valid, self.seats)
        self.quota = self.quota_votes * UNIT
        self.continuing = np.zeros(n, dtype=np.bool_)
        self.continuing[list(self.standing)] = True
        self.votes = np.zeros(n, dtype=np.int64)
        self.piles = PaperPiles(packed, n, UNIT)
        self.elected: list[int] = []
        self.excluded: list[int] = []
        self.pending: list[int] = []  # elected with a surplus not yet transferred
        self.history: list[IntArray] = []
        self.stages: list[Stage] = []

    # ----------------------------------------------------------------- the count

    def run(self) -> CountResult:
        """Count from the first stage until every vacancy is filled."""
        # rule 45: sort the papers by first preference and credit one vote for each.
        self.votes += self.piles.first_preferences()
        blocked, forced = self._end_stage("first", (), (), "first preferences")
        while len(self.elected) < self.seats:
            if not self.continuing.any():
                # Fewer candidates than seats, all elected: a surplus has nobody to go to.
                break
            if blocked:
                candidate, reason = blocked[0]
                blocked, forced = self._exclude(
                    [candidate],
                    "constraint",
                    f"{self.names[candidate]} reached the quota but is excluded: electing "
                    f"them would break the constraint '{reason}'",
                )
            elif forced:
                blocked, forced = self._exclude(
                    [c for c, _ in forced],
                    "constraint",
                    "excluded so that the constraints can still be met: "
                    + "; ".join(f"{self.names[c]} ({why})" for c, why in forced),
                )
            elif self.pending:
                blocked, forced = self._transfer_surplus()
            else:
                blocked, forced = self._exclude_lowest()
        return self._result()

    def _transfer_surplus(self) -> Outcome:
        # rule 49(1): the largest surplus first; (2)-(3): ties by the most recent preceding
        # stage at which the candidates' votes were unequal (highest first), else by lot.
        surplus_of = {c: int(self.votes[c]) - self.quota for c in self.pending}
        largest = max(surplus_of.values())
        tied = [c for c in self.pending if surplus_of[c] == largest]
        candidate = self._break_tie(tied, lowest=False, purpose="largest surplus (rule 49)")
        self.pending.remove(candidate)
        total = int(self.votes[candidate])
        surplus = surplus_of[candidate]
        # rule 48(1)-(2): every paper the candidate received moves to its next available
        # preference; (3)-(4): at surplus x its value when received / total, truncated.
        rows = self.piles.take(candidate)
        new_values = transfer_values(surplus, total, self.piles.values[rows])
        self.votes += self.piles.move(rows, self.continuing, new_values)
        self.votes[candidate] = self.quota  # the candidate keeps exactly the quota
        first_value = surplus * UNIT // total
        note = (
            f"surplus of {self.names[candidate]}: {from_units(surplus, PLACES)} of "
            f"{from_units(total, PLACES)}; a first-preference paper now counts "
            f"{from_units(first_value, PLACES)} (rule 48(3), truncated to 5 places)"
        )
        return self._end_stage("surplus", (candidate,), (), note)

    def _exclude_lowest(self) -> Outcome:
        # rule 50(1): exclude the continuing candidate with the then lowest number of votes;
        # rule 51(2): ties by the most recent preceding stage at which they were unequal
        # (lowest excluded), else by lot.
        continuing = [int(c) for c in np.flatnonzero(self.continuing)]
        protected: list[str] = []
        candidate = self._lowest_of(continuing)
        seats_left = self.seats - len(self.elected)
        if self.constraints and not self.constraints.excludable(
            candidate, self.elected, continuing, seats_left
        ):
            # A constraint may protect the lowest (the only woman left when a seat must go to
            # a woman): the lowest candidate who can be excluded goes instead. The rule
            # chooses first, so where no constraint binds the count is the plain count.
            allowed = [
                c
                for c in continuing
                if self.constraints.excludable(c, self.elected, continuing, seats_left)
            ]
            if allowed:
                low_all = min(int(self.votes[c]) for c in continuing)
                protected = [
                    f"{self.names[c]} ("
                    + self.constraints.protecting(c, self.elected, continuing, seats_left)
                    + ")"
                    for c in continuing
                    if c not in allowed and int(self.votes[c]) <= low_all
                ]
                candidate = self._lowest_of(allowed)
        if protected:
            # The constraint changed who goes, so the stage is a constraint stage.
            note = (
                f"{self.names[candidate]} has the fewest votes of those who can be excluded; "
                f"kept in by a constraint: {', '.join(protected)}"
            )
            return self._exclude([candidate], "constraint", note)
        note = f"{self.names[candidate]} has the fewest votes"
        return self._exclude([candidate], "exclusion", note)

    def _lowest_of(self, candidates: Sequence[int]) -> int:
        """Rule 50(1)/51(2): the lowest of ``candidates``; ties by history, else by lot."""
        low = min(int(self.votes[c]) for c in candidates)
        tied = [c for c in candidates if self.votes[c] == low]
        return self._break_tie(tied, lowest=True, purpose="lowest to exclude (rule 51)")

    def _exclude(self, candidates: Sequence[int], action: str, note: str) -> Outcome:
        # rule 50(2)-(4): all their papers move to the next available preference, each at the
        # value it had when the excluded candidate received it.
        for c in candidates:
            self.continuing[c] = False
            self.excluded.append(c)
        rows = [self.piles.take(c) for c in candidates]
        all_rows = np.concatenate(rows) if len(rows) > 1 else rows[0]
        gained = self.piles.move(all_rows, self.continuing, None)
        for c in candidates:
            self.votes[c] = 0
        self.votes += gained
        return self._end_stage(action, tuple(candidates), tuple(candidates), note)

    # ------------------------------------------------------------- end of a stage

    def _end_stage(
        self, action: str, subject: tuple[int, ...], excluded: tuple[int, ...], note: str
    ) -> Outcome:
        """Elect who reached the quota, fill the last vacancies, record the stage.

        Returns the candidates a constraint stops from being elected and those it forces out.
        """
        newly: list[int] = []
        blocked: list[tuple[int, str]] = []
        forced: list[tuple[int, str]] = []
        if len(self.elected) < self.seats:
            # rule 47(1): a candidate whose votes equal or exceed the quota is elected.
            reached = [int(c) for c in np.flatnonzero(self.continuing & (self.votes >= self.quota))]
            for c in self._by_votes_descending(reached):
                seats_left = self.seats - len(self.elected)
                if seats_left <= 0:
                    break
                if self.constraints and not self.constraints.electable(
                    c, self.elected, self._continuing_list(), seats_left
                ):
                    why = self.constraints.blocking(
                        c, self.elected, self._continuing_list(), seats_left
                    )
                    blocked.append((c, why))
                    continue
                self._elect(c)
                newly.append(c)
                if self.votes[c] > self.quota:
                    self.pending.append(c)  # rule 48(1): only a vote exceeding the quota
            seats_left = self.seats - len(self.elected)
            if self.constraints and not blocked and seats_left > 0:
                forced = self.constraints.forced_exclusions(
                    self.elected, self._continuing_list(), seats_left
                )
            rest = self._continuing_list()
            if not blocked and not forced and seats_left > 0 and len(rest) <= seats_left:
                # rule 52(1): continuing candidates as many as the vacancies are elected;
                # 52(2): no further transfer is made.
                for c in self._by_votes_descending(rest):
                    self._elect(c)
                    newly.append(c)
        self._record(action, subject, excluded, note, newly)
        return blocked, forced

    def _elect(self, candidate: int) -> None:
        self.continuing[candidate] = False
        self.elected.append(candidate)

    def _continuing_list(self) -> list[int]:
        return [int(c) for c in np.flatnonzero(self.continuing)]

    def _by_votes_descending(self, candidates: Sequence[int]) -> list[int]:
        """Highest vote first; equal votes ordered as rule 49(2)-(3) orders equal surpluses."""
        groups: dict[int, list[int]] = {}
        for c in candidates:
            groups.setdefault(int(self.votes[c]), []).append(c)
        ordered: list[int] = []
        for value in sorted(groups, reverse=True):
            tied = groups[value]
            while tied:
                pick = self._break_tie(tied, lowest=False, purpose="order of election")
                ordered.append(pick)
                tied = [c for c in tied if c != pick]
        return ordered

    def _break_tie(self, tied: Sequence[int], *, lowest: bool, purpose: str) -> int:
        """Rules 49(2)-(3) and 51(2): look back to the most recent stage where they differed."""
        if len(tied) == 1:
            return tied[0]
        history = [{c: int(h[c]) for c in tied} for h in self.history]
        remaining = resolve_by_history(tied, history, lowest=lowest)
        stage = len(self.stages) + 1
        listed = ", ".join(self.names[c] for c in sorted(tied))
        if len(remaining) == 1:
            pick = remaining[0]
            differed = next(
                number
                for number in range(len(history), 0, -1)
                if len(set(history[number - 1].values())) > 1
            )
            self.tie_breaks.append(
                f"stage {stage}: {purpose}: {listed} tied; {self.names[pick]} decided by the "
                f"most recent earlier stage at which their votes differed (stage {differed})"
            )
            return pick
        pick = self.lot.choose(remaining, self.names, f"stage {stage}: {purpose}")
        self.tie_breaks.append(self.lot.log[-1])
        return pick

    def _record(
        self,
        action: str,
        subject: tuple[int, ...],
        excluded: tuple[int, ...],
        note: str,
        elected: list[int],
    ) -> None:
        total = int(self.votes.sum())
        if total > self.valid * UNIT or self.votes.min() < 0:
            raise CountError(
                f"stage {len(self.stages) + 1}: candidates hold {from_units(total, PLACES)} "
                f"votes, more than the {self.valid} valid papers"
            )
        self.history.append(self.votes.copy())
        self.stages.append(
            stage_from_units(
                number=len(self.stages) + 1,
                action=action,
                names=self.names,
                standing=self.standing,
                votes=self.votes.tolist(),
                non_transferable=self.valid * UNIT - total,
                places=PLACES,
                quota=Decimal(self.quota_votes),
                subject=subject,
                elected=elected,
                excluded=excluded,
                note=note,
            )
        )

    def _result(self) -> CountResult:
        notes = [
            f"quota {self.quota_votes} = {self.valid} valid papers / ({self.seats} + 1), "
            "decimals ignored, plus one (rule 46)"
        ]
        if self.cut_at_equal:
            notes.append(
                f"{self.cut_at_equal} paper(s) mark two or more candidates equal; each is "
                "non-transferable from that mark on"
            )
        if len(self.elected) < self.seats:
            notes.append(f"only {len(self.elected)} candidate(s) for {self.seats} seat(s)")
        return CountResult(
            rule="scottish",
            seats=self.seats,
            candidates=tuple(self.names[c] for c in self.standing),
            quota=Decimal(self.quota_votes),
            elected=tuple(self.names[c] for c in self.elected),
            stages=tuple(self.stages),
            places=PLACES,
            seed=self.lot.seed,
            tie_breaks=tuple(self.tie_breaks),
            notes=tuple(notes),
            valid_votes=Decimal(self.valid),
        )
