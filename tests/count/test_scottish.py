"""Scottish STV on small hand-worked elections (SSI 2007/42, Schedule 1, rules 45-52).

Every expected figure below was worked out by hand from the rule text, in the comments.
"""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.count.ballots import Election, election_from_rankings
from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.errors import InputError
from grassroots.count.packed import PackedBallots
from grassroots.count.rules import count
from grassroots.count.rules.scottish import droop_quota, transfer_values
from tests.strategies import elections

D = Decimal


def _ballots(*groups: tuple[int, list[str | list[str]]]) -> list[list[str | list[str]]]:
    return [ranking for n, ranking in groups for _ in range(n)]


def test_scottish_quota_is_valid_papers_over_seats_plus_one_ignoring_decimals_plus_one() -> None:
    # rule 46: 8800 / 5 = 1760, plus one.
    assert droop_quota(8800, 4) == 1761
    assert droop_quota(10, 2) == 4  # 10 / 3 = 3.33.. -> 3, plus one


def test_scottish_truncates_transfer_value_to_five_places() -> None:
    # 7 papers A>B, 2 for C, 1 for D; 2 seats: quota 10/3 -> 3, +1 = 4.
    # A's surplus 3 moves all 7 papers at 3 x 1 / 7 = 0.428571.. -> 0.42857 each:
    # B gains 7 x 0.42857 = 2.99999 and 0.00001 is lost to truncation (non-transferable).
    e = election_from_rankings(
        ["A", "B", "C", "D"], 2, _ballots((7, ["A", "B"]), (2, ["C"]), (1, ["D"]))
    )
    r = count(e, "scottish", seed=0)
    assert r.quota == 4
    first, surplus = r.stages[0], r.stages[1]
    assert first.elected == ("A",)
    assert surplus.action == "surplus" and surplus.subject == ("A",)
    assert surplus.votes == {"A": D(4), "B": D("2.99999"), "C": D(2), "D": D(1)}
    assert surplus.non_transferable == D("0.00001")
    assert "0.42857" in surplus.note
    assert all(s.total == 10 for s in r.stages)


def test_scottish_transfer_value_of_a_transferred_paper_is_truncated_per_paper() -> None:
    # rule 48(3): surplus x (value of the paper when received) / total, to 5 places.
    # Surplus 100.5, total 1100.5; a paper worth 0.33333 now: 100.5 x 0.33333 / 1100.5
    # = 0.030440.. -> 0.03044; a first-preference paper: 0.0913221.. -> 0.09132.
    values = np.array([100_000, 33_333], dtype=np.int64)
    assert transfer_values(10_050_000, 110_050_000, values).tolist() == [9132, 3044]


def test_scottish_transfers_the_largest_surplus_first_and_keeps_the_quota() -> None:
    # Quota 24/4 -> 6, +1 = 7. A has 12 (surplus 5), B has 9 (surplus 2): A's goes first,
    # 12 papers at 5/12 = 0.41666 give C 4.99992; then B's, 9 papers at 2/9 = 0.22222 give
    # D 1.99998. Each keeps exactly the quota.
    e = election_from_rankings(
        ["A", "B", "C", "D", "E"],
        3,
        _ballots((12, ["A", "C"]), (9, ["B", "D"]), (3, ["E"])),
    )
    r = count(e, "scottish", seed=0)
    assert r.stages[0].elected == ("A", "B")
    assert [s.subject for s in r.stages[1:3]] == [("A",), ("B",)]
    assert r.stages[1].votes["A"] == 7 and r.stages[1].votes["C"] == D("4.99992")
    assert r.stages[2].votes["B"] == 7 and r.stages[2].votes["D"] == D("1.99998")
    assert r.stages[2].non_transferable == D("0.00010")
    e2 = e.with_seats(2)  # quota 24/3 -> 8, +1 = 9: both seats filled, nothing transferred
    assert len(count(e2, "scottish", seed=0).stages) == 1


