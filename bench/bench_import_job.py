"""A register import of 500,000 rows run as a job by a worker process, as a secretary starts it
from the import page: timed, the worker's peak memory read, the job's progress sampled as its
page would show it, and the register checked afterwards.

``python -m bench.bench_import_job --database-url postgres://…/DISPOSABLE [--members N]``.
The database is emptied (dropped and made again), migrated and given the national
organisation of bench/national.py (600 branches) without members. The file (bench_members'
generator, 9 columns) is checked as the upload page checks it, staged, and queued
(``start_import``); a ``grassroots worker`` process checks it again and imports it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.bench_members import make_csv
from bench.national import setup, units

REPO = Path(__file__).resolve().parents[1]


def _fresh(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')


def _peak_rss(pid: int) -> float:
    """The process's peak resident memory so far (MiB), from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--members", type=int, default=500_000)
    args = ap.parse_args(argv)
    _fresh(args.database_url)
    setup(args.database_url)
    from django.core.management import call_command

    from grassroots.audit.log import verify
    from grassroots.jobs.models import Job
    from grassroots.members import staging
    from grassroots.members.actions.import_jobs import check_file, start_import
    from grassroots.members.models import Member

    call_command("migrate", interactive=False, verbosity=0)
    nat, branches, _ = units()
    text = make_csv(args.members, [b.code for b in branches])
    print(
        f"import job benchmark: {args.members} rows ({len(text) / 1e6:.1f} MB), "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    t0 = time.perf_counter()
    plan = check_file(nat, None, text).plan_digest()  # the upload page's check
    print(f"  the upload page's check                {time.perf_counter() - t0:7.1f} s", flush=True)
    token = uuid.uuid4().hex
    staging.stage(token, text.encode())
    del text
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "src")]))
    t0 = time.perf_counter()
    job = start_import(nat, by=None, token=token, name="bench.csv", plan=plan)
    worker = subprocess.Popen(
        [sys.executable, "-m", "grassroots", "worker", "--interval", "0.2"],
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    samples: list[tuple[float, str, int, int | None]] = []
    peak = 0.0
    try:
        while True:
            j = Job.objects.get(pk=job.pk)
            peak = max(peak, _peak_rss(worker.pid))
            samples.append((time.perf_counter() - t0, j.state, j.done, j.total))
            if j.state in ("done", "failed"):
                break
            time.sleep(1)
        took = time.perf_counter() - t0
    finally:
        worker.terminate()
        worker.wait()
    print("  progress as the job page shows it (every 10 s):")
    shown = -10.0
    for at, state, done, total in samples:
        if at - shown >= 10 or state in ("done", "failed"):
            pct = f" ({100 * done / total:.0f}%)" if total else ""
            print(f"    {at:6.0f} s  {state:<8} {done} of {total}{pct}")
            shown = at
    n = Member.objects.count()
    print(f"job {j.state}: {j.outcome or j.error}")
    print(f"time from queued to done {took:.1f} s; worker peak RSS {peak:.0f} MiB")
    ok = j.state == "done" and n == args.members and verify() is None
    print(f"members in the register {n}; audit chain intact {verify() is None}")
    print("CHECK", "PASSED" if ok else "FAILED")
    print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
