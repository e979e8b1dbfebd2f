"""Pages at national scale: every key page read as the role that uses it, against a register
of 500,000 members on PostgreSQL (bench/national.py), and an electorate of 500,000 frozen
into a roll.

``python -m bench.bench_pages --database-url postgres://…/scale500k [--rounds 20]
[--freeze]``. Seeds the database first if it is empty (bench/national.py). Starts
``gunicorn`` (one worker, two threads, production settings over plain HTTP) and reads each
page ``--rounds`` times, one request at a time, with the officers' sessions written directly;
the searched pages vary their search each round, and a page deep in a list is read as its
Next link reads it (after a random member, before a random audit entry). Prints p50 / p95 /
max per page (server round trip, as the client sees it), the CPU time of one request in the
server and the database (the mean: the kernel counts in ticks of 10 ms), and the number of
SQL queries one request makes (read in-process with Django's test client). ``--freeze``
then opens voting in the national election: its roll of the whole register is frozen, timed
(and removed again at the start of the next run, so that the same election can be opened
again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_voting_http import _TICK, _cpu_by_process, _free_port, _wait_until_serving
from bench.national import ADMIN, MEMBER, RETURNING, SECRETARY, seed, setup

SRC = str(Path(__file__).resolve().parents[1] / "src")


def sessions(usernames: list[str]) -> dict[str, str]:
    """A signed-in session for each user (as ``django.contrib.auth.login`` leaves one)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.utils.module_loading import import_string

    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    backend = next(
        b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user")
    )
    out = {}
    for name in usernames:
        user = User.objects.get(username=name)
        s = store_class()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = backend
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        out[name] = s.session_key
    return out


def pages(rounds: int, rng: random.Random) -> list[tuple[str, str, list[str]]]:
    """(page, user, the URLs read, one per round)."""
    from grassroots.audit.models import AuditEntry
    from grassroots.elections.models import Election
    from grassroots.members.models import Member, Unit

    branch = Unit.objects.get(code="b0")
    numbers = list(
        Member.objects.filter(branch__code="b0")
        .order_by("?")
        .values_list("number", flat=True)[:rounds]
    )
    far = list(Member.objects.order_by("?").values_list("number", flat=True)[:rounds])
    national = Election.objects.get(title="National executive")
    branch_elections = list(
        Election.objects.filter(unit__kind="branch").values_list("pk", flat=True)
    )
    words = ["smith", "Patel", "ann", "jones", "wei", "zoe", "kaur", "ross", "tom", "lewis"]
    # a page deep in a list is reached by its Next link, which names the member (or the audit
    # entry) the page starts after: a random member of the list, the link's own form
    by_name = list(
        Member.objects.filter(branch=branch).order_by("?").values_list("number", flat=True)[:rounds]
    )
    deep = list(Member.objects.order_by("?").values_list("number", flat=True)[:rounds])
    top = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 2
    r = range(rounds)

    def pick(xs: list[Any], i: int) -> Any:
        return xs[i % len(xs)]

    return [
        ("branch register", SECRETARY, ["/units/b0/" for _ in r]),
        (
            "branch register, paged",
            SECRETARY,
            [f"/units/b0/?sort=name&after={pick(by_name, i)}" for i in r],
        ),
        ("branch register, search", SECRETARY, [f"/units/b0/?q={pick(words, i)}" for i in r]),
        (
            "branch register, filtered",
            SECRETARY,
            ["/units/b0/?status=lapsed&arrears=in_arrears&sort=-joined" for _ in r],
        ),
        ("national register", ADMIN, ["/units/nat/" for _ in r]),
        (
            "national register, paged",
            ADMIN,
            [f"/units/nat/?after={pick(deep, i)}" for i in r],
        ),
        ("national register, search", ADMIN, [f"/units/nat/?q={pick(words, i)}" for i in r]),
        ("national register, by number", ADMIN, [f"/units/nat/?q={n}" for n in far]),
        ("member's page (secretary)", SECRETARY, [f"/members/{n}/" for n in numbers]),
        ("member's page (administrator)", ADMIN, [f"/members/{n}/" for n in far]),
        ("own standing (member)", MEMBER, ["/me/" for _ in r]),
        ("branch delegates", SECRETARY, ["/units/b0/delegates/" for _ in r]),
        ("national delegates", ADMIN, ["/units/nat/delegates/" for _ in r]),
        ("election list (member)", MEMBER, ["/elections/" for _ in r]),
        ("election list (returning officer)", RETURNING, ["/elections/" for _ in r]),
        (
            "national election page (returning officer)",
            RETURNING,
            [f"/elections/{national.pk}/" for _ in r],
        ),
        (
            "branch election page (member)",
            MEMBER,
            [f"/elections/{pick(branch_elections, i)}/" for i in r],
        ),
        ("audit log", ADMIN, ["/audit/" for _ in r]),
        ("audit log, paged", ADMIN, [f"/audit/?before={rng.randint(2, top)}" for _ in r]),
    ]


