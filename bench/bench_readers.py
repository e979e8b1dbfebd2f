"""Ballot readers on very wide files (many candidates, many CSV columns) and on many ballots.

Run: ``.venv/bin/python -m bench.bench_readers [--candidates 200000] [--columns 300000]``.
Writes each file to a temporary folder (not timed), then reads it with ``read_ballots`` and
prints one line per file with its wall and CPU time. docs/benchmarks.md "Reading wide files"
records the figures; tests/count/test_formats_scale.py checks what these files read as.

``--ballots N [--ballot-candidates C]`` instead writes the synthetic election of N ballots
(``bench/synthetic.py``) one ballot per line as BLT, PrefLib, CSV of the candidates layout and
CSV of the ranks layout, and reads each with ``read_ballots`` (the fast reader) and with the
careful reader alone (``loads`` on the decoded text), checking that both make the same
election. docs/benchmarks.md "Whole command, file to result" records the figures.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from grassroots.count.ballots import Election
from grassroots.count.formats import read_ballots

Loads = Callable[[str], Election]


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


def ballot_files(folder: Path, ballots: int, n: int) -> list[tuple[str, Path, Loads]]:
    """The synthetic election written one ballot per line in each format, with its careful
    reader."""
    from bench.blt_files import blt_path, write_blt
    from bench.synthetic import SyntheticSpec
    from grassroots.count.formats import blt as blt_format
    from grassroots.count.formats import csv as csv_format
    from grassroots.count.formats import preflib as preflib_format

    spec = SyntheticSpec.of(ballots, n)
    source = write_blt(spec, blt_path(spec, folder), folder / "cache")
    lines = source.read_text(encoding="ascii").splitlines()[1 : 1 + ballots]
    orders = [line.split()[1:-1] for line in lines]
    names = [f"C{i + 1:03d}" for i in range(n)]
    soi = folder / "ballots.soi"
    header = [f"# NUMBER ALTERNATIVES: {n}"]
    header += [f"# ALTERNATIVE NAME {i}: {name}" for i, name in enumerate(names, start=1)]
    soi.write_text("\n".join([*header, *(f"1: {','.join(o)}" for o in orders)]) + "\n")
    by_candidate = folder / "candidates.csv"
    rows = [",".join(names)]
    for order in orders:
        cells = [""] * n
        for rank, c in enumerate(order, start=1):
            cells[int(c) - 1] = str(rank)
        rows.append(",".join(cells))
    by_candidate.write_text("\n".join(rows) + "\n")
    width = max(len(o) for o in orders)
    by_rank = folder / "ranks.csv"
    rows = [",".join(f"rank{k}" for k in range(1, width + 1))]
    rows += [",".join([names[int(c) - 1] for c in o] + [""] * (width - len(o))) for o in orders]
    by_rank.write_text("\n".join(rows) + "\n")
    return [
        (f"BLT, {ballots:,} ballots x {n}", source, blt_format.loads),
        (f"PrefLib, {ballots:,} orders x {n}", soi, preflib_format.loads),
        (f"CSV candidates layout, {ballots:,} rows x {n}", by_candidate, csv_format.loads),
        (f"CSV ranks layout, {ballots:,} rows x {width}", by_rank, csv_format.loads),
    ]


def time_ballot_files(ballots: int, n: int) -> None:
    """Fast and careful readers on the same files: seconds each, and that they agree."""
    from grassroots.count.formats._text import decode

    with tempfile.TemporaryDirectory() as folder:
        for label, path, careful in ballot_files(Path(folder), ballots, n):
            got: dict[str, Election] = {}
            for how, read in (
                ("fast", lambda p=path: read_ballots(p)),
                ("careful", lambda p=path, c=careful: c(decode(p.read_bytes(), str(p)))),
            ):
                t0, c0 = time.perf_counter(), time.process_time()
                got[how] = read()
                wall, cpu = time.perf_counter() - t0, time.process_time() - c0
                print(f"{label:<48} {how:<8} {wall:8.3f} s wall {cpu:8.3f} s cpu", flush=True)
            same = got["fast"].rankings == got["careful"].rankings
            print(f"{label:<48} same election: {same}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=200_000)
    parser.add_argument("--columns", type=int, default=300_000)
    parser.add_argument("--ballots", type=int, default=0)
    parser.add_argument("--ballot-candidates", type=int, default=30)
    args = parser.parse_args(argv)
    if args.ballots:
        time_ballot_files(args.ballots, args.ballot_candidates)
        return
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
