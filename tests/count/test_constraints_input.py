"""Reading groups and bounds: candidates CSV, --group, --min, --max, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from grassroots.count.constraints import Constraint
from grassroots.count.errors import ConstraintError, InputError
from grassroots.count.groups import (
    GroupSpec,
    build_constraints,
    parse_bound,
    parse_group_option,
    read_groups_csv,
    read_slates_csv,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "constraints"
NAMES = ("Ann Black", "Smith, Laura", "Bob Jones", "Dan Wu")


def test_candidates_file_gives_each_candidate_its_groups() -> None:
    spec = read_groups_csv((DATA / "groups.csv").read_text(), "groups.csv")
    assert spec.members == {
        "women": ["Ann Black", "Smith, Laura"],
        "region-london": ["Ann Black", "Bob Jones"],
    }


def test_candidates_file_with_too_many_columns_names_file_and_line() -> None:
    with pytest.raises(ConstraintError, match=r"^bad\.csv:1: expected 'name,group1;group2'"):
        read_groups_csv((DATA / "groups_bad_columns.csv").read_text(), "bad.csv")


def test_candidates_file_line_with_empty_name_is_refused() -> None:
    with pytest.raises(ConstraintError, match=r"g\.csv:2: the candidate name is empty"):
        read_groups_csv("Ann Black,women\n,women\n", "g.csv")


def test_group_option_takes_a_comma_separated_list_of_names() -> None:
    spec = parse_group_option('women=Ann Black, "Smith, Laura"')
    assert spec.members == {"women": ["Ann Black", "Smith, Laura"]}


@pytest.mark.parametrize("bad", ["women", "=Ann Black", "women="])
def test_group_option_without_group_or_names_is_refused(bad: str) -> None:
    with pytest.raises(ConstraintError, match="--group"):
        parse_group_option(bad)


def test_min_and_max_for_one_group_become_one_constraint() -> None:
    spec = parse_group_option('women=Ann Black,"Smith, Laura"')
    spec = parse_group_option("women=Dan Wu", spec)
    parse_bound("women=1", "--min", spec)
    parse_bound("women=2", "--max", spec)
    cons = build_constraints(NAMES, spec)
    assert cons.constraints == (Constraint("women", 1, 2),)


def test_bounds_on_several_groups_hold_at_once() -> None:
    spec = read_groups_csv((DATA / "groups.csv").read_text(), "groups.csv")
    parse_bound("women=2", "--min", spec)
    parse_bound("region-london=1", "--max", spec)
    cons = build_constraints(NAMES, spec)
    assert dict(cons.groups) == {"women": frozenset({0, 1}), "region-london": frozenset({0, 2})}
    assert cons.constraints == (
        Constraint("region-london", 0, 1),
        Constraint("women", 2, None),
    )


@pytest.mark.parametrize("bad", ["women=four", "women=-1", "women", "=3"])
def test_a_bound_that_is_not_a_whole_number_of_seats_is_refused(bad: str) -> None:
    with pytest.raises(ConstraintError, match="--min"):
        parse_bound(bad, "--min")


def test_the_same_bound_given_twice_differently_is_refused() -> None:
    spec = parse_bound("women=2", "--min")
    with pytest.raises(ConstraintError, match="given twice"):
        parse_bound("women=3", "--min", spec)


def test_an_unknown_candidate_is_named_with_where_it_came_from_and_a_suggestion() -> None:
    spec = read_groups_csv("Ann Blak,women\n", "groups.csv")
    with pytest.raises(ConstraintError) as err:
        build_constraints(NAMES, spec)
    message = str(err.value)
    assert message.startswith("groups.csv:1: 'Ann Blak' is not a candidate")
    assert "did you mean 'Ann Black'?" in message


def test_a_bound_on_a_group_with_no_members_lists_the_known_groups() -> None:
    spec = parse_group_option("women=Ann Black")
    parse_bound("wimen=1", "--min", spec)
    with pytest.raises(ConstraintError) as err:
        build_constraints(NAMES, spec)
    assert "'wimen'" in str(err.value)
    assert "did you mean 'women'?" in str(err.value)
    assert "known groups: women" in str(err.value)


def test_a_maximum_below_the_minimum_is_refused() -> None:
    spec = parse_group_option("women=Ann Black,Dan Wu")
    parse_bound("women=2", "--min", spec)
    parse_bound("women=1", "--max", spec)
    with pytest.raises(ConstraintError, match="maximum is below the minimum"):
        build_constraints(NAMES, spec)


def test_constraint_errors_are_input_errors_the_cli_shows_as_they_are() -> None:
    assert issubclass(ConstraintError, InputError)
    assert issubclass(ConstraintError, ValueError)


def test_groups_without_bounds_constrain_nothing() -> None:
    spec = parse_group_option("women=Ann Black")
    assert not spec
    assert not build_constraints(NAMES, spec)
    assert not GroupSpec()


def test_slates_file_gives_one_slate_per_candidate() -> None:
    slates = read_slates_csv((DATA / "slates.csv").read_text(), "slates.csv")
    assert slates == {"Ann Black": "Left", "Smith, Laura": "Left", "Bob Jones": "Centre"}


def test_a_candidate_on_two_slates_is_refused_with_the_line() -> None:
    with pytest.raises(ConstraintError, match=r"s\.csv:2: 'Ann' is already on slate 'Left'"):
        read_slates_csv("Ann,Left\nAnn,Right\n", "s.csv")
