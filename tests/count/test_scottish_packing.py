"""Packing rankings into numpy arrays, as Scottish STV counts them (see ``packed.py``)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.count.ballots import Ranking
from grassroots.count.packed import PackedBallots

ranks = st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=3, unique=True)
rankings = st.lists(ranks.map(tuple), min_size=0, max_size=6).map(tuple)
pairs = st.lists(st.tuples(rankings, st.integers(min_value=1, max_value=9)), max_size=25)


def _as_lists(p: PackedBallots) -> tuple[list[int], list[int], list[int], int]:
    return p.prefs.tolist(), p.offsets.tolist(), p.weights.tolist(), p.cut_at_equal


@settings(max_examples=200, deadline=None)
@given(pairs)
def test_vectorised_packing_equals_the_plain_loop(data: list[tuple[Ranking, int]]) -> None:
    fast = PackedBallots.from_rankings(data)
    slow = PackedBallots._from_rankings_loop(data)
    assert _as_lists(fast) == _as_lists(slow)
    assert fast.prefs.dtype.name == "int32" and fast.offsets.dtype.name == "int64"


def test_packing_cuts_a_ranking_at_its_first_equal_mark_and_counts_the_cut_papers() -> None:
    data: list[tuple[Ranking, int]] = [
        (((0,), (1, 2), (3,)), 4),  # cut after 0
        (((1, 2),), 2),  # nothing left: dropped
        (((2,), (0,)), 1),
    ]
    p = PackedBallots.from_rankings(data)
    assert list(p.rows()) == [((0,), 4), ((2, 0), 1)]
    assert p.cut_at_equal == 6
