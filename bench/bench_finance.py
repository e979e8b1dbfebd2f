"""Subscriptions benchmark: a year of monthly payments by 500 000 members (6 000 000 payments)
apportioned between national, region, branch and ward and recorded, then every unit's accounts
for the year produced (its totals and remittances), and the "where your subscription goes" page
timed for members picked at random, with that data.

Each month's payments are recorded as one payments file is (``import_payments``, the action an
import or a processor's export goes through: members checked, each payment split under the rule
in force on its date, written, audited), from rows already read (CSV parsing is the register
benchmark's business). The year crosses a rule change on 1 July. Every row carries its own
reference, as a processor's export does, so each goes into the unique reference index that
refuses a re-import.

Run: ``.venv/bin/python -m bench.bench_finance [--members N] [--database-url URL]``.
Uses a fresh SQLite file in a temporary folder unless ``--database-url`` names a (disposable)
PostgreSQL database. docs/benchmarks.md "Subscriptions" records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

CITED = {
    "standard": {"rate": 5256, "shares": {"national": 5006, "branch": 250}},
    "reduced": {"rate": 2628, "shares": {"national": 2503, "branch": 125}},
}
CHANGED = {
    "standard": {
        "rate": 5256,
        "shares": {"national": 4204, "region": 263, "branch": 526, "ward": 263},
    },
    "reduced": {
        "rate": 2628,
        "shares": {"national": 2102, "region": 131, "branch": 263, "ward": 132},
    },
}
YEAR = 2025


def timed(label: str, fn: Callable[[], T]) -> T:
    """Run ``fn``, printing wall time and this process's CPU time (less swayed by a busy box)."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label:<60} {wall:8.3f} s wall {cpu:8.3f} s cpu", flush=True)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--members", type=int, default=500_000)
    ap.add_argument("--branches", type=int, default=600)
    ap.add_argument("--regions", type=int, default=12)
    ap.add_argument("--page-samples", type=int, default=200)
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--profile", action="store_true", help="CPU profile of the recording")
    ap.add_argument("--months", type=int, default=12, help="record only the first N months")
    args = ap.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="grassroots-bench-")
    os.environ["GRASSROOTS_DATA_DIR"] = tmp
    os.environ["GRASSROOTS_DEMO"] = "1"  # development key, plain HTTP: the page is served as-is
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.site.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import F, Sum
    from django.test import Client

    from grassroots.finance.actions.subscriptions import create_rule, import_payments
    from grassroots.finance.models import Payment, PaymentSplit
    from grassroots.finance.payments_csv import PaymentRow, PaymentsFile
    from grassroots.finance.subscription_accounts import every_unit_year
    from grassroots.members import actions, csvio
    from grassroots.members.actions.imports import _insert_rows
    from grassroots.members.models import Member

    settings.ALLOWED_HOSTS = ["*"]
    settings.GRASSROOTS_OFFICER_MFA = False  # the page is timed, not the second-factor set-up
    print(
        f"subscriptions benchmark: {args.members} members x 12 months, {args.branches} branches, "
        f"{connection.vendor}"
    )
    call_command("migrate", interactive=False, verbosity=0)
    nat = actions.create_unit(kind="national", code="bench-nat", name="Bench", parent=None, by=None)
    regions = [
        actions.create_unit(kind="region", code=f"r{i}", name=f"Region {i}", parent=nat, by=None)
        for i in range(args.regions)
    ]
    branches: list[tuple[int, list[int]]] = []
    for i in range(args.branches):
        b = actions.create_unit(
            kind="branch", code=f"b{i}", name=f"Branch {i}", parent=regions[i % len(regions)],
            by=None,
        )  # fmt: skip
        wards = [
            actions.create_unit(kind="ward", code=f"b{i}w{w}", name=f"Ward {w}", parent=b, by=None)
            for w in range(3)
        ]
        branches.append((b.pk, [w.pk for w in wards]))
    rng = random.Random(11)
    rows = []
    for i in range(args.members):
        branch, wards = branches[i % len(branches)]
        rows.append(
            csvio.MemberRow(
                i,
                f"B{i:07d}",
                f"Member {i}",
                "",
                branch,
                None if i % 10 == 0 else wards[rng.randrange(3)],  # one in ten without a ward
                dt.date(2015, 1, 1),
                "full",
                None,
                "reduced" if i % 7 == 0 else "standard",
                "",
                None,
            )
        )
    with connection.cursor():
        from django.db import transaction

        with transaction.atomic():
            timed("set up: insert the members", lambda: _insert_rows(rows, 5000))
    create_rule(effective_from=dt.date(YEAR, 1, 1), bands=CITED, by=None)
    create_rule(effective_from=dt.date(YEAR, 7, 1), bands=CHANGED, by=None)
    members = list(Member.objects.values_list("pk", "number", "rate_band"))

    def month_file(month: int) -> PaymentsFile:
        day = dt.date(YEAR, month, 1 + (month % 28))
        return PaymentsFile(
            "own",
            [
                PaymentRow(
                    n + 2,
                    pk,
                    number,
                    day,
                    438 if band == "standard" else 219,
                    band,
                    f"{number}-{month}",
                )
                for n, (pk, number, band) in enumerate(members)
            ],
        )

    import cProfile
    import pstats

    profile = cProfile.Profile(time.process_time) if args.profile else None
    total_wall = 0.0
    total_cpu = 0.0
    for month in range(1, args.months + 1):
        f = month_file(month)
        t0, c0 = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        import_payments(f, unit=nat, by=None, filename=f"{YEAR}-{month:02d}")
        if profile:
            profile.disable()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        total_wall += wall
        total_cpu += cpu
        print(f"{f'  month {month:2d}: {len(f.rows)} payments apportioned, recorded':<60} "
              f"{wall:8.3f} s wall {cpu:8.3f} s cpu", flush=True)  # fmt: skip
    label = f"apportion and record {args.months} months ({args.months * len(members)} payments)"
    print(f"{label:<60} {total_wall:8.3f} s wall {total_cpu:8.3f} s cpu", flush=True)
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)
    count = Payment.objects.count()
    assert count == args.months * len(members), count
    bad = PaymentSplit.objects.exclude(
        amount=F("national_pence") + F("region_pence") + F("branch_pence") + F("ward_pence")
    ).count()
    sums = Payment.objects.aggregate(paid=Sum("split__amount"), branch=Sum("split__branch_pence"))
    print(f"  every payment's shares add up: {bad == 0}; paid {sums['paid']}p, "
          f"to branches {sums['branch']}p")  # fmt: skip
    assert bad == 0

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    admin = actions.create_login(username="bench-admin", password="x", by=None)
    actions.grant_role(user=admin, kind="administrator", unit=nat, by=None)
    client = Client()
    client.force_login(admin)
    picks = rng.sample([n for _, n, _ in members], min(args.page_samples, len(members)))
    client.get(f"/finance/members/{picks[0]}/subscription/?year={YEAR}")  # warm up
    times = []
    for number in picks:
        t0 = time.perf_counter()
        r = client.get(f"/finance/members/{number}/subscription/?year={YEAR}")
        times.append(time.perf_counter() - t0)
        shown = f"{args.months} payments in 2025".encode()
        assert r.status_code == 200 and shown in r.content, number
    times.sort()
    p50 = statistics.median(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    label = f"where your subscription goes page, {len(times)} members"
    ms = f"p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  max {times[-1] * 1000:7.1f} ms"
    print(f"{label:<60} {ms}")

    def every_units_accounts() -> int:
        """Every unit's subscription accounts for the year (what its totals page shows, and
        what the national office owes it by month), checked against the payments' own sums."""
        accounts = every_unit_year(YEAR)
        (nat,) = [a for a in accounts if a.level == "national"]
        assert nat.paid_in == sums["paid"], (nat.paid_in, sums["paid"])
        to_branches = sum(a.received for a in accounts if a.level == "branch")
        assert to_branches == sums["branch"], (to_branches, sums["branch"])
        return len(accounts)

    n = timed("every unit's subscription accounts for the year", every_units_accounts)
    print(f"  {n} units' accounts, adding up to the payments")
    for label, url in [
        ("a branch's public totals page", f"/finance/units/b1/subscriptions/?year={YEAR}"),
        ("a region's public totals page", f"/finance/units/r1/subscriptions/?year={YEAR}"),
        ("a branch's remittances page", f"/finance/units/b1/remittances/?year={YEAR}"),
        ("a branch's what-if (10%)", f"/finance/units/b1/what-if/?percent=10&year={YEAR}"),
        ("the national totals page", f"/finance/units/bench-nat/subscriptions/?year={YEAR}"),
    ]:
        r = timed(label, lambda url=url: client.get(url))  # type: ignore[misc]
        assert r.status_code == 200, (url, r.status_code)


if __name__ == "__main__":
    main()
