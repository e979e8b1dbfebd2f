"""Voting over HTTP: N voters casting at once through the real web app served by gunicorn.

Run: ``.venv/bin/python -m bench.bench_voting_http --database-url postgres://…/DISPOSABLE_DB
[--voters N] [--server-workers W] [--server-threads T] [--clients P] [--threads C]
[--retry-share 0.05] [--minutes M]``. Needs the ``bench`` extra (gunicorn, requests). The
database is emptied and migrated first, so give it a database that holds nothing else.

The set-up is ``bench_voting``'s (one election open for voting, N members on its roll), with a
user account per member; each voter is logged in by a session written straight into the
session table (no password hashing per voter). The WSGI app then runs under gunicorn
(``W`` worker processes of ``T`` threads) and ``P`` client processes of ``C`` threads each vote
as a browser would: GET the ballot page, read the CSRF token, the page token and the rank
fields from it, POST the ranking with ``step=cast``, and find the receipt code in the page that
comes back. A share of voters post the same form a second time, as a retried request would,
and must be shown the same receipt. At the end the tables are checked: voter records =
ballots = distinct receipt hashes = acknowledged casts, and every receipt a voter was shown
has its hash among the ballots. Prints ballots/second overall and in each whole minute (the
slowest minute is the sustained rate), latency percentiles of the cast POST and of the whole
GET + POST, the load average, and the CPU time of the clients, the server and PostgreSQL.
docs/benchmarks.md "Voting over HTTP" records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import multiprocessing
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.bench_voting import open_bench_election, start_django

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TOKEN = re.compile(r'name="token" value="([0-9a-f]+)"')
_RANK = re.compile(r'name="(rank-\d+)"')
RECEIPT = re.compile(r'id="receipt-code">([^<]+)<')
_TICK = os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--voters", type=int, default=20_000)
    ap.add_argument("--branches", type=int, default=50)
    ap.add_argument("--server-workers", type=int, default=2, help="gunicorn worker processes")
    ap.add_argument("--server-threads", type=int, default=4, help="threads per gunicorn worker")
    ap.add_argument("--clients", type=int, default=2, help="load-generating processes")
    ap.add_argument("--threads", type=int, default=8, help="voting threads per client process")
    ap.add_argument("--retry-share", type=float, default=0.05)
    ap.add_argument(
        "--minutes",
        type=float,
        default=0.0,
        help="stop voting after this long (0: until every voter has voted); "
        "give a roll large enough that it does not run out first",
    )
    args = ap.parse_args(argv)

    start_django(args.database_url)
    from django.conf import settings
    from django.db import connection, connections

    from grassroots.elections import receipts
    from grassroots.elections.models import Ballot, VoterRecord

    print(
        f"HTTP voting benchmark: {args.voters} voters; gunicorn {args.server_workers} worker(s) x "
        f"{args.server_threads} threads; {args.clients} client process(es) x {args.threads} "
        f"threads; {connection.vendor}"
    )
    from django.core.management import call_command

    # production settings serve static files from a collected, hashed manifest (whitenoise)
    call_command("collectstatic", interactive=False, verbosity=0)
    e, _ = open_bench_election(args.voters, args.branches, logins=True)
    t0 = time.perf_counter()
    sessions = log_in_every_voter()
    took = time.perf_counter() - t0
    print(f"log {len(sessions)} voters in (sessions written directly): {took:.1f} s")
    random.Random(1).shuffle(sessions)
    database = connection.settings_dict["NAME"]
    connections.close_all()  # the server and the forked clients open their own

    port = _free_port()
    server = _start_gunicorn(port, args.server_workers, args.server_threads)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(f"{base}/elections/{e.pk}/", server)
        vote_url = f"{base}/elections/{e.pk}/vote/"
        cookie = settings.SESSION_COOKIE_NAME
        procs = max(1, args.clients)
        slices = [sessions[i::procs] for i in range(procs)]
        ctx = multiprocessing.get_context("fork")
        barrier = ctx.Barrier(procs + 1)  # the clients and the watch start together
        load_before = os.getloadavg()
        with ctx.Pool(procs, initializer=_init, initargs=(barrier,)) as pool:
            jobs = [
                (vote_url, cookie, s, args.threads, args.retry_share, i, args.minutes * 60)
                for i, s in enumerate(slices)
            ]
            pending = pool.map_async(_vote_slice, jobs)
            barrier.wait()
            watch = _Watch(server.pid, database)
            watch.start()
            parts = pending.get()
            used = watch.stop()
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)

    start = min(p["begin"] for p in parts)
    ends = sorted(t - start for p in parts for t in p["ends"])
    wall = (ends[-1] if ends else 0.0) or 1e-9
    post_lat = sorted(x for p in parts for x in p["post"])
    whole_lat = sorted(x for p in parts for x in p["whole"])
    codes = [c for p in parts for c in p["codes"]]
    errors = [x for p in parts for x in p["errors"]]
    retried = sum(p["retried"] for p in parts)
    given_back = sum(p["given_back"] for p in parts)
    client_cpu = sum(p["cpu"] for p in parts)
    acked = len(codes)

    records = VoterRecord.objects.filter(election=e).count()
    stored = set(Ballot.objects.filter(election=e).values_list("receipt_hash", flat=True))
    ballots = Ballot.objects.filter(election=e).count()
    shown = {receipts.receipt_hash(str(e.pk), c) for c in codes}
    lost = len(shown - stored)  # receipts shown to voters whose ballot is not stored

    print(f"ballots acknowledged             {acked} of {args.voters} on the roll")
    print(f"wall time                        {wall:.1f} s")
    print(f"ballots/second                   {acked / wall:.0f}")
    for label, lat in (("cast POST", post_lat), ("GET + POST", whole_lat)):
        q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
        print(
            f"{label + ' latency p50/p95/p99':33s}"
            f"{q[49] * 1e3:.1f} / {q[94] * 1e3:.1f} / {q[98] * 1e3:.1f} ms"
        )
    print(f"retries given the same receipt   {given_back} of {retried}")
    minutes = [
        sum(1 for t in ends if 60 * i <= t < 60 * (i + 1)) / 60 for i in range(int(wall // 60))
    ]
    if minutes:
        print(
            "ballots/second per whole minute  "
            + " ".join(f"{r:.0f}" for r in minutes)
            + f" (slowest {min(minutes):.0f})"
        )
    during = watch.loads or [load_after[0]]
    print(
        "load average (1 min) before      "
        + f"{load_before[0]:.1f}; during {min(during):.1f}-{max(during):.1f} "
        + f"(mean {statistics.fmean(during):.1f}, sampled every 15 s)"
    )
    server_cpu, db_cpu = used["server"], used["postgres"]
    total = client_cpu + server_cpu + db_cpu
    print(
        f"CPU seconds: clients {client_cpu:.0f} ({client_cpu / total:.0%}), "
        f"gunicorn {server_cpu:.0f} ({server_cpu / total:.0%}), "
        f"PostgreSQL {db_cpu:.0f} ({db_cpu / total:.0%}); "
        f"{total / wall:.2f} cores busy on average"
    )
    print(
        "CPU ms per ballot: clients "
        + " / ".join(f"{x / max(acked, 1) * 1e3:.1f}" for x in (client_cpu, server_cpu, db_cpu))
        + " (clients / gunicorn / PostgreSQL)"
    )
    print(f"voter records / ballots / hashes {records} / {ballots} / {len(stored)}")
    duplicates = ballots - records + (acked - len(set(codes)))
    print(f"lost ballots {lost}, duplicate ballots {duplicates}, errors {len(errors)}")
    for err in errors[:5]:
        print(f"  error: {err}")
    ok = (
        not errors
        and lost == 0
        and given_back == retried
        and records == ballots == len(stored) == acked == len(set(codes))
        and (args.minutes > 0 or acked == args.voters)
    )
    print("CHECK", "PASSED" if ok else "FAILED")
    if not ok:
        raise SystemExit(1)


def log_in_every_voter() -> list[str]:
    """A logged-in session for every member with an account: the session keys, as cookies.

    Written in bulk through the session store's own encoding and the auth session keys, as
    ``django.contrib.auth.login`` would leave them, without checking a password per voter.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from django.utils.module_loading import import_string

    store = SessionStore()
    expire = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    # the backend that loads a user by id (the first listed, axes', only vets sign-in attempts)
    backend = next(
        b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user")
    )
    rows = []
    for user in User.objects.filter(member__isnull=False).only("pk", "password"):
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
    Session.objects.bulk_create(rows, batch_size=5000)
    return [r.session_key for r in rows]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """The real WSGI app under gunicorn's threaded workers, as a deployment would run it."""
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "grassroots.site.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--keep-alive=30",  # the clients reuse their connections
            "--log-level=warning",
        ],
        env=env,
    )


