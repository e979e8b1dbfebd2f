"""Voting benchmark: N voters casting at once through the real ``cast`` action on PostgreSQL.

Run: ``.venv/bin/python -m bench.bench_voting --database-url postgres://…/DISPOSABLE_DB
[--voters N] [--threads T] [--retry-share 0.05]``. The database is emptied and migrated first,
so give it a database that holds nothing else. Each thread casts for its share of the roll
(one Django connection per thread); each cast carries a ballot-page token, and a share of
voters send their ballot a second time, as a retried request would: the retry must be refused
and must get the same receipt back (``receipt_for_retry``). At the end the tables are checked:
one voter record and one ballot per acknowledged cast, no duplicates, every retry refused.
Prints ballots/second overall and in each whole minute (the slowest minute is the sustained
rate), latency percentiles and the load average; docs/benchmarks.md "Voting" records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import secrets
import statistics
import tempfile
import threading
import time
from typing import Any


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--voters", type=int, default=20_000)
    ap.add_argument("--threads", type=int, default=8, help="threads per process")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--branches", type=int, default=50)
    ap.add_argument("--retry-share", type=float, default=0.05)
    ap.add_argument(
        "--minutes",
        type=float,
        default=0.0,
        help="stop casting after this long (0: until every voter has voted); "
        "give a roll large enough that it does not run out first",
    )
    args = ap.parse_args(argv)

    start_django(args.database_url)
    from django.db import connection, connections

    from grassroots.elections.models import Ballot, VoterRecord
    from grassroots.members.models import Member

    print(
        f"voting benchmark: {args.voters} voters, {args.processes} process(es) x "
        f"{args.threads} threads, {connection.vendor}"
    )
    e, names = open_bench_election(args.voters, args.branches)

    voters = list(Member.objects.order_by("?").values_list("pk", flat=True))
    procs = max(1, args.processes)
    slices = [voters[i::procs] for i in range(procs)]
    connections.close_all()  # each forked process opens its own
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(procs)
    load_before = os.getloadavg()
    with ctx.Pool(procs, initializer=_init, initargs=(barrier,)) as pool:
        parts = pool.map(
            _cast_slice,
            [
                (e.pk, s, args.threads, names, args.retry_share, i, args.minutes * 60)
                for i, s in enumerate(slices)
            ],
        )
    # timed from the moment every process has loaded its voters and passed the barrier
    # (time.perf_counter is the system's monotonic clock, the same in every process)
    start = min(p[6] for p in parts)
    wall = max((t for p in parts for t in p[4]), default=start) - start
    load_after = os.getloadavg()
    latencies = [p[0] for p in parts]
    acknowledged = [p[1] for p in parts]
    refused_retries = [p[2] for p in parts]
    errors = [x for p in parts for x in p[3]]
    ends = sorted(t - start for p in parts for t in p[4])
    given_back = sum(p[5] for p in parts)
    lat = sorted(x for ls in latencies for x in ls)
    acked = sum(acknowledged)
    records = VoterRecord.objects.filter(election=e).count()
    ballots = Ballot.objects.filter(election=e).count()
    distinct_hashes = Ballot.objects.filter(election=e).values("receipt_hash").distinct().count()
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    print(f"ballots acknowledged            {acked} of {args.voters} on the roll")
    print(f"wall time                       {wall:.1f} s")
    print(f"ballots/second                  {acked / wall:.0f}")
    print(
        "cast latency p50 / p95 / p99    "
        f"{q[49] * 1e3:.1f} / {q[94] * 1e3:.1f} / {q[98] * 1e3:.1f} ms"
    )
    print(f"retries refused                 {sum(refused_retries)}")
    print(f"retries given their receipt     {given_back}")
    minutes = [
        sum(1 for t in ends if 60 * i <= t < 60 * (i + 1)) / 60 for i in range(int(wall // 60))
    ]
    if minutes:
        print(
            "ballots/second per whole minute "
            + " ".join(f"{r:.0f}" for r in minutes)
            + f" (slowest {min(minutes):.0f})"
        )
    print(
        "load average before / after     "
        + " ".join(f"{x:.1f}" for x in load_before)
        + " / "
        + " ".join(f"{x:.1f}" for x in load_after)
    )
    print(f"voter records / ballots / hashes {records} / {ballots} / {distinct_hashes}")
    lost = acked - ballots
    print(f"lost ballots {lost}, duplicate ballots {ballots - records}, errors {len(errors)}")
    for err in errors[:5]:
        print(f"  error: {err}")
    ok = (
        not errors
        and given_back == sum(refused_retries)
        and records == ballots == acked == distinct_hashes
        and (args.minutes > 0 or acked == args.voters)
    )
    print("CHECK", "PASSED" if ok else "FAILED")


def start_django(database_url: str) -> None:
    """Set Django up on ``database_url``, a disposable database: emptied, then migrated."""
    os.environ["GRASSROOTS_DATA_DIR"] = tempfile.mkdtemp(prefix="grassroots-bench-")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.site.settings")
    # Production settings over plain HTTP on this machine (gunicorn inherits them): a key of
    # the run's own, no HTTPS redirect or secure-only cookies for the HTTP load generator.
    os.environ.setdefault("GRASSROOTS_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("GRASSROOTS_SSL_REDIRECT", "0")
    os.environ.setdefault("GRASSROOTS_SECURE_COOKIES", "0")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if "django_migrations" in connection.introspection.table_names():
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)


def open_bench_election(
    voters: int, branches: int, *, logins: bool = False, candidates: int = 8
) -> tuple[Any, list[str]]:
    """One election open for voting, ``voters`` members on its frozen roll, ``candidates``
    candidates (8 unless said).

    With ``logins`` each member is also linked to a user account (named after the member
    number, with an unusable password: the HTTP benchmark logs voters in by session).
    Returns the election and the candidates' names.
    """
    from django.contrib.auth.models import User
    from django.utils import timezone

    from grassroots.elections import actions
    from grassroots.members import actions as member_actions
    from grassroots.members.eligibility import RuleSet
    from grassroots.members.models import Member

    nat = member_actions.create_unit(
        kind="national", code="nat", name="Bench", parent=None, by=None
    )
    units = [
        member_actions.create_unit(kind="branch", code=f"b{i}", name=f"B{i}", parent=nat, by=None)
        for i in range(branches)
    ]
    numbers = [f"V{i:07d}" for i in range(voters)]
    users: list[Any] = [None] * voters
    if logins:
        users = User.objects.bulk_create(
            [User(username=n, password="!bench-no-password") for n in numbers], batch_size=5000
        )
    join = dt.date(2020, 1, 1)
    Member.objects.bulk_create(
        [
            Member(
                number=n,
                name=f"Voter {i}",
                branch=units[i % len(units)],
                join_date=join,
                status="full",
                user=users[i],
            )
            for i, n in enumerate(numbers)
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
    names = [f"Candidate {chr(ord('A') + i % 26)}{i // 26 or ''}" for i in range(candidates)]
    for n in names:
        c = actions.add_candidate(e, name=n, by=None, now=now - 3 * day)
        actions.consent(c, statement="", by=None, now=now - 3 * day)
    t0 = time.perf_counter()
    actions.open_voting(e, by=None, now=now)
    print(f"open voting (freeze and fingerprint the roll): {time.perf_counter() - t0:.2f} s")
    e.refresh_from_db()
    return e, names


_BARRIER: Any = None


def _init(barrier: Any) -> None:
    global _BARRIER
    _BARRIER = barrier


def _cast_slice(
    job: tuple[int, list[int], int, list[str], float, int, float],
) -> tuple[list[float], int, int, list[str], list[float], int, float]:
    """In one process: ``threads`` threads cast for the given voters; timings and checks back."""
    election_id, voters, threads, names, retry_share, seed, seconds = job
    from django.db import connection

    from grassroots.elections import actions, receipts
    from grassroots.elections.models import Election
    from grassroots.members.models import Member

    e = Election.objects.get(pk=election_id)
    members = {m.pk: m for m in Member.objects.filter(pk__in=voters)}
    connection.close()
    shares = [voters[i::threads] for i in range(threads)]
    latencies: list[float] = []
    ends: list[float] = []
    counts = {"acked": 0, "refused": 0, "given_back": 0}
    errors: list[str] = []
    lock = threading.Lock()
    _BARRIER.wait()
    begin = time.perf_counter()
    stop = begin + seconds if seconds > 0 else float("inf")

    def worker(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        mine: list[float] = []
        done: list[float] = []
        try:
            for pk in shares[k]:
                if time.perf_counter() >= stop:
                    break
                ranking = rng.sample(names, rng.randint(1, len(names)))
                token = receipts.new_token()  # as the ballot page would carry
                t = time.perf_counter()
                code = actions.cast(e, members[pk], ranking, token=token)
                t_end = time.perf_counter()
                mine.append(t_end - t)
                done.append(t_end)
                if rng.random() < retry_share:
                    try:
                        actions.cast(e, members[pk], ranking, token=token)
                        errors.append(f"member {pk}: a retried cast was accepted")
                    except actions.AlreadyVoted:
                        again = actions.receipt_for_retry(e, members[pk], token)
                        with lock:
                            counts["refused"] += 1
                            counts["given_back"] += again == code
        except Exception as exc:  # reported by the caller
            errors.append(repr(exc))
        finally:
            with lock:
                latencies.extend(mine)
                ends.extend(done)
                counts["acked"] += len(mine)
            connection.close()

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return latencies, counts["acked"], counts["refused"], errors, ends, counts["given_back"], begin


if __name__ == "__main__":
    main()
