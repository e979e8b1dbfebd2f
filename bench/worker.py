"""One benchmark case, run in a fresh process so that its peak memory is its own.

``python -m bench.worker '<json job>'`` prints one JSON line: seconds spent reading (or
generating) and packing the ballots, converting them for a peer, and counting, with who was
elected. The parent reads the child's peak resident memory from ``RUSAGE_CHILDREN``.

A job is ``{"engine": "grassroots" | "votekit" | "pyrankvote" | "baseline", "rule": ...,
"case": {...}}``; a case is ``{"kind": "blt", "paths": [...]}`` or ``{"kind": "synthetic",
"ballots": N, "candidates": C, "seed": S}``. Peers run in their own interpreter (see
``bench/peers.py``) and import only numpy and ``grassroots.count`` from this tree.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.synthetic import SyntheticSpec, checksum, load_or_generate, synthetic_election
from grassroots.count.ballots import Election

SEED = 20260523  # fixed seed for ties broken by lot, so every run counts the same way


def elections(case: dict[str, Any]) -> Iterator[tuple[Election, float]]:
    """Each election of the case, with the seconds taken to read (or generate) and pack it."""
    if case["kind"] == "synthetic":
        spec = SyntheticSpec.of(case["ballots"], case["candidates"], case.get("seed", 2026))
        cache = Path(case["cache"]) if case.get("cache") else None
        t0 = time.perf_counter()
        election = synthetic_election(spec, cache)
        yield election, time.perf_counter() - t0
        return
    from grassroots.count.formats import blt

    for path in case["paths"]:
        t0 = time.perf_counter()
        election = blt.read(path)
        _ = election.packed  # pack now, so counting time is the engine's alone
        yield election, time.perf_counter() - t0


def seats_for(rule: str, election: Election) -> int:
    """IRV fills one seat; every other rule fills the election's seats."""
    return 1 if rule == "irv" else election.seats


def run_grassroots(job: dict[str, Any]) -> dict[str, Any]:
    """Count every election of the case with our engine."""
    from grassroots.count import rules

    rules._rule_function(job["rule"])  # import the rule module outside the timed part
    out: dict[str, Any] = {
        "read_s": 0.0,
        "count_s": 0.0,
        "count_cpu_s": 0.0,
        "elected": [],
        "stages": 0,
    }
    for election, read_s in elections(job["case"]):
        out["read_s"] += read_s
        if job["case"]["kind"] == "synthetic":
            out["checksum"] = checksum(election.packed)
            out["distinct_ballots"] = election.packed.size
        c0, t0 = time.process_time(), time.perf_counter()
        result = rules.count(
            election, job["rule"], seats=seats_for(job["rule"], election), seed=SEED
        )
        out["count_s"] += time.perf_counter() - t0
        # CPU seconds of this process: far less disturbed than wall time on a loaded machine.
        out["count_cpu_s"] += time.process_time() - c0
        out["elected"].append(sorted(result.elected))
        out["stages"] += len(result.stages)
    return out


def rows_of(election: Election) -> Iterator[tuple[list[str], int]]:
    """Each distinct ballot as candidate names (strict rankings, as packed) and its weight."""
    names = election.candidates
    for prefs, weight in election.packed.rows():
        yield [names[c] for c in prefs], weight


def run_votekit(job: dict[str, Any]) -> dict[str, Any]:
    """Count with VoteKit 3.5 (in the peer interpreter)."""
    from votekit import RankBallot, RankProfile
    from votekit.elections import BlockPlurality, Borda, FastSTV, Plurality
    from votekit.elections.election_types.ranking.stv.stv import FastIRV

    out: dict[str, Any] = {
        "read_s": 0.0,
        "convert_s": 0.0,
        "count_s": 0.0,
        "count_cpu_s": 0.0,
        "elected": [],
    }
    for election, read_s in elections(job["case"]):
        out["read_s"] += read_s
        if job["case"]["kind"] == "synthetic":
            out["checksum"] = checksum(election.packed)
        t0 = time.perf_counter()
        ballots = [
            RankBallot(ranking=tuple(frozenset({c}) for c in row), weight=w)
            for row, w in rows_of(election)
        ]
        profile = RankProfile(
            ballots=ballots,
            candidates=tuple(election.candidates),
            max_ranking_length=max((len(b.ranking or ()) for b in ballots), default=1),
        )
        out["convert_s"] += time.perf_counter() - t0
        seats = seats_for(job["rule"], election)
        c0, t0 = time.process_time(), time.perf_counter()
        peer_rule = job["peer_rule"]
        if peer_rule == "FastSTV":
            contest: Any = FastSTV(profile, n_seats=seats, tiebreak="random", rng_seed=1)
        elif peer_rule == "FastIRV":
            contest = FastIRV(profile, tiebreak="random", rng_seed=1)
        elif peer_rule == "Plurality":
            contest = Plurality(profile, n_seats=seats, tiebreak="random")
        elif peer_rule == "BlockPlurality":
            contest = BlockPlurality(profile, n_seats=seats, tiebreak="random")
        elif peer_rule == "Borda":
            contest = Borda(profile, n_seats=seats, tiebreak="random")
        else:
            raise ValueError(f"no VoteKit rule {peer_rule!r}")
        elected = sorted(str(c) for s in contest.get_elected() for c in s)
        out["count_s"] += time.perf_counter() - t0
        out["count_cpu_s"] += time.process_time() - c0
        out["elected"].append(elected)
    return out


