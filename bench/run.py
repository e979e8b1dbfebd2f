"""Benchmark every counting rule on real and synthetic elections, and the PyPI peers beside it.

``python -m bench.run [--quick] [--rules scottish,meek] [--sizes 1e5,1e6,1e7]
[--candidates 10,50,150] [--peers/--no-peers] [--output bench/out/results.json]``

Each case runs in a fresh worker process (``bench/worker.py``); its peak resident memory is
the child's ``ru_maxrss`` as the kernel reports it when the parent reaps it (``os.wait4``,
which gives that one child's figure, unlike ``RUSAGE_CHILDREN``, which keeps the largest of
all children so far). That figure includes the interpreter, numpy and the imported modules:
the ``baseline`` rows measure a worker that only imports them. A rule whose module is not
written yet is reported as "not available". Peers run in their own interpreter
(``bench/.peers``, see ``bench/peers.py``) because VoteKit 3.5 needs numpy < 2.4.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.peers import PEERS, peer_python, peer_versions

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("GRASSROOTS_SHARED_DATA", REPO.parent / "shared" / "data"))
MEATH = SHARED / "elections" / "ireland-2002-evoting" / "meath-2002" / "ballots.blt"
SCOTLAND_2017 = SHARED / "elections" / "scotland-2017"
QUICK_BLT = REPO / "tests" / "data" / "bench" / "tiny.blt"

ALL_RULES = ("scottish", "meek", "warren", "ers97", "irv", "fptp", "block", "borda")
SIZES = (10**5, 10**6, 10**7)
CANDIDATES = (10, 50, 150)
OUR_TIMEOUT = 900.0  # seconds before one case of ours is stopped and reported as a timeout
PEER_BUDGET = 120.0  # a peer case predicted to take longer than this is skipped

# Targets from the benchmark issue: (rule, case) -> (engine seconds, peak memory in bytes).
TARGETS: dict[tuple[str, str], tuple[float, int | None]] = {
    ("scottish", "meath-2002"): (0.1, None),
    ("meek", "meath-2002"): (0.3, None),
    ("scottish", "synthetic-1e6x50"): (5.0, None),
    ("meek", "synthetic-1e6x50"): (30.0, None),
    ("scottish", "synthetic-1e7x150"): (60.0, 4 * 2**30),
}


@dataclass
class Case:
    """One election (or a set counted one after another) to benchmark."""

    name: str
    spec: dict[str, Any]
    ballots: int = 0  # for scaling the peers' time budget
    candidates: int = 0


@dataclass
class Row:
    """One engine's run of one rule on one case."""

    engine: str
    rule: str
    case: str
    status: str
    read_s: float | None = None
    convert_s: float | None = None
    count_s: float | None = None
    wall_s: float | None = None
    maxrss: int | None = None  # bytes
    elected: list[list[str]] = field(default_factory=list)
    peer_rule: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def run_worker(
    python: str, job: dict[str, Any], timeout: float
) -> tuple[dict[str, Any], int, float]:
    """Run one job in a fresh process: (its JSON answer, its peak RSS in bytes, wall seconds)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(REPO / "src")])
    env.setdefault("OMP_NUM_THREADS", "1")  # the same single core for every engine
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [python, "-m", "bench.worker", json.dumps(job)],
            stdout=out,
            stderr=err,
            cwd=REPO,
            env=env,
        )
        status, usage = 0, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - t0 > timeout:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return (
                    {"status": "timeout", "error": f"stopped after {timeout:.0f} s"},
                    usage.ru_maxrss * 1024,
                    timeout,
                )
            time.sleep(0.01)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = [ln for ln in out.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        try:
            answer = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            err.seek(0)
            tail = err.read().decode("utf-8", "replace")[-600:]
            answer = {"status": "error", "error": f"worker exited {proc.returncode}: {tail}"}
    # ru_maxrss is in kilobytes on Linux.
    return answer, usage.ru_maxrss * 1024, wall


def row_from(
    engine: str, rule: str, case: Case, answer: dict[str, Any], rss: int, wall: float
) -> Row:
    """A table row from a worker's answer."""
    row = Row(engine=engine, rule=rule, case=case.name, status=answer.get("status", "error"))
    row.wall_s = wall
    row.maxrss = rss
    if row.status == "ok":
        row.read_s = answer.get("read_s")
        row.convert_s = answer.get("convert_s")
        row.count_s = answer.get("count_s")
        row.elected = answer.get("elected", [])
        keys = ("checksum", "distinct_ballots", "stages", "cached", "preferences", "count_cpu_s")
        for key in keys:
            if key in answer:
                row.extra[key] = answer[key]
    else:
        row.note = str(answer.get("error", ""))[:300]
    return row


