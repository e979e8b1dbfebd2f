"""Warren STV: each candidate keeps a fixed price of every vote, worked by hand.

Source of the rule: C.H.E. Warren, "Counting in STV elections", Voting matters 1 (1994); the
iteration and stopping test are the PRF Meek reference rule's (see ``_keepfactor``).
Reference counts: Droop 0.14 ``warren`` and OpenSTV 1.7 WarrenSTV anchor runs (two vendored
in ``tests/data/meek``; all 40 in ``test_meek_crosscheck.py``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings

from grassroots.count.ballots import Election, election_from_rankings
from grassroots.count.formats import blt
from grassroots.count.rules import count
from grassroots.count.rules._keepfactor import _Ballots
from tests.shared_data import TEST_DATA
from tests.strategies import elections

D = Decimal
UNIT = 10**9


def shares(rule: str, kf: list[int]) -> list[int]:
    election = election_from_rankings(["A", "B", "C"], 1, [["A", "B", "C"]])
    return _Ballots(election, 3, UNIT, rule == "warren").distribute(kf)


def test_warren_charges_each_candidate_its_price_of_the_whole_vote() -> None:
    """One paper A>B>C; kf(A) = 0.6, kf(B) = 0.3, C hopeful.

    Meek: A keeps 0.6; B keeps 0.3 of the 0.4 left = 0.12; C the remaining 0.28.
    Warren: A keeps 0.6; B keeps its price 0.3 (0.4 is left, enough); C the remaining 0.1.
    """
    kf = [600_000_000, 300_000_000, UNIT]
    assert shares("meek", kf) == [600_000_000, 120_000_000, 280_000_000]
    assert shares("warren", kf) == [600_000_000, 300_000_000, 100_000_000]


def test_warren_gives_a_candidate_what_is_left_when_that_is_less_than_its_price() -> None:
    """kf(A) = 0.6, kf(B) = 0.5: only 0.4 reaches B, so B keeps 0.4 and C gets nothing."""
    kf = [600_000_000, 500_000_000, UNIT]
    assert shares("warren", kf) == [600_000_000, 400_000_000, 0]


def test_warren_counts_the_three_candidate_example_by_hand() -> None:
    """6 x A>B, 2 x A, 1 x B, 3 x C, two seats (Droop's parametric iteration).

    Quota 12/3 = 4 exactly (no 10**-9 added); A has 8 > 4 and is elected. kf(A) = 1 x 4 / 8
    = 0.5. A is first on all its papers, so each reaches A whole and A's price of 0.5 is
    exactly half: A 4, B 1 + 6 x 0.5 = 4, C 3, and 2 x 0.5 = 1 exhausted. The quota falls to
    11/3 = 3.666666666 (truncated) and B, above it, is elected; C is defeated.
    """
    election = election_from_rankings(
        ["A", "B", "C"], 2, [["A", "B"]] * 6 + [["A"]] * 2 + [["B"]] + [["C"]] * 3
    )
    result = count(election, "warren", seed=1)
    assert result.elected == ("A", "B")
    assert result.stages[0].quota == D(4)
    last = result.stages[-1]
    assert last.votes == {"A": D(4), "B": D(4), "C": D(3)}
    assert last.non_transferable == D(1)
    assert last.quota == D("3.666666666")
    assert last.excluded == ("C",)


def test_warren_defeats_a_batch_of_certain_losers_together() -> None:
    """A 7 is elected (quota 16/3 = 5.333333333). Once kf(A) = 0.761904762 moves A's surplus,
    B has 4.666666666; D 1 and E 1 together, plus the surplus of 10**-9 left, stay below B,
    so both are certain losers and go at once, before the iteration converges."""
    election = election_from_rankings(
        ["A", "B", "C", "D", "E"],
        2,
        [["A", "B"]] * 7 + [["B"]] * 3 + [["C"]] * 4 + [["D", "C"]] + [["E", "C"]],
    )
    result = count(election, "warren", seed=1)
    batch = [s for s in result.stages if len(s.excluded) == 2 and not s.elected]
    assert batch and set(batch[0].excluded) == {"D", "E"}
    assert "certain losers" in batch[0].note


VENDORED = sorted(p for p in (TEST_DATA / "meek" / "anchor").iterdir())


@pytest.mark.parametrize("folder", VENDORED, ids=lambda p: p.name)
@pytest.mark.parametrize("program", ["droop-0.14-warren", "openstv-1.7-WarrenSTV"])
def test_warren_elects_whom_droop_and_openstv_elect(folder: Path, program: str) -> None:
    reference = json.loads((folder / f"{program}.json").read_text(encoding="utf-8"))
    result = count(blt.read(folder / "ballots.blt"), "warren", seats=reference["seats"], seed=1)
    assert set(result.elected) == set(reference["elected"])


@pytest.mark.parametrize("folder", VENDORED, ids=lambda p: p.name)
def test_warren_first_preferences_match_droop_exactly(folder: Path) -> None:
    reference = json.loads((folder / "droop-0.14-warren.json").read_text(encoding="utf-8"))
    result = count(blt.read(folder / "ballots.blt"), "warren", seats=reference["seats"], seed=1)
    for name, value in result.stages[0].votes.items():
        assert value == D(reference["stages"][0]["votes"][name])


@settings(max_examples=60, deadline=None)
@given(elections(max_candidates=6, max_ballots=20))
def test_warren_totals_add_up_and_fill_the_seats(election: Election) -> None:
    result = count(election, "warren", seed=5)
    for stage in result.stages:
        assert stage.total == D(sum(election.weights))
    assert len(result.elected) == min(election.seats, len(election.hopeful))
