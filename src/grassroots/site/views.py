"""The home page: where each kind of user starts, with what they may use and nothing else."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.elections.models import Election
from grassroots.elections.standing import member_elections
from grassroots.meetings.standing import upcoming_for
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import units_where
from grassroots.site.public import public_home
from grassroots.site.tasks import secretary_tasks

# a home-page card lists this many and then links to the whole list
SHOWN = 8


def _first(units: QuerySet[Unit]) -> dict[str, Any]:
    """The first ``SHOWN`` units and how many there are, for a card that links to the rest."""
    units = units.order_by("path")
    items = list(units[: SHOWN + 1])
    total = len(items) if len(items) <= SHOWN else units.count()
    return {"items": items[:SHOWN], "total": total, "more": max(0, total - SHOWN)}


def home(request: HttpRequest) -> HttpResponse:
    """Links to what this user may do: their elections and meetings, the registers they keep."""
    ctx: dict[str, object] = {}
    user = request.user
    if user.is_authenticated:
        member = Member.objects.filter(user=user).select_related("branch").first()
        ctx["member"] = member
        if member is not None:
            ctx["my_elections"] = [
                s for s in member_elections(member) if s.election.state == "voting"
            ]
            ctx["my_meetings"] = upcoming_for(member)
        ctx["registers"] = _first(units_where(user, "view_register").exclude(kind="ward"))
        ctx["delegate_units"] = _first(units_where(user, "view_delegates").exclude(kind="ward"))
        ctx["books_units"] = _first(units_where(user, "view_books").exclude(kind="ward"))
        managed = units_where(user, "manage_occasions")
        if managed.exists():
            ctx["managed_elections"] = Election.objects.filter(
                unit__in=managed, state__in=("draft", "voting", "closed", "counted")
            ).order_by("voting_open")
        ctx["tasks"] = secretary_tasks(request)
        ctx["audit"] = units_where(user, "view_audit").filter(kind="national").exists()
    else:
        ctx.update(public_home())  # every public page, for a visitor
    return render(request, "home.html", ctx)


def _reason(exception: Exception | None) -> str:
    """The sentence a refusal or a missing page was raised with, if it is one for people."""
    message = exception.args[0] if exception is not None and exception.args else ""
    if not isinstance(message, str) or "matches the given query" in message:
        return ""  # a resolver's report or the ORM's wording: not for members
    message = message.strip().rstrip(".")
    return message[:1].upper() + message[1:] + "." if message else ""


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 in the site's layout: the reason the view gave and a way back."""
    return render(request, "403.html", {"reason": _reason(exception)}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 in the site's layout: what is missing, if the view said, and a way back."""
    return render(request, "404.html", {"reason": _reason(exception)}, status=404)