def build_cases(args: argparse.Namespace) -> list[Case]:
    """The cases asked for, smallest first within the synthetic ones."""
    cases: list[Case] = []
    if args.quick:
        cases.append(Case("tiny-blt", {"kind": "blt", "paths": [str(QUICK_BLT)]}, 0, 0))
        cases.append(
            Case(
                "synthetic-1e3x10",
                {"kind": "synthetic", "ballots": 1000, "candidates": 10, "seed": 2026},
                1000,
                10,
            )
        )
        return cases
    if "meath" in args.cases:
        if MEATH.exists():
            cases.append(Case("meath-2002", {"kind": "blt", "paths": [str(MEATH)]}, 64081, 14))
        else:
            print(f"skipping meath-2002: {MEATH} is absent", file=sys.stderr)
    if "scotland" in args.cases:
        wards = sorted(SCOTLAND_2017.glob("*/ballots.blt"))
        if wards:
            cases.append(
                Case("scotland-2017-all", {"kind": "blt", "paths": [str(p) for p in wards]})
            )
        else:
            print(f"skipping scotland-2017: no wards under {SCOTLAND_2017}", file=sys.stderr)
    if "synthetic" in args.cases:
        from bench.synthetic import SyntheticSpec

        for c in args.candidates:
            for b in args.sizes:
                spec = SyntheticSpec.of(b, c)
                cases.append(
                    Case(
                        spec.name,
                        {
                            "kind": "synthetic",
                            "ballots": b,
                            "candidates": c,
                            "seed": spec.seed,
                            "cache": args.cache,
                        },
                        b,
                        c,
                    )
                )
    return cases


