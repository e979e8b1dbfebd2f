"""The split of a subscription between levels (finance/apportion.py): exact to the penny by
the stated largest-remainder rule, effective by date, and never changed for a past payment."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.finance.apportion import (
    LEVELS,
    BandSplit,
    NoRule,
    RuleBook,
    RuleError,
    SplitRule,
    apportion,
    fold_absent,
    format_pence,
    largest_remainder,
    parse_pence,
    with_share,
)

D = dt.date
CITED = {"standard": {"rate": 5256, "shares": {"national": 5006, "branch": 250}}}

levels_st = st.lists(st.sampled_from(LEVELS), min_size=1, max_size=4, unique=True).map(
    lambda ls: [lv for lv in LEVELS if lv in ls]
)


@st.composite
def splits(draw: st.DrawFn) -> BandSplit:
    levels = draw(levels_st)
    shares = [draw(st.integers(0, 20000)) for _ in levels]
    if sum(shares) == 0:
        shares[0] = 1
    return BandSplit(sum(shares), tuple(zip(levels, shares, strict=True)))


@st.composite
def rule_books(draw: st.DrawFn) -> list[SplitRule]:
    days = draw(
        st.lists(st.dates(D(2000, 1, 1), D(2040, 1, 1)), min_size=1, max_size=5, unique=True)
    )
    return [SplitRule(day, "GBP", (("standard", draw(splits())),)) for day in sorted(days)]


@given(st.integers(-(10**7), 10**7), splits(), st.lists(st.sampled_from(LEVELS), max_size=4))
def test_every_apportionment_adds_up_to_the_payment_exactly(
    amount: int, split: BandSplit, present: list[str]
) -> None:
    shares = apportion(amount, split, present)
    assert sum(p for _, p in shares) == amount
    weights = fold_absent(split.shares, present)
    total = sum(w for _, w in weights)
    for (level, pence), (wl, w) in zip(shares, weights, strict=True):
        assert level == wl
        assert abs(Fraction(amount) * w / total - pence) < 1  # within a penny of the exact share


@given(rule_books(), st.dates(D(2000, 1, 1), D(2040, 1, 1)), splits(), st.integers(1, 10**6))
def test_a_rule_change_never_alters_a_past_payments_split(
    rules: list[SplitRule], day: dt.date, new: BandSplit, amount: int
) -> None:
    book = RuleBook(rules)
    try:
        before = apportion(amount, book.rule_on(day).band("standard"))
    except NoRule:
        return
    later = max(day, rules[-1].effective_from) + dt.timedelta(days=1)
    changed = RuleBook([*rules, SplitRule(later, "GBP", (("standard", new),))])
    assert changed.rule_on(day) == book.rule_on(day)
    assert apportion(amount, changed.rule_on(day).band("standard")) == before
    assert changed.rule_on(later).band("standard") == new


@given(st.integers(0, 10**6), splits(), st.sampled_from(LEVELS), st.integers(0, 100))
def test_a_what_if_split_also_adds_up_and_gives_the_level_its_percentage(
    amount: int, split: BandSplit, level: str, percent: int
) -> None:
    try:
        weights = with_share(split, level, Fraction(percent, 100))
    except RuleError:  # the level alone shares the band, so nobody would take the rest
        assert [lv for lv, w in split.shares if lv != level and w] == []
        return
    assert sum(w for _, w in weights) == 1
    shares = dict(largest_remainder(amount, weights))
    assert sum(shares.values()) == amount
    assert abs(shares[level] - Fraction(amount * percent, 100)) < 1


def test_the_cited_rule_gives_the_branch_two_pounds_fifty_of_a_years_standard_rate() -> None:
    rule = SplitRule.from_dict(D(2025, 1, 1), "GBP", CITED)
    assert apportion(5256, rule.band("standard")) == (("national", 5006), ("branch", 250))


def test_a_monthly_payment_s_spare_penny_goes_by_largest_remainder() -> None:
    # 438p * 250/5256 = 20.833…p to the branch, * 5006/5256 = 417.166…p to the national level
    rule = SplitRule.from_dict(D(2025, 1, 1), "GBP", CITED)
    assert apportion(438, rule.band("standard")) == (("national", 417), ("branch", 21))


def test_a_tied_penny_goes_to_the_level_nearer_the_member() -> None:
    even = (("national", 1), ("region", 1), ("branch", 1), ("ward", 1))
    assert largest_remainder(1, even) == (
        ("national", 0),
        ("region", 0),
        ("branch", 0),
        ("ward", 1),
    )
    assert largest_remainder(3, even) == (
        ("national", 0),
        ("region", 1),
        ("branch", 1),
        ("ward", 1),
    )
    assert largest_remainder(1, (("national", 1), ("branch", 1))) == (
        ("national", 0),
        ("branch", 1),
    )


def test_a_ward_share_goes_to_the_branch_for_a_member_without_a_ward() -> None:
    split = BandSplit(100, (("national", 70), ("region", 10), ("branch", 10), ("ward", 10)))
    assert apportion(100, split, ["national", "region", "branch"]) == (
        ("national", 70),
        ("region", 10),
        ("branch", 20),
    )
    # a branch directly under the national unit: the region's share goes to the national level
    assert apportion(100, split, ["national", "branch"]) == (("national", 80), ("branch", 20))


def test_the_rule_in_force_is_the_latest_from_on_or_before_the_day() -> None:
    old = SplitRule.from_dict(D(2025, 1, 1), "GBP", CITED)
    new = SplitRule.from_dict(
        D(2025, 7, 1),
        "GBP",
        {"standard": {"rate": 5256, "shares": {"national": 4730, "branch": 526}}},
    )
    book = RuleBook([new, old])
    assert book.rule_on(D(2025, 6, 30)) is old
    assert book.rule_on(D(2025, 7, 1)) is new
    with pytest.raises(NoRule, match="no subscription rule is in force on 2024-12-31"):
        book.rule_on(D(2024, 12, 31))
    with pytest.raises(RuleError, match="two rules take effect on 2025-01-01"):
        RuleBook([old, old])


@pytest.mark.parametrize(
    ("bands", "problem"),
    [
        ({}, "at least one band"),
        (
            {"standard": {"rate": 5256, "shares": {"branch": 250}}},
            "add up to £2.50, not to its rate of £52.56",
        ),
        ({"standard": {"rate": 100, "shares": {"parish": 100}}}, "names parish"),
        ({"standard": {"rate": "52.56", "shares": {"national": 5256}}}, "whole number of pence"),
        ({"standard": {"rate": 100, "shares": {"national": -1, "branch": 101}}}, "between 0 and"),
        ({"stand ard": {"rate": 100, "shares": {"national": 100}}}, "may hold only letters"),
        ({"standard": {"rate": 0, "shares": {"national": 0}}}, "more than nothing"),
        ({"standard": {"rate": 100}}, "exactly a rate and its shares"),
    ],
)
def test_a_malformed_rule_is_refused_naming_the_band_and_problem(
    bands: object, problem: str
) -> None:
    with pytest.raises(RuleError, match=problem):
        SplitRule.from_dict(D(2025, 1, 1), "GBP", bands)  # type: ignore[arg-type]


def test_amounts_are_read_and_written_in_pounds_and_pence() -> None:
    assert parse_pence("52.56") == 5256
    assert parse_pence("£1,052.5") == 105250
    assert parse_pence(" 4 ") == 400
    assert parse_pence("-2.50") == -250
    assert format_pence(5256) == "£52.56"
    assert format_pence(-250) == "-£2.50"
    assert format_pence(123456789) == "£1,234,567.89"
    for bad in ["", "abc", "1.234", "1.2.3", "١٢", "£", "1e5"]:
        with pytest.raises(ValueError):
            parse_pence(bad)
