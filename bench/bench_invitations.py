"""Invitations to sign in for a whole national register, through the job queue, with the
worker killed part-way (SIGKILL) and a new one started: timed, and every member counted.

``python -m bench.bench_invitations --database-url postgres://…/scale500k [--kill-at K]``.
Seeds the database first if it is empty (bench/national.py: 500,000 members, each with an
address, none with a login yet but the officers). Any invitations and invitation jobs left by
an earlier run are removed first. The national unit's members are invited (``invite_unit``,
the officer's button) and a ``grassroots worker`` process sends the links. The messages go
to bench/mailsink.py: one line per message handed over (recipient, Message-ID), written by
the worker as it hands each over. With ``--kill-at K`` the worker is killed while it hands
over message K; a second worker started once the job counts as stalled carries it on. At the
end the lines are counted per recipient, and the invitation rows are checked: one per member
invited, each marked sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.national import seed, setup

REPO = Path(__file__).resolve().parents[1]
STALLED = 5  # seconds without progress before a running job counts as stalled


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "grassroots", "worker", "--interval", "0.2"],
        env=env,
        cwd=REPO,
        start_new_session=True,
    )


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) of a live process and its reaped children."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    return sum(int(f) for f in fields[11:15]) / tick


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--members", type=int, default=500_000, help="when seeding")
    ap.add_argument("--kill-at", type=int, default=0, help="kill the worker at this message")
    args = ap.parse_args(argv)
    setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from grassroots.jobs.models import Job
    from grassroots.members.models import Member, Unit
    from grassroots.signin.actions import invite_unit, invitees_of_unit
    from grassroots.signin.models import Invitation

    call_command("migrate", interactive=False, verbosity=0)
    if not Member.objects.exists():
        seed(args.members)
    with connection.cursor() as cur:  # what an earlier run left
        cur.execute(f"TRUNCATE {Invitation._meta.db_table}")
    Job.objects.filter(kind="signin.invite").delete()
    DBTaskResult.objects.all().delete()
    nat = Unit.objects.get(kind="national")
    expected = set(invitees_of_unit(nat).values_list("email", flat=True))
    print(
        f"invitations benchmark: {len(expected)} members to invite, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )

    tmp = Path(tempfile.mkdtemp(prefix="grassroots-bench-mail-"))
    log = tmp / "sent.log"
    env = dict(
        os.environ,
        GRASSROOTS_EMAIL_BACKEND="bench.mailsink.EmailBackend",
        GRASSROOTS_BENCH_MAIL_LOG=str(log),
        GRASSROOTS_JOB_STALLED_SECONDS=str(STALLED),
        PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "src")]),
    )
    t0 = time.perf_counter()
    job = invite_unit(nat, by=None, base_url="https://members.example.org")
    held = dict(env, GRASSROOTS_BENCH_MAIL_HOLD_AT=str(args.kill_at)) if args.kill_at else env
    worker = _worker(held)
    cpu = 0.0
    idle = 0.0
    if args.kill_at:
        holding = Path(str(log) + ".holding")
        while not holding.exists():
            if worker.poll() is not None:
                raise SystemExit(f"the worker exited ({worker.returncode}) before the kill")
            time.sleep(0.2)
        cpu += _cpu(worker.pid)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        k = time.perf_counter()
        lines = sum(1 for _ in log.open()) if log.exists() else 0
        print(
            f"worker killed (SIGKILL) at message {args.kill_at} after {k - t0:.1f} s; "
            f"{lines} messages handed over so far",
            flush=True,
        )
        time.sleep(STALLED + 1)  # until the job counts as stalled
        idle = time.perf_counter() - k
        worker = _worker(env)
    last = -1.0
    try:
        while True:
            j = Job.objects.get(pk=job.pk)
            if j.state in ("done", "failed"):
                break
            now = time.perf_counter() - t0
            if now - last >= 30:
                print(f"  {now:7.0f} s  {j.state:<8} {j.done}/{j.total}", flush=True)
                last = now
            time.sleep(1)
        took = time.perf_counter() - t0
        cpu += _cpu(worker.pid)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait()
    per = Counter(line.split("\t", 1)[0] for line in log.open())
    ids = Counter(line.rstrip("\n").split("\t", 1)[1] for line in log.open())
    invitations = Invitation.objects.count()
    marked = Invitation.objects.filter(sent_at__isnull=False).count()
    members = Invitation.objects.values("member").distinct().count()
    once = sum(1 for e in expected if per.get(e) == 1)
    beyond = sum(n - 1 for n in per.values() if n > 1)
    strangers = sum(1 for e in per if e not in expected)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"job {j.state} after {j.attempts} attempt(s): {j.outcome or j.error}")
    print(
        f"time {took:.1f} s ({took - idle:.1f} s working, {len(expected) / (took - idle):.0f} "
        f"messages/s); worker CPU {cpu:.0f} s; worker peak RSS {rss:.0f} MiB"
    )
    print(f"messages handed over {sum(per.values())}, distinct Message-IDs {len(ids)}")
    print(
        f"members reached exactly once {once} of {len(expected)}; messages beyond one "
        f"{beyond}; to anyone not invited {strangers}"
    )
    print(f"invitation rows {invitations} for {members} members, {marked} marked sent")
    ok = (
        j.state == "done"
        and once == len(expected) == invitations == members == marked
        and beyond == 0
        and strangers == 0
    )
    print("CHECK", "PASSED" if ok else "FAILED")
    print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
