"""Comparing rule sets on the same ballots, slates, and the transfers derived from stages."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest

from grassroots.count.ballots import election_from_rankings
from grassroots.count.compare import (
    NO_SLATE,
    NON_TRANSFERABLE,
    compare,
    flow_totals,
    slate_seats,
    stage_flows,
)
from grassroots.count.errors import InputError, UnknownRuleError
from grassroots.count.groups import constraint_set_from_names
from grassroots.count.rules import count
from tests.count.report_fixtures import constrained_result

NAMES = ["Ann", "Bob", "Cat", "Dan"]
SLATES = {"Ann": "Red", "Bob": "Red", "Cat": "Blue", "Dan": "Blue"}


def _election():
    """Two seats. 40 Ann>Bob; 10 Bob; 26 Cat>Dan; 24 Dan>Cat (100 valid; Droop quota 34).

    First past the post (first preferences): Ann 40 and Cat 26. Scottish STV: Ann is elected
    with 40 and her surplus of 6 goes to Bob (16); nobody else reaches 34, so Bob is excluded
    (his papers exhaust), then Dan (24), whose papers make Cat 50: Ann and Cat. The block vote
    (top two preferences, one vote each) gives Ann 40 and Bob, Cat and Dan 50 each: Ann loses.
    """
    ballots = [["Ann", "Bob"]] * 40 + [["Bob"]] * 10 + [["Cat", "Dan"]] * 26 + [["Dan", "Cat"]] * 24
    return election_from_rankings(NAMES, 2, ballots, title="Slates example")


def test_compare_shows_who_is_elected_under_each_rule_and_who_differs() -> None:
    comparison = compare(_election(), ["scottish", "fptp"], seed=1)
    assert comparison.rules == ("scottish", "fptp")
    assert comparison.elected_under("scottish") == ("Ann", "Cat")
    assert set(comparison.elected_under("fptp")) == {"Ann", "Cat"}
    assert comparison.elected_by_all == ("Ann", "Cat")
    assert comparison.differs == ()


def test_compare_lists_a_candidate_elected_under_some_rules_only() -> None:
    """Under the block vote Bob, Cat and Dan tie on 50 and Ann (40) is out: the seed picks two
    of the three, and everyone elected under one rule but not the other is listed."""
    comparison = compare(_election(), ["scottish", "block"], seed=1)
    block = set(comparison.elected_under("block"))
    assert "Ann" not in block
    assert set(comparison.differs) == ({"Ann", "Cat"} ^ block)


def test_slate_seats_count_each_slates_winners_under_each_rule() -> None:
    comparison = compare(_election(), ["scottish", "fptp"], seed=1, slates=SLATES)
    assert comparison.slate_seats() == {
        "scottish": {"Red": 1, "Blue": 1},
        "fptp": {"Red": 1, "Blue": 1},
    }


def test_candidates_on_no_slate_are_counted_together() -> None:
    result = count(_election(), "scottish", seed=1)
    assert slate_seats(result, {"Ann": "Red"}) == {"Red": 1, NO_SLATE: 1}


def test_a_single_givers_transfers_are_exact() -> None:
    """Stage 2 of the hand-built result: Bob (30) is excluded; Cat +15, Dan +12, 3 exhaust."""
    flows = [f for f in stage_flows(constrained_result()) if f.stage == 2]
    assert {(f.source, f.target): f.votes for f in flows} == {
        ("Bob Jones", "Cat <script>Smith"): Fraction(15),
        ("Bob Jones", "Dan Wu"): Fraction(12),
        ("Bob Jones", NON_TRANSFERABLE): Fraction(3),
    }
    assert not any(f.apportioned for f in flows)


def test_flows_conserve_what_the_givers_lost_at_every_stage() -> None:
    result = count(_election(), "meek", seed=1)
    flows = stage_flows(result)
    for before, after in zip(result.stages, result.stages[1:], strict=False):
        lost = sum(
            (
                Fraction(before.votes[n] - after.votes[n])
                for n in before.votes
                if after.votes[n] < before.votes[n]
            ),
            Fraction(0),
        )
        moved = sum((f.votes for f in flows if f.stage == after.number), Fraction(0))
        assert moved == lost


def test_when_several_give_at_once_receipts_are_shared_in_proportion() -> None:
    """A bulk exclusion of X (loses 30) and Y (loses 10): Z gains 40; X gave 30, Y gave 10."""
    from grassroots.count.stages import CountResult, Stage

    d = Decimal
    s1 = Stage(1, "first", (), {"X": d(30), "Y": d(10), "Z": d(60)}, d(0))
    s2 = Stage(2, "exclusion", ("X", "Y"), {"X": d(0), "Y": d(0), "Z": d(96)}, d(4))
    result = CountResult("test", 1, ("X", "Y", "Z"), None, ("Z",), (s1, s2), 0)
    flows = {(f.source, f.target): f for f in stage_flows(result)}
    assert flows[("X", "Z")].votes == Fraction(27)
    assert flows[("Y", "Z")].votes == Fraction(9)
    assert flows[("X", NON_TRANSFERABLE)].votes == Fraction(3)
    assert flows[("Y", NON_TRANSFERABLE)].votes == Fraction(1)
    assert all(f.apportioned for f in flows.values())
    assert flow_totals(flows.values(), {"X": "P", "Y": "P", "Z": "Q"}) == {
        ("P", "Q"): Fraction(36),
        ("P", NON_TRANSFERABLE): Fraction(4),
    }


def test_comparison_json_is_serialisable_and_names_positions() -> None:
    comparison = compare(_election(), ["scottish", "fptp"], seed=1, slates=SLATES)
    data = json.loads(json.dumps(comparison.to_dict()))
    assert data["by_candidate"]["Cat"] == {"scottish": 2, "fptp": 2}
    assert data["by_candidate"]["Bob"] == {"scottish": None, "fptp": None}
    assert data["slate_seats"]["scottish"] == {"Red": 1, "Blue": 1}
    flows = {(f["from"], f["to"]): f["votes"] for f in data["slate_flows"]["scottish"]}
    assert flows[("Red", "Red")] == "6.00000"


def test_compare_passes_constraints_to_every_rule() -> None:
    """At least one Red seat and at most one Blue: Ann and Bob, or Ann and Cat, never two Blue."""
    cons = constraint_set_from_names(NAMES, {"blue": ["Cat", "Dan"]}, maxima={"blue": 1})
    comparison = compare(_election(), ["scottish", "meek"], seed=1, constraints=cons)
    assert comparison.constrained
    for rule in comparison.rules:
        assert len({"Cat", "Dan"} & set(comparison.elected_under(rule))) <= 1


def test_compare_refuses_no_rules_a_repeated_rule_and_an_unknown_rule() -> None:
    with pytest.raises(InputError, match="at least one rule"):
        compare(_election(), [])
    with pytest.raises(InputError, match="named twice"):
        compare(_election(), ["scottish", "scottish"])
    with pytest.raises(UnknownRuleError):
        compare(_election(), ["scottish", "nonsense"])


def test_compare_refuses_slates_naming_someone_not_standing() -> None:
    with pytest.raises(InputError, match="'Zed'"):
        compare(_election(), ["scottish"], slates={"Zed": "Red"})


def test_slate_flows_by_stage_add_up_to_the_whole_counts_flows() -> None:
    """Scottish: stage 2 moves Ann's surplus of 6 to Bob (Red to Red); the per-stage flows
    summed over stages equal the flows over the whole count."""
    comparison = compare(_election(), ["scottish"], seed=1, slates=SLATES)
    by_stage = comparison.slate_flows_by_stage("scottish")
    assert by_stage[(2, "Red", "Red")] == Fraction(6)
    summed: dict[tuple[str, str], Fraction] = {}
    for (_, src, dst), amount in by_stage.items():
        summed[(src, dst)] = summed.get((src, dst), Fraction(0)) + amount
    assert summed == comparison.slate_flows("scottish")
    rows = comparison.to_dict()["slate_flows_by_stage"]["scottish"]
    assert {"stage": 2, "from": "Red", "to": "Red", "votes": "6.00000"} in rows
