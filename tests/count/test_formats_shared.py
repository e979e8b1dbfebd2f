"""Ballot file readers on the full shared data sets (skipped when ../shared is absent).

Sources: /work/shared/data/elections (README.md and each dataset's PROVENANCE.md) and Droop's
test ballots in /work/shared/data/reference/droop/blt (reference/PROVENANCE.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grassroots.count.errors import BallotFileError
from grassroots.count.formats import blt, read_ballots
from grassroots.count.formats import json as json_format
from tests.shared_data import SHARED_DATA, require_shared, shared_available

pytestmark = pytest.mark.shared

ELECTIONS = SHARED_DATA / "elections"
DATASETS = sorted(p.name for p in ELECTIONS.iterdir() if p.is_dir()) if shared_available() else []
SOI_FILES = sorted(ELECTIONS.glob("*/*/*.soi")) if shared_available() else []
DROOP = SHARED_DATA / "reference" / "droop" / "blt"
# Droop files using extensions grassroots refuses, with the reason's start.
DROOP_REFUSED = {
    "42t.blt": "a tie-break order ([tie ...]) is not supported",
    "mpls/loser.blt": "Droop's counting options ([droop ...])",
    "mpls/tie.blt": "Droop's counting options ([droop ...])",
    "mpls/undeclared.blt": "unknown option line [undeclared ...]",
}


@pytest.mark.parametrize("dataset", DATASETS or ["(shared data absent)"])
def test_every_blt_file_of_a_dataset_parses_and_a_sample_round_trips(dataset: str) -> None:
    folder = require_shared("elections", dataset)
    files = sorted(folder.glob("*/ballots.blt"))
    assert files, f"no ballots.blt under {folder}"
    for k, path in enumerate(files):
        election = read_ballots(path)
        assert election.irregularities == (), path
        assert election.candidates and election.total_ballots > 0, path
        if k % 10 == 0:  # a sample round-trips: writing and re-reading all triples the time
            assert blt.loads(blt.dumps(election)) == election, path
            assert json_format.loads(json_format.dumps(election)) == election, path
        results = path.parent / "results.json"
        if results.exists():
            official = json.loads(results.read_text(encoding="utf-8"))
            assert election.seats == official["seats"], path
            assert set(official["elected"]) <= set(election.candidates), path


@pytest.mark.parametrize("path", SOI_FILES or [Path("(shared data absent)")], ids=str)
def test_a_preflib_file_agrees_with_the_blt_of_the_same_election(path: Path) -> None:
    require_shared("elections")
    soi = read_ballots(path)
    ref = read_ballots(path.parent / "ballots.blt")
    assert soi.candidates == ref.candidates
    assert soi.title == ref.title
    assert dict(zip(soi.rankings, soi.weights, strict=True)) == dict(
        zip(ref.rankings, ref.weights, strict=True)
    )
    assert soi.irregularities == ()


def test_droop_test_ballots_parse_except_the_extensions_grassroots_refuses() -> None:
    folder = require_shared("reference", "droop", "blt")
    files = sorted(folder.rglob("*.blt"))
    assert len(files) == 49
    for path in files:
        name = path.relative_to(folder).as_posix()
        if name in DROOP_REFUSED:
            with pytest.raises(BallotFileError) as caught:
                read_ballots(path)
            assert caught.value.problem.startswith(DROOP_REFUSED[name]), name
        else:
            election = read_ballots(path)
            assert election.candidates, name


def test_reading_meath_2002_gives_every_ballot() -> None:
    """Speed is measured by the benchmark (bench/run.py reports read time), not here."""
    path = require_shared("elections", "ireland-2002-evoting", "meath-2002", "ballots.blt")
    election = read_ballots(path)
    assert election.total_ballots == 64081  # PROVENANCE.md: Meath 64,081 ballots
    assert len(election.candidates) == 14 and election.seats == 5
