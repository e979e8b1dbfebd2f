"""Gatherings in the browser: the list, one gathering (the join link for those registered),
registering and cancelling, and an organiser setting one up or sending its reminders."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.meetings.models import Meeting
from grassroots.network.actions import gatherings as actions
from grassroots.network.actions.access import ActionRefused, in_network, may_organise, person_of
from grassroots.network.models import Gathering, Network, Registration
from grassroots.site.widgets import DATE_HINT, ClockInput, DayInput


class GatheringForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    date = forms.DateField(widget=DayInput(), help_text=DATE_HINT)
    time = forms.TimeField(widget=ClockInput(), label="Start time", help_text="e.g. 19:30")
    place = forms.CharField(
        max_length=300, required=False, help_text="the address; leave blank for online only"
    )
    join_url = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        label="Online join link",
        help_text="shown only to people registered; leave blank for in person only",
    )
    capacity = forms.IntegerField(
        required=False, min_value=1, label="Places", help_text="leave blank for no limit"
    )
    meeting = forms.ChoiceField(
        required=False,
        label="Held as a meeting",
        help_text="a meeting already called in the meetings app, whose record this keeps",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        upcoming = Meeting.objects.filter(
            start__gt=timezone.now(), state="called", network_gathering__isnull=True
        ).order_by("start")[:100]
        self.fields["meeting"].choices = [("", "No: not a meeting")] + [
            (str(m.pk), f"{m.title} ({m.body.name})") for m in upcoming.select_related("body")
        ]


def _network(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def index(request: HttpRequest, network: str) -> HttpResponse:
    net = _network(network)
    now = timezone.now()
    qs = Gathering.objects.filter(network=net)
    ctx = {
        "network": net,
        "coming": qs.filter(starts_at__gte=now),
        "past": qs.filter(starts_at__lt=now).order_by("-starts_at")[:20],
        "may_organise": may_organise(request.user, net),
    }
    return render(request, "network/gatherings/index.html", ctx)


def detail(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    net = _network(network)
    g = get_object_or_404(Gathering.objects.filter(network=net).select_related("meeting"), pk=pk)
    me = person_of(request.user, net)
    mine = (
        Registration.objects.filter(gathering=g, person=me, cancelled_at__isnull=True).first()
        if me
        else None
    )
    taken = Registration.objects.filter(gathering=g, cancelled_at__isnull=True).count()
    organiser = may_organise(request.user, net)
    ctx = {
        "network": net,
        "g": g,
        "mine": mine,
        "taken": taken,
        "full": g.capacity is not None and taken >= g.capacity,
        "may_register": me is not None and in_network(request.user, net),
        "organiser": organiser,
        "reminded": Registration.objects.filter(gathering=g, reminded_at__isnull=False).count()
        if organiser
        else None,
        "started": g.starts_at <= timezone.now(),
    }
    return render(request, "network/gatherings/detail.html", ctx)


@login_required
def new(request: HttpRequest, network: str) -> HttpResponse:
    net = _network(network)
    if not may_organise(request.user, net):
        raise PermissionDenied(f"only {net.name}'s organisers set up its gatherings")
    form = GatheringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        zone = "Europe/London"
        meeting = Meeting.objects.filter(pk=int(d["meeting"])).first() if d["meeting"] else None
        try:
            g = actions.create_gathering(
                net,
                by=request.user,
                title=d["title"],
                description=d["description"],
                starts_at=dt.datetime.combine(d["date"], d["time"], tzinfo=ZoneInfo(zone)),
                time_zone=zone,
                place=d["place"],
                join_url=d["join_url"],
                capacity=d["capacity"],
                meeting=meeting,
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"'{g.title}' is set up.")
            return redirect("network:gathering", network=net.slug, pk=g.pk)
    status = 400 if form.errors else 200
    return render(
        request, "network/gatherings/new.html", {"network": net, "form": form}, status=status
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


@login_required
def cancel_gathering(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    """An organiser cancels a gathering, confirmed on its own page with the reason."""
    net = _network(network)
    g = get_object_or_404(Gathering.objects.filter(network=net), pk=pk)
    if not may_organise(request.user, net):
        raise PermissionDenied(f"only {net.name}'s organisers cancel its gatherings")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_gathering(g, by=request.user, reason=form.cleaned_data["reason"])
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"'{g.title}' is cancelled.")
            return redirect("network:gathering", network=net.slug, pk=g.pk)
    status = 400 if form.errors else 200
    ctx = {"network": net, "g": g, "form": form}
    return render(request, "network/gatherings/cancel.html", ctx, status=status)


def _act(request: HttpRequest, network: str, pk: int, what: str) -> HttpResponse:
    net = _network(network)
    g = get_object_or_404(Gathering.objects.filter(network=net), pk=pk)
    try:
        if what == "register":
            actions.register(g, by=request.user)
            messages.success(request, f"You are registered for '{g.title}'.")
        elif what == "cancel":
            actions.cancel_registration(g, by=request.user)
            messages.success(request, f"You cancelled your place at '{g.title}'.")
        else:
            actions.send_reminders_now(g, by=request.user)
            messages.success(request, "The reminders are on their way.")
    except ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("network:gathering", network=net.slug, pk=g.pk)


@require_POST
@login_required
def register(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    return _act(request, network, pk, "register")


@require_POST
@login_required
def cancel(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    return _act(request, network, pk, "cancel")


@require_POST
@login_required
def remind(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    return _act(request, network, pk, "remind")
