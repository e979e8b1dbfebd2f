"""Hand-worked representation-constraint examples, run against every STV rule set.

Each example is small enough to count by hand; its docstring shows the working. They follow
DOMAIN.md "Representation constraints" and issue 3: a candidate who reaches the quota but
whose election would make a constraint impossible is excluded instead (its own "constraint"
stage), and when the seats left only just suffice, candidates who can no longer be elected
are excluded together in one "constraint" stage; their papers transfer as in an exclusion.

Every rule module is required by the deadline; one not yet there is skipped by name.
"""

from __future__ import annotations

import importlib.util

import pytest

from grassroots.count.ballots import election_from_rankings
from grassroots.count.errors import ConstraintError
from grassroots.count.groups import constraint_set_from_names
from grassroots.count.rules import RULES, count
from grassroots.count.stages import CountResult

STV_RULES = ["scottish", "ers97", "meek", "warren"]


def _rule(name: str) -> str:
    module = RULES[name][0]
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"rule module {module} is not there yet")
    return name


@pytest.fixture(params=STV_RULES)
def stv(request: pytest.FixtureRequest) -> str:
    return _rule(request.param)


def _ballots(spec: list[tuple[int, list[str]]]) -> list[list[str]]:
    return [ranking for weight, ranking in spec for _ in range(weight)]


def _constraint_stages(result: CountResult) -> list[tuple[str, ...]]:
    return [s.subject for s in result.stages if s.action == "constraint"]


def _check_totals(result: CountResult) -> None:
    for s in result.stages:
        assert s.total == result.valid_votes, f"stage {s.number} loses votes"


def test_a_man_reaching_the_quota_is_excluded_when_electing_him_would_break_the_minimum(
    stv: str,
) -> None:
    """Two seats, at least one to a woman; two men reach the quota at stage 1.

    Votes: 40 M1; 35 M2>W2; 15 W1; 10 W2 (100 valid; quota 34 under Droop, 33.33.. under
    Meek). M1 and M2 both reach it. Electing M1 leaves one seat for W1 or W2: fine. Electing
    M2 as well would fill both seats with men, so M2 is excluded in a "constraint" stage and
    his 35 papers go to W2 (45), who is elected. Unconstrained, M1 and M2 win.
    """
    names = ["M1", "M2", "W1", "W2"]
    election = election_from_rankings(
        names, 2, _ballots([(40, ["M1"]), (35, ["M2", "W2"]), (15, ["W1"]), (10, ["W2"])])
    )
    cons = constraint_set_from_names(names, {"women": ["W1", "W2"]}, minima={"women": 1})
    plain = count(election, stv, seed=1)
    assert set(plain.elected) == {"M1", "M2"}
    result = count(election, stv, seed=1, constraints=cons)
    assert result.elected[0] == "M1"
    assert set(result.elected) == {"M1", "W2"}
    assert _constraint_stages(result) == [("M2",)]
    stage = next(s for s in result.stages if s.action == "constraint")
    assert "women" in stage.note
    assert "M2" in stage.excluded
    later = result.stages[stage.number - 1 :]
    # M2's papers reach W2 at full value: in the constraint stage itself (WIGM rules) or
    # in the next round (Meek, whose keep factors move papers when it iterates again).
    assert max(s.votes["W2"] for s in later) >= 45
    _check_totals(result)


def test_men_are_excluded_together_when_the_seats_left_only_just_suffice_for_women(
    stv: str,
) -> None:
    """Three seats, at least two to women; after M1 is elected two seats remain, two needed.

    Votes: 34 M1; 22 M2; 20 M3>W2; 14 W1; 10 W2 (100 valid; quota 26 under Droop, 25 under
    ERS97). Stage 1 elects M1 (34): one man, two seats left, two women still needed. M2 and M3
    are below the quota but can no longer be elected without breaking the minimum, so both
    are excluded in one "constraint" stage; M3's papers go to W2. W1 and W2 fill the seats.
    """
    names = ["M1", "M2", "M3", "W1", "W2"]
    election = election_from_rankings(
        names,
        3,
        _ballots([(34, ["M1"]), (22, ["M2"]), (20, ["M3", "W2"]), (14, ["W1"]), (10, ["W2"])]),
    )
    cons = constraint_set_from_names(names, {"women": ["W1", "W2"]}, minima={"women": 2})
    result = count(election, stv, seed=1, constraints=cons)
    assert set(result.elected) == {"M1", "W1", "W2"}
    assert result.elected[0] == "M1"
    assert [set(s) for s in _constraint_stages(result)] == [{"M2", "M3"}]
    stage = next(s for s in result.stages if s.action == "constraint")
    assert set(stage.excluded) == {"M2", "M3"}
    assert "women" in stage.note
    assert "reached the quota" not in stage.note, "neither M2 nor M3 reached the quota"
    _check_totals(result)


