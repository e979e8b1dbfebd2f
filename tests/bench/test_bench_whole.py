"""The whole-command benchmark (bench/bench_whole.py): its BLT files, its peers, its parsing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench.bench_whole import elected, main
from bench.blt_files import blt_path, write_blt
from bench.peers import programs
from bench.synthetic import SyntheticSpec, generate

from grassroots.count.formats import read_ballots


def test_the_benchmark_file_holds_the_synthetic_ballots_one_line_each(tmp_path: Path) -> None:
    spec = SyntheticSpec.of(3_000, 12)
    path = write_blt(spec, blt_path(spec, tmp_path), tmp_path / "cache")
    election = read_ballots(path)
    packed = generate(spec)
    assert election.total_ballots == 3_000
    assert len(path.read_text().splitlines()) == 1 + 3_000 + 1 + 12 + 1
    expected = {prefs: w for prefs, w in packed.rows()}
    assert {tuple(c for (c,) in r): w for r, w in election.effective_rankings()} == expected


def test_peer_programs_that_are_not_installed_are_skipped_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRASSROOTS_PEER_CACHE", str(tmp_path / "none"))
    ready, skipped = programs()
    assert ready == {}
    assert set(skipped) == {"openstv-1.7", "droop-0.14"}
    assert "OpenSTV 1.7 is not installed" in skipped["openstv-1.7"]


def test_who_each_program_elected_is_read_from_its_output() -> None:
    openstv = "Count ...\n\nWinners are C002, C004, and\nC028.\n"
    droop = (
        "\tElected:  C025 (12806.84826)\n\tElected votes: 1\n\n"
        "\tElected:  C002 (12606.89216)\n\tElected:  C025 (12806.84826)\n\tHopeful: x\n"
    )
    assert elected("openstv-1.7", openstv) == ["C002", "C004", "C028"]
    assert elected("openstv-1.7", "Winners are A and B.\n") == ["A", "B"]
    assert elected("droop-0.14", droop) == ["C002", "C025"]
    assert elected("grassroots", json.dumps({"elected": ["B", "A"]})) == ["A", "B"]


def test_the_benchmark_runs_our_command_without_peers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "whole.json"
    monkeypatch.setattr("bench.bench_whole.REPO", tmp_path)
    args = ["--ballots", "2000", "--candidates", "8", "--repeat", "1", "--no-peers"]
    assert main([*args, "--cache", str(tmp_path / "cache"), "--output", str(out)]) == 0
    record = json.loads(out.read_text())
    assert record["summary"]["grassroots"]["status"] == "ok"
    assert len(record["summary"]["grassroots"]["elected"]) == SyntheticSpec.of(2000, 8).seats
