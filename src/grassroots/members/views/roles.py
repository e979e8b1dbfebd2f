"""Officers' roles over a unit: granting and revoking them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from grassroots.members import actions
from grassroots.members.forms import (
    RoleForm,
)
from grassroots.members.identifiers import row_id
from grassroots.members.models import Role
from grassroots.members.permissions import require
from grassroots.members.views._common import _unit


@login_required
def roles(request: HttpRequest, code: str) -> HttpResponse:
    """Who holds which role over this unit and below; grant and revoke."""
    from django.contrib.auth import get_user_model

    unit = _unit(code)
    require(request.user, "manage_roles", unit)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and "revoke" in request.POST:
        role = get_object_or_404(
            Role, pk=row_id(request.POST["revoke"]) or 0, unit__path__startswith=unit.path
        )
        actions.revoke_role(role, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "Role removed.")
        return redirect("members:roles", code=unit.code)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", "No login with that username.")
        else:
            try:
                actions.grant_role(
                    user=user,
                    kind=form.cleaned_data["kind"],
                    unit=unit,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except actions.ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Role given.")
                return redirect("members:roles", code=unit.code)
    held = (
        Role.objects.filter(unit__path__startswith=unit.path)
        .select_related("user", "unit")
        .order_by("unit__path", "kind")
    )
    return render(request, "members/roles.html", {"unit": unit, "form": form, "held": held})
