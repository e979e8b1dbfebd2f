"""Delegate entitlement: the conference formula and General Committee ratios (DOMAIN.md)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.members.delegates import CONFERENCE, Figures, Formula, entitlement, gc_formula


def conf(members: int, women: int = 0, young: int = 0) -> int:
    return entitlement(CONFERENCE, Figures(members, {"women": women, "young": young})).delegates


@pytest.mark.parametrize(
    ("members", "delegates"),
    [
        (0, 0),
        (1, 1),
        (749, 1),
        (750, 2),
        (999, 2),
        (1000, 3),
        (1249, 3),
        (1250, 4),
        (1749, 5),
        (1750, 6),
        (9000, 6),
    ],
)
def test_conference_gives_one_for_the_first_749_then_one_per_250_or_part_capped_at_six(
    members: int, delegates: int
) -> None:
    assert conf(members) == delegates


def test_conference_with_whole_blocks_only_needs_a_full_further_250() -> None:
    f = Formula.from_dict({**CONFERENCE.to_dict(), "part_thereof": False})
    assert [entitlement(f, Figures(m, {})).delegates for m in (750, 998, 999, 1000)] == [1, 1, 2, 2]


def test_every_second_conference_delegate_is_a_woman() -> None:
    r = entitlement(CONFERENCE, Figures(1300, {}))
    assert (r.delegates, r.women_at_least) == (4, 2)
    assert "every second delegate a woman: at least 2 of 4" in r.steps


@pytest.mark.parametrize(("women", "extra"), [(99, False), (100, True)])
def test_a_womens_delegate_is_added_from_100_women_members(women: int, extra: bool) -> None:
    r = entitlement(CONFERENCE, Figures(800, {"women": women, "young": 0}))
    assert ("women's delegate" in r.extras) is extra


@pytest.mark.parametrize(("young", "extra"), [(29, False), (30, True)])
def test_a_youth_delegate_is_added_from_30_young_members(young: int, extra: bool) -> None:
    r = entitlement(CONFERENCE, Figures(800, {"women": 0, "young": young}))
    assert ("youth delegate" in r.extras) is extra
    assert r.total == r.delegates + int(extra)


def test_the_working_names_the_figures_used() -> None:
    r = entitlement(CONFERENCE, Figures(1012, {"women": 130, "young": 12}))
    assert r.steps[:2] == (
        "1 delegate for the first 749 members",
        "2 more for the further 263 members (1 per 250 or part thereof)",
    )
    assert "1 women's delegate: 130 women members (at least 100)" in r.steps
    assert "no youth delegate: 12 young members (fewer than 30)" in r.steps


@pytest.mark.parametrize(
    ("members", "delegates"), [(0, 0), (1, 1), (25, 1), (26, 2), (50, 2), (51, 3)]
)
def test_a_general_committee_ratio_gives_one_per_n_members_or_part(
    members: int, delegates: int
) -> None:
    assert entitlement(gc_formula(25), Figures(members, {})).delegates == delegates


def test_a_formula_survives_a_round_trip_through_plain_data() -> None:
    assert Formula.from_dict(CONFERENCE.to_dict()) == CONFERENCE


def test_a_formula_with_an_unknown_setting_or_zero_block_is_refused() -> None:
    with pytest.raises(ValueError, match="bonus"):
        Formula.from_dict({"name": "x", "bonus": 1})
    with pytest.raises(ValueError, match="'per' must be at least 1"):
        gc_formula(0)


@settings(deadline=None)  # a busy CI box must not turn slowness into failure
@given(st.integers(0, 20000), st.integers(0, 5000))
def test_more_members_never_means_fewer_delegates_and_the_cap_holds(a: int, more: int) -> None:
    assert conf(a) <= conf(a + more) <= 6


@settings(deadline=None)
@given(st.integers(1, 500), st.integers(0, 100000))
def test_gc_delegates_times_n_just_cover_the_members(per: int, members: int) -> None:
    n = entitlement(gc_formula(per), Figures(members, {})).delegates
    assert n * per >= members > (n - 1) * per or members == n == 0
