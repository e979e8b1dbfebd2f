"""Constraints on real elections: Glasgow 2007 (shared data), every STV rule.

The group is made up for the test: the two candidates with the fewest first preferences, with
"at least one seat" to them, which binds in every ward (neither would win unconstrained). The
constrained result must meet it and keep every stage's total, and the plain count must not
(else the test proves nothing). Data: ../shared/data/elections/scotland-2007-glasgow
(PROVENANCE.md there); skipped with a message when the shared data is absent.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal

import pytest

from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.formats import blt
from grassroots.count.rules import RULES, count
from grassroots.count.stages import CountResult
from tests.shared_data import SHARED_DATA, require_shared

GLASGOW = SHARED_DATA / "elections" / "scotland-2007-glasgow"
WARDS = sorted(p.name for p in GLASGOW.iterdir()) if GLASGOW.is_dir() else ["(absent)"]
WARDS = [w for w in WARDS if w != "PROVENANCE.md" and not w.endswith(".csv")]


def _first_preferences(result: CountResult) -> dict[str, Decimal]:
    return dict(result.stages[0].votes)


def _gap(result: CountResult, cons: ConstraintSet) -> str | None:
    index = {n: i for i, n in enumerate(result.candidates)}
    elected: list[int] = []
    continuing = set(range(len(result.candidates)))
    for s in result.stages:
        before = cons.feasible(elected, continuing, result.seats - len(elected))
        for n in s.elected:
            elected.append(index[n])
            continuing.discard(index[n])
        for n in s.excluded:
            continuing.discard(index[n])
        if (
            s.action == "exclusion"
            and before
            and not cons.feasible(elected, continuing, result.seats - len(elected))
        ):
            return f"stage {s.number} excluded {', '.join(s.excluded)} as the lowest"
    return None


@pytest.mark.shared
@pytest.mark.parametrize("rule", ["scottish", "ers97", "meek"])
@pytest.mark.parametrize("ward", WARDS)
def test_a_binding_minimum_is_met_in_a_real_ward(rule: str, ward: str) -> None:
    path = require_shared("elections", "scotland-2007-glasgow", ward, "ballots.blt")
    if importlib.util.find_spec(RULES[rule][0]) is None:
        pytest.skip(f"rule module {RULES[rule][0]} is not there yet")
    election = blt.read(path)
    plain = count(election, rule, seed=1)
    firsts = _first_preferences(plain)
    lowest = sorted(firsts, key=lambda n: (firsts[n], n))[:2]
    assert not set(lowest) & set(plain.elected), "the group must lose unconstrained"
    group = frozenset(election.candidates.index(n) for n in lowest)
    cons = ConstraintSet({"lowest": group}, (Constraint("lowest", 1),))
    result = count(election, rule, seed=1, constraints=cons)
    assert _gap(result, cons) is None, "a candidate the minimum needs was excluded as the lowest"
    assert len(set(lowest) & set(result.elected)) >= 1
    assert len(result.elected) == plain.seats
    assert any(s.action == "constraint" for s in result.stages)
    for s in result.stages:
        assert s.total == result.valid_votes