def test_scottish_makes_no_stage_for_a_surplus_of_exactly_zero() -> None:
    # rule 48(1) moves papers only when the vote *exceeds* the quota; the official 2017
    # tables agree (sc_borders_2017_ward3, shetland_2017_ward7). Quota 9/3 -> 3, +1 = 4.
    e = election_from_rankings(
        ["A", "B", "C"], 2, _ballots((4, ["A", "B"]), (3, ["B"]), (2, ["C"]))
    )
    r = count(e, "scottish", seed=0)
    assert r.stages[0].elected == ("A",)
    assert r.stages[1].action == "exclusion" and r.stages[1].subject == ("C",)
    assert r.elected == ("A", "B")


def test_scottish_breaks_a_tie_for_exclusion_by_looking_back_to_an_unequal_stage() -> None:
    # Quota 11/2 -> 5, +1 = 6. Stage 1: A 5, B 3, C 2, D 1. D is excluded and C gets D's
    # paper: B 3, C 3 tie at stage 2. At stage 1 C had fewer, so C goes (rule 51(2)(a)).
    e = election_from_rankings(
        ["A", "B", "C", "D"],
        1,
        _ballots((5, ["A"]), (3, ["B"]), (2, ["C"]), (1, ["D", "C"])),
    )
    r = count(e, "scottish", seed=0)
    assert r.stages[1].votes["B"] == r.stages[1].votes["C"] == 3
    assert r.stages[2].subject == ("C",)
    assert len(r.tie_breaks) == 1
    assert "most recent earlier stage at which their votes differed (stage 1)" in r.tie_breaks[0]
    assert "lot" not in r.tie_breaks[0]


def test_scottish_surplus_moves_every_paper_the_candidate_holds_not_only_the_last_parcel() -> None:
    # rule 48(1): "the ballot papers received by that candidate", all of them (the inclusive
    # Gregory method; ERS97 differs). 3 seats, 40 papers: quota 40/4 = 10, +1 = 11.
    # Stage 1: A 18, B 7, C 5, D 6, E 4. A's surplus 7: 18 papers at 7/18 -> 0.38888 give
    # B 6.99984, so B has 13.99984 and a surplus of 2.99984. Stage 3 moves all of B's papers:
    # the 7 first preferences at 2.99984 x 1 / 13.99984 = 0.214276.. -> 0.21427 give D
    # 1.49989; the 18 from A at 2.99984 x 0.38888 / 13.99984 = 0.083327.. -> 0.08332 give
    # C 1.49976. Truncation has lost 0.00016 + 0.00019 = 0.00035.
    e = election_from_rankings(
        ["A", "B", "C", "D", "E"],
        3,
        _ballots((18, ["A", "B", "C"]), (7, ["B", "D"]), (5, ["C"]), (6, ["D"]), (4, ["E", "C"])),
    )
    r = count(e, "scottish", seed=0)
    assert r.quota == 11
    assert r.stages[1].votes["B"] == D("13.99984") and r.stages[1].elected == ("B",)
    third = r.stages[2]
    assert third.action == "surplus" and third.subject == ("B",)
    assert third.votes == {
        "A": D(11),
        "B": D(11),
        "C": D("6.49976"),
        "D": D("7.49989"),
        "E": D(4),
    }
    assert third.non_transferable == D("0.00035")


def test_scottish_tie_looks_back_to_the_most_recent_unequal_stage_not_the_earliest() -> None:
    # rule 51(2)(a): "the most recent preceding stage". 2 seats, 28 papers: quota 28/3 -> 9,
    # +1 = 10. Stage 1: A 20, X 3, Y 4, Z 1; A elected. Stage 2: A's surplus 10, 20 papers at
    # 0.5; the 4 that go on to X give X 2: X 5, Y 4. Stage 3: Z excluded, Y 5. X and Y tie
    # for exclusion: at stage 2 (most recent unequal) Y had fewer, so Y goes; at stage 1
    # (the earliest) it was X who had fewer, which would be the wrong reading.
    e = election_from_rankings(
        ["A", "X", "Y", "Z"],
        2,
        _ballots((4, ["A", "X"]), (16, ["A"]), (3, ["X"]), (4, ["Y"]), (1, ["Z", "Y"])),
    )
    r = count(e, "scottish", seed=0)
    assert r.stages[2].subject == ("Z",)
    assert r.stages[2].votes["X"] == r.stages[2].votes["Y"] == 5
    assert r.stages[3].subject == ("Y",)
    assert r.elected == ("A", "X")
    assert "(stage 2)" in r.tie_breaks[0]