def test_a_maximum_excludes_the_rest_of_the_group_once_it_is_reached(stv: str) -> None:
    """Two seats, at most one to London; A1 (London) is elected, so A2 (London) must go.

    Votes: 40 A1; 30 B1; 20 A2>B2; 10 B2 (100 valid; quota 34). Stage 1 elects A1. With
    London's one seat taken, A2 can no longer be elected: a "constraint" stage excludes A2 and
    her 20 papers go to B2 (30). Unconstrained, B2 (10) is excluded first, then A2 (20) gives
    B2's... no: A2's papers to B2, who was already out, so they exhaust, and B1 wins; with
    the constraint B1 and B2 tie on 30 and one is excluded, so only the elected set is
    checked: A1 and one candidate outside London.
    """
    names = ["A1", "A2", "B1", "B2"]
    election = election_from_rankings(
        names, 2, _ballots([(40, ["A1"]), (30, ["B1"]), (20, ["A2", "B2"]), (10, ["B2"])])
    )
    cons = constraint_set_from_names(names, {"london": ["A1", "A2"]}, maxima={"london": 1})
    result = count(election, stv, seed=1, constraints=cons)
    assert result.elected[0] == "A1"
    assert "A2" not in result.elected
    assert len(result.elected) == 2
    assert _constraint_stages(result)[0] == ("A2",)
    _check_totals(result)


def test_a_maximum_blocks_a_second_group_member_who_reaches_the_quota(stv: str) -> None:
    """Two seats, at most one to London; both Londoners reach the quota at stage 1.

    Votes: 40 A1; 35 A2>B2; 15 B1; 10 B2 (quota 34). A1 is elected first (more votes); A2
    would be London's second, so A2 is excluded instead and her papers make B2 45: elected.
    """
    names = ["A1", "A2", "B1", "B2"]
    election = election_from_rankings(
        names, 2, _ballots([(40, ["A1"]), (35, ["A2", "B2"]), (15, ["B1"]), (10, ["B2"])])
    )
    cons = constraint_set_from_names(names, {"london": ["A1", "A2"]}, maxima={"london": 1})
    result = count(election, stv, seed=1, constraints=cons)
    assert set(result.elected) == {"A1", "B2"}
    assert _constraint_stages(result) == [("A2",)]
    assert "london" in next(s for s in result.stages if s.action == "constraint").note
    _check_totals(result)


def test_a_constraint_that_never_binds_leaves_the_count_unchanged(stv: str) -> None:
    """At least one woman among two seats, and W1 tops the poll: the count is the plain one.

    Votes: 40 W1; 35 M1; 15 M2; 10 W2. W1 is elected at stage 1, the minimum is met at once
    and nothing else is ever blocked, so every stage equals the unconstrained count's.
    """
    names = ["W1", "M1", "M2", "W2"]
    election = election_from_rankings(
        names, 2, _ballots([(40, ["W1"]), (35, ["M1"]), (15, ["M2", "M1"]), (10, ["W2"])])
    )
    cons = constraint_set_from_names(names, {"women": ["W1", "W2"]}, minima={"women": 1})
    plain = count(election, stv, seed=3)
    result = count(election, stv, seed=3, constraints=cons)
    assert result.elected == plain.elected
    assert result.stages == plain.stages


