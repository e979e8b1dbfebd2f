"""The hub in the browser: search and browse resources, read one, publish and withdraw."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from grassroots.meetings.papers import MAX_BYTES
from grassroots.network.actions import hub
from grassroots.network.actions.access import ActionRefused, in_network, may_publish
from grassroots.network.models import Network, Resource, Tag
from grassroots.site.uploads import upload_limit


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=Resource.KINDS)
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    url = forms.URLField(
        label="Address (for a link)", required=False, max_length=500, assume_scheme="https"
    )
    body = forms.CharField(
        label="Text (for a guide)", required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    file = forms.FileField(
        label="File (for a document)",
        required=False,
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, text, PNG or JPEG; up to 25 MB.",
    )
    tags = forms.CharField(
        label="Tags", required=False, help_text="Separated by commas: housing, how-to, climate"
    )
    audience = forms.ChoiceField(label="Who can read it", choices=Resource.AUDIENCES)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Why is it withdrawn?", widget=forms.Textarea(attrs={"rows": 3}))


def _network(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def _visible(request: HttpRequest, net: Network) -> object:
    return Resource.objects.filter(network=net).visible_to(
        request.user, in_network(request.user, net)
    )


def index(request: HttpRequest, network: str) -> HttpResponse:
    """Resources the reader may see, newest first, searched and filtered by tag."""
    net = _network(network)
    query = request.GET.get("q", "")[:200]
    tag = request.GET.get("tag", "")[:40]
    qs = _visible(request, net)
    if tag:
        qs = qs.filter(tags__name=tag)  # type: ignore[attr-defined]
    if query.strip():
        qs = qs.search(query)  # type: ignore[attr-defined]
    page = Paginator(qs.prefetch_related("tags"), 25).get_page(request.GET.get("page"))  # type: ignore[attr-defined]
    ctx = {
        "network": net,
        "page": page,
        "query": query,
        "tag": tag,
        "tags": Tag.objects.filter(resources__network=net, resources__withdrawn_at__isnull=True)
        .distinct()
        .order_by("name"),
        "may_publish": may_publish(request.user, net),
        "signed_in_outsider": request.user.is_authenticated and not in_network(request.user, net),
    }
    return render(request, "network/hub/index.html", ctx)


def detail(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    net = _network(network)
    r = get_object_or_404(Resource.objects.filter(network=net), pk=pk)
    if r.withdrawn_at is None and not _visible(request, net).filter(pk=pk).exists():  # type: ignore[attr-defined]
        raise Http404("this resource is for the people of the network: sign in to read it")
    if r.withdrawn_at is not None and r.audience != "public" and not in_network(request.user, net):
        raise Http404("no such resource")
    ctx = {"network": net, "r": r, "may_publish": may_publish(request.user, net)}
    return render(request, "network/hub/detail.html", ctx)


def document(request: HttpRequest, network: str, pk: int) -> FileResponse:
    net = _network(network)
    r = get_object_or_404(Resource.objects.filter(network=net, kind="document"), pk=pk)
    if not _visible(request, net).filter(pk=pk).exists() or not r.file:  # type: ignore[attr-defined]
        raise Http404("no such document")
    response = FileResponse(
        r.file.open("rb"), as_attachment=False, filename=r.filename, content_type=r.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@upload_limit(MAX_BYTES + 1024 * 1024)
def new(request: HttpRequest, network: str) -> HttpResponse:
    net = _network(network)
    if not may_publish(request.user, net):
        raise PermissionDenied(
            f"only {net.name}'s organisers and its groups' admins publish in the hub"
        )
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = (d["file"].name, d["file"].read()) if d["file"] else None
        try:
            r = hub.publish_resource(
                net,
                by=request.user,
                kind=d["kind"],
                title=d["title"],
                summary=d["summary"],
                body=d["body"],
                url=d["url"],
                upload=upload,
                tags=hub.parse_tags(d["tags"]),
                audience=d["audience"],
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"'{r.title}' is published in the hub.")
            return redirect("network:hub_detail", network=net.slug, pk=r.pk)
    status = 400 if form.errors else 200
    return render(request, "network/hub/new.html", {"network": net, "form": form}, status=status)


@login_required
def withdraw(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    net = _network(network)
    r = get_object_or_404(Resource.objects.filter(network=net), pk=pk)
    if not may_publish(request.user, net):
        raise PermissionDenied("only the network's organisers and its groups' admins withdraw")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hub.withdraw_resource(r, by=request.user, reason=form.cleaned_data["reason"])
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"'{r.title}' is withdrawn.")
            return redirect("network:hub", network=net.slug)
    status = 400 if form.errors else 200
    return render(
        request, "network/hub/withdraw.html", {"network": net, "r": r, "form": form}, status=status
    )
