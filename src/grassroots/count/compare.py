"""Counting the same ballots under several rule sets, and where votes went during a count.

Members ask "what did the new system change?" (issue 3). ``compare`` counts one election
under each rule asked for, with the same seats, seed and constraints, and says who is elected
under each and who is elected under some rules but not all. With slates (``name,slate``) it
also gives seats per slate under each rule and the votes that moved between slates.

The stage records hold each candidate's total after every stage, not who gave what to whom,
so transfers are *derived*: in each stage after the first, the candidates whose totals fell
gave, and the candidates (and the non-transferable pile) whose totals rose received. When one
candidate gave (one surplus, one exclusion: the usual STV stage) that is exact. When several
gave at once (a bulk exclusion, a Meek round where several surpluses move together) the
records cannot tell whose papers went where, and each receipt is shared among the givers in
proportion to what each lost: an attribution, marked ``apportioned``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from grassroots.count.ballots import Election
from grassroots.count.constraints import ConstraintSet
from grassroots.count.errors import InputError
from grassroots.count.rules import count
from grassroots.count.stages import CountResult
from grassroots.count.tiebreak import new_seed

__all__ = [
    "NON_TRANSFERABLE",
    "NO_SLATE",
    "Comparison",
    "Flow",
    "compare",
    "flow_totals",
    "slate_seats",
    "stage_flows",
]

NON_TRANSFERABLE = "non-transferable"
NO_SLATE = "(no slate)"


@dataclass(frozen=True)
class Flow:
    """Votes that moved from ``source`` to ``target`` at stage ``stage`` (derived, see above)."""

    stage: int
    source: str
    target: str
    votes: Fraction
    apportioned: bool = False

    def rounded(self, places: int) -> Decimal:
        """The amount to ``places`` decimals, for display (exact when not apportioned)."""
        exact = Decimal(self.votes.numerator) / Decimal(self.votes.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def _as_fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def stage_flows(result: CountResult) -> list[Flow]:
    """Transfers between candidates (and to the non-transferable pile), stage by stage."""
    flows: list[Flow] = []
    for before, after in zip(result.stages, result.stages[1:], strict=False):
        givers: dict[str, Fraction] = {}
        takers: dict[str, Fraction] = {}
        names = list(dict.fromkeys([*before.votes, *after.votes]))
        changes = {
            n: _as_fraction(after.votes.get(n, Decimal(0)) - before.votes.get(n, Decimal(0)))
            for n in names
        }
        changes[NON_TRANSFERABLE] = _as_fraction(after.non_transferable - before.non_transferable)
        for name, change in changes.items():
            if change < 0:
                givers[name] = -change
            elif change > 0:
                takers[name] = change
        lost = sum(givers.values(), Fraction(0))
        if not lost:
            continue
        several = len(givers) > 1
        for source, gave in givers.items():
            for target, took in takers.items():
                flows.append(
                    Flow(after.number, source, target, took * gave / lost, apportioned=several)
                )
    return flows


def flow_totals(
    flows: Iterable[Flow], slates: Mapping[str, str] | None = None
) -> dict[tuple[str, str], Fraction]:
    """Sum flows over the whole count, by candidate or (with ``slates``) by slate.

    Candidates on no slate count as ``NO_SLATE``; the non-transferable pile keeps its name.
    """

    def side(name: str) -> str:
        if slates is None or name == NON_TRANSFERABLE:
            return name
        return slates.get(name, NO_SLATE)

    totals: dict[tuple[str, str], Fraction] = {}
    for flow in flows:
        key = (side(flow.source), side(flow.target))
        totals[key] = totals.get(key, Fraction(0)) + flow.votes
    return totals


def slate_seats(result: CountResult, slates: Mapping[str, str]) -> dict[str, int]:
    """Seats won by each slate (every slate listed, with 0 where it won none)."""
    names = list(dict.fromkeys(slates.values()))
    if any(c not in slates for c in result.candidates):
        names.append(NO_SLATE)
    seats = dict.fromkeys(names, 0)
    for name in result.elected:
        seats[slates.get(name, NO_SLATE)] += 1
    return seats


@dataclass(frozen=True)
class Comparison:
    """One election counted under several rules: the results, side by side."""

    candidates: tuple[str, ...]
    seats: int
    seed: int
    results: Mapping[str, CountResult]
    slates: Mapping[str, str] = field(default_factory=dict)
    constrained: bool = False

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules compared, in the order asked for."""
        return tuple(self.results)

    def elected_under(self, rule: str) -> tuple[str, ...]:
        """Who was elected under ``rule``, in order of election."""
        return self.results[rule].elected

    @property
    def elected_by_all(self) -> tuple[str, ...]:
        """Candidates elected under every rule, in ballot order."""
        return tuple(
            c for c in self.candidates if all(c in r.elected for r in self.results.values())
        )

    @property
    def differs(self) -> tuple[str, ...]:
        """Candidates elected under some rules but not all, in ballot order."""
        return tuple(
            c
            for c in self.candidates
            if any(c in r.elected for r in self.results.values())
            and not all(c in r.elected for r in self.results.values())
        )

    def slate_seats(self) -> dict[str, dict[str, int]]:
        """rule -> slate -> seats; empty when no slates were given."""
        if not self.slates:
            return {}
        return {rule: slate_seats(r, self.slates) for rule, r in self.results.items()}

    def slate_flows(self, rule: str) -> dict[tuple[str, str], Fraction]:
        """Votes that moved between slates over the whole count under ``rule``."""
        return flow_totals(stage_flows(self.results[rule]), self.slates or None)

    def slate_flows_by_stage(self, rule: str) -> dict[tuple[int, str, str], Fraction]:
        """Votes that moved between slates at each stage under ``rule``: (stage, from, to)."""
        totals: dict[tuple[int, str, str], Fraction] = {}
        for flow in stage_flows(self.results[rule]):
            for (src, dst), amount in flow_totals([flow], self.slates or None).items():
                key = (flow.stage, src, dst)
                totals[key] = totals.get(key, Fraction(0)) + amount
        return totals

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready comparison: who is elected under each rule, who differs, slates."""
        out: dict[str, Any] = {
            "seats": self.seats,
            "seed": self.seed,
            "constrained": self.constrained,
            "rules": list(self.rules),
            "candidates": list(self.candidates),
            "elected": {rule: list(r.elected) for rule, r in self.results.items()},
            "elected_by_all": list(self.elected_by_all),
            "differs": list(self.differs),
            "by_candidate": {
                c: {
                    rule: (r.elected.index(c) + 1 if c in r.elected else None)
                    for rule, r in self.results.items()
                }
                for c in self.candidates
            },
        }
        if self.slates:
            out["slates"] = dict(self.slates)
            out["slate_seats"] = self.slate_seats()
            out["slate_flows"] = {
                rule: [
                    {
                        "from": src,
                        "to": dst,
                        "votes": str(Flow(0, src, dst, amount).rounded(self.results[rule].places)),
                    }
                    for (src, dst), amount in self.slate_flows(rule).items()
                ]
                for rule in self.rules
            }
            out["slate_flows_by_stage"] = {
                rule: [
                    {
                        "stage": stage,
                        "from": src,
                        "to": dst,
                        "votes": str(
                            Flow(stage, src, dst, amount).rounded(self.results[rule].places)
                        ),
                    }
                    for (stage, src, dst), amount in self.slate_flows_by_stage(rule).items()
                ]
                for rule in self.rules
            }
        return out


def compare(
    election: Election,
    rules: Sequence[str],
    *,
    seats: int | None = None,
    seed: int | None = None,
    constraints: ConstraintSet | None = None,
    slates: Mapping[str, str] | None = None,
) -> Comparison:
    """Count ``election`` under each of ``rules`` with the same seats, seed and constraints."""
    if not rules:
        raise InputError("name at least one rule set to compare")
    if len(set(rules)) != len(rules):
        raise InputError(f"a rule set is named twice in {', '.join(rules)}")
    slates = dict(slates or {})
    unknown = [name for name in slates if name not in election.candidates]
    if unknown:
        raise InputError(
            f"the slates name {', '.join(repr(n) for n in unknown)}, "
            "not candidates in this election"
        )
    chosen_seed = new_seed() if seed is None else seed
    results = {
        rule: count(election, rule, seats=seats, seed=chosen_seed, constraints=constraints)
        for rule in rules
    }
    first = next(iter(results.values()))
    return Comparison(
        candidates=tuple(election.candidates[i] for i in election.hopeful),
        seats=first.seats,
        seed=chosen_seed,
        results=results,
        slates=slates,
        constrained=bool(constraints),
    )
