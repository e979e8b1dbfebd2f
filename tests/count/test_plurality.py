"""First past the post and the block vote: hand-counted tallies, ties by lot, equal ranks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings

from grassroots.count.ballots import Election, election_from_rankings
from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.packed import PackedBallots
from grassroots.count.rules import count
from tests.strategies import elections

BALLOTS = [["A", "B", "C"]] * 5 + [["B", "C"]] * 4 + [["C", "B", "A"]] * 3 + [["D"]] * 2


def tallies(result: object) -> dict[str, int]:
    stage = result.stages[0]  # type: ignore[attr-defined]
    return {k: int(v) for k, v in stage.votes.items()}


def test_fptp_elects_the_most_first_preferences_and_ignores_later_ones() -> None:
    result = count(election_from_rankings("ABCD", 1, BALLOTS), "fptp", seed=0)
    assert tallies(result) == {"A": 5, "B": 4, "C": 3, "D": 2}
    assert result.elected == ("A",)
    assert result.stages[0].action == "round"
    assert result.stages[0].non_transferable == 0
    assert result.valid_votes == 14


def test_fptp_with_two_seats_elects_the_two_highest_in_order() -> None:
    result = count(election_from_rankings("ABCD", 2, BALLOTS), "fptp", seed=0)
    assert result.elected == ("A", "B")


def test_block_gives_one_vote_to_each_of_the_first_seats_preferences() -> None:
    result = count(election_from_rankings("ABCD", 2, BALLOTS), "block", seed=0)
    # A 5; B 5+4+3 = 12; C 4+3 = 7; D 2.
    assert tallies(result) == {"A": 5, "B": 12, "C": 7, "D": 2}
    assert result.elected == ("B", "C")
    # 14 papers carry 2 votes each; the two D papers leave one vote unused each.
    assert result.valid_votes == 28
    assert result.stages[0].non_transferable == 2


def test_block_counts_an_equal_rank_only_when_it_fits_within_the_allowance() -> None:
    e = election_from_rankings("ABC", 2, [[("A", "B"), "C"], ["C", ("A", "B")], [("A", "B", "C")]])
    result = count(e, "block", seed=0)
    # Paper 1: A and B (two marks). Paper 2: C, then A=B would make three: stop.
    # Paper 3: three equal marks exceed two: nothing counts.
    assert tallies(result) == {"A": 1, "B": 1, "C": 1}
    assert result.stages[0].non_transferable == Decimal(1 + 2)


def test_fptp_sets_aside_a_paper_whose_first_rank_is_equal() -> None:
    e = election_from_rankings("AB", 1, [[("A", "B")], ["A"]])
    result = count(e, "fptp", seed=0)
    assert tallies(result) == {"A": 1, "B": 0}
    assert result.stages[0].non_transferable == 1


def test_a_tie_for_the_last_seat_is_drawn_by_lot_with_the_seed_recorded() -> None:
    e = election_from_rankings("ABC", 1, [["A"]] * 2 + [["B"]] * 2 + [["C"]])
    first = count(e, "fptp", seed=7)
    assert first.to_dict() == count(e, "fptp", seed=7).to_dict()
    assert len(first.tie_breaks) == 1 and "seed 7" in first.tie_breaks[0]
    assert first.elected[0] in {"A", "B"}
    winners = {count(e, "fptp", seed=s).elected for s in range(30)}
    assert winners == {("A",), ("B",)}


def test_no_lot_is_drawn_when_the_tied_candidates_all_fit() -> None:
    e = election_from_rankings("ABC", 2, [["A"]] * 2 + [["B"]] * 2 + [["C"]])
    result = count(e, "fptp", seed=7)
    assert set(result.elected) == {"A", "B"}
    assert result.tie_breaks == ()


def test_fptp_with_a_minimum_passes_over_the_highest_outside_the_group() -> None:
    e = election_from_rankings("ABCD", 2, BALLOTS)  # A 5, B 4, C 3, D 2
    women = ConstraintSet({"women": frozenset({2, 3})}, (Constraint("women", minimum=1),))
    result = count(e, "fptp", seed=0, constraints=women)
    assert result.elected == ("A", "C")
    assert [s.action for s in result.stages] == ["round", "constraint"]
    passed = result.stages[1]
    assert passed.excluded == ("B",)
    assert "at least 1 of the seats to women" in passed.note
    # B's four votes cannot move: they become non-transferable, and the totals still add up.
    assert passed.votes["B"] == 0 and passed.non_transferable == 4
    assert sum(passed.votes.values()) + passed.non_transferable == result.valid_votes
    assert passed.elected == ("A", "C")


def test_block_with_a_maximum_passes_over_the_second_group_member() -> None:
    e = election_from_rankings("ABCD", 2, BALLOTS)  # block: B 12, C 7, A 5, D 2
    cap = ConstraintSet({"g": frozenset({1, 2})}, (Constraint("g", maximum=1),))
    result = count(e, "block", seed=0, constraints=cap)
    assert result.elected == ("B", "A")
    assert result.stages[1].excluded == ("C",)


@pytest.mark.parametrize("rule", ["fptp", "block"])
@settings(max_examples=60, deadline=None)
@given(election=elections())
def test_plurality_on_packed_arrays_counts_exactly_as_on_ranking_tuples(
    rule: str, election: Election
) -> None:
    packed = PackedBallots.from_rankings(election.effective_rankings())
    as_arrays = Election.from_packed(
        election.candidates, election.seats, packed, title=election.title
    )
    assert count(as_arrays, rule, seed=2).to_dict() == count(election, rule, seed=2).to_dict()
