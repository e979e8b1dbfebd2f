"""Instant runoff (``irv``): hand-worked counts, ties, equal ranks, constraints, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings

from grassroots.count.ballots import Election, election_from_rankings
from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.errors import InputError
from grassroots.count.packed import PackedBallots
from grassroots.count.rules import count
from tests.strategies import elections


def votes(stage_votes: object) -> dict[str, int]:
    assert isinstance(stage_votes, dict)
    return {k: int(v) for k, v in stage_votes.items()}


def test_irv_elects_a_first_round_majority_without_exclusions() -> None:
    e = election_from_rankings("ABC", 1, [["A"]] * 3 + [["B", "A"]] + [["C"]])
    result = count(e, "irv", seed=0)
    assert result.elected == ("A",)
    assert [s.action for s in result.stages] == ["first"]
    assert result.stages[0].elected == ("A",)
    assert result.stages[0].quota == Decimal(3)


def test_irv_excludes_the_lowest_and_transfers_until_a_majority_of_continuing_votes() -> None:
    # A 4, B 3, C 2, D 1. D's paper goes to C (C 3) ... worked by hand below.
    e = election_from_rankings(
        "ABCD",
        1,
        [["A"]] * 4 + [["B", "C"]] * 3 + [["C", "B"]] * 2 + [["D", "C", "B"]],
    )
    result = count(e, "irv", seed=0)
    assert [s.action for s in result.stages] == ["first", "exclusion", "exclusion"]
    assert votes(result.stages[0].votes) == {"A": 4, "B": 3, "C": 2, "D": 1}
    # Stage 2: D excluded, their paper to C.
    assert result.stages[1].excluded == ("D",)
    assert votes(result.stages[1].votes) == {"A": 4, "B": 3, "C": 3, "D": 0}
    # Stage 3: B and C tie on 3; at stage 1 C had fewer (2 < 3), so C goes; 3 papers to B.
    assert result.stages[2].excluded == ("C",)
    assert votes(result.stages[2].votes) == {"A": 4, "B": 6, "C": 0, "D": 0}
    assert result.elected == ("B",)
    assert result.tie_breaks == ()


def test_irv_majority_is_of_continuing_votes_once_papers_exhaust() -> None:
    # After C goes, C's two papers exhaust: 4 of 7 continuing is a majority, though not of 9.
    e = election_from_rankings("ABC", 1, [["A"]] * 4 + [["B"]] * 3 + [["C"]] * 2)
    result = count(e, "irv", seed=0)
    last = result.stages[-1]
    assert result.elected == ("A",)
    assert last.non_transferable == Decimal(2)
    assert last.quota == Decimal(4)
    assert sum(last.votes.values()) + last.non_transferable == result.valid_votes == 9


def test_irv_breaks_a_tie_no_earlier_round_separates_by_a_recorded_lot() -> None:
    e = election_from_rankings("ABC", 1, [["A"]] * 3 + [["B", "A"]] * 2 + [["C", "A"]] * 2)
    one = count(e, "irv", seed=11)
    two = count(e, "irv", seed=11)
    assert one.to_dict() == two.to_dict()
    assert len(one.tie_breaks) == 1
    assert "seed 11" in one.tie_breaks[0]
    assert one.elected == ("A",)


def test_irv_passes_over_an_equal_rank_whose_candidates_are_all_excluded() -> None:
    # One paper reads D, then B=C, then A. B and C go before D does, so when D is excluded
    # the paper passes over the B=C rank and counts for A.
    e = election_from_rankings(
        "ABCDE",
        1,
        [["A"]] * 6 + [["E"]] * 7 + [["D", ("B", "C"), "A"]] + [["D"]] * 3 + [["B"]] + [["C"]] * 2,
    )
    result = count(e, "irv", seed=0)
    assert [s.excluded for s in result.stages[1:4]] == [("B",), ("C",), ("D",)]
    assert votes(result.stages[3].votes) == {"A": 7, "B": 0, "C": 0, "D": 0, "E": 7}


def test_irv_exhausts_a_paper_at_an_equal_rank_of_two_continuing_candidates() -> None:
    e = election_from_rankings("ABC", 1, [["A"]] * 3 + [[("B", "C"), "A"]] + [["B"]] * 2)
    result = count(e, "irv", seed=0)
    assert result.stages[0].non_transferable == Decimal(1)
    assert votes(result.stages[0].votes) == {"A": 3, "B": 2, "C": 0}


def test_irv_counts_an_equal_rank_for_its_only_continuing_candidate() -> None:
    e = election_from_rankings("ABC", 1, [["A"]] * 2 + [["B"]] * 3 + [["C"]] + [[("C", "A")]])
    result = count(e, "irv", seed=0)
    # Stage 1: C=A exhausts (two continuing). Tied A 2 / C 1: C is excluded.
    assert result.stages[1].excluded == ("C",)
    # The C paper has no further preference; the C=A paper was already exhausted.
    assert votes(result.stages[1].votes) == {"A": 2, "B": 3, "C": 0}
    assert result.elected == ("B",)


def test_irv_ignores_a_withdrawn_candidate() -> None:
    base = election_from_rankings("ABC", 1, [["C", "A"]] * 3 + [["B"]] * 2 + [["A"]])
    e = type(base)(base.candidates, 1, base.rankings, base.weights, withdrawn=frozenset({2}))
    result = count(e, "irv", seed=0)
    assert "C" not in result.stages[0].votes
    assert result.elected == ("A",)


def test_irv_refuses_more_than_one_seat_and_names_the_rules_that_can() -> None:
    e = election_from_rankings("ABC", 2, [["A", "B"]])
    with pytest.raises(InputError, match=r"exactly one seat.*scottish"):
        count(e, "irv", seed=0)


def test_irv_with_a_minimum_of_one_excludes_everyone_outside_the_group_at_once() -> None:
    e = election_from_rankings(
        "ABCD", 1, [["A", "C"]] * 5 + [["B", "D"]] * 3 + [["C"]] * 2 + [["D", "C"]] * 1
    )
    group = ConstraintSet({"women": frozenset({2, 3})}, (Constraint("women", minimum=1),))
    result = count(e, "irv", seed=0, constraints=group)
    assert result.stages[1].action == "constraint"
    assert set(result.stages[1].excluded) == {"A", "B"}
    assert "women" in result.stages[1].note
    # A's papers go to C, B's to D: C 7, D 4.
    assert votes(result.stages[1].votes) == {"A": 0, "B": 0, "C": 7, "D": 4}
    assert result.elected == ("C",)


def test_irv_without_constraints_elects_the_majority_winner_the_constraint_blocks() -> None:
    e = election_from_rankings(
        "ABCD", 1, [["A", "C"]] * 5 + [["B", "D"]] * 3 + [["C"]] * 2 + [["D", "C"]] * 1
    )
    assert count(e, "irv", seed=0).elected == ("A",)


def test_irv_with_a_maximum_of_zero_excludes_the_group_member_who_would_win() -> None:
    e = election_from_rankings("ABC", 1, [["A", "B"]] * 6 + [["B"]] * 3 + [["C"]] * 2)
    cap = ConstraintSet({"g": frozenset({0})}, (Constraint("g", maximum=0),))
    result = count(e, "irv", seed=0, constraints=cap)
    assert result.stages[1].action == "constraint"
    assert result.stages[1].excluded == ("A",)
    assert result.elected == ("B",)


@settings(max_examples=80, deadline=None)
@given(election=elections())
def test_irv_on_packed_arrays_counts_exactly_as_on_ranking_tuples(election: Election) -> None:
    packed = PackedBallots.from_rankings(election.effective_rankings())
    as_arrays = Election.from_packed(election.candidates, 1, packed, title=election.title)
    one_seat = election.with_seats(1)
    assert as_arrays.is_packed_only
    ours = count(as_arrays, "irv", seed=4).to_dict()
    theirs = count(one_seat, "irv", seed=4).to_dict()
    assert ours == theirs