def _wait_until_serving(url: str, server: subprocess.Popen[bytes]) -> None:
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {server.returncode} before serving")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or a worker still loading the app
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url} within 60 s")


def _cpu_by_process(server_pid: int, database: str) -> dict[int, tuple[str, float]]:
    """User + system CPU seconds so far of each process of the server and of PostgreSQL.

    The server is gunicorn's master and workers; PostgreSQL is the backends connected to
    ``database`` and the server's own background processes (WAL writer, checkpointer…), not
    the backends other users of the machine have open on other databases.
    """
    out: dict[int, tuple[str, float]] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            title = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # the process has gone
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid, cpu = int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK
        if int(d.name) == server_pid or ppid == server_pid:
            out[int(d.name)] = ("server", cpu)
        elif comm == "postgres" and (f" {database} " in title or "(" not in title):
            out[int(d.name)] = ("postgres", cpu)  # a backend shows its client's address
    return out


def _cpu_used(
    before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]
) -> dict[str, float]:
    """CPU seconds each group used between two readings (each process's latest count)."""
    used = {"server": 0.0, "postgres": 0.0}
    for pid, (group, cpu) in after.items():
        used[group] += cpu - before.get(pid, (group, 0.0))[1]
    return used


class _Watch(threading.Thread):
    """While the voters vote: the load average every 15 s, and every second the CPU time of
    each server and database process (a backend that ends takes its count with it, and
    Django reopens its connections every ``CONN_MAX_AGE`` seconds)."""

    def __init__(self, server_pid: int, database: str) -> None:
        super().__init__(daemon=True)
        self.server_pid, self.database = server_pid, database
        self.first = _cpu_by_process(server_pid, database)
        self.last = dict(self.first)
        self.loads: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        seconds = 0
        while not self.done.wait(1):
            self.last.update(_cpu_by_process(self.server_pid, self.database))
            seconds += 1
            if seconds % 15 == 0:
                self.loads.append(os.getloadavg()[0])

    def stop(self) -> dict[str, float]:
        """CPU seconds the server and PostgreSQL used since the watch began."""
        self.done.set()
        self.join()
        self.last.update(_cpu_by_process(self.server_pid, self.database))
        return _cpu_used(self.first, self.last)