def test_a_minimum_larger_than_the_group_is_refused_before_counting(stv: str) -> None:
    """Only two women stand, so "at least three women" can never be met: refused up front."""
    names = ["M1", "M2", "W1", "W2"]
    election = election_from_rankings(names, 3, [["M1"], ["W1"], ["M2"], ["W2"]])
    cons = constraint_set_from_names(names, {"women": ["W1", "W2"]}, minima={"women": 3})
    with pytest.raises(ConstraintError, match="only 2 candidate"):
        count(election, stv, seed=1, constraints=cons)


def test_constraints_that_cannot_hold_together_are_refused_before_counting(stv: str) -> None:
    """Two seats; at least two women and at least one Londoner, but no woman is in London."""
    names = ["M1", "M2", "W1", "W2"]
    election = election_from_rankings(names, 2, [["M1"], ["W1"], ["M2"], ["W2"]])
    cons = constraint_set_from_names(
        names,
        {"women": ["W1", "W2"], "london": ["M1"]},
        minima={"women": 2, "london": 1},
    )
    with pytest.raises(ConstraintError, match="cannot all be met together"):
        count(election, stv, seed=1, constraints=cons)


def test_irv_honours_a_minimum_for_its_single_seat() -> None:
    """One seat that must go to a woman: IRV excludes the men in a constraint stage.

    Votes: 45 M1; 35 W1; 20 W2>M1. Unconstrained M1 wins (65 after W2 goes); with "at least
    one woman" every man is excluded at once and W1 wins.
    """
    rule = _rule("irv")
    names = ["M1", "W1", "W2"]
    election = election_from_rankings(
        names, 1, _ballots([(45, ["M1"]), (35, ["W1"]), (20, ["W2", "M1"])])
    )
    assert count(election, rule, seed=1).elected == ("M1",)
    cons = constraint_set_from_names(names, {"women": ["W1", "W2"]}, minima={"women": 1})
    result = count(election, rule, seed=1, constraints=cons)
    assert result.elected == ("W1",)
    assert any(s.action == "constraint" and "M1" in s.subject for s in result.stages)


def test_each_constraint_stage_note_names_the_branch_that_forced_it(
    stv: str,
) -> None:
    """A blocked quota-winner and then a forced exclusion, each with its own kind of note.

    Votes: 30 M1; 26 M2; 20 M3>W2; 14 W1; 10 W2; three seats, at least two women. Stage 1:
    M1 (30) and M2 (26) reach the quota (26 Droop, 25 ERS97, 25+ under Meek). M1 is elected;
    M2 would leave one seat for two women, so M2 is excluded as a blocked quota-winner.
    Then M3 (20, below the quota) can no longer be elected and is excluded: that note must
    not claim M3 reached the quota.
    """
    names = ["M1", "M2", "M3", "W1", "W2"]
    election = election_from_rankings(
        names,
        3,
        _ballots([(30, ["M1"]), (26, ["M2"]), (20, ["M3", "W2"]), (14, ["W1"]), (10, ["W2"])]),
    )
    cons = constraint_set_from_names(names, {"women": ["W1", "W2"]}, minima={"women": 2})
    result = count(election, stv, seed=1, constraints=cons)
    assert set(result.elected) == {"M1", "W1", "W2"}
    stages = [s for s in result.stages if s.action == "constraint"]
    assert stages[0].subject == ("M2",)
    m3 = next(s for s in stages if "M3" in s.subject)
    assert "women" in m3.note
    assert "reached the quota" not in m3.note, f"M3 had 20 votes, below the quota: {m3.note!r}"
    _check_totals(result)


def test_the_only_woman_left_is_not_excluded_as_the_lowest_when_a_seat_must_go_to_a_woman(
    stv: str,
) -> None:
    """Two seats, at least one woman; nobody reaches the quota and the one woman is lowest.

    Votes: 33 M1; 31 M2; 26 M3>M2; 10 W1 (100 valid; quota 34). Nobody is elected at stage 1.
    W1 has the fewest votes, but excluding her would make the minimum impossible, so M3 (the
    next lowest) is excluded instead (``ConstraintSet.excludable``); his papers make M2 57,
    elected. One seat is left and it must go to W1: M1 is excluded by the constraint and W1
    is elected. Without that protection the rule excludes W1 and then every man, electing
    nobody.
    """
    names = ["M1", "M2", "M3", "W1"]
    election = election_from_rankings(
        names, 2, _ballots([(33, ["M1"]), (31, ["M2"]), (26, ["M3", "M2"]), (10, ["W1"])])
    )
    cons = constraint_set_from_names(names, {"women": ["W1"]}, minima={"women": 1})
    result = count(election, stv, seed=1, constraints=cons)
    assert set(result.elected) == {"M2", "W1"}
    assert not any("W1" in s.excluded for s in result.stages)
    _check_totals(result)


