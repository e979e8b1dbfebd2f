"""A register import as jobs: the upload waits in the staging folder while a worker checks it
(a large file; a small one is checked in the request) and keeps the report beside it; the
person reads the report and confirms; a worker imports it. The import checks the file again and
imports only the plan the person was shown."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction

from grassroots.audit.log import record
from grassroots.jobs import actions as jobs
from grassroots.jobs.models import Job
from grassroots.jobs.runner import Progress
from grassroots.members import csvio, import_report, queries, staging
from grassroots.members.actions._common import ActionRefused, User, _check
from grassroots.members.actions.imports import ImportOutcome, import_members
from grassroots.members.models import Unit
from grassroots.members.permissions import units_where

# rows checked between two looks at the job's progress (written at most once a second)
PROGRESS_EVERY = 2000
WRITING = "Writing to the register (all rows land together at the end, or none)"
SAVING = "Saving: the audit entry and the commit"
MATCHING = "Comparing the rows with the register"


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


def report(unit: Unit, user: Any, text: str | Iterable[str]) -> dict[str, Any]:
    """The import report of a file: what the page shows and the job keeps."""
    codes = {ref.id: code for code, ref in queries.unit_refs().items()}
    return import_report.build(check_file(unit, user, text), codes)


def _lines(lines: Iterable[str], progress: Progress) -> Iterator[str]:
    """The file's lines as the checker reads them, its progress shown as it goes; once all
    are read, the match with the register (no count to show)."""
    for i, line in enumerate(lines):
        if i % PROGRESS_EVERY == 0:
            progress.step(i)
        yield line
    progress.phase(MATCHING, None)


def _check_staged(
    unit: Unit, user: Any, token: str, progress: Progress, step: str
) -> csvio.ParseResult | None:
    """The staged file checked as it is read from disk (never all of it in memory as text),
    or None if it is gone. The job page counts its lines (about one row a line)."""
    lines = staging.count_lines(token)
    f = staging.open_text(token)
    if lines is None or f is None:
        return None
    with f:
        progress.phase(step, lines)
        parsed = check_file(unit, user, _lines(f, progress))
    progress.phase(step, lines, done=lines)
    return parsed


def start_check(unit: Unit, *, by: User | None, token: str, name: str, back_url: str = "") -> Job:
    """Queue the check of a staged upload too large to check in the request."""
    _check(by, "edit_register", unit)
    if not staging.exists(token):
        raise ActionRefused("that upload has expired; please upload the file again")
    return jobs.start(
        "members.import_check",
        title=f"Register file check for {unit.name}: {name}",
        params={"unit": unit.pk, "token": token, "name": name},
        unit=unit,
        permission="edit_register",
        by=by,
        back_url=back_url,
    )


def run_check(job: Job, progress: Progress) -> str:
    """The check job: read the staged file against the register and keep the report beside
    it. Nothing is written to the register."""
    p = job.params
    unit = Unit.objects.get(pk=p["unit"])
    parsed = _check_staged(unit, job.started_by, p["token"], progress, "Checking rows")
    if parsed is None:
        raise ActionRefused("the uploaded file has expired or was discarded; upload it again")
    codes = {ref.id: code for code, ref in queries.unit_refs().items()}
    rep = import_report.build(parsed, codes)
    staging.stage_report(p["token"], rep)
    return import_report.summary(rep)


def checked(job: Job) -> dict[str, Any] | None:
    """A done check job's report while it waits for the person's choice, else None."""
    if job.kind != "members.import_check" or job.state != "done" or _chosen(job):
        return None
    return staging.load_report(job.params["token"])


def _chosen(job: Job) -> bool:
    return bool(job.params.get("import_job") or job.params.get("cancelled"))


def _waiting(job: Job, by: User | None) -> tuple[Job, Unit, dict[str, Any]]:
    """The check job locked, its unit and its report, if it still waits for a choice."""
    j = Job.objects.select_for_update().get(pk=job.pk)
    unit = Unit.objects.get(pk=j.params["unit"])
    _check(by, "edit_register", unit)
    if j.kind != "members.import_check" or j.state != "done":
        raise ActionRefused("that file has not been checked yet")
    if _chosen(j):
        raise ActionRefused("you have already chosen what to do with that file")
    rep = staging.load_report(j.params["token"])
    if rep is None or not staging.exists(j.params["token"]):
        raise ActionRefused("that upload has expired; please upload the file again")
    return j, unit, rep


def confirm_check(job: Job, *, by: User | None, back_url: str = "") -> Job:
    """The person read the check job's report and chose to import: queue the import of the
    plan the report showed (it is refused if the register has changed since)."""
    with transaction.atomic():
        j, unit, rep = _waiting(job, by)
        if not rep["importable"]:
            raise ActionRefused("that file has nothing that can be imported")
        j.params = {**j.params, "import_job": -1}
        j.save(update_fields=["params"])
    try:
        imp = start_import(
            unit, by=by, token=j.params["token"], name=j.params["name"], plan=rep["plan"],
            back_url=back_url,
        )  # fmt: skip
    except ActionRefused:
        Job.objects.filter(pk=j.pk).update(params={**j.params, "import_job": None})
        raise
    Job.objects.filter(pk=j.pk).update(params={**j.params, "import_job": imp.pk})
    return imp


def cancel_check(job: Job, *, by: User | None) -> None:
    """The person chose not to import a checked file: it and its report are discarded."""
    with transaction.atomic():
        j, unit, _rep = _waiting(job, by)
        j.params = {**j.params, "cancelled": True}
        j.save(update_fields=["params"])
        record(
            by,
            "import_cancel",
            f"job:{j.pk}",
            f"cancelled the import of {j.params['name']} into {unit.name}; the file was discarded",
        )
    staging.discard(j.params["token"])


def start_import(
    unit: Unit, *, by: User | None, token: str, name: str, plan: str, back_url: str = ""
) -> Job:
    """Queue the import of a staged upload whose check (``plan``: its digest) the user saw."""
    _check(by, "edit_register", unit)
    if not staging.exists(token):
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
    step = "Checking the file again against the register"
    parsed = _check_staged(unit, job.started_by, p["token"], progress, step)
    if parsed is None:
        raise ActionRefused(
            "the uploaded file has expired or was imported already; upload it again"
        )
    if parsed.plan_digest() != p["plan"]:
        raise ActionRefused(
            "the register changed since the file was checked: upload it again to see what it "
            "would now do (nothing was imported)"
        )
    to_write = len(parsed.rows) + len(parsed.updates)
    progress.phase(WRITING, to_write)

    def written(n: int) -> None:
        progress.step(n)
        if n == to_write:  # the audit entries and the commit remain: no count to show
            progress.phase(SAVING, None)

    out = import_members(
        parsed, unit=unit, by=job.started_by, import_valid=True, source=p["name"], written=written
    )
    staging.discard(p["token"])
    progress.phase(WRITING, to_write, done=to_write)
    return describe(out)