def run_pyrankvote(job: dict[str, Any]) -> dict[str, Any]:
    """Count with pyrankvote 2.0.6 (one Ballot object per voter: it has no weights)."""
    import pyrankvote
    from pyrankvote import Ballot, Candidate

    out: dict[str, Any] = {
        "read_s": 0.0,
        "convert_s": 0.0,
        "count_s": 0.0,
        "count_cpu_s": 0.0,
        "elected": [],
    }
    for election, read_s in elections(job["case"]):
        out["read_s"] += read_s
        if job["case"]["kind"] == "synthetic":
            out["checksum"] = checksum(election.packed)
        t0 = time.perf_counter()
        people = {name: Candidate(name) for name in election.candidates}
        ballots = []
        for row, w in rows_of(election):
            ranked = [people[name] for name in row]
            ballots.extend(Ballot(ranked_candidates=ranked) for _ in range(w))
        candidates = [people[election.candidates[c]] for c in election.hopeful]
        out["convert_s"] += time.perf_counter() - t0
        c0, t0 = time.process_time(), time.perf_counter()
        if job["peer_rule"] == "single_transferable_vote":
            result = pyrankvote.single_transferable_vote(candidates, ballots, election.seats)
        else:
            result = pyrankvote.instant_runoff_voting(candidates, ballots)
        elected = sorted(c.name for c in result.get_winners())
        out["count_s"] += time.perf_counter() - t0
        out["count_cpu_s"] += time.process_time() - c0
        out["elected"].append(elected)
    return out


def run_generate(job: dict[str, Any]) -> dict[str, Any]:
    """Make (or find) a synthetic case's ballots in the cache, before any engine reads them."""
    case = job["case"]
    spec = SyntheticSpec.of(case["ballots"], case["candidates"], case.get("seed", 2026))
    t0 = time.perf_counter()
    packed, cached = load_or_generate(spec, Path(case["cache"]) if case.get("cache") else None)
    return {
        "read_s": time.perf_counter() - t0,
        "count_s": 0.0,
        "elected": [],
        "cached": cached,
        "checksum": checksum(packed),
        "distinct_ballots": packed.size,
        "preferences": int(packed.prefs.shape[0]),
    }


def run_baseline(job: dict[str, Any]) -> dict[str, Any]:
    """Import what a case imports and nothing more: the memory floor of a worker."""
    import importlib

    for name in job.get("imports", ()):
        importlib.import_module(name)
    return {"read_s": 0.0, "count_s": 0.0, "elected": []}


def main(argv: list[str]) -> int:
    """Run the job given as JSON in ``argv[1]`` and print the outcome as one JSON line."""
    job = json.loads(argv[1])
    engines = {
        "grassroots": run_grassroots,
        "votekit": run_votekit,
        "pyrankvote": run_pyrankvote,
        "baseline": run_baseline,
        "generate": run_generate,
    }
    try:
        out = engines[job["engine"]](job)
        out["status"] = "ok"
    except ModuleNotFoundError as exc:
        out = {"status": "not available", "error": f"{exc.name} is not installed or written"}
    except Exception as exc:
        out = {
            "status": "error",
            "error": f"{type(exc).__name__}: {exc}",
            "trace": traceback.format_exc(limit=6),
        }
    sys.stdout.write("\n" + json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
