"""Sign-in pages: following a sign-in link, asking for a new one, and officers' invitations."""

from __future__ import annotations

from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from grassroots.elections.models import Election
from grassroots.jobs.views import started
from grassroots.members.models import Unit
from grassroots.members.permissions import require
from grassroots.signin import actions
from grassroots.signin.forms import RequestLinkForm

REFUSALS = {
    "used": "This sign-in link has already been used. Each link works once.",
    "expired": "This sign-in link has expired.",
    "unknown": "This sign-in link is not one this site sent, or it was copied incompletely.",
}


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _refused(request: HttpRequest, why: str) -> HttpResponse:
    return render(
        request,
        "signin/link_refused.html",
        {"message": REFUSALS[why], "form": RequestLinkForm()},
        status=410 if why in ("used", "expired") else 404,
    )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A sign-in link: shown with a button (a mail scanner opening the link spends nothing);
    the button spends it and signs the member in."""
    try:
        inv = actions.check(token)
    except actions.InvitationRefused as refused:
        return _refused(request, refused.why)
    if request.method == "GET":
        return render(
            request,
            "signin/invitation.html",
            {"invitation": inv, "about": actions.about(inv.member)},
        )
    try:
        member, user = actions.redeem(token)
    except actions.InvitationRefused as refused:
        return _refused(request, refused.why)
    messages.success(request, f"Welcome, {member.name}. You are signed in.")
    return perform_login(request, user, email_verification="none", redirect_url="/")


@require_http_methods(["GET", "POST"])
def request_link(request: HttpRequest) -> HttpResponse:
    """ "E-mail me a sign-in link": the same answer whether or not the address is known."""
    form = RequestLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if not ratelimit.consume(request, action="request_login_code", key=email):
            form.add_error(
                None, "Too many links asked for this address just now: try again in a minute."
            )
        else:
            actions.request_link(email, base_url=_base_url(request))
            return render(request, "signin/link_sent.html", {"email": email})
    return render(request, "signin/request_link.html", {"form": form})


@require_http_methods(["GET", "POST"])
def invite_unit(request: HttpRequest, code: str) -> HttpResponse:
    """A secretary or administrator invites the unit's members without a login: the page
    counts them first; the button sends."""
    unit = get_object_or_404(Unit, code=code)
    require(request.user, "edit_register", unit)
    if request.method == "POST":
        job = actions.invite_unit(unit, by=request.user, base_url=_base_url(request))
        return started(request, job, "Sending sign-in links", done_url=f"/units/{unit.code}/")
    return render(
        request,
        "signin/invite.html",
        {
            "what": f"members of {unit.name}",
            "count": actions.invitees_of_unit(unit).count(),
            "back": ("members:register", unit.code),
            "days": settings.GRASSROOTS_INVITATION_DAYS,
        },
    )


@require_http_methods(["GET", "POST"])
def invite_election(request: HttpRequest, pk: int) -> HttpResponse:
    """The same for an election's electorate (its roll once voting has opened)."""
    election = get_object_or_404(Election, pk=pk)
    require(request.user, "edit_register", election.unit)
    if request.method == "POST":
        job = actions.invite_electorate(election, by=request.user, base_url=_base_url(request))
        return started(request, job, "Sending sign-in links", done_url=f"/elections/{election.pk}/")
    return render(
        request,
        "signin/invite.html",
        {
            "what": f"the electorate of {election.title}",
            "count": actions.invitees_of_election(election).count(),
            "back": ("elections:detail", election.pk),
            "days": settings.GRASSROOTS_INVITATION_DAYS,
        },
    )
