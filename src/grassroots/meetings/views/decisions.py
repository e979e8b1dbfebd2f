"""Decisions not to meet in the browser: the secretary's form and the public record of one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from grassroots.elections.models import Election
from grassroots.meetings import actions
from grassroots.meetings.models import Body, DecisionNotToMeet, Requisition
from grassroots.meetings.record_forms import DecisionForm
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import can


def record_for(unit: Unit) -> dict[str, object]:
    """The unit's requisitions and decisions not to meet, for its meetings page."""
    return {
        "requisitions": Requisition.objects.filter(body__unit=unit).select_related(
            "body", "meeting"
        ),
        "decisions": DecisionNotToMeet.objects.filter(body__unit=unit).select_related("body"),
        "today": timezone.localdate(),
    }


def _open_elections(unit: Unit) -> list[Election]:
    """Elections whose nominations are open now and that the unit is inside."""
    now = timezone.now()
    return [
        e
        for e in Election.objects.filter(
            state="draft",
            announced_at__isnull=False,
            nominations_open__lte=now,
            nominations_close__gte=now,
        )
        if unit.path.startswith(e.unit.path)
    ]


@login_required
def decision_new(request: HttpRequest, code: str) -> HttpResponse:
    """Record a body's decision not to hold a meeting: who took it, the vote and why."""
    unit = get_object_or_404(Unit, code=code)
    if not can(request.user, "manage_meetings", unit):
        raise PermissionDenied(f"only the secretary of {unit.name} records its decisions")
    bodies = list(Body.objects.filter(unit=unit))
    if not bodies:
        raise PermissionDenied(f"{unit.name} has no meeting bodies set up yet")
    elections = _open_elections(unit)
    form = DecisionForm(
        request.POST or None,
        bodies=[(b.pk, b.name) for b in bodies],
        elections=[(e.pk, e.title) for e in elections],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        found = {m.number: m for m in Member.objects.filter(number__in=d["present"])}
        unknown = [n for n in d["present"] if n not in found]
        if unknown:
            form.add_error("present", f"No member has the number {', '.join(unknown)}.")
        else:
            try:
                decision = actions.record_decision_not_to_meet(
                    next(b for b in bodies if str(b.pk) == d["body"]),
                    what=d["what"],
                    purpose=d["purpose"],
                    decided_on=d["decided_on"],
                    present=[found[n] for n in d["present"]],
                    votes_for=d["votes_for"],
                    votes_against=d["votes_against"],
                    abstentions=d["abstentions"],
                    reason=d["reason"],
                    election=next((e for e in elections if str(e.pk) == d["election"]), None),
                    by=request.user,
                )
            except actions.ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "The decision is recorded and published.")
                return redirect("meetings:decision", decision.pk)
    return render(request, "meetings/decision_form.html", {"form": form, "unit": unit})


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_object_or_404(DecisionNotToMeet.objects.select_related("body__unit", "election"), pk=pk)
    return render(
        request,
        "meetings/decision.html",
        {"d": d, "present": d.present.order_by("name")},
    )
