"""Register uploads checked and waiting for their uploader's confirmation: listed on the home
page, and their report shown again from there."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from grassroots.members.actions import import_jobs
from grassroots.members.models import Unit
from grassroots.members.permissions import can, require
from grassroots.members.views._common import _unit
from grassroots.members.views.files import _report

__all__ = ["WaitingImport", "import_waiting", "waiting_imports"]


@dataclass(frozen=True)
class WaitingImport:
    token: str
    name: str  # the uploaded file's name
    unit: Unit


def _staged_file(token: str) -> Path | None:
    if not (token.isascii() and token.isalnum()):
        return None  # a token is a uuid's hex digits, never a path of its own
    path = Path(settings.IMPORT_STAGING_DIR) / f"{token}.csv"
    return path if path.is_file() else None


def waiting_imports(request: HttpRequest) -> list[WaitingImport]:
    """This user's checked uploads still waiting to be confirmed (their file still kept)."""
    staged: dict[str, Any] = {
        key.removeprefix("import:"): value
        for key, value in request.session.items()
        if key.startswith("import:") and isinstance(value, dict)
    }
    units = {
        u.code: u for u in Unit.objects.filter(code__in=[s.get("unit") for s in staged.values()])
    }
    out = []
    for token, s in staged.items():
        unit = units.get(s.get("unit", ""))
        if unit is None or _staged_file(token) is None:
            continue
        if can(request.user, "edit_register", unit):
            out.append(WaitingImport(token, str(s.get("name", "")), unit))
    return sorted(out, key=lambda w: (w.unit.name, w.name))


@login_required
def import_waiting(request: HttpRequest, code: str) -> HttpResponse:
    """A waiting upload's report again, checked against the register as it is now."""
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    token = request.GET.get("token", "")
    staged = request.session.get(f"import:{token}")
    path = _staged_file(token)
    if not isinstance(staged, dict) or staged.get("unit") != unit.code or path is None:
        messages.error(request, "That upload has expired; please upload the file again.")
        return redirect("members:import", code=unit.code)
    report = import_jobs.report(unit, request.user, path.read_bytes().decode("utf-8-sig"))
    # what the user now sees is the plan that their confirmation imports
    request.session[f"import:{token}"] = {**staged, "plan": report["plan"]}
    return _report(request, unit, report, token, str(staged.get("name", "")))
