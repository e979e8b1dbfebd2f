"""Starting and retrying jobs. The action that asks for the work checks its own permission
and preconditions, then calls ``start``; ``retry`` is the job page's button."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from grassroots.audit.log import record
from grassroots.count.errors import InputError
from grassroots.jobs.models import Job
from grassroots.members.models import Unit
from grassroots.members.permissions import require

User = AbstractBaseUser | AnonymousUser

__all__ = ["ActionRefused", "resume_stalled", "retry", "start"]


class ActionRefused(InputError):
    """A job action's precondition is not met; the message says which."""


def start(
    kind: str,
    *,
    title: str,
    params: dict[str, Any],
    unit: Unit,
    permission: str,
    by: User | None,
    back_url: str = "",
) -> Job:
    """Record a job and put it on the queue (the caller has checked that ``by`` may)."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title[:300],
            params=params,
            unit=unit,
            permission=permission,
            started_by=by if by is not None and by.is_authenticated else None,
            back_url=back_url[:300],
        )
        record(by, "jobs.start", f"job:{job.pk}", f"Started: {job.title}")
    return _enqueue(job)


def retry(job: Job, *, by: User | None) -> Job:
    """Run a failed (or stalled) job again: it carries on where it stopped, and sends nothing
    to anyone it already sent to."""
    if by is not None:
        require(by, job.permission, job.unit)
    with transaction.atomic():
        j = Job.objects.select_for_update().get(pk=job.pk)
        if not j.retryable():
            raise ActionRefused(
                f"{j.title} is {j.get_state_display().lower()}: only a failed or stalled job "
                "can be retried"
            )
        why = f"it had failed: {j.error}" if j.state == "failed" else "it had stopped"
        j.state = "queued"
        j.save(update_fields=["state"])
        record(by, "jobs.retry", f"job:{j.pk}", f"Retried: {j.title} ({why})")
    return _enqueue(j)


def resume_stalled() -> list[Job]:
    """Queue again every job whose worker stopped mid-run (a worker starting up calls this):
    each carries on where it stopped."""
    stalled = [j for j in Job.objects.filter(state="running") if j.stalled()]
    out = []
    for j in stalled:
        try:
            out.append(retry(j, by=None))
        except ActionRefused:
            continue  # it came back to life, or another worker took it first
    return out


def _enqueue(job: Job) -> Job:
    from grassroots.jobs.tasks import run_job

    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job
