"""Members benchmark: 500 000 members checked, imported and evaluated for eligibility; then the
same file again with every tenth member's payment changed, imported as updates.

Run: ``.venv/bin/python -m bench.bench_members [--members N] [--database-url URL]``.
Uses a fresh SQLite file in a temporary folder unless ``--database-url`` names a (disposable)
PostgreSQL database. Prints one line per step with its wall time; docs/benchmarks.md "Members"
records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(label: str, fn: Callable[[], T]) -> T:
    """Run ``fn``, printing wall time and this process's CPU time (less swayed by a busy box)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label:<52} {wall:8.3f} s wall {cpu:8.3f} s cpu", flush=True)
    return out


def make_csv(n: int, branches: list[str], seed: int = 7) -> str:
    """A register file of ``n`` members spread over ``branches`` (seeded, realistic variety)."""
    rng = random.Random(seed)
    today = dt.date(2026, 1, 1)
    buf = io.StringIO()
    buf.write("number,name,email,branch,join_date,status,paid_up_to,rate_band,gender\n")
    statuses = (
        ["full"] * 88 + ["provisional"] * 4 + ["lapsed"] * 5 + ["suspended"] * 2 + ["expelled"]
    )
    for i in range(n):
        join = today - dt.timedelta(days=rng.randrange(9000))
        paid = today + dt.timedelta(days=rng.randrange(-400, 365))
        buf.write(
            f"B{i:07d},Member {i},m{i}@example.org,{branches[i % len(branches)]},{join},"
            f"{rng.choice(statuses)},{max(paid, join)},standard,{'woman' if i % 2 else 'man'}\n"
        )
    return buf.getvalue()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--members", type=int, default=500_000)
    ap.add_argument("--branches", type=int, default=600)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="grassroots-bench-")
    os.environ["GRASSROOTS_DATA_DIR"] = tmp
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from grassroots.members import actions, csvio
    from grassroots.members.eligibility import Electorate, RuleSet, decide, evaluate
    from grassroots.members.models import Member, Occasion, Unit
    from grassroots.members.queries import check_register, current_members, electorate_of

    print(
        f"members benchmark: {args.members} members, {args.branches} branches, {connection.vendor}"
    )
    call_command("migrate", interactive=False, verbosity=0)
    nat = actions.create_unit(kind="national", code="bench-nat", name="Bench", parent=None, by=None)
    region = actions.create_unit(kind="region", code="bench-r", name="R", parent=nat, by=None)
    codes = [f"b{i}" for i in range(args.branches)]
    for c in codes:
        actions.create_unit(kind="branch", code=c, name=c, parent=region, by=None)

    text = timed("generate CSV", lambda: make_csv(args.members, codes))
    print(f"{'  file size':<52} {len(text) / 1e6:8.1f} MB")
    refs = {
        c: csvio.UnitRef(pk, kind, parent)
        for c, pk, kind, parent in Unit.objects.values_list("code", "pk", "kind", "parent_id")
    }
    parsed = timed("check every row (csvio.parse)", lambda: csvio.parse(text, refs))
    assert not parsed.errors, parsed.errors[:3]
    parsed = timed(
        "match with the register (match_existing)",
        lambda: csvio.match_existing(
            parsed, current_members([r.number for r in parsed.rows]), refs
        ),
    )
    assert len(parsed.rows) == args.members
    timed(
        "import into the database (actions.import_members)",
        lambda: actions.import_members(parsed, unit=nat, by=None, source="bench"),
    )
    assert Member.objects.count() == args.members

    on = dt.date(2026, 1, 15)
    rules = RuleSet(
        on=on,
        freeze_date=dt.date(2025, 12, 1),
        paid_up_to=on,
        may_pay_on_day=True,
        provisional_days=56,
        min_membership_days=183,
    )
    occ = actions.create_occasion(
        by=None, title="Bench ballot", kind="ballot", unit=nat, date=on, rules=rules
    )
    from django.db.models import CharField
    from django.db.models.functions import Cast

    rows = timed(
        "load columns from the database (dates as text)",
        lambda: list(
            Member.objects.annotate(
                j=Cast("join_date", CharField()), p=Cast("paid_up_to", CharField())
            ).values_list("j", "p", "status", "branch_id")
        ),
    )
    cols = list(zip(*rows, strict=True))
    e = timed("build arrays (Electorate.from_iso)", lambda: Electorate.from_iso(*cols))  # type: ignore[arg-type]
    result = timed("evaluate the rule set, vectorised (evaluate)", lambda: evaluate(rules, e))
    print(f"{'  eligible':<52} {result.eligible_count:8d}")
    for k, v in result.counts().items():
        print(f"{'  held back: ' + k:<52} {v:8d}")
    timed(
        "whole electorate page query (electorate_of)",
        lambda: electorate_of(Occasion.objects.get(pk=occ.pk)),
    )
    from grassroots.members.eligibility import MemberFacts

    day = dt.date.fromisoformat
    facts = [MemberFacts(day(j), s, p and day(p), b) for j, p, s, b in rows]
    timed(
        "one decision with reasons per member (decide x N)",
        lambda: [decide(rules, f) for f in facts],
    )
    lines = text.splitlines(keepends=True)
    for i in range(1, len(lines), 10):  # every tenth member has paid to a new date
        cells = lines[i].split(",")
        cells[6] = "2027-01-31"
        lines[i] = ",".join(cells)
    again = "".join(lines)
    parsed = timed(
        "re-import: check and match (check_register)",
        lambda: check_register(again, allowed_branches=None),
    )
    assert len(parsed.updates) == (args.members + 9) // 10 and not parsed.rows, len(parsed.updates)
    timed(
        "re-import: update every tenth, audited",
        lambda: actions.import_members(parsed, unit=nat, by=None, source="bench again"),
    )
    out = io.StringIO()
    timed(
        "export as CSV (csvio.write over the register)",
        lambda: csvio.write(
            (
                dict(zip(csvio.COLUMNS, r, strict=False))
                for r in Member.objects.values_list(
                    "number",
                    "name",
                    "email",
                    "branch__code",
                    "ward__code",
                    "join_date",
                    "status",
                    "paid_up_to",
                    "rate_band",
                    "gender",
                    "birth_date",
                ).iterator(chunk_size=5000)
            ),
            out,
        ),
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
