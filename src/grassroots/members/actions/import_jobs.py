"""A register import as a job: the checked upload waits in the staging folder, a worker
imports it. The job checks the file again and imports only the plan the user was shown."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from grassroots.jobs import actions as jobs
from grassroots.jobs.models import Job
from grassroots.jobs.runner import Progress
from grassroots.members import csvio, queries, staging
from grassroots.members.actions._common import ActionRefused, User, _check
from grassroots.members.actions.imports import ImportOutcome, import_members
from grassroots.members.models import Unit
from grassroots.members.permissions import units_where

# rows checked between two looks at the job's progress (written at most once a second)
PROGRESS_EVERY = 2000


def describe(out: ImportOutcome) -> str:
    """What an import did, in one sentence."""
    updated = f", updated {out.updated}" if out.updated else ""
    unchanged = f"; {out.unchanged} row(s) already matched the register" if out.unchanged else ""
    skipped = f"; skipped {out.skipped} row(s) with errors" if out.skipped else ""
    return f"Imported {out.created} member(s){updated}{unchanged}{skipped}."


def check_file(unit: Unit, user: Any, text: str | Iterable[str]) -> csvio.ParseResult:
    """The file checked against the register, with the branches ``user`` may import into."""
    units = Unit.objects.all() if user is None else units_where(user, "edit_register")
    allowed = set(units.filter(path__startswith=unit.path).values_list("pk", flat=True))
    return queries.check_register(text, allowed_branches=allowed)


def start_import(
    unit: Unit, *, by: User | None, token: str, name: str, plan: str, back_url: str = ""
) -> Job:
    """Queue the import of a staged upload whose check (``plan``: its digest) the user saw."""
    _check(by, "edit_register", unit)
    if staging.load(token) is None:
        raise ActionRefused("that upload has expired; please upload the file again")
    return jobs.start(
        "members.import",
        title=f"Register import into {unit.name}: {name}",
        params={"unit": unit.pk, "token": token, "name": name, "plan": plan},
        unit=unit,
        permission="edit_register",
        by=by,
        back_url=back_url,
    )


def run_import(job: Job, progress: Progress) -> str:
    """The import job: check the staged file again, import its valid rows, discard it."""
    p = job.params
    unit = Unit.objects.get(pk=p["unit"])
    raw = staging.load(p["token"])
    if raw is None:
        raise ActionRefused(
            "the uploaded file has expired or was imported already; upload it again"
        )
    text = raw.decode("utf-8-sig")
    progress.total(text.count("\n"))  # about one row a line: the job page's measure

    def lines() -> Iterator[str]:
        """The file's lines as the checker reads them, its progress shown as it goes."""
        for i, line in enumerate(io.StringIO(text)):
            if i % PROGRESS_EVERY == 0:
                progress.step(i)
            yield line

    parsed = check_file(unit, job.started_by, lines())
    if parsed.plan_digest() != p["plan"]:
        raise ActionRefused(
            "the register changed since the file was checked: upload it again to see what it "
            "would now do (nothing was imported)"
        )
    out = import_members(parsed, unit=unit, by=job.started_by, import_valid=True, source=p["name"])
    staging.discard(p["token"])
    progress.total(parsed.total)
    progress.step(parsed.total)
    return describe(out)
