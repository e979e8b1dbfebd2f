"""Ballot readers on very wide files: many candidates, many CSV columns.

Run: ``.venv/bin/python -m bench.bench_readers [--candidates 200000] [--columns 300000]``.
Writes each file to a temporary folder (not timed), then reads it with ``read_ballots`` and
prints one line per file with its wall and CPU time. docs/benchmarks.md "Reading wide files"
records the figures; tests/count/test_formats_scale.py checks what these files read as.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from grassroots.count.formats import read_ballots


def names(n: int) -> list[str]:
    return [f"Candidate {i}" for i in range(n)]


def blt(path: Path, n: int) -> None:
    quoted = "\n".join(f'"{name}"' for name in names(n))
    path.write_text(f'{n} 2\n3 1 2 0\n2 {n} 5 0\n0\n{quoted}\n"Many"\n', encoding="utf-8")


def preflib(path: Path, n: int) -> None:
    header = "".join(f"# ALTERNATIVE NAME {i}: {m}\n" for i, m in enumerate(names(n), start=1))
    path.write_text(f"# NUMBER ALTERNATIVES: {n}\n{header}3: 1,2\n2: {n},5\n", encoding="utf-8")


def as_json(path: Path, n: int) -> None:
    data = {"format": "grassroots-ballots", "version": 1, "seats": 2, "candidates": names(n)}
    data["ballots"] = [{"weight": 3, "ranking": ["Candidate 0", "Candidate 1"]}]
    path.write_text(json.dumps(data), encoding="utf-8")


def csv_candidates(path: Path, m: int) -> None:
    row = [""] * m
    row[0], row[7], row[m - 1] = "1", "2", "3"
    path.write_text(",".join(names(m)) + "\n" + ",".join(row) + "\n", encoding="utf-8")


def csv_ranks(path: Path, m: int) -> None:
    header = ",".join(f"rank{k}" for k in range(1, m + 1))
    forwards = ",".join(names(m))
    backwards = ",".join(reversed(names(m)))
    path.write_text(f"{header}\n{forwards}\n{backwards}\n", encoding="utf-8")


def timed(label: str, fn: Callable[[], int]) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    got = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label:<44} {got:>8} candidates {wall:8.3f} s wall {cpu:8.3f} s cpu", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=200_000)
    parser.add_argument("--columns", type=int, default=300_000)
    args = parser.parse_args(argv)
    n, m = args.candidates, args.columns
    cases: list[tuple[str, str, Callable[[Path, int], None], int]] = [
        (f"BLT, {n:,} candidates", "many.blt", blt, n),
        (f"PrefLib, {n:,} alternatives", "many.soi", preflib, n),
        (f"JSON, {n:,} candidates", "many.json", as_json, n),
        (f"CSV, {m:,} candidate columns", "wide.csv", csv_candidates, m),
        (f"CSV, {m:,} rank columns", "long.csv", csv_ranks, m),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for label, name, write, size in cases:
            path = Path(folder) / name
            write(path, size)
            timed(label, lambda p=path: len(read_ballots(p).candidates))


if __name__ == "__main__":
    main()
