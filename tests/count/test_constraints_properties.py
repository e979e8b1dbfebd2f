"""Property tests of constrained counts, over every STV rule set (issue 3).

* Whenever a constrained count is feasible, its result meets every constraint (leaving out
  the known gap that the rules do not yet protect a needed candidate from exclusion as the
  lowest: pinned by an expected failure in test_constraints_rules.py).
* When the constraints never bind along the unconstrained count's path (everyone it elects
  is electable, everyone it excludes excludable, nobody is forced out), the constrained count
  is the unconstrained count, stage for stage.

The issue also asks that "when the unconstrained result already meets them, the constrained
count is identical to it". That cannot hold for the standard method (DOMAIN.md): a
minimum or maximum can bind part-way through and exclude candidates early, even though the
plain count would have ended meeting the constraint anyway. The strong form is kept below as
an expected failure with the counterexample Hypothesis finds; see docs/notes/constraints.md.
"""

from __future__ import annotations

import importlib.util

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from grassroots.count.ballots import Election
from grassroots.count.constraints import ConstraintSet
from grassroots.count.errors import ConstraintError
from grassroots.count.rules import RULES, count
from grassroots.count.stages import CountResult
from tests.strategies import constraint_sets, elections

STV_RULES = [
    pytest.param(
        rule,
        marks=pytest.mark.skipif(
            importlib.util.find_spec(RULES[rule][0]) is None,
            reason=f"rule module {RULES[rule][0]} is not there yet",
        ),
    )
    for rule in ("scottish", "ers97", "meek", "warren")
]
SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@st.composite
def constrained(draw: st.DrawFn) -> tuple[Election, ConstraintSet]:
    election = draw(elections(min_candidates=3, max_candidates=6, max_seats=3, max_ballots=20))
    return election, draw(constraint_sets(election))


def _meets(result: CountResult, cons: ConstraintSet) -> list[str]:
    index = {name: i for i, name in enumerate(result.candidates)}
    elected = [index[n] for n in result.elected]
    broken = []
    for con in cons.constraints:
        got = sum(1 for c in elected if c in cons.groups[con.group])
        if got < con.minimum or (con.maximum is not None and got > con.maximum):
            broken.append(f"{con.describe()}: got {got}")
    return broken


def _needed_candidate_excluded(result: CountResult, cons: ConstraintSet) -> str | None:
    """The ordinary exclusion, if any, that made the constraints impossible to meet.

    Every rule asks ``ConstraintSet.excludable`` before excluding the lowest, so this must
    never find one.
    """
    index = {name: i for i, name in enumerate(result.candidates)}
    elected: list[int] = []
    continuing = set(range(len(result.candidates)))
    for s in result.stages:
        before = cons.feasible(elected, continuing, result.seats - len(elected))
        for name in s.elected:
            elected.append(index[name])
            continuing.discard(index[name])
        for name in s.excluded:
            continuing.discard(index[name])
        after = cons.feasible(elected, continuing, result.seats - len(elected))
        if s.action == "exclusion" and before and not after:
            return f"stage {s.number} excluded {', '.join(s.excluded)} as the lowest"
    return None


def _binding_point(plain: CountResult, cons: ConstraintSet) -> str | None:
    """Where, along the plain count's own path, some constraint would have acted, if anywhere.

    Replays the plain count's decisions: every candidate it elects must be ``electable``, every
    candidate it excludes ``excludable``, and no candidate may be forced out after a stage.
    """
    index = {name: i for i, name in enumerate(plain.candidates)}
    elected: list[int] = []
    continuing = set(range(len(plain.candidates)))
    for s in plain.stages:
        for name in s.elected:
            c = index[name]
            if not cons.electable(c, elected, continuing, plain.seats - len(elected)):
                return f"stage {s.number}: electing {name}"
            elected.append(c)
            continuing.discard(c)
        for name in s.excluded:
            c = index[name]
            if not cons.excludable(c, elected, continuing, plain.seats - len(elected)):
                return f"stage {s.number}: excluding {name}"
            continuing.discard(c)
        if cons.forced_exclusions(elected, continuing, plain.seats - len(elected)):
            return f"after stage {s.number}: candidates forced out"
    return None


def _feasible_count(
    election: Election, rule: str, cons: ConstraintSet, seed: int = 5
) -> CountResult:
    try:
        return count(election, rule, seed=seed, constraints=cons)
    except ConstraintError:
        assume(False)
        raise AssertionError("unreachable") from None


@pytest.mark.parametrize("rule", STV_RULES)
@SETTINGS
@given(case=constrained())
def test_a_feasible_constrained_count_meets_every_constraint(
    rule: str, case: tuple[Election, ConstraintSet]
) -> None:
    election, cons = case
    result = _feasible_count(election, rule, cons)
    assert _needed_candidate_excluded(result, cons) is None
    assert len(result.elected) == election.seats
    assert _meets(result, cons) == []
    for s in result.stages:
        assert s.total == result.valid_votes


@pytest.mark.parametrize("rule", STV_RULES)
@SETTINGS
@given(case=constrained())
def test_a_count_the_constraints_never_bind_on_is_the_unconstrained_count(
    rule: str, case: tuple[Election, ConstraintSet]
) -> None:
    election, cons = case
    plain = count(election, rule, seed=5)
    assume(_binding_point(plain, cons) is None)
    result = _feasible_count(election, rule, cons)
    assert result.elected == plain.elected
    assert result.stages == plain.stages


@pytest.mark.parametrize("rule", STV_RULES)
@settings(max_examples=100, deadline=None, database=None, derandomize=True, phases=[Phase.generate])
@given(case=constrained())
@pytest.mark.xfail(
    reason="the standard method can exclude early even when the plain count would meet the "
    "constraints anyway (docs/notes/constraints.md)",
    strict=True,
    raises=AssertionError,
)
def test_strong_form_constrained_count_equals_plain_count_when_plain_meets_constraints(
    rule: str, case: tuple[Election, ConstraintSet]
) -> None:
    election, cons = case
    plain = count(election, rule, seed=5)
    assume(_meets(plain, cons) == [])
    result = _feasible_count(election, rule, cons)
    assert result.stages == plain.stages
