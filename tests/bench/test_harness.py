"""Smoke tests of the benchmark harness (bench/): it runs end to end on tiny inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from bench.run import REPO
from bench.synthetic import SyntheticSpec, checksum, generate, synthetic_election
from bench.worker import main as worker_main


def test_synthetic_ballots_are_seeded_and_count_every_voter() -> None:
    spec = SyntheticSpec.of(20_000, 10)
    a, b = generate(spec), generate(spec)
    assert checksum(a) == checksum(b)
    assert a.total == 20_000
    assert checksum(generate(SyntheticSpec(20_000, 10, 5, seed=7))) != checksum(a)


def test_synthetic_rankings_are_strict_truncated_and_mostly_short() -> None:
    packed = generate(SyntheticSpec.of(50_000, 50))
    lengths = packed.lengths
    assert int(lengths.min()) >= 1
    share_short = float((lengths[:, None] <= 6).ravel() @ packed.weights) / packed.total
    assert share_short > 0.8
    for prefs, _ in list(packed.rows())[:2000]:
        assert len(set(prefs)) == len(prefs)
        assert all(0 <= c < 50 for c in prefs)


def test_synthetic_popularity_is_skewed_and_small_fields_repeat_ballots() -> None:
    packed = generate(SyntheticSpec.of(50_000, 10))
    firsts = np.bincount(packed.prefs[packed.offsets[:-1]], weights=packed.weights, minlength=10)
    assert firsts.max() > 3 * np.median(firsts)
    assert packed.size < packed.total / 2  # identical ballots were merged


def test_synthetic_election_uses_the_stated_seats() -> None:
    election = synthetic_election(SyntheticSpec.of(1000, 50))
    assert election.seats == 9
    assert election.is_packed_only


def test_worker_reports_an_unwritten_rule_as_not_available(capsys, monkeypatch) -> None:
    from grassroots.count import rules

    monkeypatch.setitem(rules.RULES, "nonesuch", ("grassroots.count.rules.nonesuch", "-"))
    job = {
        "engine": "grassroots",
        "rule": "nonesuch",
        "case": {"kind": "synthetic", "ballots": 100, "candidates": 10},
    }
    worker_main(["worker", json.dumps(job)])
    answer = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert answer["status"] == "not available"


def test_quick_benchmark_runs_end_to_end_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--quick",
            "--no-peers",
            "--rules",
            "scottish,irv",
            "--output",
            str(out),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(out.read_text())
    rows = [r for r in record["rows"] if r["engine"] == "grassroots" and r["rule"] != "baseline"]
    assert {(r["rule"], r["case"]) for r in rows} == {
        ("scottish", "tiny-blt"),
        ("irv", "tiny-blt"),
        ("scottish", "synthetic-1e3x10"),
        ("irv", "synthetic-1e3x10"),
    }
    for r in rows:
        assert r["status"] == "ok", r
        assert r["count_s"] >= 0 and r["maxrss"] > 0
    tiny = next(r for r in rows if r["rule"] == "scottish" and r["case"] == "tiny-blt")
    assert len(tiny["elected"][0]) == 2
    assert record["machine"]["nproc"] >= 1
