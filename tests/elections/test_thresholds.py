"""Nomination thresholds as data (DOMAIN.md "Nominations"), with reasons."""

from __future__ import annotations

import pytest

from grassroots.elections.thresholds import Body, describe, met

LEADERSHIP = {
    "all": [
        {"kind": "mp", "percent": 10},
        {
            "any": [
                {"kind": "branch", "percent": 5},
                {"kind": "affiliate", "count": 3, "subkind": "union", "subcount": 2},
            ]
        },
    ]
}
TOTALS = {"mp": 200, "branch": 600, "affiliate": 12}


def bodies(kind: str, n: int, subkind: str = "") -> list[Body]:
    return [Body(f"{kind} {i}", kind, subkind) for i in range(n)]


def test_five_branch_nominations_is_met_by_five_and_not_by_four() -> None:
    rule = {"kind": "branch", "count": 5}
    assert met(rule, bodies("branch", 5), TOTALS).ok
    out = met(rule, bodies("branch", 4), TOTALS)
    assert not out.ok
    assert out.reasons == ("5 branch nominations: 4 not met",)


def test_ten_percent_of_mps_rounds_up() -> None:
    assert met({"kind": "mp", "percent": 10}, bodies("mp", 20), TOTALS).ok
    assert not met({"kind": "mp", "percent": 10}, bodies("mp", 19), TOTALS).ok
    assert met({"kind": "mp", "percent": 10}, bodies("mp", 2), {"mp": 11}).ok  # ceil(1.1) = 2


def test_leadership_rule_mps_plus_branches() -> None:
    assert met(LEADERSHIP, bodies("mp", 20) + bodies("branch", 30), TOTALS).ok


def test_leadership_rule_mps_plus_three_affiliates_of_which_two_unions() -> None:
    two_unions = bodies("affiliate", 2, "union") + bodies("affiliate", 1, "society")
    assert met(LEADERSHIP, bodies("mp", 20) + two_unions, TOTALS).ok
    one_union = bodies("affiliate", 1, "union") + bodies("affiliate", 2, "society")
    out = met(LEADERSHIP, bodies("mp", 20) + one_union, TOTALS)
    assert not out.ok
    assert any("of which 2 union: 1 not met" in r for r in out.reasons)


def test_leadership_rule_fails_without_enough_mps_whatever_else() -> None:
    assert not met(LEADERSHIP, bodies("mp", 19) + bodies("branch", 600), TOTALS).ok


def test_the_threshold_reads_as_words() -> None:
    assert describe(LEADERSHIP) == (
        "10% of mp bodies plus (5% of branch bodies or 3 affiliate nominations of which 2 union)"
    )


def test_an_empty_threshold_needs_no_nominations() -> None:
    assert met({}, [], TOTALS).ok


def test_a_malformed_threshold_names_the_problem() -> None:
    with pytest.raises(ValueError, match="needs a kind and a count or percent"):
        met({"kind": "branch"}, [], TOTALS)


def test_the_public_tally_applies_subkinds_given_per_body(org: object) -> None:
    from grassroots.elections import actions as election_actions
    from grassroots.members import actions as member_actions
    from tests.elections.conftest import make_election

    s = make_election(
        org,  # type: ignore[arg-type]
        open_voting=False,
        nominating_kinds=["branch", "affiliate"],
        threshold={
            "any": [
                {"kind": "branch", "count": 2},
                {"kind": "affiliate", "count": 1, "subkind": "union", "subcount": 1},
            ]
        },
        body_subkinds={"unite": "union"},
    )
    union = member_actions.create_unit(
        kind="affiliate", code="unite", name="Unite", parent=s.org.national, by=None
    )
    from tests.elections.conftest import DAY, NOW

    tally = {c.name: o.ok for c, _, o in election_actions.nomination_tally(s.election)}
    assert tally["Alice Able"] is False
    election_actions.record_nomination(
        s.election, body=union, candidate=s.candidates["Alice Able"], by=None, now=NOW - 5 * DAY
    )
    tally = {c.name: o.ok for c, _, o in election_actions.nomination_tally(s.election)}
    assert tally["Alice Able"] is True
    assert tally["Bea Bold"] is False