def peer_skip_reason(
    history: dict[tuple[str, str, int], tuple[int, float, float]],
    key: tuple[str, str, int],
    ballots: int,
    budget: float,
) -> str:
    """Why a peer case is skipped (empty if it runs), scaling from the last size it ran.

    The worker's start-up (imports, JIT) is taken as fixed; reading, converting and counting
    are scaled linearly with the number of ballots.
    """
    if key not in history:
        return ""
    done_ballots, fixed, variable = history[key]
    if variable < 0:
        return f"skipped: a smaller size ({done_ballots:.0e} ballots) failed or timed out"
    predicted = fixed + variable * ballots / max(done_ballots, 1)
    if predicted > budget:
        return (
            f"skipped: predicted {predicted:.0f} s > {budget:.0f} s budget"
            f" (scaled from {done_ballots:.0e})"
        )
    return ""


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Run every case asked for and return the JSON-ready record."""
    cases = build_cases(args)
    rows: list[Row] = []
    ours = sys.executable
    peer_py = peer_python(args.peer_python) if args.peers else None
    # Baselines: a worker that only imports what the engines import.
    base_jobs = [
        ("grassroots", ours, ["numpy", "grassroots.count", "grassroots.count.formats.blt"])
    ]
    if peer_py:
        base_jobs.append(("peers", peer_py, ["numpy", "votekit", "pyrankvote", "grassroots.count"]))
    for label, py, imports in base_jobs:
        answer, rss, wall = run_worker(py, {"engine": "baseline", "imports": imports}, 120)
        rows.append(row_from(label, "baseline", Case("imports only", {}), answer, rss, wall))
        report(rows[-1])
    history: dict[tuple[str, str, int], tuple[int, float, float]] = {}
    for case in cases:
        if case.spec.get("kind") == "synthetic":
            # Generate once into the cache, so every engine's worker only loads the arrays.
            job = {"engine": "generate", "case": case.spec}
            answer, rss, wall = run_worker(ours, job, args.timeout)
            rows.append(row_from("generator", "generate", case, answer, rss, wall))
            report(rows[-1])
        for rule in args.rules:
            job = {"engine": "grassroots", "rule": rule, "case": case.spec}
            answer, rss, wall = run_worker(ours, job, args.timeout)
            rows.append(row_from("grassroots", rule, case, answer, rss, wall))
            report(rows[-1])
            if not peer_py:
                continue
            for engine, peer_rule in PEERS.get(rule, ()):
                key = (engine, peer_rule, case.candidates)
                reason = peer_skip_reason(history, key, case.ballots, args.peer_budget)
                if reason:
                    rows.append(
                        Row(engine, rule, case.name, "skipped", peer_rule=peer_rule, note=reason)
                    )
                    report(rows[-1])
                    continue
                job = {"engine": engine, "rule": rule, "peer_rule": peer_rule, "case": case.spec}
                answer, rss, wall = run_worker(peer_py, job, args.peer_budget * 1.5)
                row = row_from(engine, rule, case, answer, rss, wall)
                row.peer_rule = peer_rule
                rows.append(row)
                report(row)
                if case.ballots:
                    variable = sum(x or 0.0 for x in (row.read_s, row.convert_s, row.count_s))
                    if row.status != "ok":
                        variable = -1.0
                    history[key] = (case.ballots, max(0.0, wall - variable), variable)
    return {
        "command": " ".join(["python -m bench.run", *sys.argv[1:]]),
        "machine": machine(),
        "versions": versions(peer_py),
        "rows": [r.__dict__ for r in rows],
        "targets": check_targets(rows),
        "agreement": agreement(rows),
    }


def report(row: Row) -> None:
    """One line of progress on stderr, so a long run shows where it is."""
    t = "-" if row.count_s is None else f"{row.count_s:.3f}s"
    mem = "-" if row.maxrss is None else f"{row.maxrss / 2**20:.0f}MiB"
    print(
        f"{row.engine:10} {row.rule:9} {row.case:22} {row.status:13} {t:>10} {mem:>8}",
        row.note[:80],
        file=sys.stderr,
        flush=True,
    )


def machine() -> dict[str, Any]:
    """Cores, CPU model and memory of this machine."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(
            ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")
        )
        ram_gib = int(mem.split()[1]) / 2**20
    except (OSError, StopIteration):
        ram_gib = 0.0
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gib": round(ram_gib, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "loadavg_at_start": os.getloadavg(),
    }


