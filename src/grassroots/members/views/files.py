"""The register as a file: importing CSV with a row-by-row report, and exporting it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.jobs.views import started
from grassroots.members import actions, csvio, queries, staging
from grassroots.members.actions import import_jobs
from grassroots.members.forms import (
    ImportForm,
)
from grassroots.members.identifiers import code_problem
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import require
from grassroots.members.views._common import _unit
from grassroots.site.uploads import csv_text, upload_limit

ERRORS_SHOWN = 500  # rows of each kind shown in an import report; the rest are counted


def _check_file(unit: Unit, user: object, text: str) -> csvio.ParseResult:
    return import_jobs.check_file(unit, user, text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _report(
    request: HttpRequest,
    unit: Unit,
    parsed: csvio.ParseResult,
    token: str,
    name: str,
    *,
    changed_since: bool = False,
) -> HttpResponse:
    codes = {ref.id: code for code, ref in queries.unit_refs().items()}
    new, updates = len(parsed.rows), len(parsed.updates)
    if parsed.errors:
        label = f"Import the {_plural(new + updates, 'valid row')} and skip the rest"
    else:
        label = "Import: " + " and ".join(
            p
            for p in (
                f"add {_plural(new, 'new member')}" if new else "",
                f"update {_plural(updates, 'member')}" if updates else "",
            )
            if p
        )
    return render(
        request,
        "members/import_report.html",
        {
            "unit": unit,
            "parsed": parsed,
            "errors": parsed.errors[:ERRORS_SHOWN],
            "more": max(0, len(parsed.errors) - ERRORS_SHOWN),
            "updates": parsed.updates[:ERRORS_SHOWN],
            "more_updates": max(0, updates - ERRORS_SHOWN),
            "new_rows": [(r, codes.get(r.branch_id, "")) for r in parsed.rows[:ERRORS_SHOWN]],
            "more_new": max(0, new - ERRORS_SHOWN),
            "label": label,
            "token": token,
            "name": name,
            "changed_since": changed_since,
        },
        status=200,
    )


def _stage(
    request: HttpRequest, unit: Unit, raw: bytes, name: str, parsed: csvio.ParseResult
) -> str:
    """Keep an upload until the user confirms it; the token names it in their session.

    The plan's fingerprint goes with it: the confirmation imports only the plan that was shown.
    """
    token = uuid.uuid4().hex
    staging.stage(token, raw)
    request.session[f"import:{token}"] = {
        "unit": unit.code,
        "name": name,
        "plan": parsed.plan_digest(),
    }
    return token


def _import_limit() -> int:
    return int(settings.IMPORT_MAX_BYTES) + 65_536  # the file and the form around it


@upload_limit(_import_limit)
@login_required
def import_register(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a register CSV: import it if clean and all new, else show the report first.

    A file with errors waits for the user to import its valid rows (unless they chose that up
    front and there are some); a file that would change members already in the register waits
    for the user to see which columns change.
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
        parsed = _check_file(unit, request.user, text)
        skip_errors = form.cleaned_data["import_valid"] and parsed.header_ok and parsed.rows
        if (parsed.errors and not skip_errors) or parsed.updates:
            token = _stage(request, unit, raw, upload.name, parsed)
            return _report(request, unit, parsed, token, upload.name)
        token = uuid.uuid4().hex
        staging.stage(token, raw)
        return _start(request, unit, token, upload.name, parsed.plan_digest())
    return render(request, "members/import.html", {"unit": unit, "form": form})


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
    parsed = _check_file(unit, request.user, raw.decode("utf-8-sig"))
    if parsed.plan_digest() != staged.get("plan"):
        # the register changed since the report: show what the file would now do, import nothing
        request.session[f"import:{token}"] = {**staged, "plan": parsed.plan_digest()}
        return _report(request, unit, parsed, token, staged["name"], changed_since=True)
    del request.session[f"import:{token}"]
    return _start(request, unit, token, staged["name"], staged["plan"])


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
