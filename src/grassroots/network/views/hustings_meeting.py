"""A primary's hustings held online as a meeting of the meetings app (organisers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from grassroots.meetings.models import Meeting
from grassroots.network.actions.groups import NetworkRefused
from grassroots.network.actions.hustings_meeting import hold_hustings_as_meeting
from grassroots.network.views.primaries import _network, _organiser, _primary


@login_required
@require_POST
def hold(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    """An organiser holds the hustings online as a meeting already called."""
    net = _network(network)
    p = _primary(net, pk)
    _organiser(request, net)
    chosen = request.POST.get("meeting", "")
    meeting = (
        Meeting.objects.filter(pk=int(chosen)).first()
        if chosen.isascii() and chosen.isdigit() and len(chosen) < 12
        else None
    )
    if meeting is None:
        messages.error(request, "Not done: choose one of the meetings listed.")
    else:
        try:
            hold_hustings_as_meeting(p, meeting, by=request.user)
        except NetworkRefused as exc:
            messages.error(request, f"Not done: {exc}.")
        else:
            messages.success(request, f"The hustings is held as the meeting '{meeting.title}'.")
    return redirect("network:primary_hustings", network=net.slug, pk=p.pk)
