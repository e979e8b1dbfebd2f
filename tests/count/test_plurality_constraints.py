"""Representation constraints under the comparison rules and irv: always met when they can be.

Property tests (Hypothesis) over generated elections and constraint sets: ``fptp``, ``block``
and ``borda`` pass over the highest candidate a constraint rules out; ``irv`` (one seat)
excludes them in "constraint" stages. Either way every feasible constraint must hold, and
votes plus non-transferable must still equal the valid total at every stage.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from grassroots.count.ballots import Election
from grassroots.count.constraints import ConstraintSet
from grassroots.count.errors import ConstraintError
from grassroots.count.rules import count
from grassroots.count.stages import CountResult
from tests.strategies import constraint_sets, elections


def unmet(result: CountResult, election: Election, cons: ConstraintSet) -> list[str]:
    chosen = {election.candidates.index(name) for name in result.elected}
    out = []
    for con in cons.constraints:
        have = len(chosen & cons.groups[con.group])
        if have < con.minimum or (con.maximum is not None and have > con.maximum):
            out.append(f"{con.describe()}: {have} elected")
    return out


@pytest.mark.parametrize("rule", ["fptp", "block", "borda", "irv"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_feasible_constraint_is_always_met_and_the_totals_still_add_up(
    rule: str, data: st.DataObject
) -> None:
    election = data.draw(elections())
    if rule == "irv":
        election = election.with_seats(1)
    cons = data.draw(constraint_sets(election))
    try:
        result = count(election, rule, seed=1, constraints=cons)
    except ConstraintError:
        assume(False)
        raise AssertionError("unreachable") from None
    assert len(result.elected) == election.seats
    assert unmet(result, election, cons) == []
    for stage in result.stages:
        assert stage.total == result.valid_votes
