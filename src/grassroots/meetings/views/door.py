"""At the door: a steward finds a member by name or number, sees the rules' decision with its
reasons, and checks them in (or records their payment on the day, or admits a visitor)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.meetings import actions
from grassroots.meetings.entitlement import member_standing
from grassroots.meetings.live import presence
from grassroots.meetings.models import Attendance, Meeting
from grassroots.members.models import Member
from grassroots.members.permissions import can

SHOWN = 20  # matches shown for a search; a steward narrows the search rather than scrolls


def _stewarded(request: HttpRequest, pk: int) -> Meeting:
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    if not can(request.user, "check_in", m.body.unit):
        raise PermissionDenied(f"only the stewards of {m.body.unit.name} check people in")
    return m


@login_required
def door(request: HttpRequest, pk: int) -> HttpResponse:
    m = _stewarded(request, pk)
    q = request.GET.get("q", "").strip()[:100]
    found = []
    if q:
        matches = (
            Member.objects.filter(branch__path__startswith=m.body.unit.path)
            .filter(Q(name__icontains=q) | Q(number__iexact=q))
            .select_related("branch")
            .order_by("name")[: SHOWN + 1]
        )
        here = dict(
            Attendance.objects.filter(meeting=m, member__in=list(matches)).values_list(
                "member_id", "left_at"
            )
        )
        found = [
            (
                member,
                member_standing(member, m),
                member.pk in here and here[member.pk] is None,
            )
            for member in matches[:SHOWN]
        ]
    ctx = {
        "m": m,
        "q": q,
        "found": found,
        "more": q and len(found) == SHOWN,
        "presence": presence(m),
        "recent": m.attendance.select_related("member").order_by("-arrived_at")[:10],
    }
    return render(request, "meetings/door.html", ctx)


@login_required
@require_POST
def door_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    m = _stewarded(request, pk)
    q = request.POST.get("q", "")
    number = request.POST.get("member", "")
    member = Member.objects.filter(number=number).first()
    back = f"{reverse('meetings:door', args=[m.pk])}?{urlencode({'q': q[:100]})}"
    if member is None:
        messages.error(request, f"No member numbered “{number[:40]}” on the register.")
        return redirect(back)
    try:
        a = actions.check_in(
            m,
            member,
            by=request.user,
            pay_on_day=request.POST.get("pay_on_day") == "1",
            as_visitor=request.POST.get("as_visitor") == "1",
        )
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        how = "with a vote" if a.may_vote else "as a visitor, without a vote"
        paid = " (payment on the day recorded)" if a.paid_on_day else ""
        messages.success(request, f"{member.name} checked in {how}{paid}.")
    return redirect(back)


@login_required
@require_POST
def door_visitor(request: HttpRequest, pk: int) -> HttpResponse:
    m = _stewarded(request, pk)
    try:
        a = actions.admit_visitor(m, name=request.POST.get("name", ""), by=request.user)
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Visitor {a.visitor_name} admitted, without a vote.")
    return redirect("meetings:door", m.pk)
