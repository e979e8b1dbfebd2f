"""The one task the queue carries: run job N. Everything else lives on the ``Job`` row."""

from __future__ import annotations

from django_tasks import task

from grassroots.jobs import runner


@task()
def run_job(job_id: int) -> None:
    runner.run(job_id)
