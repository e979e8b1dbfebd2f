"""Meek STV worked by hand: keep factors, the falling quota, equal rankings, ties, constraints.

Figures follow the PRF reference rule (9-decimal fixed point, kf rounded up, omega 10**-6);
the clause of the rule each test leans on is named in its docstring.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from grassroots.count.ballots import Election, election_from_rankings
from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.errors import ConstraintError
from grassroots.count.rules import CountOptions, count, meek
from tests.strategies import elections

D = Decimal


def by_hand() -> Election:
    """6 x A>B, 2 x A, 1 x B, 3 x C; two seats."""
    return election_from_rankings(
        ["A", "B", "C"],
        2,
        [["A", "B"]] * 6 + [["A"]] * 2 + [["B"]] + [["C"]] * 3,
    )


def test_keep_factor_converges_as_worked_by_hand_on_three_candidates() -> None:
    """Worked by hand (PRF rule clauses B.2.a-f).

    Stage 1, first preferences: A 8, B 1, C 3 of 12; quota 12/3 = 4 plus 10**-9 = 4.000000001.
    Stage 2 (round 1, iteration 1): A has 8 >= quota and is elected (B.2.c).
    Round 2, iteration 1: nothing changed, surplus 8 - 4.000000001 = 3.999999999 >= omega, so
    (B.2.f) kf(A) = 1 x 4.000000001 / 8 = 0.500000000125, rounded up: 0.500000001.
    Iteration 2 (B.2.a): each A>B paper leaves 0.500000001 with A and 0.499999999 for B; each
    A-only paper leaves 0.500000001 with A and exhausts 0.499999999. A = 8 x 0.500000001 =
    4.000000008; B = 1 + 6 x 0.499999999 = 3.999999994; C = 3; exhausted 2 x 0.499999999 =
    0.999999998. The quota falls with the exhausted votes (B.2.b): 11.000000002 / 3 =
    3.666666667333..., truncated 3.666666667, plus 10**-9 = 3.666666668. B now reaches it and
    is elected; both seats are filled, so C is defeated in the same stage (C).
    """
    result = count(by_hand(), "meek", seed=1)
    assert result.elected == ("A", "B")
    first, round1, round2 = result.stages
    assert first.action == "first"
    assert first.votes == {"A": D(8), "B": D(1), "C": D(3)}
    assert first.quota == D("4.000000001")
    assert round1.action == "iteration" and round1.elected == ("A",)
    assert "1 iteration" in round1.note
    assert round2.action == "iteration"
    assert round2.elected == ("B",) and round2.excluded == ("C",)
    assert "2 iterations" in round2.note
    assert round2.votes == {"A": D("4.000000008"), "B": D("3.999999994"), "C": D(3)}
    assert round2.non_transferable == D("0.999999998")
    assert round2.quota == D("3.666666668")


def test_equally_ranked_candidates_split_the_vote_that_reaches_them() -> None:
    """5 x A>B, 1 x B=C, 3 x C: the B=C paper gives B and C half a vote each."""
    election = election_from_rankings(
        ["A", "B", "C"], 2, [["A", "B"]] * 5 + [[("B", "C")]] + [["C"]] * 3
    )
    result = count(election, "meek", seed=1)
    assert result.stages[0].votes == {"A": D(5), "B": D("0.5"), "C": D("3.5")}
    assert result.elected == ("A", "C")


def test_an_equal_rank_passes_on_what_its_elected_members_do_not_keep() -> None:
    """A=B on every paper, A elected with kf < 1: B keeps all of its half and A's excess."""
    election = election_from_rankings(
        ["A", "B", "C", "D"],
        2,
        [[("A", "B")]] * 4 + [["A"]] * 4 + [["C"]] * 2 + [["D"]] * 1,
    )
    result = count(election, "meek", seed=1)
    assert result.stages[0].votes == {"A": D(6), "B": D(2), "C": D(2), "D": D(1)}
    for stage in result.stages:
        assert stage.total == D(11)


def test_an_elected_candidates_vote_ends_within_omega_of_the_quota() -> None:
    """After an iteration that ends for a small surplus, every elected vote sits at the quota."""
    election = election_from_rankings(
        ["A", "B", "C", "D"],
        2,
        [["A", "B", "C"]] * 9 + [["A", "C"]] * 3 + [["B"]] * 2 + [["C"]] * 4 + [["D", "B"]] * 3,
    )
    result = count(election, "meek", seed=1)
    for stage in result.stages[2:]:
        if "< omega" in stage.note:
            assert stage.quota is not None
            surplus = sum(
                stage.votes[c] - stage.quota
                for c in result.elected
                if stage.votes[c] >= stage.quota
            )
            assert D(0) <= surplus < D("0.000001")


def test_a_tie_for_defeat_is_drawn_by_lot_and_recorded_with_the_seed() -> None:
    """A 2, B 2, C 1, D 1 for one seat: C and D tie for defeat, later A and B do (B.3)."""
    election = election_from_rankings(
        ["A", "B", "C", "D"], 1, [["A"]] * 2 + [["B"]] * 2 + [["C"]] + [["D"]]
    )
    first = count(election, "meek", seed=7)
    again = count(election, "meek", seed=7)
    assert first.to_dict() == again.to_dict()
    assert len(first.tie_breaks) == 2
    assert all("seed 7" in line for line in first.tie_breaks)
    assert "C, D" in first.tie_breaks[0] and "A, B" in first.tie_breaks[1]