def queries_per_page(plan: list[tuple[str, str, list[str]]]) -> dict[str, int]:
    """SQL queries of one request per page (in-process, Django's test client)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = {}
    for label, user, urls in plan:
        c = Client()
        c.force_login(User.objects.get(username=user))
        c.get(urls[0])  # the session's first use
        with CaptureQueriesContext(connection) as q:
            resp = c.get(urls[-1])
        assert resp.status_code == 200, (label, urls[-1], resp.status_code)
        out[label] = len(q)
    return out


class ServerCpu:
    """CPU seconds (user + system) of the server's processes and the database's backends:
    the processes are found once, then only their own counters are read; a process that ends
    or starts (the database's connections are reopened now and then) is found again."""

    def __init__(self, server_pid: int, database: str) -> None:
        self.server_pid, self.database = server_pid, database
        self.pids = list(_cpu_by_process(server_pid, database))

    def read(self) -> dict[int, float]:
        out = {}
        for pid in self.pids:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:  # a process has gone: find them again
                found = _cpu_by_process(self.server_pid, self.database)
                self.pids = list(found)
                return {p: cpu for p, (_, cpu) in found.items()}
            fields = stat[stat.rindex(")") + 2 :].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / _TICK
        return out

    def between(self, before: dict[int, float], after: dict[int, float]) -> float:
        """CPU seconds used between two readings by the processes in both (one that starts
        during a request, rarely, is left out: its count began before it was found)."""
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items() if pid in before)


def crawl(
    base: str,
    plan: list[tuple[str, str, list[str]]],
    keys: dict[str, str],
    cpu: ServerCpu | None = None,
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Each page's round trips (seconds), and the CPU seconds the server and the database
    spent on all of them together."""
    import requests

    http = {u: requests.Session() for u in keys}
    for u, k in keys.items():
        http[u].cookies.set("sessionid", k)
    times: dict[str, list[float]] = {label: [] for label, _, _ in plan}
    cpus: dict[str, float] = dict.fromkeys(times, 0.0)
    for i in range(len(plan[0][2])):  # round by round, every page once a round
        for label, user, urls in plan:
            c0 = cpu.read() if cpu else {}
            t0 = time.perf_counter()
            resp = http[user].get(base + urls[i], timeout=120, allow_redirects=False)
            times[label].append(time.perf_counter() - t0)
            cpus[label] += cpu.between(c0, cpu.read()) if cpu else 0.0
            if resp.status_code != 200:
                raise SystemExit(f"{label}: {urls[i]} answered {resp.status_code}")
    return times, cpus


def freeze() -> tuple[float, int]:
    """Open voting in the national election: its whole electorate frozen into the roll."""
    from django.utils import timezone

    from grassroots.elections import actions
    from grassroots.elections.models import Election, RollEntry

    e = Election.objects.get(title="National executive")
    if e.state != "draft":  # opened by an earlier run: back to draft, roll removed
        RollEntry.objects.filter(election=e)._raw_delete(RollEntry.objects.db)  # type: ignore[attr-defined]
        Election.objects.filter(pk=e.pk).update(state="draft", roll_size=None, roll_fingerprint="")
        e.refresh_from_db()
    t0 = time.perf_counter()
    actions.open_voting(e, by=None, now=timezone.now())
    took = time.perf_counter() - t0
    e.refresh_from_db()
    assert RollEntry.objects.filter(election=e).count() == e.roll_size
    return took, e.roll_size or 0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--members", type=int, default=500_000, help="when seeding")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--freeze", action="store_true")
    ap.add_argument("--no-pages", action="store_true")
    args = ap.parse_args(argv)
    setup(args.database_url)
    from django.conf import settings
    from django.core.management import call_command

    from grassroots.members.models import Member

    call_command("migrate", interactive=False, verbosity=0)
    if not Member.objects.exists():
        seed(args.members)
    n = Member.objects.count()
    print(f"pages benchmark: {n} members, {args.rounds} rounds, uptime: {os.getloadavg()}")
    if not args.no_pages:
        settings.ALLOWED_HOSTS.append("testserver")
        call_command("collectstatic", interactive=False, verbosity=0)
        plan = pages(args.rounds, random.Random(5))
        counts = queries_per_page(plan)
        keys = sessions([ADMIN, SECRETARY, RETURNING, MEMBER])
        port = _free_port()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")]))
        from grassroots.cli.web import gunicorn_command

        cmd = [a for a in gunicorn_command("127.0.0.1", port, 1, 2) if a != "--access-logfile=-"]
        server = subprocess.Popen(cmd, env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_serving(base + "/healthz", server)
            crawl(base, [(lbl, u, urls[:1]) for lbl, u, urls in plan], keys)  # warm up
            database = settings.DATABASES["default"]["NAME"]
            times, cpus = crawl(base, plan, keys, ServerCpu(server.pid, database))
        finally:
            server.terminate()
            server.wait()
        print(
            f"{'page':<44} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'cpu ms':>7} {'queries':>7}"
        )
        worst = 0.0
        for label, ts in times.items():
            q = statistics.quantiles(ts, n=20, method="inclusive")
            worst = max(worst, q[18])
            print(
                f"{label:<44} {statistics.median(ts) * 1e3:7.0f} {q[18] * 1e3:7.0f} "
                f"{max(ts) * 1e3:7.0f} {cpus[label] / len(ts) * 1e3:7.0f} {counts[label]:7d}"
            )
        print(
            f"slowest p95: {worst * 1e3:.0f} ms ({'met' if worst < 0.2 else 'NOT met'}: < 200 ms)"
        )
    if args.freeze:
        took, size = freeze()
        print(
            f"roll frozen: {size} members in {took:.1f} s "
            f"({'met' if took < 30 else 'NOT met'}: < 30 s)"
        )
    print(
        f"load average at the end: {os.getloadavg()}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )


if __name__ == "__main__":
    sys.exit(main())
