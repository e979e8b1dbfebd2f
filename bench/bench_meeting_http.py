"""An online all-member meeting over HTTP: N attendees check in and vote on a motion at once.

Run: ``.venv/bin/python -m bench.bench_meeting_http --database-url postgres://…/DISPOSABLE_DB
[--attendees 2000] [--server-workers 2] [--server-threads 4] [--clients 2] [--threads 8]``.
Needs the ``bench`` extra (gunicorn, requests). The database is emptied and migrated first.

Set-up: one branch of N members, each with a login (a session written straight into the
session table, as ``bench_voting_http`` does), an all-member meeting starting in ten minutes
with an online link. The WSGI app runs under gunicorn. Then, through HTTP as a phone would:

1. check-in: every attendee GETs the live page (reading its CSRF token) and POSTs "Check in
   online"; the time from the first request to the last check-in is the check-in time;
2. the chair opens the meeting and an online vote (on the chair's page, through HTTP);
3. voting: every attendee GETs the live panel (reading the vote's form) and POSTs a choice as
   the page's script does (answered with the panel); the POST's latency is the vote latency;
   a share of attendees post twice (a double tap) and
   must be refused the second time;
4. the chair closes the vote; the time from the close POST to a member's panel showing the
   result is "result shown".

Throughout (check-in and voting), every attendee's page polls the live panel as the page's
script does: every few seconds (the interval the live page itself sets, read from it; 5 s for
2,000 entitled), sending the token of the panel it shows, answered 204 when nothing changed or
with the panel when it did. ``--poll-every 0`` leaves the polling out. The pollers run in
their own process with ``--poll-threads`` threads; they report the polls offered and answered,
how many were "no change" and their latency.

Checks at the end: attendances = check-ins acknowledged = N; votes stored = votes acknowledged
= N, one per member; the stored tally equals the choices the clients sent; every double tap
refused. docs/benchmarks.md "Meetings" records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import re
import resource
import statistics
import threading
import time
from typing import Any
from urllib.parse import urlparse

from bench.bench_voting import start_django
from bench.bench_voting_http import (
    _free_port,
    _start_gunicorn,
    _wait_until_serving,
    _Watch,
    log_in_every_voter,
)

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_CAST = re.compile(r'action="(/meetings/\d+/votes/\d+/cast/)"')
_TOKEN = re.compile(r'id="live-version" name="v" value="([^"]+)"')
_EVERY = re.compile(r'hx-trigger="every (\d+)s')


def _poll(
    base: str,
    cookie: str,
    sessions: list[str],
    every: float,
    threads: int,
    stop: Any,
    out: Any,
) -> None:
    """Each attendee's page polling the live panel every ``every`` seconds, with the token of
    the panel it shows, until ``stop``; puts (polls, unchanged, latencies, errors, late) on
    ``out``. Attendees start spread over the first interval, as phones open the page."""
    import heapq

    import requests

    rng = random.Random(11)
    start = time.monotonic()
    due = [(start + rng.random() * every, i) for i in range(len(sessions))]
    heapq.heapify(due)
    tokens = [""] * len(sessions)
    lock = threading.Lock()
    lat: list[float] = []
    counts = {"polls": 0, "unchanged": 0, "errors": 0, "late": 0}

    def loop() -> None:
        http = requests.Session()
        while not stop.is_set():
            with lock:
                at, i = heapq.heappop(due)
            wait = at - time.monotonic()
            if wait > 0 and (stop.wait(min(wait, 1.0)) or wait > 1.0):
                with lock:
                    heapq.heappush(due, (at, i))
                continue
            late = -wait > every  # this client fell a whole interval behind its schedule
            http.cookies.set(cookie, sessions[i])
            t0 = time.perf_counter()
            try:
                r = http.get(f"{base}/live/panel/", params={"v": tokens[i]}, timeout=60)
                took = time.perf_counter() - t0
                ok = r.status_code in (200, 204)
                if r.status_code == 200:
                    m = _TOKEN.search(r.text)
                    tokens[i] = m.group(1) if m else ""
            except requests.RequestException:
                took, ok = time.perf_counter() - t0, False
            with lock:
                counts["polls"] += 1
                counts["unchanged"] += r.status_code == 204 if ok else 0
                counts["errors"] += not ok
                counts["late"] += late
                lat.append(took)
                heapq.heappush(due, (max(at + every, time.monotonic()), i))

    ts = [threading.Thread(target=loop) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.put((counts, lat, time.monotonic() - start))


def _children_cpu() -> float:
    """User + system CPU seconds of this process's children that have ended and been waited
    for (the client pools and the polling process, once joined)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _setup(attendees: int) -> tuple[int, str]:
    """The branch, its members with logins, the meeting; returns (meeting id, chair session)."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from grassroots.meetings import actions
    from grassroots.members import actions as member_actions
    from grassroots.members.models import Member

    nat = member_actions.create_unit(
        kind="national", code="nat", name="Bench", parent=None, by=None
    )
    branch = member_actions.create_unit(
        kind="branch", code="b", name="Bench branch", parent=nat, by=None
    )
    numbers = [f"A{i:07d}" for i in range(attendees)]
    users = User.objects.bulk_create(
        [User(username=n, password="!bench-no-password") for n in numbers], batch_size=5000
    )
    Member.objects.bulk_create(
        [
            Member(
                number=n,
                name=f"Attendee {i}",
                branch=branch,
                join_date=dt.date(2020, 1, 1),
                status="full",
                user=users[i],
            )
            for i, n in enumerate(numbers)
        ],
        batch_size=5000,
    )
    body = actions.create_body(
        unit=branch,
        kind="all_member",
        name="Bench all-member meeting",
        by=None,
        quorum_fraction="1/10",
    )
    now = timezone.now()
    m = actions.call_meeting(
        body,
        title="Online all-member meeting",
        start=now + dt.timedelta(minutes=10),
        by=None,
        items=["The motion"],
        join_url="https://meet.example.org/bench",
        now=now - dt.timedelta(days=20),
    )
    chair = User.objects.create(username="chair", password="!bench-no-password")
    member_actions.grant_role(user=chair, kind="administrator", unit=nat, by=None)
    return m.pk, ""


def _chair_session() -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    chair = User.objects.get(username="chair")
    s = SessionStore()
    s[SESSION_KEY] = str(chair.pk)
    # the backend that loads a user by id (axes', listed first, only vets sign-in attempts)
    s[BACKEND_SESSION_KEY] = next(
        b for b in settings.AUTHENTICATION_BACKENDS if not b.startswith("axes.")
    )
    s[HASH_SESSION_KEY] = chair.get_session_auth_hash()
    s.create()
    return str(s.session_key)


def _run_threads(threads: int, work: list[Any], fn: Any) -> list[Any]:
    out: list[Any] = []
    lock = threading.Lock()
    it = iter(work)

    def loop() -> None:
        import requests

        http = requests.Session()
        while True:
            with lock:
                item = next(it, None)
            if item is None:
                return
            r = fn(http, item)
            with lock:
                out.append(r)

    ts = [threading.Thread(target=loop) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return out


def _check_in(job: tuple[str, str, list[str], int]) -> list[tuple[float, float, str]]:
    base, cookie, sessions, threads = job

    def one(http: Any, key: str) -> tuple[float, float, str]:
        http.cookies.set(cookie, key)
        t0 = time.time()
        page = http.get(f"{base}/live/", timeout=60).text
        token = _CSRF.search(page)
        if token is None:
            return (t0, time.time(), "no form")
        r = http.post(
            f"{base}/live/check-in/",
            data={"csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": f"{base}/live/", "HX-Request": "true"},  # as the page's script
            timeout=60,
        )
        ok = "You are checked in" in r.text
        return (t0, time.time(), "" if ok else f"check-in not acknowledged ({r.status_code})")

    return _run_threads(threads, sessions, one)


def _vote(
    job: tuple[str, str, list[tuple[str, str, bool]], int],
) -> list[tuple[float, str, str, bool]]:
    base, cookie, ballots, threads = job

    def one(http: Any, item: tuple[str, str, bool]) -> tuple[float, str, str, bool]:
        key, choice, double = item
        http.cookies.set(cookie, key)
        page = http.get(f"{base}/live/panel/", timeout=60).text
        token, action = _CSRF.search(page), _CAST.search(page)
        if token is None or action is None:
            return (0.0, choice, "no vote form", False)
        url = base.split("/meetings/")[0] + action.group(1)
        data = {"csrfmiddlewaretoken": token.group(1), "choice": choice}
        # as the live page's script sends it: answered with the panel, in one request
        hx = {"Referer": f"{base}/live/", "HX-Request": "true"}
        t0 = time.perf_counter()
        r = http.post(url, data=data, headers=hx, timeout=60)
        took = time.perf_counter() - t0
        ok = "Your vote is recorded" in r.text
        refused = True
        if double:  # the same tap again: must be refused, never counted twice
            again = http.post(url, data=data, headers=hx, timeout=60)
            refused = "already voted" in again.text
        return (took, choice, "" if ok else f"vote not acknowledged ({r.status_code})", refused)

    return _run_threads(threads, ballots, one)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--attendees", type=int, default=2000)
    ap.add_argument("--server-workers", type=int, default=2)
    ap.add_argument("--server-threads", type=int, default=4)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--double-share", type=float, default=0.05)
    ap.add_argument(
        "--poll-every",
        type=float,
        default=-1,
        help="seconds between one attendee's polls (default: what the live page sets; 0: none)",
    )
    ap.add_argument("--poll-threads", type=int, default=16)
    args = ap.parse_args(argv)

    # the chair here is an administrator: the second factor officers set up in a deployment
    # is not what this measures, so the benchmark's chair session skips it
    os.environ.setdefault("GRASSROOTS_OFFICER_MFA", "0")
    start_django(args.database_url)
    from django.conf import settings
    from django.db import connection, connections

    from grassroots.meetings.models import Attendance, Vote, VoteCast

    print(
        f"Meeting benchmark: {args.attendees} attendees online; gunicorn {args.server_workers} x "
        f"{args.server_threads}; {args.clients} client processes x {args.threads} threads; "
        f"{connection.vendor}"
    )
    from django.core.management import call_command

    # production settings serve static files from a collected, hashed manifest (whitenoise)
    call_command("collectstatic", interactive=False, verbosity=0)
    meeting_id, _ = _setup(args.attendees)
    sessions = log_in_every_voter()
    chair_key = _chair_session()
    connections.close_all()
    cookie = settings.SESSION_COOKIE_NAME
    port = _free_port()
    server = _start_gunicorn(port, args.server_workers, args.server_threads)
    procs = max(1, args.clients)
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(7)
    try:
        base = f"http://127.0.0.1:{port}/meetings/{meeting_id}"
        _wait_until_serving(f"{base}/", server)
        # CPU from here to the result: the server's and the database's (read from /proc), and
        # the clients' (this process's children: the check-in, vote and polling processes)
        watch = _Watch(server.pid, urlparse(args.database_url).path.lstrip("/"))
        watch.start()
        t_all, children0 = time.perf_counter(), _children_cpu()
        import requests

        every = args.poll_every
        if every < 0:  # as the page's script polls: the interval the live page sets
            first_page = requests.get(
                f"{base}/live/", cookies={cookie: sessions[0]}, timeout=60
            ).text
            found = _EVERY.search(first_page)
            assert found is not None, "the live page sets no polling interval"
            every = float(found.group(1))
        stop, polled = ctx.Event(), ctx.Queue()
        poller = None
        if every > 0:
            poller = ctx.Process(
                target=_poll,
                args=(base, cookie, sessions, every, args.poll_threads, stop, polled),
            )
            poller.start()
        with ctx.Pool(procs) as pool:
            slices = [(base, cookie, sessions[i::procs], args.threads) for i in range(procs)]
            checked = [x for part in pool.map(_check_in, slices) for x in part]
        first = min(t0 for t0, _, _ in checked)
        check_in_time = max(t1 for _, t1, _ in checked) - first
        check_in_errors = [e for _, _, e in checked if e]

        chair = requests.Session()
        chair.cookies.set(cookie, chair_key)

        def chair_post(data: dict[str, str]) -> str:
            page = chair.get(f"{base}/live/", timeout=60).text
            token = _CSRF.search(page)
            assert token is not None, "the chair's page has no form"
            data = {"csrfmiddlewaretoken": token.group(1), **data}
            return chair.post(
                f"{base}/live/chair/", data=data, headers={"Referer": f"{base}/live/"}, timeout=60
            ).text

        chair_post({"do": "open_meeting"})
        chair_post(
            {
                "do": "open_vote",
                "question": "That the motion be carried",
                "method": "online",
                "majority": "simple",
            }
        )
        choices = [rng.choice(["for", "for", "against", "abstain"]) for _ in sessions]
        doubles = [rng.random() < args.double_share for _ in sessions]
        ballots = list(zip(sessions, choices, doubles, strict=True))
        t_vote = time.perf_counter()
        with ctx.Pool(procs) as pool:
            slices2 = [(base, cookie, ballots[i::procs], args.threads) for i in range(procs)]
            voted = [x for part in pool.map(_vote, slices2) for x in part]
        vote_time = time.perf_counter() - t_vote
        vote = Vote.objects.get(meeting_id=meeting_id)
        t_close = time.perf_counter()
        chair_post({"do": "close_vote", "vote": str(vote.pk)})
        watcher = requests.Session()
        watcher.cookies.set(cookie, sessions[0])
        while "Nothing decided yet" in watcher.get(f"{base}/live/panel/", timeout=60).text:
            time.sleep(0.05)
        result_shown = time.perf_counter() - t_close
        poll_counts: dict[str, int] = {}
        poll_lat: list[float] = []
        poll_time = 0.0
        if poller is not None:
            stop.set()
            poll_counts, poll_lat, poll_time = polled.get(timeout=120)
            poller.join(timeout=60)
        used = watch.stop()
        client_cpu, wall = _children_cpu() - children0, time.perf_counter() - t_all
    finally:
        if poller is not None and poller.is_alive():
            poller.terminate()
        server.terminate()
        server.wait(timeout=30)

    lat = sorted(t for t, _, err, _ in voted if not err)
    vote_errors = [err for _, _, err, _ in voted if err]
    unrefused = sum(1 for _, _, _, refused in voted if not refused)
    sent = {
        c: sum(1 for _, ch, err, _ in voted if ch == c and not err)
        for c in ("for", "against", "abstain")
    }
    vote.refresh_from_db()
    stored = {c: VoteCast.objects.filter(vote=vote, choice=c).count() for c in sent}
    attendances = Attendance.objects.filter(meeting_id=meeting_id).count()
    casts = VoteCast.objects.filter(vote=vote).count()
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    print(
        f"checked in                       {len(checked) - len(check_in_errors)} of "
        f"{args.attendees} in {check_in_time:.1f} s"
    )
    print(
        f"votes acknowledged               {len(lat)} in {vote_time:.1f} s "
        f"({len(lat) / vote_time:.0f}/s)"
    )
    print(
        f"vote POST latency p50/p95/p99    "
        f"{q[49] * 1e3:.0f} / {q[94] * 1e3:.0f} / {q[98] * 1e3:.0f} ms"
    )
    print(f"result shown after the close     {result_shown:.2f} s")
    print(f"double taps refused              {sum(doubles) - unrefused} of {sum(doubles)}")
    print(
        f"tally sent {sent}; stored {stored}; recorded for {vote.for_votes}, "
        f"against {vote.against_votes}, abstaining {vote.abstentions}"
    )
    print(f"attendances {attendances}, votes stored {casts}")
    if poll_counts:
        pq = statistics.quantiles(sorted(poll_lat), n=100) if len(poll_lat) > 1 else [0.0] * 99
        offered = args.attendees / every
        print(
            f"live-panel polls                 {poll_counts['polls']} in {poll_time:.0f} s "
            f"({poll_counts['polls'] / poll_time:.0f}/s answered; {offered:.0f}/s offered: "
            f"{args.attendees} pages every {every:g} s); {poll_counts['unchanged']} "
            f"'no change' (204); {poll_counts['late']} a whole interval late; "
            f"{poll_counts['errors']} errors"
        )
        print(
            f"poll latency p50/p95/p99         "
            f"{pq[49] * 1e3:.0f} / {pq[94] * 1e3:.0f} / {pq[98] * 1e3:.0f} ms"
        )
    total = client_cpu + used["server"] + used["postgres"]
    print(
        f"CPU seconds: clients {client_cpu:.0f} ({client_cpu / total:.0%}), "
        f"gunicorn {used['server']:.0f} ({used['server'] / total:.0%}), "
        f"PostgreSQL {used['postgres']:.0f} ({used['postgres'] / total:.0%}); "
        f"{total / wall:.2f} of 2 cores busy on average over {wall:.0f} s"
    )
    for err in (check_in_errors + vote_errors)[:5]:
        print(f"  error: {err}")
    ok = (
        not check_in_errors
        and not vote_errors
        and unrefused == 0
        and attendances == args.attendees
        and casts == len(lat) == args.attendees
        and sent == stored
        and not poll_counts.get("errors")
        and (vote.for_votes, vote.against_votes, vote.abstentions)
        == (str(sent["for"]), str(sent["against"]), str(sent["abstain"]))
    )
    print("CHECK", "PASSED" if ok else "FAILED")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
