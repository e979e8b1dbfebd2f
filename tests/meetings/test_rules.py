"""The meetings' pure rules: notice deadlines across zones and clock changes, quorum, majorities
(show of hands and exact card votes) and requisitions."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.meetings.majority import (
    ABSOLUTE,
    SIMPLE,
    TWO_THIRDS,
    MajorityRule,
    Tally,
    card_tally,
    card_weights,
    decide,
)
from grassroots.meetings.notice import NoticeRule, is_late, late_arrival_cutoff, notice_deadline
from grassroots.meetings.quorum import QuorumRule, change, quorum
from grassroots.meetings.requisition import RequisitionRule, requisition_status

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC


def at(zone: ZoneInfo, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zone)


# --- notice ---------------------------------------------------------------------------------


def test_clear_days_exclude_the_day_of_notice_and_the_day_of_the_meeting() -> None:
    start = at(LONDON, 2026, 12, 17, 19, 0)  # a Thursday evening, GMT
    deadline = notice_deadline(NoticeRule(7, "clear days"), start, LONDON)
    assert deadline == at(LONDON, 2026, 12, 10, 0, 0)  # notice by the end of the 9th
    assert not is_late(at(LONDON, 2026, 12, 9, 23, 59), deadline)
    assert is_late(at(LONDON, 2026, 12, 10, 0, 0), deadline)


def test_days_count_the_day_notice_is_given() -> None:
    start = at(LONDON, 2026, 12, 17, 19, 0)
    deadline = notice_deadline(NoticeRule(7, "days"), start, LONDON)
    assert deadline == at(LONDON, 2026, 12, 11, 0, 0)  # notice on the 10th is in time
    assert not is_late(at(LONDON, 2026, 12, 10, 23, 0), deadline)


def test_a_change_of_the_clocks_moves_neither_the_day_nor_the_hour_of_a_deadline() -> None:
    # Clocks go forward in London on 28 March 2027: notice given in GMT, meeting held in BST.
    start = at(LONDON, 2027, 4, 1, 19, 0)
    assert start.utcoffset() == dt.timedelta(hours=1)
    deadline = notice_deadline(NoticeRule(7, "clear days"), start, LONDON)
    assert deadline == at(LONDON, 2027, 3, 25, 0, 0)
    assert deadline.utcoffset() == dt.timedelta(0)
    assert deadline.astimezone(UTC) == dt.datetime(2027, 3, 25, 0, 0, tzinfo=UTC)
    # and back in October: notice given in BST, meeting in GMT
    start = at(LONDON, 2026, 10, 29, 19, 0)
    deadline = notice_deadline(NoticeRule(7, "clear days"), start, LONDON)
    assert deadline.astimezone(UTC) == dt.datetime(2026, 10, 21, 23, 0, tzinfo=UTC)  # midnight BST


def test_a_notice_period_in_hours_is_elapsed_time_across_a_change_of_the_clocks() -> None:
    start = at(LONDON, 2027, 3, 29, 19, 0)  # BST: 18:00 UTC
    deadline = notice_deadline(NoticeRule(48, "hours"), start, LONDON)
    exactly = dt.datetime(2027, 3, 27, 18, 0, tzinfo=UTC)  # 18:00 GMT: 25 wall-clock hours apart
    assert not is_late(exactly, deadline)
    assert is_late(exactly + dt.timedelta(microseconds=1), deadline)


def test_the_meeting_days_zone_decides_the_deadline_for_the_same_instant() -> None:
    start = dt.datetime(2026, 12, 10, 3, 0, tzinfo=UTC)  # 10 Dec in London, 9 Dec in New York
    rule = NoticeRule(7, "clear days")
    assert notice_deadline(rule, start, LONDON) == at(LONDON, 2026, 12, 3, 0, 0)
    assert notice_deadline(rule, start, NEW_YORK) == at(NEW_YORK, 2026, 12, 2, 0, 0)
    assert notice_deadline(rule, start, NEW_YORK).astimezone(UTC).hour == 5


def test_a_deadline_at_a_midnight_the_clocks_skip_is_a_real_instant() -> None:
    santiago = ZoneInfo("America/Santiago")  # clocks jump from 24:00 to 01:00
    start = at(santiago, 2026, 9, 13, 19, 0)
    deadline = notice_deadline(NoticeRule(7, "clear days"), start, santiago)
    assert deadline.astimezone(UTC).astimezone(santiago) == deadline
    assert deadline.date() == dt.date(2026, 9, 6)


def test_naive_datetimes_are_refused_as_their_instant_is_unknown() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        notice_deadline(NoticeRule(7), dt.datetime(2026, 12, 17, 19, 0), LONDON)


def test_notice_rules_read_as_a_rule_book_says_them() -> None:
    assert NoticeRule(7).describe() == "7 clear days' notice"
    assert NoticeRule(1, "days").describe() == "1 day's notice"
    assert NoticeRule(48, "hours").describe() == "48 hours' notice"
    with pytest.raises(ValueError, match="negative"):
        NoticeRule(-1)


def test_the_late_arrival_cut_off_is_minutes_after_the_start() -> None:
    start = at(LONDON, 2026, 12, 17, 19, 0)
    assert late_arrival_cutoff(start, 15) == at(LONDON, 2026, 12, 17, 19, 15)
    assert late_arrival_cutoff(start, None) is None


zones = st.sampled_from([LONDON, NEW_YORK, ZoneInfo("Australia/Sydney"), ZoneInfo("UTC")])


@given(
    naive=st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1)),
    start_zone=zones,
    zone=zones,
    days=st.integers(0, 60),
)
def test_clear_days_are_one_day_stricter_than_days_and_fall_on_a_local_midnight(
    naive: dt.datetime, start_zone: ZoneInfo, zone: ZoneInfo, days: int
) -> None:
    start = naive.replace(tzinfo=start_zone)
    clear = notice_deadline(NoticeRule(days, "clear days"), start, zone).astimezone(zone)
    plain = notice_deadline(NoticeRule(days, "days"), start, zone).astimezone(zone)
    assert plain.date() - clear.date() == dt.timedelta(days=1)
    assert (clear.hour, clear.minute) == (0, 0) and (plain.hour, plain.minute) == (0, 0)
    meeting_day = start.astimezone(zone).date()
    assert (meeting_day - clear.date()).days == days
    assert not is_late(clear - dt.timedelta(microseconds=1), clear)


# --- quorum ---------------------------------------------------------------------------------


def test_a_fraction_of_those_entitled_is_rounded_up() -> None:
    rule = QuorumRule(fraction=Fraction(1, 3))
    assert rule.required(28) == 10
    assert rule.required(27) == 9
    state = quorum(rule, present=9, entitled=28)
    assert not state.quorate and state.short_by == 1
    assert "9.33, rounded up" in state.working and "inquorate, 1 short" in state.working


def test_both_a_number_and_a_fraction_require_the_larger_and_either_the_smaller() -> None:
    both = QuorumRule(number=15, fraction=Fraction(1, 10), combine="both")
    either = QuorumRule(number=15, fraction=Fraction(1, 10), combine="either")
    assert both.required(2100) == 210 and either.required(2100) == 15
    assert both.required(60) == 15 and either.required(60) == 6
    assert "the larger applies" in quorum(both, present=20, entitled=2100).working


def test_an_arrival_regains_the_quorum_and_a_departure_loses_it() -> None:
    rule = QuorumRule(number=5)
    four, five = quorum(rule, present=4, entitled=30), quorum(rule, present=5, entitled=30)
    assert change(four, five) == "regained"
    assert change(five, four) == "lost"
    assert change(five, quorum(rule, present=6, entitled=30)) is None


@given(
    number=st.integers(0, 50),
    num=st.integers(1, 10),
    den=st.integers(1, 10),
    entitled=st.integers(0, 5000),
)
def test_more_people_present_never_loses_a_quorum(
    number: int, num: int, den: int, entitled: int
) -> None:
    if num > den:
        num, den = den, num
    for combine in ("both", "either"):
        rule = QuorumRule(number=number, fraction=Fraction(num, den), combine=combine)  # type: ignore[arg-type]
        need = rule.required(entitled)
        assert quorum(rule, present=need, entitled=entitled).quorate
        if need:
            assert not quorum(rule, present=need - 1, entitled=entitled).quorate


# --- majorities and votes -------------------------------------------------------------------


def test_a_simple_majority_is_more_than_half_of_those_voting_and_a_tie_is_lost() -> None:
    assert decide(SIMPLE, Tally(11, 10, 40)).carried  # abstentions are not votes
    tie = decide(SIMPLE, Tally(10, 10, 1))
    assert not tie.carried and tie.tied and "tied, so not carried" in tie.working


def test_two_thirds_is_met_at_exactly_two_thirds() -> None:
    assert decide(TWO_THIRDS, Tally(20, 10, 5)).carried
    assert not decide(TWO_THIRDS, Tally(19, 10, 5)).carried


def test_an_absolute_majority_of_those_present_counts_abstentions_against() -> None:
    tally = Tally(30, 10, 25)
    assert decide(SIMPLE, tally).carried
    outcome = decide(ABSOLUTE, tally, present=65)
    assert not outcome.carried and outcome.needed == Fraction(65, 2)
    with pytest.raises(ValueError, match="number present is needed"):
        decide(ABSOLUTE, tally)
    with pytest.raises(ValueError, match="more votes were cast"):
        decide(ABSOLUTE, tally, present=60)


def test_a_majority_of_those_entitled_counts_those_absent() -> None:
    rule = MajorityRule("majority of the whole committee", Fraction(1, 2), "entitled")
    assert not decide(rule, Tally(30, 0, 0), present=30, entitled=60).carried
    assert decide(rule, Tally(31, 0, 0), present=31, entitled=60).carried


def test_no_votes_for_never_carries() -> None:
    at_least_half = MajorityRule("half", Fraction(1, 2), "voting", strict=False)
    assert not decide(at_least_half, Tally(0, 0, 3)).carried


def test_card_votes_share_a_bodys_card_exactly_among_its_delegates_present() -> None:
    cards = {"unison": 1000, "gmb": 501, "socialist-society": 12}
    delegates = {
        "ann": "unison",
        "bob": "unison",
        "cat": "unison",
        "dan": "gmb",
        "eve": "socialist-society",
    }
    weights = card_weights(cards, delegates, present={"ann", "bob", "cat", "dan"})
    assert weights == {
        "ann": Fraction(1000, 3),
        "bob": Fraction(1000, 3),
        "cat": Fraction(1000, 3),
        "dan": 501,
    }
    tally = card_tally({"ann": "for", "bob": "for", "cat": "against", "dan": "against"}, weights)
    assert tally.for_ == Fraction(2000, 3) and tally.against == Fraction(1000, 3) + 501
    # two hands each way would tie; the cards say 666⅔ for and 834⅓ against
    outcome = decide(SIMPLE, tally)
    assert not outcome.carried and not outcome.tied and outcome.needed == Fraction(1501, 2)


def test_a_delegate_without_a_card_cannot_vote_and_choices_are_checked() -> None:
    weights = card_weights({"gmb": 10}, {"dan": "gmb"}, present={"dan", "visitor"})
    assert "visitor" not in weights
    with pytest.raises(ValueError, match="carries no card"):
        card_tally({"visitor": "for"}, weights)
    with pytest.raises(ValueError, match="not for, against or abstain"):
        card_tally({"dan": "maybe"}, weights)  # type: ignore[dict-item]


@given(
    cards=st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 10**6), min_size=1),
    data=st.data(),
)
def test_a_card_vote_casts_exactly_the_cards_of_the_bodies_present(
    cards: dict[str, int], data: st.DataObject
) -> None:
    delegates = {f"{b}{i}": b for b in cards for i in range(data.draw(st.integers(1, 4)))}
    present = data.draw(st.sets(st.sampled_from(sorted(delegates))))
    weights = card_weights(cards, delegates, present)
    votes = {d: data.draw(st.sampled_from(["for", "against", "abstain"])) for d in present}
    tally = card_tally(votes, weights)  # type: ignore[arg-type]
    bodies_present = {delegates[d] for d in present}
    assert tally.for_ + tally.against + tally.abstain == sum(cards[b] for b in bodies_present)


# --- requisitions ---------------------------------------------------------------------------


def test_a_requisition_is_met_by_any_one_of_its_thresholds() -> None:
    rule = RequisitionRule(members=50, fraction_of_branches=Fraction(1, 3), call_within_days=21)
    short = requisition_status(
        rule, member_signatures=49, members=2100, branch_signatures=3, branches=10
    )
    assert not short.met and short.call_by is None
    assert short.lines == (
        "49 of 50 members' signatures needed",
        "3 of 4 branches needed (1/3 of 10 branches)",
    )
    met = requisition_status(
        rule,
        member_signatures=12,
        members=2100,
        branch_signatures=4,
        branches=10,
        met_on=dt.date(2026, 12, 5),
    )
    assert met.met and met.call_by == dt.date(2026, 12, 26)


def test_a_fraction_of_members_is_rounded_up_and_bad_counts_are_refused() -> None:
    rule = RequisitionRule(fraction_of_members=Fraction(1, 10))
    assert not requisition_status(rule, member_signatures=210, members=2101).met
    assert requisition_status(rule, member_signatures=211, members=2101).met
    with pytest.raises(ValueError, match="more signatures"):
        requisition_status(rule, member_signatures=5, members=4)
    with pytest.raises(ValueError, match="at least one threshold"):
        RequisitionRule()


def test_the_meeting_rules_never_import_django() -> None:
    code = (
        "import sys, grassroots.meetings.notice, grassroots.meetings.quorum, "
        "grassroots.meetings.majority, grassroots.meetings.requisition; "
        "print('django' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "False"


# --- procedure and amendments ---------------------------------------------------------------


def test_adjournment_is_decided_before_every_other_procedural_motion() -> None:
    from grassroots.meetings.procedure import decide_first

    assert decide_first(["refer_back", "move_to_vote", "adjourn"]) == "adjourn"
    assert decide_first(["refer_back", "next_business"]) == "next_business"
    assert decide_first([]) is None
    with pytest.raises(ValueError, match="not a procedural motion: filibuster"):
        decide_first(["filibuster"])


@given(st.text(max_size=60), st.text(max_size=60))
def test_an_amendments_change_rebuilds_both_texts(before: str, after: str) -> None:
    from grassroots.meetings.procedure import text_change

    change = text_change(before, after)
    assert "".join(c.text for c in change if c.op != "insert") == before
    assert "".join(c.text for c in change if c.op != "delete") == after