def versions(peer_py: str | None) -> dict[str, str]:
    """Versions of numpy, grassroots (git commit) and the peers."""
    import numpy

    out = {"numpy": numpy.__version__}
    try:
        out["grassroots_commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out["grassroots_commit"] = "unknown"
    if peer_py:
        out.update(peer_versions(peer_py))
    return out


def check_targets(rows: list[Row]) -> list[dict[str, Any]]:
    """Each target with the measured figure and whether it is met."""
    out = []
    for (rule, case), (seconds, memory) in TARGETS.items():
        found = [r for r in rows if r.engine == "grassroots" and r.rule == rule and r.case == case]
        entry: dict[str, Any] = {"rule": rule, "case": case, "seconds": seconds, "memory": memory}
        if not found or found[0].status != "ok" or found[0].count_s is None:
            entry["met"] = None
            entry["measured"] = None if not found else found[0].status
        else:
            r = found[0]
            entry["measured_s"] = r.count_s
            entry["measured_rss"] = r.maxrss
            entry["met"] = r.count_s < seconds and (memory is None or (r.maxrss or 0) < memory)
            cpu = r.extra.get("count_cpu_s")
            entry["measured_cpu_s"] = cpu
            entry["met_cpu"] = (
                None
                if cpu is None
                else cpu < seconds and (memory is None or (r.maxrss or 0) < memory)
            )
        out.append(entry)
    return out


def agreement(rows: list[Row]) -> list[dict[str, Any]]:
    """For each peer run, how many of its elections elected the same set as ours."""
    ours = {(r.rule, r.case): r for r in rows if r.engine == "grassroots" and r.status == "ok"}
    out = []
    for r in rows:
        if (
            r.engine in ("grassroots", "peers", "generator")
            or r.status != "ok"
            or r.rule == "baseline"
        ):
            continue
        mine = ours.get((r.rule, r.case))
        if mine is None:
            continue
        same = sum(
            1 for a, b in zip(mine.elected, r.elected, strict=False) if sorted(a) == sorted(b)
        )
        differ = [
            i
            for i, (a, b) in enumerate(zip(mine.elected, r.elected, strict=False))
            if sorted(a) != sorted(b)
        ]
        out.append(
            {
                "rule": r.rule,
                "case": r.case,
                "peer": f"{r.engine}:{r.peer_rule}",
                "elections": len(r.elected),
                "same_elected_set": same,
                "differ_at": differ[:20],
            }
        )
    return out


def print_table(record: dict[str, Any]) -> None:
    """The results as a rich table on stdout."""
    from rich.console import Console
    from rich.table import Table

    ours = {(r["rule"], r["case"]): r for r in record["rows"] if r["engine"] == "grassroots"}
    table = Table(title="grassroots counting benchmarks (engine seconds; peak RSS of the worker)")
    for col in (
        "engine",
        "rule",
        "case",
        "status",
        "read s",
        "convert s",
        "count s",
        "peak MiB",
        "peer/ours",
        "note",
    ):
        table.add_column(col)
    for r in record["rows"]:
        ratio = ""
        mine = ours.get((r["rule"], r["case"]))
        if r["engine"] != "grassroots" and r["count_s"] and mine and mine.get("count_s"):
            ratio = f"{r['count_s'] / mine['count_s']:.1f}x"
        rule = r["rule"] if not r["peer_rule"] else f"{r['rule']} ~ {r['peer_rule']}"
        table.add_row(
            r["engine"],
            rule,
            r["case"],
            r["status"],
            fmt(r["read_s"]),
            fmt(r["convert_s"]),
            fmt(r["count_s"]),
            "" if r["maxrss"] is None else f"{r['maxrss'] / 2**20:.0f}",
            ratio,
            r["note"][:60],
        )
    console = Console(width=200)
    console.print(table)
    for t in record["targets"]:
        verdict = {True: "met", False: "NOT met", None: "not measured"}[t["met"]]
        console.print(f"target {t['rule']} {t['case']} < {t['seconds']} s: {verdict}")


def fmt(x: float | None) -> str:
    """Seconds to three decimals, blank when absent."""
    return "" if x is None else f"{x:.3f}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="a tiny subset that runs in seconds")
    p.add_argument("--rules", default=",".join(ALL_RULES), help="comma-separated rule names")
    p.add_argument("--sizes", default="1e5,1e6,1e7", help="synthetic ballot counts, e.g. 1e5,1e6")
    p.add_argument("--candidates", default="10,50,150", help="synthetic candidate counts")
    p.add_argument("--cases", default="meath,scotland,synthetic", help="which case families")
    p.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True)
    p.add_argument("--peer-python", default=None, help="interpreter with votekit and pyrankvote")
    p.add_argument("--peer-budget", type=float, default=PEER_BUDGET, help="seconds per peer case")
    p.add_argument("--timeout", type=float, default=OUR_TIMEOUT, help="seconds per case of ours")
    p.add_argument("--output", default=str(REPO / "bench" / "out" / "results.json"))
    p.add_argument(
        "--cache",
        default=str(REPO / "bench" / "out" / "cache"),
        help="where generated synthetic ballots are kept ('' to generate in every worker)",
    )
    args = p.parse_args(argv)
    args.rules = [r for r in args.rules.split(",") if r]
    args.sizes = [int(float(s)) for s in args.sizes.split(",") if s]
    args.candidates = [int(c) for c in args.candidates.split(",") if c]
    args.cases = [c for c in args.cases.split(",") if c]
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks, print the table and write the JSON record."""
    args = parse_args(argv)
    record = run(args)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(record)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
