"""The home page: where each kind of user starts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.members.models import Member
from grassroots.members.permissions import units_where


def home(request: HttpRequest) -> HttpResponse:
    """Links to what this user may do."""
    ctx: dict[str, object] = {}
    if request.user.is_authenticated:
        ctx["member"] = Member.objects.filter(user=request.user).first()
        ctx["registers"] = units_where(request.user, "view_register")[:20]
        ctx["delegate_units"] = units_where(request.user, "view_delegates").exclude(kind="ward")[:5]
        ctx["audit"] = units_where(request.user, "view_audit").filter(kind="national").exists()
    return render(request, "home.html", ctx)
