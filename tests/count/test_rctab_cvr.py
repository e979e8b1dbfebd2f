"""The test-only RCTab reader applies RCTab's ballot options at the right place on a paper."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.count.rctab_cvr import OVERVOTE, UWI, RctabCase, xlsx_rows
from tests.shared_data import TEST_DATA


def case(**rules: Any) -> RctabCase:
    config = {
        "candidates": [{"name": n, "excluded": n == "X"} for n in ("A", "B", "C", "X")],
        "cvrFileSources": [],
        "rules": {
            "maxRankingsAllowed": "max",
            "maxSkippedRanksAllowed": "unlimited",
            "overvoteRule": "alwaysSkipToNextRank",
            "exhaustOnDuplicateCandidate": False,
            **rules,
        },
    }
    return RctabCase(Path("."), "unit", config)


def test_a_gap_longer_than_the_skipped_ranks_allowed_exhausts_the_paper() -> None:
    marks = [(1, ("A",)), (3, ("B",)), (6, ("C",))]  # one rank skipped, then two
    assert case(maxSkippedRanksAllowed="0").ranking(marks) == [("A",)]
    assert case(maxSkippedRanksAllowed="1").ranking(marks) == [("A",), ("B",)]
    assert case(maxSkippedRanksAllowed="2").ranking(marks) == [("A",), ("B",), ("C",)]
    # A skipped first rank counts as a gap too.
    assert case(maxSkippedRanksAllowed="0").ranking([(2, ("A",))]) == []


def test_overvotes_exhaust_skip_or_become_equal_ranks_by_the_overvote_rule() -> None:
    marks = [(1, ("A", "B")), (2, ("C",))]
    assert case(overvoteRule="exhaustImmediately").ranking(marks) == []
    assert case(overvoteRule="alwaysSkipToNextRank").ranking(marks) == [("C",)]
    assert case(overvoteRule="exhaustIfMultipleContinuing").ranking(marks) == [
        ("A", "B"),
        ("C",),
    ]
    # An overvote known only by its label cannot be an equal rank: it exhausts.
    labelled = [(1, (OVERVOTE,)), (2, ("C",))]
    assert case(overvoteRule="exhaustIfMultipleContinuing").ranking(labelled) == []


def test_a_repeated_candidate_exhausts_or_is_passed_over_by_the_duplicate_rule() -> None:
    marks = [(1, ("A",)), (2, ("A",)), (3, ("B",))]
    assert case(exhaustOnDuplicateCandidate=True).ranking(marks) == [("A",)]
    assert case(exhaustOnDuplicateCandidate=False).ranking(marks) == [("A",), ("B",)]


def test_ranks_beyond_the_maximum_and_excluded_candidates_are_ignored() -> None:
    marks = [(1, ("X",)), (2, ("A",)), (3, ("B",))]
    assert case(maxRankingsAllowed="2").ranking(marks) == [("A",)]


def test_the_xlsx_reader_finds_candidate_names_and_write_ins_in_an_ess_sheet() -> None:
    rows = xlsx_rows(TEST_DATA / "rctab" / "uwi_cannot_win_test" / "uwi_cannot_win_test_cvr.xlsx")
    cells = {v for row in rows for v in row.values()}
    assert "UWI" in cells
    loaded = RctabCase.load(TEST_DATA / "rctab" / "uwi_cannot_win_test").ballots()
    assert UWI in loaded.election.candidates
