"""Meek and Warren elected sets beside other programs' and the official results.

Sources: OpenSTV 1.7 MeekSTV and WarrenSTV, and Droop 0.14 warren, anchor runs on 40 real
elections (``../shared/data/reference/anchor-runs``, two vendored in ``tests/data/meek``);
official results in ``../shared/data/elections/*/*/results.json``.

OpenSTV iterates differently (6 decimals, its own stopping test) and Droop's ``warren``
uses 18+9-digit guarded arithmetic and defeats candidates in safe batches, so only the
elected sets are compared with them. The official results were counted by other rules
(Scottish and Irish STV), so a difference there is information, written to ``tests/out``,
never a failure.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from grassroots.count.formats import blt
from grassroots.count.rules import CountOptions, count, warren
from tests.shared_data import SHARED_DATA, TEST_DATA, require_shared, shared_available

ANCHORS = SHARED_DATA / "reference" / "anchor-runs"
ELECTIONS = SHARED_DATA / "elections"
OUT = Path(__file__).resolve().parents[1] / "out"


def anchor_runs() -> list[str]:
    if not shared_available():
        return ["(shared data absent)"]
    return sorted({str(p.parent.relative_to(ANCHORS)) for p in ANCHORS.glob("*/*/openstv-*.json")})


def ballots_of(run: str) -> Path:
    local = ANCHORS / run / "ballots.blt"
    return local if local.exists() else require_shared("elections", run, "ballots.blt")


def elected(path: Path) -> tuple[int, set[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["seats"], set(data["elected"])


@pytest.mark.parametrize(
    "folder", sorted(p for p in (TEST_DATA / "meek" / "anchor").iterdir()), ids=lambda p: p.name
)
@pytest.mark.parametrize(
    ("rule", "program"), [("meek", "openstv-1.7-MeekSTV"), ("meek", "droop-0.14-meek-prf")]
)
def test_meek_elects_whom_openstv_and_droop_elect_on_vendored_elections(
    folder: Path, rule: str, program: str
) -> None:
    seats, theirs = elected(folder / f"{program}.json")
    result = count(blt.read(folder / "ballots.blt"), rule, seats=seats, seed=1)
    assert set(result.elected) == theirs


@pytest.mark.shared
@pytest.mark.parametrize("run", sorted(set(anchor_runs())))
@pytest.mark.parametrize(
    ("rule", "program"),
    [
        ("meek", "openstv-1.7-MeekSTV"),
        ("warren", "openstv-1.7-WarrenSTV"),
        ("warren", "droop-0.14-warren"),
    ],
)
def test_elected_sets_agree_with_other_programs_on_every_anchor_run(
    run: str, rule: str, program: str
) -> None:
    seats, theirs = elected(require_shared("reference", "anchor-runs", run, f"{program}.json"))
    result = count(blt.read(ballots_of(run)), rule, seats=seats, seed=1)
    assert set(result.elected) == theirs, f"{run}: {rule} {result.elected}, {program} {theirs}"


@pytest.mark.shared
@pytest.mark.parametrize("run", anchor_runs())
def test_warren_stages_line_up_with_droops_and_agree_to_about_ten_to_the_minus_five(
    run: str,
) -> None:
    """Same stages, same decisions in the same order; figures within 2 x 10**-5.

    Droop's ``warren`` counts in 18+9 guarded digits and stops iterating at a surplus below
    10**-9; we count in 9 digits, where the iteration stops a little earlier, so figures
    differ by up to about 10**-5 (the largest seen is 1.04e-5). Figures are compared at
    stages deciding one candidate, except the last: when Droop defeats several at once its
    record moves all but the last one's papers before showing the state.
    """
    path = require_shared("reference", "anchor-runs", run, "droop-0.14-warren.json")
    reference = json.loads(path.read_text(encoding="utf-8"))
    election = blt.read(ballots_of(run))
    options = CountOptions("warren", reference["seats"], seed=0)
    result = warren.count(election, options, tie_order=range(len(election.candidates)))
    assert list(result.elected) == reference["elected"]
    assert len(result.stages) == len(reference["stages"])
    for ours, theirs in zip(result.stages[:-1], reference["stages"][:-1], strict=True):
        if len(ours.excluded) > 1:
            continue
        for name, value in ours.votes.items():
            gap = abs(value - Decimal(theirs["votes"][name]))
            assert gap < Decimal("2e-5"), f"stage {ours.number}: {name} {value} {theirs}"


def official_results() -> list[str]:
    if not shared_available():
        return []
    return sorted(str(p.parent.relative_to(ELECTIONS)) for p in ELECTIONS.glob("*/*/results.json"))


@pytest.mark.shared
def test_official_elected_sets_are_recorded_beside_meek_and_warren() -> None:
    """Meek is not these elections' rule: differences are written down, not asserted."""
    require_shared("elections")
    rows = []
    for election in official_results():
        official = json.loads((ELECTIONS / election / "results.json").read_text("utf-8"))
        ballots = blt.read(ELECTIONS / election / "ballots.blt")
        seats = official.get("seats") or ballots.seats
        row: dict[str, object] = {"election": election, "official": sorted(official["elected"])}
        for rule in ("meek", "warren"):
            result = count(ballots, rule, seats=seats, seed=1)
            assert len(result.elected) == min(seats, len(ballots.hopeful))
            for stage in result.stages:
                assert stage.total == result.valid_votes
            row[rule] = sorted(result.elected)
            row[f"{rule}_agrees"] = set(result.elected) == set(official["elected"])
        rows.append(row)
    OUT.mkdir(exist_ok=True)
    (OUT / "meek-official.json").write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    assert len(rows) == len(official_results()) > 0
