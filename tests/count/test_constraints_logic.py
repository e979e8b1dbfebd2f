"""The feasibility logic of ``ConstraintSet``, branch by branch, without any rule set.

Candidates 0-2 are men, 3-4 women; group "london" is {0, 3}. Each test states the position
(elected, continuing, seats left) and works out the answer in its docstring.
"""

from __future__ import annotations

import pytest

from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.errors import ConstraintError

WOMEN = frozenset({3, 4})
LONDON = frozenset({0, 3})
NAMES = ("M0", "M1", "M2", "W3", "W4")


def _set(*constraints: Constraint) -> ConstraintSet:
    return ConstraintSet({"women": WOMEN, "london": LONDON}, constraints)


def test_no_constraints_answer_yes_to_everything_and_force_nothing() -> None:
    cons = ConstraintSet.none()
    assert not cons
    assert cons.electable(0, [1, 2], [3, 4], 0)
    assert cons.excludable(3, [], [3], 1)
    assert cons.forced_exclusions([], [0, 1, 2, 3, 4], 1) == []


def test_a_man_is_electable_while_enough_seats_remain_for_the_women_needed() -> None:
    """At least 2 women of 3 seats, nobody elected: M0 takes one, two remain for W3, W4."""
    cons = _set(Constraint("women", 2))
    assert cons.electable(0, [], [0, 1, 2, 3, 4], 3)


def test_a_man_is_not_electable_when_it_would_leave_too_few_seats_for_women() -> None:
    """At least 2 women of 3 seats, M0 elected: M1 would leave one seat for two women."""
    cons = _set(Constraint("women", 2))
    assert not cons.electable(1, [0], [1, 2, 3, 4], 2)
    assert cons.blocking(1, [0], [1, 2, 3, 4], 2) == "at least 2 of the seats to women"


def test_a_group_member_is_not_electable_once_the_maximum_is_reached() -> None:
    """At most 1 Londoner; M0 (London) elected: W3 (London) cannot be, W4 can."""
    cons = _set(Constraint("london", 0, 1))
    assert not cons.electable(3, [0], [1, 2, 3, 4], 2)
    assert cons.electable(4, [0], [1, 2, 3, 4], 2)
    assert cons.blocking(3, [0], [1, 2, 3, 4], 2) == "at most 1 of the seats to london"


def test_blocking_names_the_constraint_that_breaks_when_several_are_set() -> None:
    """At least 1 woman and at most 1 Londoner; 2 seats; M0 elected: M1 breaks the minimum."""
    cons = _set(Constraint("london", 0, 1), Constraint("women", 1))
    assert cons.blocking(1, [0], [1, 2, 3, 4], 1) == "at least 1 of the seats to women"


def test_forced_exclusions_list_everyone_outside_the_group_when_seats_just_suffice() -> None:
    """At least 2 women; M0 elected; 2 seats left, 2 women needed: M1 and M2 must go."""
    cons = _set(Constraint("women", 2))
    forced = cons.forced_exclusions([0], [1, 2, 3, 4], 2)
    assert forced == [
        (1, "at least 2 of the seats to women"),
        (2, "at least 2 of the seats to women"),
    ]


def test_forced_exclusions_list_the_rest_of_a_group_at_its_maximum() -> None:
    """At most 1 Londoner; M0 elected: W3 is the other Londoner and must go."""
    cons = _set(Constraint("london", 0, 1))
    assert cons.forced_exclusions([0], [1, 2, 3, 4], 2) == [(3, "at most 1 of the seats to london")]


def test_nobody_is_forced_out_while_the_continuing_candidates_cannot_fill_the_seats() -> None:
    """Two seats left and two continuing: both are elected whatever the constraints say."""
    cons = _set(Constraint("women", 2))
    assert cons.forced_exclusions([0], [1, 3], 2) == []


def test_the_only_woman_left_is_not_excludable_when_a_seat_must_go_to_a_woman() -> None:
    """At least 1 woman, W4 gone, 2 seats, nobody elected: W3 must stay; any man may go."""
    cons = _set(Constraint("women", 1))
    assert not cons.excludable(3, [], [0, 1, 2, 3], 2)
    assert cons.protecting(3, [], [0, 1, 2, 3], 2) == "at least 1 of the seats to women"
    assert cons.excludable(0, [], [0, 1, 2, 3], 2)


def test_overlapping_groups_are_searched_together() -> None:
    """At least 1 woman and at least 1 Londoner in one seat: only W3 (both) can take it."""
    cons = _set(Constraint("women", 1), Constraint("london", 1))
    assert cons.feasible([], [0, 1, 2, 3, 4], 1)
    assert not cons.feasible([], [0, 1, 2, 4], 1)
    assert [c for c, _ in cons.forced_exclusions([], [0, 1, 2, 3, 4], 1)] == [0, 1, 2, 4]


def test_check_refuses_a_minimum_larger_than_the_group_standing() -> None:
    with pytest.raises(ConstraintError, match="only 2 candidate"):
        _set(Constraint("women", 3)).check(range(5), 4, NAMES)


def test_check_refuses_a_minimum_larger_than_the_seats() -> None:
    with pytest.raises(ConstraintError, match="with 1 seat"):
        _set(Constraint("women", 2)).check(range(5), 1, NAMES)


def test_check_refuses_a_constraint_on_an_unknown_group() -> None:
    with pytest.raises(ConstraintError, match="unknown group 'youth'"):
        _set(Constraint("youth", 1)).check(range(5), 2, NAMES)


def test_check_counts_only_candidates_still_standing() -> None:
    """W4 withdrew: "at least 2 women" cannot be met by W3 alone."""
    with pytest.raises(ConstraintError, match="only 1 candidate"):
        _set(Constraint("women", 2)).check([0, 1, 2, 3], 3, NAMES)


def test_check_refuses_constraints_that_cannot_hold_together() -> None:
    """One seat, at least 1 woman and at most 0 Londoners and at least 1 Londoner: no."""
    cons = _set(Constraint("women", 1), Constraint("london", 1, 1), Constraint("london", 0, 0))
    with pytest.raises(ConstraintError, match="cannot all be met together"):
        cons.check(range(5), 1, NAMES)


def test_feasibility_stays_fast_with_150_candidates_in_overlapping_groups() -> None:
    """150 candidates in four overlapping groups: kinds of candidate, not candidates, count."""
    groups = {
        "women": frozenset(range(0, 150, 2)),
        "young": frozenset(range(0, 150, 3)),
        "north": frozenset(range(0, 75)),
        "bame": frozenset(range(0, 150, 5)),
    }
    cons = ConstraintSet(
        groups,
        (
            Constraint("women", 5),
            Constraint("young", 2, 4),
            Constraint("north", 3, 6),
            Constraint("bame", 1),
        ),
    )
    assert cons.feasible([], range(150), 10)
    # Five northern men elected (none young or BAME); five seats left and five women needed:
    # every man still standing must go, and no woman.
    elected = [1, 7, 11, 13, 17]
    forced = cons.forced_exclusions(elected, range(20, 150), 5)
    assert [c for c, _ in forced] == list(range(21, 150, 2))
