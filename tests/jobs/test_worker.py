"""The real queue: reminders put on the database queue, a worker process killed mid-run and
another started, and every member reminded exactly once."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from tests.scratch import REPO, drive, scratch_database

MEMBERS = 40
KILL_AT = 15  # the worker is killed while handing this message to the mail server


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "grassroots", "worker", "--interval", "0.2"],
        env=env,
        cwd=REPO,
        start_new_session=True,  # killed with everything it started
    )


def _wait_for(what: str, check: object, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def _mail(folder: Path) -> list[tuple[str, str]]:
    out = []
    for f in folder.glob("*.eml"):
        m = email.message_from_bytes(f.read_bytes())
        out.append((str(m["To"]), str(m["Message-ID"])))
    return out


def test_a_worker_killed_mid_mail_out_and_restarted_reminds_every_member_exactly_once(
    tmp_path: Path,
) -> None:
    mail = tmp_path / "mail"
    mail.mkdir()
    with scratch_database(tmp_path) as env:
        env.update(
            GRASSROOTS_TEST_TASKS="database",
            GRASSROOTS_TEST_MAIL_DIR=str(mail),
            GRASSROOTS_JOB_STALLED_SECONDS="2",
        )
        job = drive(env, "seed-reminders", str(MEMBERS))["job"]
        assert drive(env, "job", str(job))["state"] == "queued"  # waiting for a worker

        first = _worker({**env, "GRASSROOTS_TEST_MAIL_HOLD_AT": str(KILL_AT)})
        try:
            _wait_for("the worker to reach the message it is killed at", (mail / "holding").exists)
            os.killpg(first.pid, signal.SIGKILL)
        finally:
            first.wait(timeout=30)
        assert first.returncode == -signal.SIGKILL
        assert len(_mail(mail)) == KILL_AT - 1
        stopped = drive(env, "job", str(job))
        assert stopped["state"] == "running" and stopped["sent"] == KILL_AT - 1

        time.sleep(2.5)  # no sign of life for longer than GRASSROOTS_JOB_STALLED_SECONDS
        second = _worker(env)
        try:
            _wait_for(
                "the restarted worker to finish the job",
                lambda: drive(env, "job", str(job))["state"] in ("done", "failed"),
            )
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(timeout=30)
        done = drive(env, "job", str(job))

    assert done["state"] == "done" and done["attempts"] == 2, done
    assert done["outcome"] == f"Sent {MEMBERS} reminders."
    assert done["done"] == done["total"] == MEMBERS and done["sent"] == MEMBERS
    sent = _mail(mail)
    per_member = Counter(to for to, _ in sent)
    assert len(per_member) == MEMBERS and set(per_member.values()) == {1}
    assert sorted(per_member) == done["recipients"]
    assert len({mid for _, mid in sent}) == MEMBERS