def test_scottish_breaks_a_tie_equal_at_every_stage_by_lot_and_records_the_seed() -> None:
    # Quota 8/2 -> 4, +1 = 5. A 4, B 2, C 2: B and C are equal at every stage (rule 51(2)(b)).
    e = election_from_rankings(
        ["A", "B", "C"], 1, _ballots((4, ["A"]), (2, ["B", "A"]), (2, ["C"]))
    )
    excluded = set()
    for seed in range(20):
        r = count(e, "scottish", seed=seed)
        assert r.seed == seed
        assert len(r.tie_breaks) == 1
        assert "lot drawn between B, C" in r.tie_breaks[0]
        assert f"(seed {seed})" in r.tie_breaks[0]
        excluded.add(r.stages[1].subject)
        # The same seed replays the same count.
        assert count(e, "scottish", seed=seed).to_dict() == r.to_dict()
    assert excluded == {("B",), ("C",)}


def test_scottish_treats_a_paper_with_equal_next_preferences_as_non_transferable() -> None:
    # A paper marked A, then B and C equal: once A is excluded it is non-transferable, as
    # the Order's definition has it (two or more candidates marked equal and next).
    # Quota 6/2 -> 3, +1 = 4. Stage 1: A 1, B 3, C 2.
    e = election_from_rankings(
        ["A", "B", "C"], 1, _ballots((1, ["A", ["B", "C"]]), (3, ["B"]), (2, ["C"]))
    )
    r = count(e, "scottish", seed=0)
    stage2 = r.stages[1]
    assert stage2.subject == ("A",)
    assert stage2.votes == {"A": D(0), "B": D(3), "C": D(2)}
    assert stage2.non_transferable == 1
    assert any("equal" in note for note in r.notes)


def test_scottish_elects_the_continuing_candidates_when_as_many_as_the_vacancies() -> None:
    # The truncation example continues: D (1) then C (2) are excluded; B is then the only
    # continuing candidate for the one vacancy left and is elected with 2.99999, below the
    # quota, at the stage C's exclusion ends (rule 52(1)); nothing more is transferred.
    e = election_from_rankings(
        ["A", "B", "C", "D"], 2, _ballots((7, ["A", "B"]), (2, ["C"]), (1, ["D"]))
    )
    r = count(e, "scottish", seed=0)
    assert [s.action for s in r.stages] == ["first", "surplus", "exclusion", "exclusion"]
    assert [s.subject for s in r.stages[2:]] == [("D",), ("C",)]
    assert r.stages[-1].elected == ("B",)
    assert r.stages[-1].votes["B"] == D("2.99999")
    assert r.stages[-1].non_transferable == D("3.00001")
    assert r.elected == ("A", "B")


def test_scottish_skips_preferences_for_candidates_no_longer_continuing() -> None:
    # Quota 13/3 -> 4, +1 = 5. A 6 elected; A's papers read A, B, C. Stage 2 moves A's
    # surplus 1 at 1/6 = 0.16666 to B. Later, B's exclusion sends its papers on to C.
    e = election_from_rankings(
        ["A", "B", "C", "D"],
        2,
        _ballots((6, ["A", "B", "C"]), (1, ["B", "A", "C"]), (3, ["C"]), (3, ["D"])),
    )
    r = count(e, "scottish", seed=0)
    assert r.stages[1].votes["B"] == D("1.99996")  # 1 + 6 x 0.16666
    assert r.stages[2].subject == ("B",)
    # B's own paper skips A (elected) and goes to C at value 1; A's 6 papers at 0.16666.
    assert r.stages[2].votes["C"] == D("4.99996")
    assert r.stages[2].total == 13


def test_scottish_orders_those_elected_at_one_stage_by_their_votes() -> None:
    e = election_from_rankings(["A", "B", "C"], 2, _ballots((4, ["A"]), (5, ["B"]), (1, ["C"])))
    r = count(e, "scottish", seed=0)
    assert r.stages[0].elected == ("B", "A")
    assert r.elected == ("B", "A")


