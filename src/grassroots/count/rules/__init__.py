"""The rule sets, by the names users type, and the one entry point that counts.

Each rule lives in its own module exposing ``count(election, options) -> CountResult``;
modules are imported on first use so that naming one rule never loads the others.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from grassroots.count.ballots import Election
from grassroots.count.constraints import ConstraintSet
from grassroots.count.errors import InputError, UnknownRuleError
from grassroots.count.limits import check_ballot_limit
from grassroots.count.stages import CountResult
from grassroots.count.tiebreak import new_seed

__all__ = ["RULES", "CountOptions", "count", "rule_names"]

# name -> (module, one-line description)
RULES: dict[str, tuple[str, str]] = {
    "scottish": ("grassroots.count.rules.scottish", "Scottish STV (SSI 2007/42 rules 45-52)"),
    "ers97": ("grassroots.count.rules.ers97", "ERS97 STV (Electoral Reform Society, 1997)"),
    "meek": ("grassroots.count.rules.meek", "Meek STV (9-decimal fixed point)"),
    "warren": ("grassroots.count.rules.warren", "Warren STV"),
    "irv": ("grassroots.count.rules.irv", "Instant-runoff / alternative vote (one seat)"),
    "fptp": ("grassroots.count.rules.plurality", "First past the post (first preferences)"),
    "block": ("grassroots.count.rules.plurality", "Block vote (top N preferences count 1 each)"),
    "borda": ("grassroots.count.rules.borda", "Borda count"),
}


@dataclass(frozen=True)
class CountOptions:
    """What a rule needs besides the ballots: seats, the seed for lots, constraints."""

    rule: str
    seats: int
    seed: int
    constraints: ConstraintSet = field(default_factory=ConstraintSet.none)


def rule_names() -> list[str]:
    """The rule names users may type."""
    return list(RULES)


def _rule_function(rule: str) -> Callable[[Election, CountOptions], CountResult]:
    try:
        module_name, _ = RULES[rule]
    except KeyError:
        raise UnknownRuleError(
            f"unknown rule {rule!r}; choose one of: {', '.join(RULES)}"
        ) from None
    module = importlib.import_module(module_name)
    fn: Callable[[Election, CountOptions], CountResult] = module.count
    return fn


def count(
    election: Election,
    rule: str = "scottish",
    *,
    seats: int | None = None,
    seed: int | None = None,
    constraints: ConstraintSet | None = None,
) -> CountResult:
    """Count ``election`` under ``rule``; seats default to the election's own."""
    fn = _rule_function(rule)
    chosen_seats = election.seats if seats is None else seats
    if chosen_seats < 1:
        hint = (
            " (the ballot file gives none: pass the number of seats)" if election.seats < 1 else ""
        )
        raise InputError(f"an election needs at least one seat to fill, found {chosen_seats}{hint}")
    if not election.hopeful:
        raise InputError("no candidate is standing: every candidate has withdrawn")
    # Beyond what the rule's 64-bit arithmetic holds exactly, refuse before counting.
    check_ballot_limit(rule, len(election.hopeful), election.total_ballots, election.source)
    constraints = constraints or ConstraintSet.none()
    if constraints:
        constraints.check(election.hopeful, chosen_seats, election.candidates)
    options = CountOptions(
        rule=rule,
        seats=chosen_seats,
        seed=new_seed() if seed is None else seed,
        constraints=constraints,
    )
    result = fn(election, options)
    if not result.title and election.title:
        result = replace(result, title=election.title)
    if election.irregularities and not result.irregularities:
        result = replace(result, irregularities=election.irregularities)
    return result
