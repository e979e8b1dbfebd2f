"""Hypothesis strategies shared by the test suite (append new ones; keep them small)."""

from __future__ import annotations

from hypothesis import strategies as st

from grassroots.count.ballots import Election, Ranking, group_ballots

NAMES = tuple(f"Candidate {chr(ord('A') + i)}" for i in range(12))


@st.composite
def strict_rankings(draw: st.DrawFn, n_candidates: int) -> Ranking:
    """A strict ranking of some of the candidates (at least one)."""
    order = draw(st.permutations(range(n_candidates)))
    length = draw(st.integers(min_value=1, max_value=n_candidates))
    return tuple((c,) for c in order[:length])


@st.composite
def elections(
    draw: st.DrawFn,
    *,
    min_candidates: int = 2,
    max_candidates: int = 7,
    max_seats: int = 4,
    max_ballots: int = 30,
    max_weight: int = 25,
) -> Election:
    """A small election with strict rankings, grouped, with positive integer weights."""
    n = draw(st.integers(min_value=min_candidates, max_value=max_candidates))
    seats = draw(st.integers(min_value=1, max_value=min(max_seats, n)))
    pairs = draw(
        st.lists(
            st.tuples(strict_rankings(n), st.integers(min_value=1, max_value=max_weight)),
            min_size=1,
            max_size=max_ballots,
        )
    )
    grouped = group_ballots(pairs)
    return Election(NAMES[:n], seats, tuple(grouped), tuple(grouped.values()), title="Generated")