def test_a_given_tie_order_defeats_the_first_tied_candidate_in_it() -> None:
    election = election_from_rankings(
        ["A", "B", "C", "D"], 1, [["A"]] * 2 + [["B"]] * 2 + [["C"]] + [["D"]]
    )
    options = CountOptions("meek", 1, seed=0)
    result = meek.count(election, options, tie_order=[3, 2, 1, 0])
    assert result.stages[1].excluded == ("D",)
    assert result.elected == ("A",)
    assert "broken by the given order" in result.tie_breaks[0]


def test_a_packed_only_election_counts_exactly_as_the_same_ballots_held_as_rankings() -> None:
    election = by_hand()
    packed = Election.from_packed(election.candidates, election.seats, election.packed)
    assert count(packed, "meek", seed=1).to_dict() == count(election, "meek", seed=1).to_dict()


def test_withdrawn_candidates_are_skipped_and_not_shown() -> None:
    election = by_hand()
    withdrawn = Election(
        election.candidates,
        election.seats,
        election.rankings,
        election.weights,
        withdrawn=frozenset({0}),
    )
    result = count(withdrawn, "meek", seed=1)
    assert "A" not in result.stages[0].votes
    assert result.stages[0].votes == {"B": D(7), "C": D(3)}
    assert set(result.elected) == {"B", "C"}


GROUPS = {"a": frozenset({0, 1}), "b": frozenset({2})}


def constrained() -> Election:
    """A1 5, A2 4, B1 2 first preferences; two seats."""
    return election_from_rankings(
        ["A1", "A2", "B1"], 2, [["A1", "A2"]] * 5 + [["A2"]] * 4 + [["B1"]] * 2
    )


@pytest.mark.parametrize("rule", ["meek", "warren"])
def test_a_candidate_at_quota_who_would_break_a_maximum_is_excluded_in_a_constraint_stage(
    rule: str,
) -> None:
    constraints = ConstraintSet(GROUPS, (Constraint("a", maximum=1),))
    result = count(constrained(), rule, seed=1, constraints=constraints)
    assert result.elected == ("A1", "B1")
    stage = next(s for s in result.stages if s.action == "constraint")
    assert stage.excluded == ("A2",)
    assert "at most 1 of the seats to a" in stage.note


@pytest.mark.parametrize("rule", ["meek", "warren"])
def test_candidates_who_would_make_a_minimum_impossible_are_excluded_together(rule: str) -> None:
    constraints = ConstraintSet(GROUPS, (Constraint("b", minimum=1),))
    election = election_from_rankings(
        ["A1", "A2", "B1"], 2, [["A1"]] * 6 + [["A2"]] * 4 + [["B1"]] * 1
    )
    result = count(election, rule, seed=1, constraints=constraints)
    assert set(result.elected) == {"A1", "B1"}
    assert any(s.action == "constraint" and s.excluded == ("A2",) for s in result.stages)
    for stage in result.stages:
        assert stage.total == D(11)


def test_without_constraints_the_count_has_no_constraint_stage() -> None:
    result = count(constrained(), "meek", seed=1)
    assert result.elected == ("A1", "A2")
    assert all(s.action != "constraint" for s in result.stages)


@settings(max_examples=60, deadline=None)
@given(elections(max_candidates=6, max_ballots=20))
def test_votes_and_non_transferable_add_up_and_the_seats_are_filled(election: Election) -> None:
    result = count(election, "meek", seed=3)
    for stage in result.stages:
        assert stage.total == D(sum(election.weights))
        assert all(v >= 0 for v in stage.votes.values())
    assert len(result.elected) == min(election.seats, len(election.hopeful))


@pytest.mark.parametrize("seats", [1, 2, 3])
def test_stage_numbers_run_from_one_and_each_names_its_iterations(seats: int) -> None:
    result = count(by_hand().with_seats(seats), "meek", seed=2)
    assert [s.number for s in result.stages] == list(range(1, len(result.stages) + 1))
    for stage in result.stages[1:]:
        assert stage.action in {"iteration", "exclusion", "constraint"}
        assert "iteration" in stage.note or "complete" in stage.note


@settings(max_examples=60, deadline=None)
@given(elections(min_candidates=3, max_candidates=6, max_ballots=15), st.data())
def test_a_satisfiable_constraint_is_always_met_by_the_elected(
    election: Election, data: st.DataObject
) -> None:
    n = len(election.candidates)
    members = data.draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n - 1))
    minimum = data.draw(st.integers(0, min(len(members), election.seats)))
    maximum = data.draw(st.integers(minimum, election.seats))
    constraints = ConstraintSet({"g": frozenset(members)}, (Constraint("g", minimum, maximum),))
    rule = data.draw(st.sampled_from(["meek", "warren"]))
    try:
        result = count(election, rule, seed=4, constraints=constraints)
    except ConstraintError:
        assume(False)
        return
    chosen = sum(1 for name in result.elected if election.candidates.index(name) in members)
    assert minimum <= chosen <= maximum
    assert len(result.elected) == min(election.seats, n)
    for stage in result.stages:
        assert stage.total == D(sum(election.weights))


@pytest.mark.shared
def test_meath_2002_fills_its_five_seats_with_every_stage_adding_up() -> None:
    """64,081 ballots, 14 candidates, 5 seats (speed is measured in bench/, not here)."""
    from grassroots.count.formats import blt
    from tests.shared_data import require_shared

    path = require_shared("elections", "ireland-2002-evoting", "meath-2002", "ballots.blt")
    election = blt.read(path)
    result = count(election, "meek", seed=1)
    assert len(result.elected) == 5
    assert all(stage.total == result.valid_votes for stage in result.stages)