def test_scottish_excludes_a_quota_winner_whose_election_would_break_a_constraint() -> None:
    # 2 seats, at least one woman (B, C). Quota 16/3 -> 5, +1 = 6. A 7 and D 6 reach the
    # quota; A is elected, but D would leave no seat for a woman: D is excluded instead and
    # D's papers go to B, who reaches the quota.
    e = election_from_rankings(
        ["A", "B", "C", "D"],
        2,
        _ballots((7, ["A"]), (6, ["D", "B"]), (2, ["B"]), (1, ["C"])),
    )
    women = ConstraintSet({"women": frozenset({1, 2})}, (Constraint("women", 1),))
    r = count(e, "scottish", seed=0, constraints=women)
    assert r.stages[0].elected == ("A",)
    assert r.stages[1].action == "constraint" and r.stages[1].subject == ("D",)
    assert "at least 1" in r.stages[1].note
    assert r.stages[1].elected == ("B",)
    assert r.elected == ("A", "B")
    assert count(e, "scottish", seed=0).elected == ("A", "D")


def test_scottish_forces_out_the_candidates_a_constraint_cannot_seat() -> None:
    # 2 seats, at least one woman (B, C). Quota 16/3 -> 5, +1 = 6. A is elected at stage 1;
    # one seat left and a woman still needed, so D is excluded in a constraint stage.
    e = election_from_rankings(
        ["A", "B", "C", "D"],
        2,
        _ballots((6, ["A"]), (5, ["D", "C"]), (3, ["B"]), (2, ["C"])),
    )
    women = ConstraintSet({"women": frozenset({1, 2})}, (Constraint("women", 1),))
    r = count(e, "scottish", seed=0, constraints=women)
    assert r.stages[1].action == "constraint" and r.stages[1].subject == ("D",)
    assert r.stages[1].votes["C"] == 7
    assert r.elected == ("A", "C")


def test_scottish_counts_an_election_held_only_as_packed_arrays() -> None:
    e = election_from_rankings(
        ["A", "B", "C", "D"], 2, _ballots((7, ["A", "B"]), (2, ["C"]), (1, ["D"]))
    )
    packed = PackedBallots.from_rankings(e.effective_rankings())
    only = Election.from_packed(e.candidates, 2, packed)
    assert count(only, "scottish", seed=0).to_dict() == count(e, "scottish", seed=0).to_dict()


@settings(max_examples=150, deadline=None)
@given(elections())
def test_scottish_votes_plus_non_transferable_equal_the_valid_papers_at_every_stage(
    e: Election,
) -> None:
    r = count(e, "scottish", seed=3)
    valid = sum(e.weights)
    assert r.valid_votes == valid
    for stage in r.stages:
        assert stage.total == valid
        assert all(v >= 0 for v in stage.votes.values())
    assert len(r.elected) == min(e.seats, len(e.candidates))
    assert len(set(r.elected)) == len(r.elected)


@settings(max_examples=100, deadline=None)
@given(elections(), st.randoms(use_true_random=False))
def test_scottish_result_does_not_depend_on_the_order_of_the_ballots(
    e: Election, rnd: random.Random
) -> None:
    pairs = list(zip(e.rankings, e.weights, strict=True))
    rnd.shuffle(pairs)
    shuffled = Election(
        e.candidates,
        e.seats,
        tuple(p[0] for p in pairs),
        tuple(p[1] for p in pairs),
        title=e.title,
    )
    assert count(shuffled, "scottish", seed=5).to_dict() == count(e, "scottish", seed=5).to_dict()


