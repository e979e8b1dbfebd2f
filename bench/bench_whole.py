"""The whole command, file to result: ``grassroots count FILE --format json`` against the peers.

Run: ``.venv/bin/python -m bench.bench_whole [--ballots 200000] [--candidates 30] [--repeat 3]
[--no-peers] [--output bench/out/whole.json]``.

Writes the synthetic election (``bench/synthetic.py``) as a BLT file of one line per ballot
(``bench/blt_files.py``; kept in ``bench/out/whole``, not timed), then runs, one after
another and ``--repeat`` times in turn, our command and each installed peer program (OpenSTV
1.7 ``ScottishSTV`` under Python 2.7, Droop 0.14 ``scotland`` under Python 3.11; see
``bench/peers.py``: a missing one is skipped with a message), each program's modules
byte-compiled first with its own interpreter (``compile_sources``). Every run is a fresh process
started the way a person starts it; the parent reaps each with ``os.wait4`` for its CPU time
and peak RSS. Reported per program: the median wall and CPU seconds, the peak RSS, who was
elected; and each peer's median over ours (wall and CPU), all from this one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.blt_files import blt_path, write_blt
from bench.peers import PROGRAMS, program_cache, programs
from bench.synthetic import SyntheticSpec

REPO = Path(__file__).resolve().parents[1]
OURS = "grassroots"


def timed(command: list[str], timeout: float) -> dict[str, Any]:
    """Run a command to its end: wall and CPU seconds, peak RSS (MiB), its standard output."""
    out_path = REPO / "bench" / "out" / "whole" / "stdout.tmp"
    err_path = out_path.with_suffix(".err")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("wb") as out, err_path.open("wb") as errors:
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=errors)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                proc.wait()
                return {"status": "timeout", "wall_s": timeout}
            time.sleep(0.005)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = err_path.read_text(encoding="utf-8", errors="replace")
    text = out_path.read_text(encoding="utf-8", errors="replace")
    out_path.unlink()
    err_path.unlink()
    return {
        "status": "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {err[-300:]}",
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,
        "stdout": text,
    }


def compile_sources(commands: dict[str, list[str]]) -> None:
    """Byte-compile each program's own modules with its own interpreter before timing.

    An installed program runs from bytecode (pip compiles it; a checkout compiles itself on
    its first run), but where ``PYTHONDONTWRITEBYTECODE`` is set, as on the shared machine,
    nothing is ever cached and every run would compile every module again, ours and the
    peers' alike. ``compileall`` writes the bytecode regardless, once, for all three.
    """
    folders = {OURS: (sys.executable, REPO / "src" / "grassroots")}
    for program in PROGRAMS:
        if program.name in commands:
            folders[program.name] = (commands[program.name][0], program_cache() / program.folder)
    for python, folder in folders.values():
        subprocess.run(
            [python, "-m", "compileall", "-q", str(folder)], capture_output=True, check=False
        )


def elected(program: str, stdout: str) -> list[str]:
    """Who was elected, from a program's output."""
    if program == OURS:
        return sorted(json.loads(stdout)["elected"])
    if program.startswith("openstv"):
        found = re.search(r"Winners are (.*?)\.\s*$", stdout, re.DOTALL)
        if not found:
            return []
        text = " ".join(found.group(1).split()).replace(", and ", ", ").replace(" and ", ", ")
        return sorted(text.split(", "))
    runs = re.findall(r"((?:^\tElected: +.+\n)+)", stdout, re.MULTILINE)
    if not runs:
        return []
    return sorted(re.findall(r"^\tElected: +(.+?) \(", runs[-1], re.MULTILINE))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=200_000)
    parser.add_argument("--candidates", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--cache", default=str(REPO / "bench" / "out" / "cache"))
    parser.add_argument("--output", default=str(REPO / "bench" / "out" / "whole.json"))
    args = parser.parse_args(argv)
    spec = SyntheticSpec.of(args.ballots, args.candidates)
    path = write_blt(spec, blt_path(spec, REPO / "bench" / "out" / "whole"), Path(args.cache))
    grassroots = shutil.which("grassroots", path=str(Path(sys.executable).parent))
    commands: dict[str, list[str]] = {
        OURS: [grassroots or "grassroots", "count", str(path), "--format", "json"]
    }
    skipped: dict[str, str] = {}
    if not args.no_peers:
        ready, skipped = programs()
        for name, prefix in ready.items():
            commands[name] = [*prefix, str(path)]
        for name, why in skipped.items():
            print(f"skipped {name}: {why}", flush=True)
    compile_sources(commands)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in commands}
    for k in range(args.repeat):
        for name, command in commands.items():
            run = timed(command, args.timeout)
            run["elected"] = elected(name, run.pop("stdout", "")) if run["status"] == "ok" else []
            runs[name].append(run)
            cpu = f"{run['cpu_s']:.3f}" if "cpu_s" in run else "-"
            print(
                f"{k + 1}/{args.repeat} {name:<12} {run['status']:<8} {run['wall_s']:8.3f} s "
                f"wall {cpu:>8} s cpu {run.get('peak_rss_mib', 0):8.0f} MiB",
                flush=True,
            )
    summary: dict[str, dict[str, Any]] = {}
    for name, done in runs.items():
        ok = [r for r in done if r["status"] == "ok"]
        if not ok:
            summary[name] = {"status": done[-1]["status"] if done else "not run"}
            continue
        summary[name] = {
            "status": "ok",
            "wall_s": statistics.median(r["wall_s"] for r in ok),
            "cpu_s": statistics.median(r["cpu_s"] for r in ok),
            "peak_rss_mib": max(r["peak_rss_mib"] for r in ok),
            "elected": ok[-1]["elected"],
        }
        if name != OURS:
            summary[name]["same_elected_as_ours"] = ok[-1]["elected"] == summary.get(OURS, {}).get(
                "elected"
            )
    ours = summary.get(OURS, {})
    for name, row in summary.items():
        if name != OURS and row.get("status") == "ok" and ours.get("status") == "ok":
            row["wall_ratio"] = row["wall_s"] / ours["wall_s"]
            row["cpu_ratio"] = row["cpu_s"] / ours["cpu_s"]
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    record = {
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "uptime_at_end": uptime,
        "commit": commit,
        "case": {"name": spec.name, "seats": spec.seats, "file": str(path)},
        "file_mib": path.stat().st_size / 2**20,
        "commands": {name: " ".join(c) for name, c in commands.items()},
        "skipped": skipped,
        "summary": summary,
        "runs": runs,
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"\n{spec.name} ({record['file_mib']:.1f} MiB), {uptime}")
    for name, row in summary.items():
        if row.get("status") != "ok":
            print(f"{name:<12} {row.get('status')}")
            continue
        ratio = (
            f"  {row['wall_ratio']:.1f}x wall, {row['cpu_ratio']:.1f}x cpu slower than ours"
            if "wall_ratio" in row
            else ""
        )
        print(
            f"{name:<12} {row['wall_s']:8.3f} s wall {row['cpu_s']:8.3f} s cpu "
            f"{row['peak_rss_mib']:7.0f} MiB  same elected: {row.get('same_elected_as_ours', '-')}"
            f"{ratio}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