def test_a_binding_maximum_changes_the_stages_even_when_the_plain_result_meets_it(
    stv: str,
) -> None:
    """Why "constrained count identical to the plain one" cannot hold in general.

    Votes: 40 A1; 30 B1; 20 A2; 10 B2, all plumped; two seats; at most one Londoner (A1, A2).
    Plain count: A1 elected (40), B2 and then A2 excluded, B1 elected: A1 and B1, one
    Londoner, so the plain result already meets the maximum. Constrained: once A1 is elected,
    A2 can no longer be elected and is excluded at once in a "constraint" stage. The same
    people are elected, through different stages (docs/notes/constraints.md).
    """
    names = ["A1", "A2", "B1", "B2"]
    election = election_from_rankings(
        names, 2, _ballots([(40, ["A1"]), (30, ["B1"]), (20, ["A2"]), (10, ["B2"])])
    )
    cons = constraint_set_from_names(names, {"london": ["A1", "A2"]}, maxima={"london": 1})
    plain = count(election, stv, seed=1)
    result = count(election, stv, seed=1, constraints=cons)
    assert set(plain.elected) == set(result.elected) == {"A1", "B1"}
    assert result.stages != plain.stages
    assert ("A2",) in _constraint_stages(result)


def test_candidates_excluded_by_a_constraint_hold_no_votes_in_later_stages(
    stv: str,
) -> None:
    """Edinburgh 2017 Ward 1 (examples/), four seats, at least two of the two women.

    After Lang, Young and Hutchison are elected one seat is left and Mitchell must take it:
    the six other continuing candidates are excluded by the constraint. From the stage after
    that exclusion on (Meek moves papers when it iterates next), each of them holds 0 votes,
    as the Stage contract says (excluded ones at 0), and Mitchell is elected.
    """
    from pathlib import Path

    from grassroots.count.formats import blt

    example = Path(__file__).resolve().parents[2] / "examples" / "edinburgh-2017-ward1.blt"
    election = blt.read(example)
    women = ["Pamela MITCHELL (SNP)", "Louise YOUNG (LD)"]
    cons = constraint_set_from_names(election.candidates, {"women": women}, minima={"women": 2})
    result = count(election, stv, seed=1, constraints=cons)
    assert set(women) <= set(result.elected)
    stage = next(s for s in result.stages if s.action == "constraint")
    for later in result.stages[stage.number :]:
        for name in stage.excluded:
            assert later.votes[name] == 0, f"{name} holds votes at stage {later.number}"


def test_a_bulk_exclusion_never_takes_out_every_candidate_a_minimum_needs(
    stv: str,
) -> None:
    """Two seats, at least one woman; the two women are the two lowest, far behind.

    Votes: 30 M1; 29 M2; 28 M3; 8 W1; 5 W2 (100 valid; nobody reaches the quota). W1 + W2 = 13
    is less than M3's 28, so a rule that excludes the lowest together (ERS97 5.2.5) would
    take out both women at once, although each alone may go. Only one may: W2 is excluded,
    W1 is kept in, and in the end W1 takes a seat.
    """
    names = ["M1", "M2", "M3", "W1", "W2"]
    election = election_from_rankings(
        names,
        2,
        _ballots([(30, ["M1"]), (29, ["M2"]), (28, ["M3"]), (8, ["W1"]), (5, ["W2"])]),
    )
    cons = constraint_set_from_names(names, {"women": ["W1", "W2"]}, minima={"women": 1})
    result = count(election, stv, seed=1, constraints=cons)
    assert "W1" in result.elected
    assert len(result.elected) == 2
    _check_totals(result)
