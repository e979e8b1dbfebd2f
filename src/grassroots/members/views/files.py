"""The register as a file: importing CSV with a row-by-row report, and exporting it."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.jobs.models import Job
from grassroots.jobs.views import started
from grassroots.members import actions, csvio, staging
from grassroots.members.actions import import_jobs
from grassroots.members.forms import ImportForm
from grassroots.members.identifiers import code_problem
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import require
from grassroots.members.views._common import _unit
from grassroots.site.uploads import csv_text, upload_limit


def _report(
    request: HttpRequest,
    unit: Unit,
    report: dict[str, Any],
    token: str,
    name: str,
    *,
    changed_since: bool = False,
) -> HttpResponse:
    ctx = {"unit": unit, "report": report, "token": token, "name": name}
    return render(request, "members/import_report.html", {**ctx, "changed_since": changed_since})


def _stage(request: HttpRequest, unit: Unit, raw: bytes, name: str, plan: str) -> str:
    """Keep an upload until the user confirms it; the token names it in their session.

    The plan's fingerprint goes with it: the confirmation imports only the plan that was shown.
    """
    token = uuid.uuid4().hex
    staging.stage(token, raw)
    request.session[f"import:{token}"] = {"unit": unit.code, "name": name, "plan": plan}
    return token


def _import_limit() -> int:
    return int(settings.IMPORT_MAX_BYTES) + 65_536  # the file and the form around it


def _large(raw: bytes) -> bool:
    """Too large to check within the request: a job checks it (settings say the size)."""
    return (
        len(raw) > settings.IMPORT_CHECK_IN_REQUEST_BYTES
        or raw.count(b"\n") > settings.IMPORT_CHECK_IN_REQUEST_ROWS
    )


@upload_limit(_import_limit)
@login_required
def import_register(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a register CSV: import it if clean and all new, else show the report first.

    A file with errors waits for the user to import its valid rows (unless they chose that up
    front and there are some); a file that would change members already in the register waits
    for the user to see which columns change. A large file is checked by a job, whose page shows
    the report when it is done; nothing is imported before the user confirms it there.
    """
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        text = csv_text(form, raw)
        if text is None:
            return render(request, "members/import.html", {"unit": unit, "form": form})
        if _large(raw):
            return _start_check(request, unit, raw, upload.name)
        report = import_jobs.report(unit, request.user, text)
        errors, updates = report["problems"], report["updated"]
        skip_errors = form.cleaned_data["import_valid"] and report["header_ok"] and report["new"]
        if (errors and not skip_errors) or updates:
            token = _stage(request, unit, raw, upload.name, report["plan"])
            return _report(request, unit, report, token, upload.name)
        token = uuid.uuid4().hex
        staging.stage(token, raw)
        return _start(request, unit, token, upload.name, report["plan"])
    return render(
        request,
        "members/import.html",
        {"unit": unit, "form": form, "in_request_rows": settings.IMPORT_CHECK_IN_REQUEST_ROWS},
    )


def _start_check(request: HttpRequest, unit: Unit, raw: bytes, name: str) -> HttpResponse:
    """Stage a large upload and have a job check it; its page shows how far it got."""
    token = uuid.uuid4().hex
    staging.stage(token, raw)
    back = reverse("members:import", kwargs={"code": unit.code})
    try:
        job = import_jobs.start_check(unit, by=request.user, token=token, name=name, back_url=back)
    except actions.ActionRefused as exc:
        staging.discard(token)
        messages.error(request, str(exc))
        return redirect("members:import", code=unit.code)
    return started(request, job, "The check of the file")


def _start(request: HttpRequest, unit: Unit, token: str, name: str, plan: str) -> HttpResponse:
    """Import a checked upload as a job; its page, or the register once it is done."""
    register = reverse("members:register", kwargs={"code": unit.code})
    try:
        job = import_jobs.start_import(
            unit, by=request.user, token=token, name=name, plan=plan, back_url=register
        )
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("members:import", code=unit.code)
    return started(request, job, "The import", done_url=register)


@login_required
@require_POST
def import_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """The user chose to import a checked file: its valid rows, its updates."""
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    token = request.POST.get("token", "")
    staged = request.session.get(f"import:{token}")
    raw = staging.load(token) if staged and staged.get("unit") == unit.code else None
    if raw is None:
        messages.error(request, "That upload has expired; please upload the file again.")
        return redirect("members:import", code=unit.code)
    report = import_jobs.report(unit, request.user, raw.decode("utf-8-sig"))
    if report["plan"] != staged.get("plan"):
        # the register changed since the report: show what the file would now do, import nothing
        request.session[f"import:{token}"] = {**staged, "plan": report["plan"]}
        return _report(request, unit, report, token, staged["name"], changed_since=True)
    del request.session[f"import:{token}"]
    return _start(request, unit, token, staged["name"], staged["plan"])


@login_required
@require_POST
def import_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """The user chose not to import a file checked in the request: it is discarded."""
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    token = request.POST.get("token", "")
    if request.session.pop(f"import:{token}", None) is not None:
        staging.discard(token)
    messages.info(request, "Nothing was imported; the file was discarded.")
    return redirect("members:import", code=unit.code)


def check_job_page(request: HttpRequest, job: Job) -> dict[str, Any]:
    """What a register check job's page adds: the report and the choices, once it is done.

    The report holds members' personal data: only those who may edit this unit's register see
    it, whoever started the job.
    """
    unit = Unit.objects.get(pk=job.params["unit"])
    require(request.user, "edit_register", unit)
    return {
        "template": "members/import_check_job.html",
        "unit": unit,
        "report": import_jobs.checked(job),
        "import_job": job.params.get("import_job"),
        "cancelled": job.params.get("cancelled", False),
        "name": job.params.get("name", ""),
    }


@login_required
@require_POST
def check_confirm(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The user read a check job's report and chose to import the file."""
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    job = get_object_or_404(Job, pk=pk, kind="members.import_check", unit=unit)
    register = reverse("members:register", kwargs={"code": unit.code})
    try:
        imp = import_jobs.confirm_check(job, by=request.user, back_url=register)
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("jobs:detail", pk=job.pk)
    return started(request, imp, "The import", done_url=register)


@login_required
@require_POST
def check_cancel(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The user read a check job's report and chose not to import: the file is discarded."""
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    job = get_object_or_404(Job, pk=pk, kind="members.import_check", unit=unit)
    try:
        import_jobs.cancel_check(job, by=request.user)
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("jobs:detail", pk=job.pk)
    messages.info(request, "Nothing was imported; the file was discarded.")
    return redirect("members:import", code=unit.code)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def export_register(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """The unit's register as CSV, in the format the import reads."""
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    qs = (
        Member.objects.filter(branch__path__startswith=unit.path)
        .order_by("number")
        .values_list(
            "number",
            "name",
            "email",
            "branch__code",
            "ward__code",
            "join_date",
            "status",
            "paid_up_to",
            "rate_band",
            "gender",
            "birth_date",
        )
    )
    w = csvio.export_writer(_Echo())

    def rows():  # type: ignore[no-untyped-def]
        yield w.writerow(csvio.COLUMNS)
        for r in qs.iterator(chunk_size=5000):
            yield w.writerow(csvio.export_row(r))

    resp = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    name = unit.code if code_problem(unit.code) is None else "unit"  # a code stored by other means
    resp["Content-Disposition"] = f'attachment; filename="{name}-register.csv"'
    return resp
