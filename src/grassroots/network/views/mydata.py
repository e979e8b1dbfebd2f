"""A person's own data: download it all, or erase themselves from the network."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from grassroots.network.actions import mydata
from grassroots.network.actions.access import ActionRefused, entries_of
from grassroots.network.models import Network


class EraseForm(forms.Form):
    confirm = forms.CharField(
        label="Type ERASE to confirm",
        max_length=20,
        help_text="Erasing cannot be undone.",
    )


def _network(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def _mine(request: HttpRequest, net: Network) -> None:
    if not entries_of(request.user, net).exists():
        raise PermissionDenied(f"the network {net.name} holds no entry about this account")


@login_required
def page(request: HttpRequest, network: str) -> HttpResponse:
    """What the network holds about me, the download and the erasure (with what is kept)."""
    net = _network(network)
    _mine(request, net)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = mydata.erase_me(request.user, net, confirm=form.cleaned_data["confirm"])
        except ActionRefused as exc:
            form.add_error("confirm", str(exc))
        else:
            return render(
                request, "network/directory/erased.html", {"network": net, "erasure": erasure}
            )
    ctx = {
        "network": net,
        "data": mydata.my_data(request.user, net),
        "form": form,
        "kept": mydata.ALWAYS_KEPT,
    }
    return render(request, "network/directory/mydata.html", ctx, status=400 if form.errors else 200)


@login_required
def download(request: HttpRequest, network: str, fmt: str) -> HttpResponse:
    net = _network(network)
    _mine(request, net)
    if fmt == "json":
        body, kind = mydata.my_data_json(request.user, net), "application/json"
    else:
        body, kind = mydata.my_data_csv(request.user, net), "text/csv"
    response = HttpResponse(body, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-{net.slug}.{fmt}"'
    return response
