"""First render of a published results page in a phone-sized browser, served as in production.

Run: ``.venv/bin/python -m bench.bench_results_render --database-url postgres://…/DISPOSABLE_DB
[--voters 5000] [--candidates 12] [--runs 10]``. Needs the ``bench`` extra (gunicorn) and the
``dev`` extra (Playwright) with Debian's Chromium at /usr/bin/chromium (never a downloaded
browser). The database is emptied and migrated first.

Set-up: ``bench_voting``'s election with ``--candidates`` candidates on the ballot, every voter
casting a random ranking through the ``cast`` action; voting is closed, the votes counted and
the result published, all through the elections app's actions. The static files are collected
and the WSGI app runs under gunicorn with production settings (whitenoise serving the hashed,
compressed files). Then, ``--runs`` times, a fresh browser context (empty cache, as a first
visit) the size of a phone (390 x 844 CSS pixels, 3 device pixels each, touch) opens the results
page as a member who is not signed in. Each visit reports, from the browser's own timing
(Navigation and Paint Timing), the first contentful paint, the DOM's content loaded and the
load event, all from the start of the navigation, and the bytes transferred (document and
every sub-resource). The median and the slowest are printed; docs/benchmarks.md "Results pages"
records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from bench.bench_voting import open_bench_election, start_django
from bench.bench_voting_http import _free_port, _start_gunicorn, _wait_until_serving

CHROMIUM = Path("/usr/bin/chromium")
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
_TIMING = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const sub = performance.getEntriesByType("resource")
    .reduce((n, r) => n + (r.transferSize || 0), 0);
  return {ttfb: nav.responseStart, fcp: paint ? paint.startTime : null,
          dcl: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd, bytes: nav.transferSize + sub,
          decoded: nav.decodedBodySize, charts: document.querySelectorAll("svg.gr-chart").length};
}"""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--voters", type=int, default=5000)
    ap.add_argument("--candidates", type=int, default=12)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args(argv)
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is absent: install Debian's chromium")

    start_django(args.database_url)
    from django.core.management import call_command
    from django.db import connections

    call_command("collectstatic", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    pk = _published_election(args.voters, args.candidates)
    print(
        f"election with {args.voters} ballots counted and published: "
        f"{time.perf_counter() - t0:.1f} s"
    )
    connections.close_all()

    port = _free_port()
    server = _start_gunicorn(port, 2, 4)
    try:
        url = f"http://127.0.0.1:{port}/elections/{pk}/results/"
        _wait_until_serving(url, server)
        load_before = os.getloadavg()
        visits = _visit(url, args.runs)
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"results page, phone-sized Chromium, {args.runs} first visits (empty cache each)")
    for key, label in (
        ("ttfb", "first byte (server)"),
        ("fcp", "first contentful paint"),
        ("dcl", "DOM content loaded"),
        ("load", "load event"),
    ):
        xs = [v[key] for v in visits if v[key] is not None]
        print(f"{label:24s} median {statistics.median(xs):6.0f} ms, slowest {max(xs):6.0f} ms")
    print(
        f"bytes transferred        {visits[0]['bytes']:,} (the page itself "
        f"{visits[0]['decoded']:,} uncompressed); charts drawn: {visits[0]['charts']}"
    )
    print(f"load average (1 min)     {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    slowest = max(v["load"] for v in visits)
    print("TARGET (load event under 1 s):", "MET" if slowest < 1000 else "NOT MET")


def _published_election(voters: int, candidates: int) -> int:
    from django.utils import timezone

    from grassroots.elections import actions
    from grassroots.elections.models import Election
    from grassroots.members.models import Member

    e, names = open_bench_election(voters, 20, candidates=candidates)
    rng = random.Random(7)
    for m in Member.objects.order_by("pk").only("pk"):
        ranking = rng.sample(names, rng.randint(1, len(names)))
        actions.cast(e, m, ranking)
    later = timezone.now() + dt.timedelta(days=2)
    actions.close_voting(e, by=None, now=later)
    actions.count_votes(Election.objects.get(pk=e.pk), by=None)
    actions.publish_result(Election.objects.get(pk=e.pk), by=None)
    return int(e.pk)


def _visit(url: str, runs: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            for _ in range(runs):
                context = browser.new_context(**PHONE)
                try:
                    page = context.new_page()
                    page.goto(url, wait_until="load")
                    out.append(page.evaluate(_TIMING))
                finally:
                    context.close()
        finally:
            browser.close()
    return out


if __name__ == "__main__":
    main()
