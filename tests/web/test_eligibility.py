"""Eligibility rules as data: one member with reasons, a whole electorate with counts per reason.

Source of the rules: DOMAIN.md "Members and eligibility" (freeze date, arrears with "may pay on
the day", provisional period, minimum membership length, suspension, branch).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.members.eligibility import (
    Electorate,
    MemberFacts,
    RuleSet,
    decide,
    evaluate,
)
from tests.strategies import member_facts, rule_sets

D = dt.date
JOINED = D(2018, 1, 1)
PAID = D(2030, 1, 1)


def full(join: D = JOINED, paid: D | None = PAID, **kw: object) -> MemberFacts:
    return MemberFacts(
        join_date=join,
        status=kw.get("status", "full"),
        paid_up_to=paid,
        branch_id=kw.get("branch_id", 1),
        branch_name=kw.get("branch_name", "Hillford"),
    )  # type: ignore[arg-type]


def test_a_member_who_joined_after_the_freeze_date_is_told_both_dates() -> None:
    rules = RuleSet(on=D(2020, 9, 1), freeze_date=D(2020, 6, 1))
    d = decide(rules, full(join=D(2020, 7, 3)))
    assert not d.ok
    assert d.reasons == ("joined 3 July 2020, after the freeze date 1 June 2020",)


def test_joining_on_the_freeze_date_itself_is_in_time() -> None:
    rules = RuleSet(on=D(2020, 9, 1), freeze_date=D(2020, 6, 1))
    assert decide(rules, full(join=D(2020, 6, 1))).ok


def test_a_member_in_arrears_is_told_how_far_they_have_paid_and_how_to_fix_it() -> None:
    rules = RuleSet(on=D(2025, 3, 10), paid_up_to=D(2025, 3, 1))
    d = decide(rules, full(paid=D(2025, 1, 31)))
    assert d.reasons == ("in arrears: paid up to 31 January 2025, must be paid up to 1 March 2025",)
    assert d.fixes == ("pay your arrears up to 1 March 2025, before 10 March 2025",)
    assert not d.on_payment


def test_paid_up_to_exactly_the_required_date_is_not_in_arrears() -> None:
    rules = RuleSet(on=D(2025, 3, 10), paid_up_to=D(2025, 3, 1))
    assert decide(rules, full(paid=D(2025, 3, 1))).ok


def test_a_member_with_no_payment_recorded_is_in_arrears() -> None:
    d = decide(RuleSet(on=D(2025, 3, 10), paid_up_to=D(2025, 3, 1)), full(paid=None))
    assert d.keys == ("arrears",)
    assert "no subscription recorded" in d.reasons[0]


def test_where_members_may_pay_on_the_day_arrears_alone_still_allows_taking_part_on_payment() -> (
    None
):
    rules = RuleSet(on=D(2025, 3, 10), paid_up_to=D(2025, 3, 10), may_pay_on_day=True)
    d = decide(rules, full(paid=D(2025, 1, 31)))
    assert not d.ok and d.on_payment
    assert d.fixes == ("pay your arrears up to 10 March 2025, at the latest on that day",)


def test_paying_on_the_day_does_not_cure_another_reason() -> None:
    rules = RuleSet(on=D(2025, 3, 10), paid_up_to=D(2025, 3, 10), may_pay_on_day=True)
    d = decide(rules, full(paid=D(2025, 1, 31), status="suspended"))
    assert not d.on_payment
    assert d.keys == ("suspended", "arrears")


def test_a_member_in_the_provisional_period_is_told_when_it_ends() -> None:
    rules = RuleSet(on=D(2025, 3, 1), provisional_days=56)
    d = decide(rules, full(join=D(2025, 1, 10)))
    assert d.reasons == (
        "still in the provisional period: joined 10 January 2025, "
        "full member from 7 March 2025 (56 days)",
    )
    assert decide(rules, full(join=D(2025, 1, 4))).ok  # 2025-01-04 + 56 days = 2025-03-01


def test_minimum_membership_length_counts_days_up_to_the_date() -> None:
    rules = RuleSet(on=D(2025, 7, 1), min_membership_days=183)
    d = decide(rules, full(join=D(2025, 3, 1)))
    assert d.reasons == ("a member for 122 days on 1 July 2025, needs 183 (joined 1 March 2025)",)


def test_suspended_members_are_excluded_unless_the_rules_say_otherwise() -> None:
    on = D(2025, 1, 1)
    assert decide(RuleSet(on=on), full(status="suspended")).reasons == ("membership suspended",)
    assert decide(RuleSet(on=on, exclude_suspended=False), full(status="suspended")).ok


def test_lapsed_and_expelled_members_may_never_take_part() -> None:
    rules = RuleSet(on=D(2025, 1, 1), exclude_suspended=False)
    assert decide(rules, full(status="lapsed")).reasons == ("membership lapsed",)
    assert decide(rules, full(status="expelled")).reasons == ("membership expelled",)


def test_a_member_of_another_branch_is_told_both_branches() -> None:
    rules = RuleSet(on=D(2025, 1, 1), branch_id=2, branch_name="Moorside")
    d = decide(rules, full(branch_id=1, branch_name="Hillford"))
    assert d.reasons == ("a member of Hillford, not of Moorside",)


def test_every_reason_that_applies_is_given_not_just_the_first() -> None:
    rules = RuleSet(
        on=D(2025, 3, 1), freeze_date=D(2025, 1, 1), paid_up_to=D(2025, 3, 1), provisional_days=56
    )
    d = decide(rules, full(join=D(2025, 2, 1), paid=D(2025, 2, 1), status="provisional"))
    assert d.keys == ("freeze", "provisional", "arrears")
    assert len(d.reasons) == 3


def test_an_unknown_status_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match="'honorary'"):
        decide(RuleSet(on=D(2025, 1, 1)), full(status="honorary"))


def test_a_rule_set_survives_a_round_trip_through_plain_data() -> None:
    rules = RuleSet(
        on=D(2025, 3, 1),
        freeze_date=D(2025, 1, 1),
        paid_up_to=D(2025, 3, 1),
        may_pay_on_day=True,
        provisional_days=56,
        branch_id=4,
        branch_name="X",
    )
    assert RuleSet.from_dict(rules.to_dict()) == rules


def test_a_rule_set_with_an_unknown_setting_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="grace_days"):
        RuleSet.from_dict({"on": "2025-01-01", "grace_days": 3})


def test_the_electorate_counts_each_reason_and_the_eligible() -> None:
    rules = RuleSet(on=D(2025, 3, 1), freeze_date=D(2025, 1, 1), paid_up_to=D(2025, 3, 1))
    members = [
        full(),  # eligible
        full(join=D(2025, 2, 1)),  # freeze
        full(paid=D(2024, 12, 31)),  # arrears
        full(join=D(2025, 2, 1), paid=None),  # freeze and arrears
        full(status="suspended"),  # suspended
    ]
    result = evaluate(rules, Electorate.from_facts(members))
    assert result.eligible.tolist() == [True, False, False, False, False]
    assert result.counts() == {"status": 0, "suspended": 1, "freeze": 2, "arrears": 2}
    assert result.eligible_count == 1


def test_an_empty_electorate_has_no_one_eligible() -> None:
    result = evaluate(RuleSet(on=D(2025, 1, 1)), Electorate.from_facts([]))
    assert result.total == 0 and result.eligible_count == 0


@settings(max_examples=200, deadline=None)
@given(rule_sets(), st.lists(member_facts(), max_size=25))
def test_the_bulk_evaluation_agrees_with_the_one_member_decision(
    rules: RuleSet, members: list[MemberFacts]
) -> None:
    result = evaluate(rules, Electorate.from_facts(members))
    for i, m in enumerate(members):
        d = decide(rules, m)
        assert bool(result.eligible[i]) == d.ok
        assert bool(result.on_payment[i]) == d.on_payment
        assert {k for k, v in result.by_reason.items() if v[i]} == set(d.keys)


@settings(max_examples=200, deadline=None)
@given(rule_sets(), member_facts())
def test_a_decision_is_eligible_exactly_when_it_gives_no_reason(
    rules: RuleSet, m: MemberFacts
) -> None:
    d = decide(rules, m)
    assert d.ok == (d.reasons == ()) == (d.keys == ())
    assert len(d.reasons) == len(d.keys)


@settings(max_examples=100, deadline=None)
@given(rule_sets(), member_facts(), st.integers(1, 400))
def test_paying_more_never_makes_a_member_less_eligible(
    rules: RuleSet, m: MemberFacts, extra: int
) -> None:
    later = m.paid_up_to + dt.timedelta(days=extra) if m.paid_up_to else D(2040, 1, 1)
    paid_more = MemberFacts(m.join_date, m.status, later, m.branch_id)
    assert set(decide(rules, paid_more).keys) <= set(decide(rules, m).keys)


@settings(max_examples=100, deadline=None)
@given(st.lists(member_facts(), max_size=20))
def test_columns_read_from_iso_text_equal_columns_read_from_dates(
    members: list[MemberFacts],
) -> None:
    a = Electorate.from_facts(members)
    b = Electorate.from_iso(
        [m.join_date.isoformat() for m in members],
        [m.paid_up_to.isoformat() if m.paid_up_to else None for m in members],
        [m.status for m in members],
        [m.branch_id for m in members],
    )
    assert a.join.tolist() == b.join.tolist() and a.status.tolist() == b.status.tolist()
    # "no payment" may be stored differently, but it must sort before every real date
    for x, y, m in zip(a.paid_up_to.tolist(), b.paid_up_to.tolist(), members, strict=True):
        assert x == y if m.paid_up_to else (x < 1 and y <= 1)


def test_dates_in_reasons_and_fixes_read_as_the_pages_do_and_none_is_named_twice() -> None:
    same_day = RuleSet(on=D(2025, 3, 10), paid_up_to=D(2025, 3, 10))
    (fix,) = decide(same_day, full(paid=D(2025, 1, 31))).fixes
    assert fix == "pay your arrears up to the day itself, before 10 March 2025"
    assert fix.count("10 March 2025") == 1
    for rules in (same_day, RuleSet(on=D(2025, 3, 10), paid_up_to=D(2025, 3, 1))):
        for text in decide(rules, full(paid=D(2025, 1, 31))).fixes:
            assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
