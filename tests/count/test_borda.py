"""The Borda count: n - k points, unranked zero, equal ranks sharing half points exactly."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings

from grassroots.count.ballots import Election, election_from_rankings
from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.packed import PackedBallots
from grassroots.count.rules import count
from grassroots.count.rules.borda import half_points
from tests.strategies import elections


def test_borda_scores_n_minus_k_and_elects_the_highest() -> None:
    e = election_from_rankings(
        "ABC", 1, [["A", "B", "C"]] * 3 + [["B", "C", "A"]] * 2 + [["C", "B", "A"]]
    )
    result = count(e, "borda", seed=0)
    # A: 3*2 = 6; B: 3*1 + 2*2 + 1*1 = 8; C: 2*1 + 1*2 = 4.
    stage = result.stages[0]
    assert dict(stage.votes) == {"A": Decimal(6), "B": Decimal(8), "C": Decimal(4)}
    assert result.elected == ("B",)
    assert stage.non_transferable == 0
    assert result.valid_votes == 6 * 3


def test_borda_gives_unranked_candidates_nothing_and_records_the_points_left_unawarded() -> None:
    e = election_from_rankings("ABCD", 1, [["A"], ["B", "C"]])
    stage = count(e, "borda", seed=0).stages[0]
    assert dict(stage.votes) == {"A": 3, "B": 3, "C": 2, "D": 0}
    # Each paper could hand out 3+2+1 = 6 points: 12 in all, 8 awarded.
    assert stage.non_transferable == 4


def test_borda_equal_ranks_share_the_average_of_their_positions_in_half_points() -> None:
    # Four candidates, A first, B=C equal (positions 2 and 3: 2 and 1 points): 1.5 each.
    assert half_points(((0,), (1, 2), (3,)), 4) == {0: 6, 1: 3, 2: 3, 3: 0}
    e = election_from_rankings("ABCD", 1, [["A", ("B", "C"), "D"]])
    result = count(e, "borda", seed=0)
    assert result.stages[0].votes["B"] == Decimal("1.5")
    assert result.to_dict()["stages"][0]["votes"]["B"] == "1.5"
    assert result.places == 1


def test_borda_can_elect_a_broadly_liked_candidate_first_past_the_post_misses() -> None:
    e = election_from_rankings(
        "ABC", 1, [["A", "C", "B"]] * 4 + [["B", "C", "A"]] * 3 + [["C", "B", "A"]] * 1
    )
    assert count(e, "fptp", seed=0).elected == ("A",)
    # A 8, B 3*2 + 1 = 7, C 4 + 3 + 2 = 9.
    assert count(e, "borda", seed=0).elected == ("C",)


@settings(max_examples=60, deadline=None)
@given(election=elections())
def test_borda_on_packed_arrays_counts_exactly_as_on_ranking_tuples(election: Election) -> None:
    packed = PackedBallots.from_rankings(election.effective_rankings())
    as_arrays = Election.from_packed(
        election.candidates, election.seats, packed, title=election.title
    )
    assert count(as_arrays, "borda", seed=2).to_dict() == count(election, "borda", seed=2).to_dict()


def test_borda_honours_a_minimum_by_passing_over_higher_scores() -> None:
    e = election_from_rankings(
        "ABC", 1, [["A", "B", "C"]] * 3 + [["B", "C", "A"]] * 2 + [["C", "B", "A"]]
    )  # A 6, B 8, C 4
    group = ConstraintSet({"g": frozenset({2})}, (Constraint("g", minimum=1),))
    result = count(e, "borda", seed=0, constraints=group)
    assert result.elected == ("C",)
    assert [s.excluded for s in result.stages[1:]] == [("B",), ("A",)]
