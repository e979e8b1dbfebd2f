"""ERS97 STV: the Electoral Reform Society's "How to conduct an election by the Single
Transferable Vote", 3rd edition (1997), section 5 (the count) and section 6 (glossary).

Figures are held as integers in units of 0.01 (rule 5.1.6 and 5.3.7 work "to two decimal
places"). The quota is rounded up (5.1.6), transfer values rounded down (5.3.7); the
remainder lost in a surplus transfer is the "non-transferable difference" (6.11).

One ``Stage`` here is one stage of the count in the sense of 6.16: first preferences, the
transfer of one surplus, or the exclusion of one or more candidates together. An exclusion
moves its papers in batches of one value each (5.4.1-5.4.11); those batches are sub-stages:
they are listed in the stage's note, candidates may be deemed elected after any of them, and
the tie-breaking look-back of 5.2.3, 5.2.5 and 5.6.2 looks at the totals after every batch.

Papers are kept per batch as numpy arrays of packed rows, so a large election sorts quickly;
every figure (votes, quota, transfer value) stays a Python integer. See docs/notes/ers97.md
for the readings of the text this module makes and the comparison with OpenSTV 1.7.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from grassroots.count.arithmetic import div_ceil, div_floor, from_units
from grassroots.count.ballots import Election
from grassroots.count.errors import CountError
from grassroots.count.rules import CountOptions
from grassroots.count.stages import CountResult, Stage, stage_from_units
from grassroots.count.tiebreak import Lot, resolve_by_history

__all__ = ["count"]

PLACES = 2
ONE = 100  # the value of a paper at the first stage, in units of 0.01 (6.25: "unity")

Ints = npt.NDArray[np.int64]


@dataclass
class _Batch:
    """Papers of one value credited to a candidate in one transfer (6.1).

    Paper ``i`` is ``counts[i]`` identical ballots of packed row ``rows[i]``, now counting for
    the preference at index ``pos[i]`` of that row.
    """

    value: int
    rows: Ints
    pos: Ints
    counts: Ints

    @property
    def papers(self) -> int:
        return int(self.counts.sum())


def _concat(batches: list[_Batch], value: int) -> _Batch:
    if len(batches) == 1:
        return batches[0]
    return _Batch(
        value,
        np.concatenate([b.rows for b in batches]),
        np.concatenate([b.pos for b in batches]),
        np.concatenate([b.counts for b in batches]),
    )


def _fmt(units: int) -> str:
    return f"{from_units(units, PLACES):.2f}"


class _Ers97Count:
    """The state of one ERS97 count and the steps of section 5 that change it."""

    def __init__(self, election: Election, options: CountOptions) -> None:
        self.names = election.candidates
        self.standing = election.hopeful
        self.options = options
        self.constraints = options.constraints
        self.lot = Lot(options.seed)
        self.tie_notes: list[str] = []
        self.notes: list[str] = []
        self.protection_note = ""
        packed = election.packed
        self.prefs = packed.prefs.astype(np.int64)
        self.starts = packed.offsets[:-1].astype(np.int64)
        self.lengths = np.diff(packed.offsets).astype(np.int64)
        self.weights = packed.weights.astype(np.int64)
        n = len(self.names)
        self.continuing = [c in set(self.standing) for c in range(n)]
        # the same flags as an array, indexed by candidate (-1, "no preference left", is False)
        self.continuing_mask = np.zeros(n + 1, dtype=bool)
        self.continuing_mask[list(self.standing)] = True
        self.is_elected = [False] * n
        self.is_excluded = [False] * n
        self.votes = [0] * n
        self.held: list[list[_Batch]] = [[] for _ in range(n)]
        self.last_batch: list[_Batch | None] = [None] * n
        self.elected: list[int] = []
        self.pending: list[int] = []  # elected candidates whose surplus awaits transfer
        self.blocked: list[int] = []  # reached the quota but a constraint forbids electing them
        self.seats_left = options.seats
        self.non_transferable = 0
        self.history: list[dict[int, int]] = []
        self.stages: list[Stage] = []
        self.first_stage_elected: set[int] = set()
        # 5.1.1-5.1.2: papers whose first preference is missing or uncertain (an equal mark)
        # are invalid; packed ballots already cut a ranking at its first equal mark.
        invalid = 0
        if not election.is_packed_only:
            invalid = sum(w for r, w in election.effective_rankings() if len(r[0]) != 1)
        if invalid:
            self.notes.append(
                f"rule 5.1.2: {invalid} paper(s) with no unambiguous first preference set aside"
            )
        self.total = packed.total * ONE
        # 5.1.6: divide by one more than the places; if not exact, ignore the remainder, add 0.01
        self.quota = div_ceil(self.total, options.seats + 1)
        self.initial_quota = self.quota

    # ----------------------------------------------------------------- helpers
    def _set_continuing(self, c: int, flag: bool) -> None:
        self.continuing[c] = flag
        self.continuing_mask[c] = flag

    def _continuing(self) -> list[int]:
        return [c for c in self.standing if self.continuing[c]]

    def _snapshot(self) -> None:
        self.history.append({c: self.votes[c] for c in self.standing})

    def _current(self, rows: Ints, pos: Ints) -> Ints:
        """The candidate each paper's preference ``pos`` names, or -1 past its last one."""
        live = pos < self.lengths[rows]
        cand = np.full(rows.shape[0], -1, dtype=np.int64)
        cand[live] = self.prefs[self.starts[rows[live]] + pos[live]]
        return cand

    def _group(self, batch: _Batch, cand: Ints) -> dict[int, _Batch]:
        """Split papers by the candidate they now count for (-1 excluded), in ballot order."""
        out: dict[int, _Batch] = {}
        keep = cand >= 0
        if not keep.any():
            return out
        rows, pos, counts, cand = batch.rows[keep], batch.pos[keep], batch.counts[keep], cand[keep]
        order = np.argsort(cand, kind="stable")
        cand = cand[order]
        firsts = np.flatnonzero(np.r_[True, cand[1:] != cand[:-1]])
        ends = np.r_[firsts[1:], cand.shape[0]]
        for a, b in zip(firsts.tolist(), ends.tolist(), strict=True):
            take = order[a:b]
            out[int(cand[a])] = _Batch(batch.value, rows[take], pos[take], counts[take])
        return out

    def _sort(self, batch: _Batch) -> tuple[dict[int, _Batch], int]:
        """5.3.3 / 5.4.2: sort papers by next available preference for continuing candidates.

        Returns the papers for each continuing candidate and the number of non-transferable
        papers (6.12): those with no further preference for a continuing candidate.
        """
        rows = batch.rows
        pos = batch.pos + 1
        cand = self._current(rows, pos)
        skip = np.flatnonzero((cand >= 0) & ~self.continuing_mask[cand])
        while skip.shape[0]:
            pos[skip] += 1
            cand[skip] = self._current(rows[skip], pos[skip])
            sub = cand[skip]
            skip = skip[(sub >= 0) & ~self.continuing_mask[sub]]
        dead = int(batch.counts[cand < 0].sum())
        moved = _Batch(batch.value, rows, pos, batch.counts)
        return self._group(moved, cand), dead

    def _credit(self, groups: dict[int, _Batch], value: int) -> int:
        """Give each continuing candidate its sorted papers at ``value``; returns value moved."""
        moved = 0
        for c, sorted_batch in groups.items():
            batch = _Batch(value, sorted_batch.rows, sorted_batch.pos, sorted_batch.counts)
            self.held[c].append(batch)
            self.last_batch[c] = batch
            amount = value * batch.papers
            self.votes[c] += amount
            moved += amount
        return moved

    def _active_vote(self) -> int:
        # 5.6.1: total valid vote, less the quotas (or votes if less) of those deemed
        # elected and the non-transferable vote.
        kept = sum(min(self.votes[e], self.quota) for e in self.elected)
        return self.total - kept - self.non_transferable

    def _order_by_history(self, tied: list[int], *, lowest: bool) -> list[int]:
        """Tied candidates, most favoured first by the look-back of 5.2.3 / 5.2.5 / 5.6.2."""
        remaining = sorted(tied)
        ordered: list[int] = []
        while remaining:
            best = resolve_by_history(
                remaining, self.history, lowest=lowest, most_recent_first=False
            )
            ordered.extend(sorted(best))
            remaining = [c for c in remaining if c not in best]
        return ordered

    def _break_tie(self, tied: list[int], *, lowest: bool, purpose: str) -> int:
        """The candidate the rule picks among ``tied``: earliest differing votes, else lot."""
        best = resolve_by_history(
            sorted(tied), self.history, lowest=lowest, most_recent_first=False
        )
        listed = ", ".join(self.names[c] for c in sorted(tied))
        if len(best) == 1:
            self.tie_notes.append(
                f"{purpose}: tie between {listed} decided by the earliest point where their "
                f"votes differed: {self.names[best[0]]}"
            )
            return best[0]
        return self.lot.choose(best, self.names, purpose)

    # ----------------------------------------------------------- deem elected
    def _deem_elected(self, newly: list[int], notes: list[str]) -> None:
        """5.1.7 / 5.3.13 / 5.4.9: deem elected, in descending order of votes, any continuing
        candidate whose vote equals or exceeds (a) the quota or (b) the total active vote
        divided by one more than the places not yet filled (5.6.1), subject to 5.6.2."""
        while self.seats_left > 0:
            cont = [c for c in self._continuing() if c not in self.blocked]
            if not cont:
                return
            top = max(self.votes[c] for c in cont)
            places = self.seats_left
            # (b) compared exactly: vote >= active / (places + 1)
            if not (top >= self.quota or top * (places + 1) >= self._active_vote()):
                return
            tied = [c for c in cont if self.votes[c] == top]
            if len(tied) <= places:
                picks = self._order_by_history(tied, lowest=False)
            else:
                # 5.6.2: select by votes at the first stage or the earliest point where
                # they differed; if equal at every such point, none is deemed elected now.
                best = resolve_by_history(
                    sorted(tied), self.history, lowest=False, most_recent_first=False
                )
                if len(best) > places:
                    notes.append(
                        "rule 5.6.2: "
                        + ", ".join(self.names[c] for c in sorted(best))
                        + " have equal votes at every point and there are not places for all:"
                        " none is deemed elected at this stage"
                    )
                    return
                picks = sorted(best)
                if len(tied) > 1:
                    self.tie_notes.append(
                        "rule 5.6.2: "
                        + ", ".join(self.names[c] for c in picks)
                        + " deemed elected before "
                        + ", ".join(self.names[c] for c in sorted(set(tied) - set(best)))
                        + " by the earliest point where their votes differed"
                    )
            for c in picks:
                if self.constraints and not self.constraints.electable(
                    c, self.elected, self._continuing(), self.seats_left
                ):
                    self.blocked.append(c)
                    continue
                self._set_continuing(c, False)
                self.is_elected[c] = True
                self.elected.append(c)
                self.held[c] = []  # only the last batch can move again (5.3.1, 5.3.2)
                newly.append(c)
                self.seats_left -= 1
                if self.votes[c] > self.quota:
                    self.pending.append(c)

    # ----------------------------------------------------------- stage records
    def _record(
        self,
        action: str,
        subject: tuple[int, ...],
        newly: list[int],
        excluded: tuple[int, ...] = (),
        note: str = "",
    ) -> None:
        stage = stage_from_units(
            number=len(self.stages) + 1,
            action=action,
            names=self.names,
            standing=self.standing,
            votes=self.votes,
            non_transferable=self.non_transferable,
            places=PLACES,
            quota=from_units(self.quota, PLACES),
            subject=subject,
            elected=newly,
            excluded=excluded,
            note=note,
        )
        if sum(self.votes[c] for c in self.standing) + self.non_transferable != self.total:
            raise CountError(f"ERS97 stage {stage.number}: votes no longer add up to the total")
        self.stages.append(stage)

    # ------------------------------------------------------------------ stages
    def first_stage(self) -> None:
        """5.1: sort papers by first preference; quota; deem elected."""
        size = self.weights.shape[0]
        everyone = _Batch(
            ONE, np.arange(size, dtype=np.int64), np.zeros(size, dtype=np.int64), self.weights
        )
        for c, batch in self._group(everyone, self._current(everyone.rows, everyone.pos)).items():
            self.held[c].append(batch)
            self.last_batch[c] = batch
            self.votes[c] = ONE * batch.papers
        self._snapshot()
        newly: list[int] = []
        notes = [f"quota {_fmt(self.quota)} (rule 5.1.6)"]
        self._deem_elected(newly, notes)
        self.first_stage_elected = set(newly)
        self._record("first", (), newly, note="; ".join(notes))

    def transfer_surplus(self, c: int) -> None:
        """5.3: transfer a surplus from the last received batch (all papers at stage one)."""
        self.pending.remove(c)
        surplus = self.votes[c] - self.quota
        batch = self.last_batch[c]
        if batch is None:  # pragma: no cover - an elected candidate always holds papers
            raise CountError(f"{self.names[c]} has a surplus but no papers")
        groups, dead = self._sort(batch)
        transferable = sum(b.papers for b in groups.values())
        # 5.3.7: if the transferable papers are worth more than the surplus, each goes at
        # surplus / number of transferable papers, to two places, ignoring any remainder;
        # otherwise each goes at its present value.
        if transferable * batch.value > surplus:
            value = div_floor(surplus, transferable)
        else:
            value = batch.value
        moved = self._credit(groups, value)
        self.votes[c] = self.quota
        self.last_batch[c] = None
        # 5.3.9-5.3.10: the non-transferable difference (6.11), and the value of any of the
        # surplus not carried by transferable papers, join the non-transferable vote.
        self.non_transferable += surplus - moved
        self._snapshot()
        note = (
            f"surplus {_fmt(surplus)} from {batch.papers} paper(s) of value {_fmt(batch.value)} "
            f"(rule 5.3.{1 if c in self.first_stage_elected else 2}): "
            f"{transferable} transferable at {_fmt(value)}, {dead} non-transferable; "
            f"non-transferable difference {_fmt(surplus - moved)}"
        )
        newly: list[int] = []
        notes = [note]
        self._deem_elected(newly, notes)
        self._record("surplus", (c,), newly, note="; ".join(notes))

    def exclude(self, out: list[int], action: str, reason: str) -> None:
        """5.4: transfer the excluded candidates' papers batch by batch, highest value first."""
        for c in out:
            self._set_continuing(c, False)
            self.is_excluded[c] = True
            if c in self.blocked:
                self.blocked.remove(c)
        by_value: dict[int, list[tuple[int, _Batch]]] = {}
        for c in out:
            for batch in self.held[c]:
                by_value.setdefault(batch.value, []).append((c, batch))
            self.held[c] = []
            self.last_batch[c] = None
        newly: list[int] = []
        notes = [reason] if reason else []
        parts: list[str] = []
        values = sorted(by_value, reverse=True)
        for i, value in enumerate(values):
            if self.seats_left == 0:
                # 5.5.2: every place is filled: no further transfers of papers.
                parts.append(f"batches from {_fmt(value)} down left untransferred (rule 5.5.2)")
                break
            entries = by_value[value]
            for c, batch in entries:
                self.votes[c] -= value * batch.papers
            merged = _concat([batch for _, batch in entries], value)
            groups, dead = self._sort(merged)
            self._credit(groups, value)
            self.non_transferable += value * dead
            papers = merged.papers
            part = f"batch {i + 1} of {len(values)}: {papers} paper(s) at {_fmt(value)}"
            if dead:
                part += f", {dead} non-transferable"
            # 5.4.8: papers non-transferable before anyone is deemed elected reduce the quota.
            if not self.elected and self.non_transferable:
                quota = div_ceil(self.total - self.non_transferable, self.options.seats + 1)
                if quota != self.quota:
                    self.quota = quota
                    part += f"; quota recalculated to {_fmt(quota)} (rule 5.4.8)"
            self._snapshot()
            before = len(newly)
            self._deem_elected(newly, notes)
            if len(newly) > before:
                part += "; deemed elected: " + ", ".join(self.names[c] for c in newly[before:])
            parts.append(part)
        self._record(action, tuple(out), newly, tuple(out), note="; ".join(notes + parts))

    # ------------------------------------------------------------ decisions
    def _surplus_total(self) -> int:
        return sum(self.votes[c] - self.quota for c in self.pending)

    def _deferred(self, cont: list[int]) -> str:
        """5.2.2: the reason the surpluses may wait, or '' if the largest must go now."""
        total = self._surplus_total()
        v = sorted(self.votes[c] for c in cont)
        if len(v) >= 2 and total <= v[1] - v[0]:
            return "5.2.2(a)"
        for k in range(2, len(v) - self.seats_left + 1):
            if k < len(v) and v[k - 1] < v[k] and total <= v[k] - sum(v[:k]):
                return "5.2.2(b)"
        return ""

    def _protected(self, cont: list[int]) -> dict[int, str]:
        """Candidates a representation constraint still needs, so not to be excluded now."""
        if not self.constraints:
            return {}
        args = (self.elected, cont, self.seats_left)
        return {
            c: self.constraints.protecting(c, *args)
            for c in cont
            if not self.constraints.excludable(c, *args)
        }

    def _to_exclude(self, cont: list[int]) -> list[int]:
        """Whom to exclude now: the rule's own choice (5.2.5), unless a constraint needs one of
        them; then the lowest candidate no constraint needs is excluded alone instead.

        The rule chooses first, so a count on which the constraints never bind is exactly the
        unconstrained count (same lots drawn, same notes).
        """
        self.protection_note = ""
        chosen = self._rule_choice(cont)
        if not self.constraints:
            return chosen
        rest = [c for c in cont if c not in chosen]
        if self.constraints.feasible(self.elected, rest, self.seats_left):
            return chosen
        protected = self._protected(cont)
        others = [c for c in cont if c not in protected]
        if not others:
            return chosen  # every choice breaks a constraint: the rule's own choice stands
        kept = [c for c in chosen if c in protected]
        if kept:
            self.protection_note = "; ".join(
                f"{self.names[c]} is not excluded: {protected[c]} needs them" for c in kept
            )
        else:
            together = ", ".join(self.names[c] for c in chosen)
            needs = "; ".join(con.describe() for con in self.constraints.constraints)
            self.protection_note = f"{together} are not excluded together: {needs} needs one"
        low = min(self.votes[c] for c in others)
        tied = [c for c in others if self.votes[c] == low]
        if len(tied) == 1:
            return tied
        return [self._break_tie(tied, lowest=True, purpose="rule 5.2.5: candidate to exclude")]

    def _rule_choice(self, cont: list[int]) -> list[int]:
        """5.2.5: as many of the lowest together as leave enough candidates and whose votes,
        with any deferred surpluses, do not exceed the vote of the candidate next above."""
        deferred = self._surplus_total()
        ordered = sorted(cont, key=lambda c: self.votes[c])
        v = [self.votes[c] for c in ordered]
        best = 1
        for k in range(2, len(v) - self.seats_left + 1):
            # a group must not split candidates with equal votes (the rule names no order)
            if k < len(v) and v[k - 1] < v[k] and sum(v[:k]) + deferred <= v[k]:
                best = k
        if best > 1:
            return ordered[:best]
        tied = [c for c in cont if self.votes[c] == v[0]]
        if len(tied) == 1:
            return tied
        return [self._break_tie(tied, lowest=True, purpose="rule 5.2.5: candidate to exclude")]

    def _elect_remaining(
        self, cont: list[int], rule: str, passed_over: tuple[int, ...] = ()
    ) -> None:
        """Deem the remaining candidates elected without further transfers (4.3, 5.5.1); any
        candidates whose proposed exclusion led here are formally excluded (5.5.2)."""
        ordered = self._order_by_history(sorted(cont, key=lambda c: -self.votes[c]), lowest=False)
        ordered.sort(key=lambda c: -self.votes[c])
        for c in ordered:
            self._set_continuing(c, False)
            self.is_elected[c] = True
            self.elected.append(c)
            self.seats_left -= 1
        last = self.stages[-1]
        extra = f"{rule}: " + ", ".join(self.names[c] for c in ordered) + " deemed elected"
        if passed_over:
            extra += " and " + ", ".join(self.names[c] for c in passed_over)
            extra += " formally excluded without transfer (rule 5.5.2)"
        self.stages[-1] = replace(
            last,
            elected=last.elected + tuple(self.names[c] for c in ordered),
            excluded=last.excluded + tuple(self.names[c] for c in passed_over),
            note=f"{last.note}; {extra}" if last.note else extra,
        )

    def run(self) -> None:
        """5.2: surplus or exclusion, stage after stage, until every place is filled (5.5)."""
        self.first_stage()
        while self.seats_left > 0:
            cont = self._continuing()
            if not cont:
                break
            if len(cont) <= self.seats_left and not self.constraints:
                # 4.3: as many candidates left as places unfilled.
                self._elect_remaining(cont, "rule 4.3")
                break
            if self.constraints and self._constraint_stage():
                continue
            if len(cont) <= self.seats_left:
                self._elect_remaining(cont, "rule 4.3")
                break
            reason = self._deferred(cont) if self.pending else ""
            if self.pending and not reason:
                # 5.2.3: the largest surplus; ties by the greatest earlier vote, then lot.
                largest = max(self.votes[c] for c in self.pending)
                tied = [c for c in self.pending if self.votes[c] == largest]
                c = tied[0]
                if len(tied) > 1:
                    c = self._break_tie(tied, lowest=False, purpose="rule 5.2.3: surplus")
                self.transfer_surplus(c)
                continue
            out = self._to_exclude(cont)
            note = ""
            if self.pending:
                note = (
                    "surplus(es) of "
                    + ", ".join(self.names[c] for c in self.pending)
                    + f" ({_fmt(self._surplus_total())}) deferred (rule {reason})"
                )
            if self.protection_note:
                note = "; ".join(n for n in (note, self.protection_note) if n)
            rest = [c for c in cont if c not in out]
            if len(rest) == self.seats_left and self._all_electable(rest):
                # 5.5.1: the exclusion would leave as many candidates as places: elect them.
                self._elect_remaining(rest, "rule 5.5.1", tuple(out))
                break
            self.exclude(out, "exclusion", note)

    def _all_electable(self, rest: list[int]) -> bool:
        if not self.constraints:
            return True
        return self.constraints.feasible(self.elected, rest, self.seats_left)

    def _constraint_stage(self) -> bool:
        """Representation constraints: exclude blocked candidates, then forced exclusions."""
        if self.blocked:
            c = self.blocked[0]
            why = self.constraints.blocking(c, self.elected, self._continuing(), self.seats_left)
            self.exclude(
                [c], "constraint", f"{self.names[c]} would be elected now but is excluded: {why}"
            )
            return True
        forced = self.constraints.forced_exclusions(
            self.elected, self._continuing(), self.seats_left
        )
        if forced:
            why = "; ".join(sorted({w for _, w in forced}))
            self.exclude(
                [c for c, _ in forced], "constraint", f"excluded to keep the constraints: {why}"
            )
            return True
        return False

    def result(self, title: str) -> CountResult:
        """The count's record: every stage, the elected in order, tie-breaks and notes."""
        return CountResult(
            rule="ers97",
            seats=self.options.seats,
            candidates=tuple(self.names[c] for c in self.standing),
            quota=from_units(self.initial_quota, PLACES),
            elected=tuple(self.names[c] for c in self.elected),
            stages=tuple(self.stages),
            places=PLACES,
            seed=self.options.seed,
            tie_breaks=tuple(self.tie_notes + self.lot.log),
            notes=tuple(self.notes),
            valid_votes=Decimal(self.total).scaleb(-PLACES),
            title=title,
        )


def count(election: Election, options: CountOptions) -> CountResult:
    """Count ``election`` under the ERS97 rules (see the module docstring)."""
    state = _Ers97Count(election, options)
    state.run()
    return state.result(election.title)
