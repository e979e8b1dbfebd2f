"""Markdown tables from one or more ``bench.run`` JSON records, for docs/benchmarks.md.

``python -m bench.report bench/out/results.json [more.json ...]`` prints the tables.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _s(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def _mib(x: int | None) -> str:
    return "" if not x else f"{x / 2**20:.0f}"


def tables(records: list[dict[str, Any]]) -> str:
    """The machine, commands, versions and one table of all rows."""
    out: list[str] = []
    first = records[0]
    m = first["machine"]
    load = ", ".join(f"{x:.1f}" for x in m["loadavg_at_start"])
    out.append(
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, {m['platform']}, "
        f"Python {m['python']}; load average when the first run ended {load}."
    )
    out.append("")
    out.append("Commands (each run's record says when it finished and at which commit):")
    out.append("")
    for r in records:
        when, commit = r["machine"]["date_utc"], r["versions"]["grassroots_commit"]
        out.append(f"- `{r['command']}` (finished {when}, commit {commit})")
    out.append("")
    v = first["versions"]
    out.append("Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".")
    out.append("")
    rows = [row for r in records for row in r["rows"]]
    ours = {(r["rule"], r["case"]): r for r in rows if r["engine"] == "grassroots"}
    out.append(
        "| case | rule | engine (peer rule) | status | read/pack s | convert s | count s"
        " | count CPU s | peak RSS MiB | peer/ours | note |"
    )
    out.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        ratio = ""
        mine = ours.get((r["rule"], r["case"]))
        peer = r["engine"] not in ("grassroots", "generator")
        if peer and r["count_s"] and mine and mine.get("count_s"):
            ratio = f"{r['count_s'] / mine['count_s']:.1f}"
        engine = r["engine"] + (f" ({r['peer_rule']})" if r["peer_rule"] else "")
        note = r["note"].replace("|", "/")[:90]
        if r["engine"] == "generator":
            note = (
                f"{'loaded from cache' if r['extra'].get('cached') else 'generated'}; "
                f"{r['extra'].get('distinct_ballots', '')} distinct ballots"
            )
        out.append(
            f"| {r['case']} | {r['rule']} | {engine} | {r['status']} | {_s(r['read_s'])} | "
            f"{_s(r['convert_s'])} | {_s(r['count_s'])} | {_s(r['extra'].get('count_cpu_s'))} | "
            f"{_mib(r['maxrss'])} | {ratio} | {note} |"
        )
    out.append("")
    out.append("Targets:")
    out.append("")
    seen = set()
    for r in reversed(records):  # the latest run of a case wins
        for t in r["targets"]:
            if t["met"] is None or (t["rule"], t["case"]) in seen:
                continue
            seen.add((t["rule"], t["case"]))
            mem = f" and {t['memory'] / 2**30:.0f} GiB" if t["memory"] else ""
            out.append(
                f"- {t['rule']} on {t['case']}: under {t['seconds']} s{mem}: "
                f"measured {t['measured_s']:.3f} s wall"
                + (
                    f" ({t['measured_cpu_s']:.3f} s CPU)"
                    if t.get("measured_cpu_s") is not None
                    else ""
                )
                + f", {_mib(t['measured_rss'])} MiB peak: "
                f"**{'met' if t['met'] else 'NOT met'}** on wall time"
                + (
                    f", **{'met' if t['met_cpu'] else 'NOT met'}** on CPU time"
                    if t.get("met_cpu") is not None
                    else ""
                )
            )
    out.append("")
    out.append("Peers' elected sets against ours:")
    out.append("")
    for r in records:
        for a in r["agreement"]:
            out.append(
                f"- {a['rule']} vs {a['peer']} on {a['case']}: same set in "
                f"{a['same_elected_set']} of {a['elections']}"
                + (f" (differ at election index {a['differ_at']})" if a["differ_at"] else "")
            )
    return "\n".join(out) + "\n"


def summary(records: list[dict[str, Any]]) -> str:
    """Our engine only: one row per case, one column per rule; later records win.

    Each cell is ``count s wall / CPU s, peak MiB`` (CPU blank where the run predates it).
    """
    cells: dict[tuple[str, str], str] = {}
    cases: list[str] = []
    rules: list[str] = []
    for record in records:
        for r in record["rows"]:
            if r["engine"] != "grassroots" or r["rule"] == "baseline":
                continue
            if r["case"] not in cases:
                cases.append(r["case"])
            if r["rule"] not in rules:
                rules.append(r["rule"])
            if r["status"] != "ok":
                cells[(r["case"], r["rule"])] = r["status"] + (
                    f" ({r['note']})" if r["note"] else ""
                )
                continue
            cpu = r["extra"].get("count_cpu_s")
            cells[(r["case"], r["rule"])] = (
                f"{_s(r['count_s'])}"
                + (f" / {_s(cpu)}" if cpu is not None else "")
                + f", {_mib(r['maxrss'])}"
            )
    out = ["| case | " + " | ".join(rules) + " |", "|---|" + "---|" * len(rules)]
    for case in cases:
        out.append(
            f"| {case} | " + " | ".join(cells.get((case, rule), "") for rule in rules) + " |"
        )
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    """Print the tables for the JSON records named on the command line.

    ``--summary`` first prints only the per-rule summary of our engine.
    """
    args = argv[1:]
    only_summary = "--summary" in args
    paths = [a for a in args if a != "--summary"]
    records = [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
    sys.stdout.write(summary(records) if only_summary else tables(records))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
