"""An organiser sends sign-in links to the people on a voting primary's roll with no account:
the page says how many will be written to; the button starts the mail-out job."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from grassroots.jobs.views import started
from grassroots.network.actions import roll_invitations as actions
from grassroots.network.actions.groups import NetworkRefused
from grassroots.network.views.primaries import _network, _organiser, _primary
from grassroots.signin.actions import invitees_waiting


@require_http_methods(["GET", "POST"])
def invite_roll(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    net = _network(network)
    p = _primary(net, pk)
    _organiser(request, net)
    back = f"/networks/{net.slug}/primaries/{p.pk}/"
    ctx: dict[str, object] = {
        "network": net,
        "p": p,
        "days": settings.GRASSROOTS_INVITATION_DAYS,
    }
    if request.method == "POST":
        try:
            job = actions.invite_roll(
                p, by=request.user, base_url=request.build_absolute_uri("/").rstrip("/")
            )
        except NetworkRefused as exc:
            ctx["error"] = str(exc)
        else:
            return started(request, job, "Sending sign-in links", done_url=back)
    elif p.election.state != actions.VOTING:
        ctx["error"] = "sign-in links go to a primary's roll only while it is voting"
    if p.election.state == actions.VOTING:
        waiting = actions.uninvited(p)
        ctx["count"] = waiting.count()
        ctx["fresh"] = invitees_waiting(waiting).count()
    return render(
        request, "network/primaries/invite.html", ctx, status=400 if "error" in ctx else 200
    )
