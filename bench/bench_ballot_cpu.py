"""The web app's CPU per ballot, in one process: the ballot page and the cast through Django's
WSGI handler, with no HTTP server, client or network in the way.

Run: ``.venv/bin/python -m bench.bench_ballot_cpu --database-url postgres://…/DISPOSABLE_DB
[--voters N] [--batches B] [--profile 30]``. The database is emptied and migrated first, so
give it a database that holds nothing else.

The set-up is ``bench_voting_http``'s: one election open for voting, N members on its roll,
each with a user account and a logged-in session written straight into the session table, and
production settings (``DEBUG`` off, collected static files, the real middleware). Each voter
then does what the browser does, as WSGI calls into ``grassroots.site.wsgi.application``: GET
the ballot page, read the CSRF token, the page token and the rank fields from it, POST a random
ranking with ``step=cast`` and find the receipt code in the answer. A few voters vote first
to warm up (templates compiled, connection opened); the rest vote in ``B`` batches and each
batch reports the CPU time (``time.process_time``) spent inside the app's two calls, per
ballot (this script's own reading of the pages is left out); the fastest batch is the figure
least inflated by other work on the machine. A last batch counts the SQL statements the app
sends per ballot (at the driver on PostgreSQL, so the cast's one statement, which goes to the
driver directly, is counted too).

``--profile N`` runs one more batch under cProfile, timed by ``time.process_time``, and prints
the N functions with the most CPU time of their own and the N with the most in all.

At the end the tables are checked as in the HTTP benchmark: one voter record and one ballot
per receipt shown, every receipt's hash among the ballots. docs/benchmarks.md "Voting over
HTTP, after profiling (issue 15)" records the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from bench.bench_voting import open_bench_election, start_django
from bench.bench_voting_http import RECEIPT, cast_form, log_in_every_voter

WARM_UP = 20


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--voters", type=int, default=1000, help="ballots cast in the batches")
    ap.add_argument("--batches", type=int, default=4)
    ap.add_argument("--branches", type=int, default=50)
    ap.add_argument(
        "--profile", type=int, default=0, metavar="N", help="print a profile's top N functions"
    )
    args = ap.parse_args(argv)

    start_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from grassroots.elections import receipts
    from grassroots.elections.models import Ballot, VoterRecord

    per_batch = max(1, args.voters // (args.batches + 1 + (1 if args.profile else 0)))
    batches = args.batches + 1 + (1 if args.profile else 0)
    roll = WARM_UP + per_batch * batches
    print(
        f"ballot CPU benchmark: {args.batches} batches of {per_batch} ballots "
        f"(+{WARM_UP} to warm up, +{per_batch} counting queries"
        + (f", +{per_batch} profiled" if args.profile else "")
        + f"), {connection.vendor}, load average {os.getloadavg()[0]:.1f}"
    )
    call_command("collectstatic", interactive=False, verbosity=0)
    e, _ = open_bench_election(roll, args.branches, logins=True)
    sessions = log_in_every_voter()
    random.Random(1).shuffle(sessions)
    from grassroots.site.wsgi import application

    voter = _Voter(application, f"/elections/{e.pk}/vote/", random.Random(2))
    codes: list[str] = []
    it = iter(sessions)

    def batch(n: int) -> float:
        voter.cpu = 0.0
        for _ in range(n):
            codes.append(voter.vote(next(it)))
        return voter.cpu

    batch(WARM_UP)
    cpu_ms = [batch(per_batch) / per_batch * 1e3 for _ in range(args.batches)]
    with _counting_statements(connection) as counted:
        batch(per_batch)
    queries = counted[0] / per_batch
    load = os.getloadavg()[0]
    if args.profile:
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        batch(per_batch)
        prof.disable()

    records = VoterRecord.objects.filter(election=e).count()
    stored = set(Ballot.objects.filter(election=e).values_list("receipt_hash", flat=True))
    shown = {receipts.receipt_hash(str(e.pk), c) for c in codes}
    print(
        "CPU ms per ballot (batches)      "
        + f"{min(cpu_ms):.1f} fastest, {statistics.median(cpu_ms):.1f} median ("
        + ", ".join(f"{x:.1f}" for x in cpu_ms)
        + ")"
    )
    print(f"SQL statements per ballot        {queries:.1f}")
    print(f"load average (1 min) at the end  {load:.1f}")
    print(f"receipts shown / voter records / ballots  {len(codes)} / {records} / {len(stored)}")
    if args.profile:
        for key in ("tottime", "cumtime"):
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats(key).print_stats(args.profile)
            print(out.getvalue())
    ok = len(codes) == len(set(codes)) == records == len(stored) and shown <= stored
    print("CHECK", "PASSED" if ok else "FAILED")
    if not ok:
        raise SystemExit(1)


class _Voter:
    """A browser's two requests for one voter, as WSGI calls into the app."""

    def __init__(self, app: Callable[..., Any], url: str, rng: random.Random) -> None:
        from django.conf import settings

        self.app, self.url, self.rng = app, url, rng
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.cpu = 0.0  # CPU seconds spent inside the app (not parsing its pages here)

    def vote(self, session_key: str) -> str:
        cookies = {self.session_cookie: session_key}
        status, set_cookies, page = self._call("GET", cookies)
        if status != "200":
            raise SystemExit(f"GET ballot: HTTP {status}")
        form = cast_form(page, self.rng)
        if form is None:
            raise SystemExit("GET ballot: no form with a CSRF token, page token and ranks")
        cookies.update(set_cookies)
        status, _, answer = self._call("POST", cookies, urlencode(form).encode())
        found = RECEIPT.search(answer) if status == "200" else None
        if found is None:
            raise SystemExit(f"POST cast: HTTP {status} without a receipt code")
        return found.group(1)

    def _call(
        self, method: str, cookies: dict[str, str], body: bytes = b""
    ) -> tuple[str, dict[str, str], str]:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": self.url,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if method == "POST":
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["HTTP_ORIGIN"] = "http://127.0.0.1:8000"
            environ["HTTP_REFERER"] = f"http://127.0.0.1:8000{self.url}"
        got: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc: Any = None) -> None:
            got["status"], got["headers"] = status.split(" ", 1)[0], headers

        cpu = time.process_time()
        result = self.app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            getattr(result, "close", lambda: None)()
        self.cpu += time.process_time() - cpu
        text = body.decode()
        set_cookies: dict[str, str] = {}
        for name, value in got["headers"]:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    set_cookies[morsel.key] = morsel.value
        return got["status"], set_cookies, text


@contextmanager
def _counting_statements(connection: Any) -> Iterator[list[int]]:
    """The SQL statements sent while inside: at psycopg's cursor on PostgreSQL (so a statement
    run on a bare driver cursor counts too), through Django's execute wrapper elsewhere."""
    count = [0]
    if connection.vendor == "postgresql":
        import psycopg

        plain = psycopg.Cursor.execute

        def execute(self: Any, *a: Any, **kw: Any) -> Any:
            count[0] += 1
            return plain(self, *a, **kw)

        psycopg.Cursor.execute = execute  # type: ignore[method-assign]
        try:
            yield count
        finally:
            psycopg.Cursor.execute = plain  # type: ignore[method-assign]
        return

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


if __name__ == "__main__":
    main()