_BARRIER: Any = None


def _init(barrier: Any) -> None:
    global _BARRIER
    _BARRIER = barrier


def _vote_slice(job: tuple[str, str, list[str], int, float, int, float]) -> dict[str, Any]:
    """In one client process: ``threads`` threads vote for the given sessions over HTTP."""
    url, cookie, keys, threads, retry_share, seed, seconds = job
    shares = [keys[i::threads] for i in range(threads)]
    out: dict[str, Any] = {
        "post": [],
        "whole": [],
        "ends": [],
        "codes": [],
        "errors": [],
        "retried": 0,
        "given_back": 0,
    }
    lock = threading.Lock()
    cpu0 = time.process_time()
    _BARRIER.wait()
    begin = time.perf_counter()
    stop = begin + seconds if seconds > 0 else float("inf")

    def worker(k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        mine: dict[str, Any] = {"post": [], "whole": [], "ends": [], "codes": []}
        errors: list[str] = []
        retried = given_back = 0
        http = KeptAliveClient(url)  # one kept-alive connection for this thread's voters
        try:
            for key in shares[k]:
                if time.perf_counter() >= stop:
                    break
                cookies = {cookie: key}
                t0 = time.perf_counter()
                status, set_cookies, page = http.request("GET", cookies)
                if status != 200:
                    errors.append(f"GET ballot: HTTP {status}")
                    continue
                form = cast_form(page, rng)
                if form is None:
                    errors.append("GET ballot: no form with a CSRF token, page token and ranks")
                    continue
                cookies.update(set_cookies)  # the CSRF cookie the page came with
                body = urlencode(form).encode()
                t1 = time.perf_counter()
                status, _, sent = http.request("POST", cookies, body)
                t2 = time.perf_counter()
                found = RECEIPT.search(sent) if status == 200 else None
                if found is None:
                    errors.append(f"POST cast: HTTP {status} without a receipt code")
                    continue
                mine["post"].append(t2 - t1)
                mine["whole"].append(t2 - t0)
                mine["ends"].append(t2)
                mine["codes"].append(found.group(1))
                if rng.random() < retry_share:
                    retried += 1
                    status, _, again = http.request("POST", cookies, body)
                    m = RECEIPT.search(again) if status == 200 else None
                    given_back += m is not None and m.group(1) == found.group(1)
        except Exception as exc:  # reported by the caller
            errors.append(repr(exc))
        finally:
            http.close()
            with lock:
                for name, values in mine.items():
                    out[name].extend(values)
                out["errors"].extend(errors)
                out["retried"] += retried
                out["given_back"] += given_back

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out["begin"] = begin
    out["cpu"] = time.process_time() - cpu0
    return out


class KeptAliveClient:
    """One HTTP/1.1 connection to the ballot's address, kept alive between requests.

    ``http.client`` from the standard library with no session, cookie jar or adapter layers:
    the load generator's own CPU per ballot stays small beside the app's, so the end-to-end
    rate measures the app. Cookies are passed per request (a voter's session, then the CSRF
    cookie the ballot page set). If the server has closed the idle connection, the request
    is sent once more on a new one: a cast sent twice is exactly-once all the same (the same
    page token is shown the same receipt), which is what the benchmark checks.
    """

    def __init__(self, url: str, timeout: float = 60) -> None:
        parts = urlsplit(url)
        self.path, self.origin = parts.path, f"{parts.scheme}://{parts.netloc}"
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)

    def request(
        self, method: str, cookies: dict[str, str], body: bytes | None = None
    ) -> tuple[int, dict[str, str], str]:
        """Status, the cookies the answer sets, and the page's text."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        for attempt in range(2):
            try:
                self.conn.request(method, self.path, body=body, headers=headers)
                answer = self.conn.getresponse()
                text = answer.read().decode()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # reopened by the next request
                if attempt:
                    raise
        set_cookies = {}
        for line in answer.headers.get_all("Set-Cookie") or ():
            name, _, rest = line.partition("=")
            set_cookies[name.strip()] = rest.split(";", 1)[0]
        return answer.status, set_cookies, text

    def close(self) -> None:
        self.conn.close()


def cast_form(html: str, rng: random.Random) -> dict[str, str] | None:
    """What the browser posts from the ballot page: a random ranking of some candidates."""
    csrf, token, fields = _CSRF.search(html), _TOKEN.search(html), _RANK.findall(html)
    if csrf is None or token is None or not fields:
        return None
    ranked = rng.sample(fields, rng.randint(1, len(fields)))
    form = {f: "" for f in fields}
    form.update({f: str(i) for i, f in enumerate(ranked, start=1)})
    form.update(csrfmiddlewaretoken=csrf.group(1), token=token.group(1), step="cast")
    return form


if __name__ == "__main__":
    main()