def test_scottish_does_not_exclude_the_last_woman_a_seat_must_go_to() -> None:
    # 2 seats, at least one woman (W). Quota 100/3 -> 33, +1 = 34; nobody reaches it.
    # W is lowest (10), but excluding her would make the minimum impossible: M3, the lowest
    # who may go, is excluded in a constraint stage; M2 reaches 57; then M1 is forced out.
    e = election_from_rankings(
        ["M1", "M2", "M3", "W"],
        2,
        _ballots((33, ["M1"]), (31, ["M2"]), (26, ["M3", "M2"]), (10, ["W"])),
    )
    women = ConstraintSet({"women": frozenset({3})}, (Constraint("women", 1),))
    r = count(e, "scottish", seed=0, constraints=women)
    assert r.stages[1].action == "constraint" and r.stages[1].subject == ("M3",)
    assert "kept in by a constraint: W" in r.stages[1].note
    assert r.stages[1].elected == ("M2",)
    assert r.elected == ("M2", "W")
    assert count(e, "scottish", seed=0).stages[1].subject == ("W",)


def test_scottish_does_not_count_a_paper_whose_first_mark_names_two_candidates() -> None:
    # Such a paper gives no first preference (rule 43, rejected papers): it is not among the
    # valid papers (rule 45(3)): 6 valid, quota 6/2 -> 3, +1 = 4 (with all 8, it would be 5).
    e = election_from_rankings(["A", "B"], 1, _ballots((2, [["A", "B"]]), (4, ["A"]), (2, ["B"])))
    r = count(e, "scottish", seed=0)
    assert r.valid_votes == 6
    assert r.quota == 4
    assert r.elected == ("A",)


def test_scottish_stays_exact_with_ballot_weights_of_a_million_million() -> None:
    # 1_900_000_000_008 papers, 2 seats: quota /3 -> 633_333_333_336, +1. A's surplus
    # 366_666_666_670 moves A's 1_000_000_000_007 papers at 366_666_666_670 / 1_000_000_000_007
    # = 0.366666666.. -> 0.36666 each (rule 48(3)): C gains 366_660_000_002.56662 exactly.
    a, b, c = 10**12 + 7, 4 * 10**11, 5 * 10**11 + 1
    e = Election(("A", "B", "C"), 2, (((0,), (2,)), ((1,),), ((2,),)), (a, b, c))
    r = count(e, "scottish", seed=0)
    assert r.quota == 633_333_333_337
    assert r.stages[1].votes["C"] == D("866660000003.56662")
    assert r.stages[1].non_transferable == D("6666667.43338")
    assert r.elected == ("A", "C")
    only = Election.from_packed(e.candidates, 2, e.packed)
    assert count(only, "scottish", seed=0).to_dict() == r.to_dict()


def test_scottish_refuses_more_papers_than_it_can_count_exactly() -> None:
    e = Election(("A", "B"), 1, (((0,),), ((1,),)), (10**14, 10**14))
    with pytest.raises(InputError, match="counts exactly"):
        count(e, "scottish", seed=0)


def test_scottish_fills_every_seat_with_the_candidates_there_are_when_too_few_stand() -> None:
    # rule 52: continuing candidates as many as (here fewer than) the vacancies are elected.
    # Quota 3/4 -> 0, +1 = 1: A (2) and B (1) are elected at once; A's surplus has nobody
    # to go to, so no transfer is made.
    e = election_from_rankings(["A", "B"], 3, [["A", "B"], ["A"], ["B"]])
    r = count(e, "scottish", seed=0)
    assert r.elected == ("A", "B") and len(r.stages) == 1
    assert any("only 2 candidate(s) for 3 seat(s)" in n for n in r.notes)


def test_scottish_counts_an_election_whose_ballots_are_all_blank() -> None:
    # No valid papers: quota 0/2 -> 0, +1 = 1; nobody reaches it, A and B tie at 0 at every
    # stage, one is excluded by lot and the other fills the seat (rule 52).
    e = Election(("A", "B"), 1, ((),), (5,))
    r = count(e, "scottish", seed=0)
    assert r.valid_votes == 0 and r.quota == 1
    assert len(r.elected) == 1 and "lot" in r.tie_breaks[0]
    assert all(s.total == 0 for s in r.stages)


def test_scottish_refuses_an_election_in_which_every_candidate_has_withdrawn() -> None:
    e = Election(("A", "B"), 1, (((0,),),), (3,), withdrawn=frozenset({0, 1}))
    with pytest.raises(InputError, match="every candidate has withdrawn"):
        count(e, "scottish", seed=0)
