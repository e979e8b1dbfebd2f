"""Setting an election up and changing its set-up: the form, then the summary, then saving.

Three steps on one URL, no JavaScript: the form (``step=check``) is validated and shown back
in words with its values carried in hidden fields; ``step=edit`` returns to the form with
them; ``step=save`` validates again and calls the action.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from grassroots.elections import actions, thresholds
from grassroots.elections.actions.corrections import EDITABLE
from grassroots.elections.describe import setup_in_words
from grassroots.elections.forms import SetupForms
from grassroots.elections.models import Election
from grassroots.members.permissions import can, units_where

_TIMES = (
    ("nominations_open", "Nominations open"),
    ("nominations_close", "Nominations close"),
    ("voting_open", "Voting opens"),
    ("voting_close", "Voting closes"),
)


def _summary(forms: SetupForms) -> dict[str, Any]:
    s = forms.setup()
    words = setup_in_words(
        seats=s["seats"],
        rule=s["rule"],
        unit=s["unit"],
        rules=s["eligibility"],
        threshold=s["threshold"],
        nominating_kinds=s["nominating_kinds"],
        body_subkinds=s["body_subkinds"],
        constraints=s["constraints"],
    )
    timetable = [("Roll freeze date", f"{s['freeze_date']:%Y-%m-%d}")] + [
        (label, f"{timezone.localtime(s[k]):%Y-%m-%d %H:%M}") for k, label in _TIMES
    ]
    return {"title": s["title"], "words": words, "timetable": timetable}


def _changes(e: Election, setup: dict[str, Any]) -> list[str]:
    current = {k: getattr(e, k) for k in EDITABLE}
    current["eligibility"] = e.eligibility
    new = {**setup, "eligibility": setup["eligibility"].to_dict()}
    return [EDITABLE[k] for k in EDITABLE if new[k] != current[k]]


def _setup_page(request: HttpRequest, e: Election | None) -> HttpResponse:
    # an electorate is the members of a unit and the branches below it: wards and affiliated
    # bodies hold no members' branch, so they are not offered
    managed = units_where(request.user, "manage_occasions")
    units = list(managed.exclude(kind__in=("ward", "affiliate")).order_by("path"))
    if not units:
        raise PermissionDenied("only a returning officer or administrator sets up elections")
    step = request.POST.get("step", "") if request.method == "POST" else ""
    forms = SetupForms(request.POST if step else None, units=units, election=e)
    reason = request.POST.get("reason", "").strip()
    ctx: dict[str, Any] = {"forms": forms, "e": e, "reason": reason, "errors": []}
    if forms.kept_threshold is not None:
        ctx["kept_threshold_words"] = thresholds.describe(forms.kept_threshold)
    if step in ("check", "save") and forms.is_valid():
        setup = forms.setup()
        if step == "save":
            try:
                if e is None:
                    e = actions.create_election(**setup, announced=False, by=request.user)
                    messages.success(request, "Saved as a draft: only managers see it.")
                else:
                    words = actions.edit_election(e, **setup, reason=reason, by=request.user)
                    messages.success(request, f"Changed {', '.join(words)}.")
                return redirect("elections:detail", pk=e.pk)
            except actions.ActionRefused as exc:
                ctx["errors"].append(str(exc))
        else:
            if e is not None:
                ctx["changes"] = _changes(e, setup)
            return render(request, "elections/setup_check.html", {**ctx, **_summary(forms)})
    status = 400 if step in ("check", "save") else 200
    return render(request, "elections/new.html", ctx, status=status)


@login_required
def election_new(request: HttpRequest) -> HttpResponse:
    """A returning officer sets up an election over a unit they manage (saved as a draft)."""
    return _setup_page(request, None)


@login_required
def election_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the set-up of an election being prepared (with a reason once announced)."""
    e = get_object_or_404(Election.objects.visible_to(request.user), pk=pk)
    if not can(request.user, "manage_occasions", e.unit):
        raise PermissionDenied(f"only the returning officer of {e.unit} may change {e}")
    if e.state != "draft":
        messages.error(
            request, f"{e} is {e.get_state_display().lower()}: its set-up can no longer change."
        )
        return redirect("elections:detail", pk=pk)
    return _setup_page(request, e)
