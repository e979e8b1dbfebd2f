"""Voting benchmark: N voters casting at once through the real ``cast`` action on PostgreSQL.

Run: ``.venv/bin/python -m bench.bench_voting --database-url postgres://…/DISPOSABLE_DB
[--voters N] [--threads T] [--retry-share 0.05]``. The database is emptied and migrated first,
so give it a database that holds nothing else. Each thread casts for its share of the roll
(one Django connection per thread); a share of voters also send their ballot a second time,
as a retried request would. At the end the tables are checked: one voter record and one ballot
per acknowledged cast, no duplicates, every retry refused. Prints ballots/second and latency
percentiles; docs/benchmarks.md "Voting" records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import threading
import time


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--voters", type=int, default=20_000)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--branches", type=int, default=50)
    ap.add_argument("--retry-share", type=float, default=0.05)
    args = ap.parse_args(argv)

    os.environ["GRASSROOTS_DATA_DIR"] = tempfile.mkdtemp(prefix="grassroots-bench-")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from grassroots.elections import actions
    from grassroots.elections.models import Ballot, VoterRecord
    from grassroots.members import actions as member_actions
    from grassroots.members.eligibility import RuleSet
    from grassroots.members.models import Member

    if "django_migrations" in connection.introspection.table_names():
        call_command("flush", interactive=False, verbosity=0)  # a disposable database
    call_command("migrate", interactive=False, verbosity=0)
    print(f"voting benchmark: {args.voters} voters, {args.threads} threads, {connection.vendor}")

    nat = member_actions.create_unit(
        kind="national", code="nat", name="Bench", parent=None, by=None
    )
    branches = [
        member_actions.create_unit(kind="branch", code=f"b{i}", name=f"B{i}", parent=nat, by=None)
        for i in range(args.branches)
    ]
    join = dt.date(2020, 1, 1)
    Member.objects.bulk_create(
        [
            Member(
                number=f"V{i:07d}",
                name=f"Voter {i}",
                branch=branches[i % len(branches)],
                join_date=join,
                status="full",
            )
            for i in range(args.voters)
        ],
        batch_size=5000,
    )
    now = timezone.now()
    day = dt.timedelta(days=1)
    e = actions.create_election(
        title="Bench election",
        seats=3,
        rule="scottish",
        unit=nat,
        eligibility=RuleSet(on=now.date()),
        freeze_date=now.date(),
        nominations_open=now - 3 * day,
        nominations_close=now - 2 * day,
        voting_open=now - day,
        voting_close=now + day,
        threshold={},
        by=None,
    )
    names = [f"Candidate {c}" for c in "ABCDEFGH"]
    for n in names:
        c = actions.add_candidate(e, name=n, by=None, now=now - 3 * day)
        actions.consent(c, statement="", by=None, now=now - 3 * day)
    t0 = time.perf_counter()
    actions.open_voting(e, by=None, now=now)
    print(f"open voting (freeze and fingerprint the roll): {time.perf_counter() - t0:.2f} s")
    e.refresh_from_db()

    voters = list(Member.objects.order_by("?").values_list("pk", flat=True))
    shares = [voters[i :: args.threads] for i in range(args.threads)]
    latencies: list[list[float]] = [[] for _ in range(args.threads)]
    acknowledged = [0] * args.threads
    refused_retries = [0] * args.threads
    errors: list[str] = []
    barrier = threading.Barrier(args.threads)

    def worker(k: int) -> None:
        rng = random.Random(k)
        try:
            members = {m.pk: m for m in Member.objects.filter(pk__in=shares[k])}
            barrier.wait()
            for pk in shares[k]:
                ranking = rng.sample(names, rng.randint(1, len(names)))
                t = time.perf_counter()
                actions.cast(e, members[pk], ranking)
                latencies[k].append(time.perf_counter() - t)
                acknowledged[k] += 1
                if rng.random() < args.retry_share:
                    try:
                        actions.cast(e, members[pk], ranking)
                        errors.append(f"member {pk}: a retried cast was accepted")
                    except actions.AlreadyVoted:
                        refused_retries[k] += 1
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.threads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    lat = sorted(x for ls in latencies for x in ls)
    acked = sum(acknowledged)
    records = VoterRecord.objects.filter(election=e).count()
    ballots = Ballot.objects.filter(election=e).count()
    distinct_hashes = Ballot.objects.filter(election=e).values("receipt_hash").distinct().count()
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    print(f"ballots acknowledged            {acked}")
    print(f"wall time                       {wall:.1f} s")
    print(f"ballots/second                  {acked / wall:.0f}")
    print(
        "cast latency p50 / p95 / p99    "
        f"{q[49] * 1e3:.1f} / {q[94] * 1e3:.1f} / {q[98] * 1e3:.1f} ms"
    )
    print(f"retries refused                 {sum(refused_retries)}")
    print(f"voter records / ballots / hashes {records} / {ballots} / {distinct_hashes}")
    lost = acked - ballots
    print(f"lost ballots {lost}, duplicate ballots {ballots - records}, errors {len(errors)}")
    for err in errors[:5]:
        print(f"  error: {err}")
    ok = not errors and records == ballots == acked == distinct_hashes == args.voters
    print("CHECK", "PASSED" if ok else "FAILED")


if __name__ == "__main__":
    main()
