"""Core engine types: elections, packed ballots, constraints' feasibility, tie-breaking."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.count.ballots import Election, Ranking, election_from_rankings
from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.errors import ConstraintError, InputError
from grassroots.count.packed import PackedBallots
from grassroots.count.stages import Stage, format_votes
from grassroots.count.tiebreak import Lot, resolve_by_history


def test_counting_engine_never_imports_django() -> None:
    code = "import sys, grassroots.count, grassroots.count.rules; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_identical_rankings_are_grouped_with_their_weight() -> None:
    e = election_from_rankings(["A", "B"], 1, [["A", "B"], ["B"], ["A", "B"]])
    assert dict(zip(e.rankings, e.weights, strict=True)) == {((0,), (1,)): 2, ((1,),): 1}
    assert e.total_ballots == 3


def test_withdrawn_candidates_are_removed_and_rankings_regrouped() -> None:
    e = Election(
        ("A", "B", "C"), 1, (((0,), (1,)), ((1,),), ((0,),)), (1, 1, 1), withdrawn=frozenset({0})
    )
    assert dict(e.effective_rankings()) == {((1,),): 2}


def test_repeated_candidate_names_are_refused() -> None:
    with pytest.raises(InputError, match="repeated: A"):
        Election(("A", "A"), 1, (), ())


def test_packed_ballots_cut_a_ranking_at_an_equal_mark() -> None:
    p = PackedBallots.from_rankings([(((0,), (1, 2), (3,)), 4), (((2,),), 1)])
    assert list(p.rows()) == [((0,), 4), ((2,), 1)]
    assert p.cut_at_equal == 4


def test_packed_grouping_sums_weights_exactly() -> None:
    big = 2**60
    p = PackedBallots(
        prefs=np.array([0, 1, 0, 1, 1], dtype=np.int32),
        offsets=np.array([0, 2, 4, 5], dtype=np.int64),
        weights=np.array([big, 3, 2], dtype=np.int64),
    )
    g = p.grouped()
    assert list(g.rows()) == [((0, 1), big + 3), ((1,), 2)]


def test_stage_figures_are_written_with_the_rules_places_and_never_rounded() -> None:
    assert format_votes(Decimal("12.5"), 5) == "12.50000"
    with pytest.raises(ValueError):
        format_votes(Decimal("0.123456"), 5)
    s = Stage(1, "first", (), {"A": Decimal(3)}, Decimal("0.5"))
    assert s.to_dict(2)["total"] == "3.50"


def test_a_minimum_forces_out_everyone_outside_the_group_when_seats_just_suffice() -> None:
    women = ConstraintSet({"women": frozenset({2, 3})}, (Constraint("women", minimum=2),))
    # Two seats left, two women still needed: the men (0, 1) can no longer be elected.
    forced = women.forced_exclusions(elected=[], continuing=[0, 1, 2, 3], seats_left=2)
    assert [c for c, _ in forced] == [0, 1]
    assert "at least 2 of the seats to women" in forced[0][1]
    # Three seats left: a man may still take one.
    assert women.forced_exclusions(elected=[], continuing=[0, 1, 2, 3], seats_left=3) == []


def test_a_maximum_blocks_a_group_once_it_is_full() -> None:
    cap = ConstraintSet({"london": frozenset({0, 1})}, (Constraint("london", maximum=1),))
    assert cap.electable(0, elected=[], continuing=[0, 1, 2], seats_left=2)
    assert not cap.electable(1, elected=[0], continuing=[1, 2], seats_left=1)


def test_constraints_no_outcome_can_meet_are_refused_before_counting() -> None:
    women = ConstraintSet({"women": frozenset({2})}, (Constraint("women", minimum=2),))
    with pytest.raises(ConstraintError, match="only 1 candidate"):
        women.check([0, 1, 2], 3, ["A", "B", "C"])


def test_ties_look_back_to_the_most_recent_stage_where_the_tied_differed() -> None:
    history = [{0: 5, 1: 3, 2: 5}, {0: 7, 1: 7, 2: 6}, {0: 9, 1: 9, 2: 9}]
    assert resolve_by_history([0, 1, 2], history, lowest=True) == [2]
    assert resolve_by_history([0, 1], history, lowest=True) == [1]
    assert resolve_by_history([0, 1], history, lowest=True, most_recent_first=False) == [1]


def test_a_lot_with_the_same_seed_draws_the_same_and_says_so() -> None:
    a, b = Lot(7), Lot(7)
    names = ["A", "B", "C"]
    assert a.choose([0, 1, 2], names, "exclusion") == b.choose([2, 1, 0], names, "exclusion")
    assert "seed 7" in a.log[0]


def _simple_effective(e: Election) -> tuple[tuple[Ranking, int], ...]:
    """The plain statement of ``effective_rankings``: remove, drop blanks, regroup."""
    grouped: dict[Ranking, int] = {}
    for ranking, weight in zip(e.rankings, e.weights, strict=True):
        kept = tuple(
            tuple(c for c in rank if c not in e.withdrawn)
            for rank in ranking
            if any(c not in e.withdrawn for c in rank)
        )
        if kept:
            grouped[kept] = grouped.get(kept, 0) + weight
    return tuple(grouped.items())


_ranks = st.lists(st.integers(0, 4), min_size=1, max_size=2, unique=True).map(tuple)
_rankings = st.lists(_ranks, max_size=5).map(tuple)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_rankings, st.integers(1, 10**12)), max_size=30),
    st.frozensets(st.integers(0, 4), max_size=3),
)
def test_effective_rankings_and_packing_agree_with_the_plain_definition(
    pairs: list[tuple[Ranking, int]], withdrawn: frozenset[int]
) -> None:
    e = Election(
        ("A", "B", "C", "D", "E"),
        2,
        tuple(r for r, _ in pairs),
        tuple(w for _, w in pairs),
        withdrawn=withdrawn,
    )
    simple = _simple_effective(e)
    assert e.effective_rankings() == simple
    assert e.effective_rankings() is e.effective_rankings()  # computed once
    packed, plain = e.packed, PackedBallots._from_rankings_loop(simple)
    assert packed.prefs.tolist() == plain.prefs.tolist()
    assert packed.offsets.tolist() == plain.offsets.tolist()
    assert packed.weights.tolist() == plain.weights.tolist()
    assert packed.cut_at_equal == plain.cut_at_equal


def test_a_ranking_naming_a_candidate_outside_the_list_is_refused() -> None:
    with pytest.raises(InputError, match=r"candidate index 2, outside 0\.\.1"):
        Election(("A", "B"), 1, (((0,), (2,)),), (1,))
    with pytest.raises(InputError, match=r"candidate index -1, outside 0\.\.1"):
        Election(("A", "B"), 1, (((-1,),),), (1,))
    with pytest.raises(InputError, match="weights must be positive, found 0"):
        Election(("A", "B"), 1, (((0,),),), (0,))


def test_an_election_held_only_as_packed_arrays_keeps_its_ballots_with_other_seats() -> None:
    e = election_from_rankings(["A", "B", "C"], 1, [["A"], ["A", "B"], ["C"]], title="t")
    only = Election.from_packed(e.candidates, 1, e.packed, title="t")
    two = only.with_seats(2)
    assert two.seats == 2 and two.is_packed_only and two.title == "t"
    assert two.packed.total == 3
    assert two.effective_rankings() == e.with_seats(2).effective_rankings()
    assert e.with_seats(2) == Election(e.candidates, 2, e.rankings, e.weights, title="t")


def test_an_election_in_which_every_candidate_withdrew_is_refused() -> None:
    from grassroots.count.rules import count

    e = Election(("A", "B"), 1, (((0,), (1,)),), (3,), withdrawn=frozenset({0, 1}))
    with pytest.raises(InputError, match="every candidate has withdrawn"):
        count(e, "scottish", seed=1)
