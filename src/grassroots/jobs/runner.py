"""Running a job in a worker: mark it running, call its kind's function, record the outcome.

Each kind names the function that does the work, ``fn(job, progress) -> outcome``; it raises
``InputError`` (an action's refusal) with a message for the person who started it, or any
other exception for a fault, which is logged and shown as one line.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from grassroots.count.errors import InputError
from grassroots.jobs.models import Job

logger = logging.getLogger(__name__)

RUNNERS = {
    "election.remind": "grassroots.elections.actions.results.deliver_reminders",
    "election.count": "grassroots.elections.actions.results.run_count",
    "meeting.cancel": "grassroots.meetings.actions.notices.deliver_cancellation",
    "meeting.notice": "grassroots.meetings.actions.notices.deliver_notice",
    "members.import": "grassroots.members.actions.import_jobs.run_import",
    "members.import_check": "grassroots.members.actions.import_jobs.run_check",
    "network.invite_roll": "grassroots.network.actions.roll_invitations.deliver",
    "signin.invite": "grassroots.signin.actions.deliver_invitations",
}

# problems kept on the job page (the audit entry and the recipients' records keep the rest)
MAX_PROBLEMS = 1000


class Superseded(Exception):
    """The job was retried elsewhere while this worker still ran it: this run stops."""


def _apart() -> bool:
    """Whether progress must go through a connection of its own to be seen before the job's
    transaction commits: on PostgreSQL, inside a transaction (not a test's, whose rows another
    connection never sees)."""
    blocks = connection.atomic_blocks
    return (
        connection.vendor == "postgresql"
        and connection.in_atomic_block
        and not any(getattr(b, "_from_testcase", False) for b in blocks)
    )


class Progress:
    """How far a job got, written at most once a second (and at the end) with a heartbeat.

    Written from inside a transaction (a job writing all-or-nothing), the figures go through a
    connection of their own on PostgreSQL, so the job page sees them before the commit. SQLite
    has one writer at a time: there they are written with the job's own work.
    """

    def __init__(self, job: Job, *, every: float = 1.0) -> None:
        self.job = job
        self.every = every
        self._written = 0.0
        self.problems: list[list[str]] = []

    def total(self, n: int) -> None:
        self.job.total = n
        self._write(force=True)

    def phase(self, name: str, total: int | None, done: int = 0) -> None:
        """Start a step of the work: its name on the job page, its own count (from 0, or
        ``done`` to show a step finished)."""
        self.job.phase, self.job.done, self.job.total = name[:100], done, total
        self._write(force=True)

    def step(self, done: int) -> None:
        self.job.done = done
        self._write()

    def problem(self, what: str, why: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append([what, why])

    def _write(self, *, force: bool = False) -> None:
        clock = time.monotonic()
        if not force and clock - self._written < self.every:
            return
        self._written = clock
        if _apart():
            changed: list[int] = []
            t = threading.Thread(target=self._update_apart, args=(changed,))
            t.start()
            t.join()
        else:
            changed = [self._update()]
        if not changed or not changed[0]:
            raise Superseded(f"job {self.job.pk} was retried while this run was under way")

    def _update(self) -> int:
        return Job.objects.filter(
            pk=self.job.pk, state="running", attempts=self.job.attempts
        ).update(
            phase=self.job.phase,
            done=self.job.done,
            total=self.job.total,
            problems=self.problems,
            heartbeat_at=timezone.now(),
        )

    def _update_apart(self, out: list[int]) -> None:
        """The update on this thread's own connection, committed at once, then closed."""
        try:
            out.append(self._update())
        finally:
            connections.close_all()


def run(job_id: int) -> None:
    """Run one job (the task the queue carries). A job not waiting is left alone: a second
    delivery of the same task runs nothing twice."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != "queued":
            return
        now = timezone.now()
        job.state, job.started_at, job.heartbeat_at = "running", now, now
        job.attempts += 1
        job.error, job.finished_at, job.phase = "", None, ""
        job.save()
    progress = Progress(job)
    fn = import_string(RUNNERS[job.kind])
    try:
        outcome = fn(job, progress)
    except Superseded:
        logger.warning("job %s: superseded by a retry; this run stopped", job.pk)
        return
    except InputError as exc:
        _finish(job, progress, "failed", error=str(exc))
        return
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, progress, "failed", error=f"{type(exc).__name__}: {exc}")
        return
    _finish(job, progress, "done", outcome=outcome)


def _finish(
    job: Job, progress: Progress, state: str, *, outcome: str = "", error: str = ""
) -> None:
    Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
        state=state,
        outcome=outcome,
        error=error[:2000],
        done=job.done,
        total=job.total,
        phase=job.phase,
        problems=progress.problems,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
