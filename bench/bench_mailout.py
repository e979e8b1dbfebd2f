"""A mail-out through the job queue: N members reminded by a worker process that is killed
part-way and restarted, timed, and every member checked to have exactly one message.

``python -m bench.bench_mailout --members 20000 [--kill-at 5000]``. Runs on its own new
database (PostgreSQL beside DATABASE_URL when it is set, else SQLite in a temporary folder);
the messages are files (tests/jobs/mailbox.py), counted per recipient at the end.
"""

from __future__ import annotations

import argparse
import email
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.scratch import REPO, drive, scratch_database


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "grassroots", "worker", "--interval", "0.2"],
        env=env,
        cwd=REPO,
        start_new_session=True,
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--members", type=int, default=20_000)
    ap.add_argument("--kill-at", type=int, default=0, help="kill the worker at this message")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, scratch_database(Path(tmp)) as env:
        mail = Path(tmp) / "mail"
        mail.mkdir()
        env.update(
            GRASSROOTS_TEST_TASKS="database",
            GRASSROOTS_TEST_MAIL_DIR=str(mail),
            GRASSROOTS_JOB_STALLED_SECONDS="2",
        )
        engine = "PostgreSQL" if "DATABASE_URL" in env else "SQLite"
        t0 = time.perf_counter()
        job = drive(env, "seed-reminders", str(args.members), timeout=3600)["job"]
        print(
            f"{engine}: {args.members} members seeded, job queued: {time.perf_counter() - t0:.1f} s"
        )
        t0 = time.perf_counter()
        held = {**env, "GRASSROOTS_TEST_MAIL_HOLD_AT": str(args.kill_at)} if args.kill_at else env
        first = _worker(held)
        lost = 0.0
        if args.kill_at:
            while not (mail / "holding").exists():
                time.sleep(0.1)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
            k = time.perf_counter()
            print(f"worker killed at message {args.kill_at}: {k - t0:.1f} s")
            time.sleep(2.5)  # until the job counts as stalled
            lost = time.perf_counter() - k
            first = _worker(env)
        try:
            while (state := drive(env, "job", str(job)))["state"] not in ("done", "failed"):
                time.sleep(5)  # each look starts a process: not too often
        finally:
            os.killpg(first.pid, signal.SIGTERM)
            first.wait()
        took = time.perf_counter() - t0
        per = Counter(
            str(email.message_from_bytes(f.read_bytes())["To"]) for f in mail.glob("*.eml")
        )
    once = sum(1 for n in per.values() if n == 1)
    print(
        f"job {state['state']} after {state['attempts']} attempt(s): {took:.1f} s "
        f"({took - lost:.1f} s working, {args.members / (took - lost):.0f} messages/s); "
        f"{len(per)} members reached, {once} exactly once, "
        f"{sum(n for n in per.values() if n > 1)} messages beyond one"
    )


if __name__ == "__main__":
    main()
