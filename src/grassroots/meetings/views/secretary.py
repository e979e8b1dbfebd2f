"""Calling a meeting: the secretary's form, the action, and the notice sent at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from grassroots.jobs.views import started
from grassroots.meetings import actions
from grassroots.meetings.forms import MeetingForm
from grassroots.meetings.models import Body, Meeting
from grassroots.members.models import Unit
from grassroots.members.permissions import can


@login_required
def meeting_new(request: HttpRequest, code: str) -> HttpResponse:
    """Call a meeting of one of the unit's bodies and send its notice to everyone entitled."""
    unit = get_object_or_404(Unit, code=code)
    if not can(request.user, "manage_meetings", unit):
        raise PermissionDenied(f"only the secretary of {unit.name} calls its meetings")
    bodies = list(Body.objects.filter(unit=unit))
    if not bodies:
        raise PermissionDenied(f"{unit.name} has no meeting bodies set up yet")
    form = MeetingForm(request.POST or None, bodies=[(b.pk, str(b)) for b in bodies])
    if request.method == "POST" and form.is_valid():
        body = next(b for b in bodies if str(b.pk) == form.cleaned_data["body"])
        call = partial(actions.call_meeting, body, purpose=form.cleaned_data["purpose"])
        answer = call_from_form(request, form, body, call, prefix="Meeting called. ")
        if answer is not None:
            return answer
    return render(request, "meetings/meeting_form.html", {"form": form, "unit": unit})


def call_from_form(
    request: HttpRequest,
    form: MeetingForm,
    body: Body,
    call: Callable[..., Meeting],
    *,
    prefix: str,
) -> HttpResponse | None:
    """Call a meeting from a valid meeting form and start sending its notice; ``None`` (with
    the refusal on the form) when the action refuses."""
    d = form.cleaned_data
    start = dt.datetime.combine(d["date"], d["time"], tzinfo=body.zone())
    try:
        m = call(
            title=d["title"],
            start=start,
            by=request.user,
            items=d["agenda"].splitlines(),
            place=d["place"],
            join_url=d["join_url"],
            short_notice_reason=d["short_notice_reason"],
        )
    except actions.ActionRefused as exc:
        form.add_error(None, str(exc))
        return None
    job = actions.start_notice(m, by=request.user, base_url=request.build_absolute_uri("/"))
    return started(
        request,
        job,
        "The notice is being sent",
        done_url=reverse("meetings:detail", args=[m.pk]),
        prefix=prefix,
    )
