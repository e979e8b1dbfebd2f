"""A register import of 500,000 rows run as jobs, as a secretary does it from the import page:
the upload staged and its check queued (``start_check``, as the page does for a file over
``IMPORT_CHECK_IN_REQUEST_ROWS``), the report read when the check job is done, the import
confirmed (``confirm_check``, the report page's button) and the import job run. A
``grassroots worker`` process runs both jobs; this process only stages, polls and confirms.
Timed per step, with the worker's CPU time and peak memory, the jobs' progress sampled as
their page shows it, and the register checked afterwards.

``python -m bench.bench_import_job --database-url postgres://…/DISPOSABLE [--members N]``.
The database is emptied (dropped and made again), migrated and given the national
organisation of bench/national.py (600 branches) without members. The file is
bench_members' generator (9 columns).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
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


def _proc(pid: int) -> tuple[float, float]:
    """The process's peak resident memory so far (MiB) and CPU time (s), from /proc."""
    peak = 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return peak, 0.0
    return peak, cpu


def _follow(job_id: int, pid: int, t0: float, samples: list[Any]) -> Any:
    """Poll a job as its page would, until it ends; the samples gain (s, state, phase, done,
    total)."""
    from grassroots.jobs.models import Job

    while True:
        j = Job.objects.get(pk=job_id)
        samples.append((time.perf_counter() - t0, j.state, j.phase, j.done, j.total))
        if j.state in ("done", "failed"):
            return j
        time.sleep(1)


def _show(title: str, samples: list[Any]) -> None:
    print(f"  {title} (every 10 s, and each change of step):")
    shown, step = -10.0, None
    for at, state, phase, done, total in samples:
        if at - shown >= 10 or phase != step or state in ("done", "failed"):
            pct = f" ({100 * done / total:.0f}%)" if total else ""
            count = f"{done} of {total}{pct}" if total is not None else "(no count)"
            print(f"    {at:6.0f} s  {state:<8} {phase[:40]:<40} {count}")
            shown, step = at, phase


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--members", type=int, default=500_000)
    args = ap.parse_args(argv)
    _fresh(args.database_url)
    setup(args.database_url)
    from django.core.management import call_command

    from grassroots.audit.log import verify
    from grassroots.members import staging
    from grassroots.members.actions import import_jobs
    from grassroots.members.models import Member

    call_command("migrate", interactive=False, verbosity=0)
    nat, branches, _ = units()
    raw = make_csv(args.members, [b.code for b in branches]).encode()
    print(
        f"import job benchmark: {args.members} rows ({len(raw) / 1e6:.1f} MB), "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "src")]))
    worker = subprocess.Popen(
        [sys.executable, "-m", "grassroots", "worker", "--interval", "0.2"],
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    checking: list[Any] = []
    importing: list[Any] = []
    try:
        t0 = time.perf_counter()
        # the upload page: stage the file as it came, queue its check
        token = uuid.uuid4().hex
        staging.stage(token, raw)
        del raw
        check = import_jobs.start_check(nat, by=None, token=token, name="bench.csv")
        staged = time.perf_counter() - t0
        check = _follow(check.pk, worker.pid, t0, checking)
        checked = time.perf_counter() - t0
        check_peak, check_cpu = _proc(worker.pid)
        # the job page: the report, read as the page reads it
        report = import_jobs.checked(check)
        shown = time.perf_counter() - t0
        assert report is not None, check.error
        # the report's button
        imp = import_jobs.confirm_check(check, by=None)
        imp = _follow(imp.pk, worker.pid, t0, importing)
        took = time.perf_counter() - t0
        peak, cpu = _proc(worker.pid)
    finally:
        worker.terminate()
        worker.wait()
    _show("the check job's progress as its page shows it", checking)
    _show("the import job's progress as its page shows it", importing)
    print(f"check job: {check.state}: {check.outcome or check.error}")
    print(f"import job: {imp.state}: {imp.outcome or imp.error}")
    print(f"  upload staged and check queued        {staged:7.1f} s")
    print(
        f"  check done (report kept)              {checked:7.1f} s   worker CPU {check_cpu:6.1f} s"
    )
    print(f"  report read                           {shown:7.1f} s")
    print(f"  import done                           {took:7.1f} s   worker CPU {cpu:6.1f} s")
    print(f"worker peak RSS: {check_peak:.0f} MiB after the check, {peak:.0f} MiB in all")
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"this process's CPU {own.ru_utime + own.ru_stime:.1f} s (file made, staged, polled)")
    n = Member.objects.count()
    ok = imp.state == "done" and n == args.members and verify() is None
    print(f"members in the register {n}; audit chain intact {verify() is None}")
    print("CHECK", "PASSED" if ok else "FAILED")
    print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
