"""Casting through two app servers on one PostgreSQL: each voter reads the ballot page from one
``gunicorn`` server, casts through the other and (a share of them) clicks again through the
first. Ballots per second, latency, and at the end every ballot stored once and every receipt
shown to a voter checked as the receipt page checks it.

``python -m bench.bench_two_servers --database-url postgres://…/DISPOSABLE [--voters N]
[--server-workers W] [--server-threads T] [--clients P] [--threads C]``. The database is
emptied and migrated first. The set-up and the browser's requests are bench_voting_http's
(one election open, N voters with sessions written directly); tests/web/test_serving.py
runs the same walk with 24 voters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import statistics
import threading
import time
from typing import Any

from bench.bench_voting import open_bench_election, start_django
from bench.bench_voting_http import (
    RECEIPT,
    _cpu_by_process,
    _cpu_used,
    _free_port,
    _start_gunicorn,
    _wait_until_serving,
    cast_form,
    log_in_every_voter,
)

_BARRIER: Any = None


def _init(barrier: Any) -> None:
    global _BARRIER
    _BARRIER = barrier


def _vote(job: tuple[list[str], str, list[str], int, float, int]) -> dict[str, Any]:
    """In one client process: ``threads`` threads, each voter's requests over both servers."""
    import requests

    bases, cookie, keys, threads, retry_share, seed = job
    out: dict[str, Any] = {"post": [], "ends": [], "codes": [], "errors": [], "again": []}
    lock = threading.Lock()
    cpu0 = time.process_time()
    _BARRIER.wait()
    begin = time.perf_counter()

    def worker(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        mine: dict[str, Any] = {"post": [], "ends": [], "codes": [], "errors": [], "again": []}
        # one browser: its cookies (session, CSRF) go to both servers, as they share a host
        http = requests.Session()
        try:
            for n, key in enumerate(keys[k::threads]):
                first, second = n % len(bases), (n + 1) % len(bases)
                http.cookies.clear()
                http.cookies.set(cookie, key)
                page = http.get(bases[first], allow_redirects=False, timeout=60)
                form = cast_form(page.text, rng) if page.status_code == 200 else None
                if form is None:
                    mine["errors"].append(f"GET ballot: HTTP {page.status_code} without a form")
                    continue
                t1 = time.perf_counter()
                sent = http.post(bases[second], data=form, allow_redirects=False, timeout=60)
                t2 = time.perf_counter()
                found = RECEIPT.search(sent.text) if sent.status_code == 200 else None
                if found is None:
                    mine["errors"].append(f"POST cast: HTTP {sent.status_code} without a receipt")
                    continue
                mine["post"].append(t2 - t1)
                mine["ends"].append(t2)
                mine["codes"].append(found.group(1))
                if rng.random() < retry_share:  # the second click, through the first server
                    again = http.post(bases[first], data=form, allow_redirects=False, timeout=60)
                    m = RECEIPT.search(again.text) if again.status_code == 200 else None
                    mine["again"].append((found.group(1), m.group(1) if m else ""))
        except Exception as exc:  # reported by the caller
            mine["errors"].append(repr(exc))
        finally:
            http.close()
            with lock:
                for name, values in mine.items():
                    out[name].extend(values)

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out["begin"] = begin
    out["cpu"] = time.process_time() - cpu0
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--voters", type=int, default=20_000)
    ap.add_argument("--branches", type=int, default=50)
    ap.add_argument("--servers", type=int, default=2)
    ap.add_argument("--server-workers", type=int, default=1, help="gunicorn workers per server")
    ap.add_argument("--server-threads", type=int, default=4)
    ap.add_argument("--clients", type=int, default=2, help="load-generating processes")
    ap.add_argument("--threads", type=int, default=4, help="voting threads per client process")
    ap.add_argument("--retry-share", type=float, default=0.05)
    args = ap.parse_args(argv)

    start_django(args.database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from grassroots.elections.models import Ballot, Election, VoterRecord
    from grassroots.elections.receipt_check import by_code

    print(
        f"two-server casting benchmark: {args.voters} voters; {args.servers} gunicorn servers of "
        f"{args.server_workers} worker(s) x {args.server_threads} threads; {args.clients} "
        f"client process(es) x {args.threads} threads; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    call_command("collectstatic", interactive=False, verbosity=0)  # the servers serve them
    e, _ = open_bench_election(args.voters, args.branches, logins=True)
    sessions = log_in_every_voter()
    random.Random(1).shuffle(sessions)
    database = connection.settings_dict["NAME"]
    connections.close_all()  # the servers and the forked clients open their own

    ports = [_free_port() for _ in range(args.servers)]
    servers = [_start_gunicorn(p, args.server_workers, args.server_threads) for p in ports]
    try:
        bases = [f"http://127.0.0.1:{p}/elections/{e.pk}/vote/" for p in ports]
        for p, server in zip(ports, servers, strict=True):
            _wait_until_serving(f"http://127.0.0.1:{p}/elections/{e.pk}/", server)
        cookie = settings.SESSION_COOKIE_NAME
        procs = max(1, args.clients)
        ctx = multiprocessing.get_context("fork")
        barrier = ctx.Barrier(procs + 1)
        with ctx.Pool(procs, initializer=_init, initargs=(barrier,)) as pool:
            jobs = [
                (bases, cookie, sessions[i::procs], args.threads, args.retry_share, i)
                for i in range(procs)
            ]
            pending = pool.map_async(_vote, jobs)
            barrier.wait()
            first = {pid: c for s in servers for pid, c in _cpu_by_process(s.pid, database).items()}
            parts = pending.get()
            last = {pid: c for s in servers for pid, c in _cpu_by_process(s.pid, database).items()}
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)

    start = min(p["begin"] for p in parts)
    ends = sorted(t - start for p in parts for t in p["ends"])
    wall = (ends[-1] if ends else 0.0) or 1e-9
    lat = sorted(x for p in parts for x in p["post"])
    codes = [c for p in parts for c in p["codes"]]
    again = [x for p in parts for x in p["again"]]
    errors = [x for p in parts for x in p["errors"]]
    used = _cpu_used(first, last)
    client_cpu = sum(p["cpu"] for p in parts)

    e = Election.objects.get(pk=e.pk)
    records = VoterRecord.objects.filter(election=e).count()
    ballots = Ballot.objects.filter(election=e).count()
    hashes = Ballot.objects.filter(election=e).values("receipt_hash").distinct().count()
    checks = [by_code(e, c) for c in codes]
    valid = sum(1 for c in checks if c.recorded and c.ranking)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    print(f"ballots acknowledged            {len(codes)} of {args.voters} on the roll")
    print(f"wall time                       {wall:.1f} s")
    print(f"ballots/second                  {len(codes) / wall:.0f}")
    print(
        "cast POST p50 / p95 / p99       "
        + " / ".join(f"{q[i] * 1e3:.0f}" for i in (49, 94, 98))
        + " ms"
    )
    print(f"second clicks shown the receipt {sum(1 for a, b in again if a == b)} of {len(again)}")
    print(
        f"CPU seconds: clients {client_cpu:.0f}, gunicorn {used['server']:.0f}, "
        f"PostgreSQL {used['postgres']:.0f}; gunicorn per ballot "
        f"{used['server'] / max(len(codes), 1) * 1e3:.1f} ms"
    )
    print(f"voter records / ballots / distinct hashes {records} / {ballots} / {hashes}")
    print(f"receipts shown {len(codes)}, distinct {len(set(codes))}, valid on checking {valid}")
    print(f"errors {len(errors)}")
    for err in errors[:5]:
        print(f"  error: {err}")
    ok = (
        not errors
        and len(codes) == len(set(codes)) == records == ballots == hashes == valid == args.voters
        and all(a == b for a, b in again)
    )
    print("CHECK", "PASSED" if ok else "FAILED")
    print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
