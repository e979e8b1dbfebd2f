"""Primaries in the browser: the primary's page (candidates, backing, hustings, turnout per
group, the slate), self-nomination, questions and answers, the organisers' steps (each
confirmed), and the way to the ballot, which is the elections app's own page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.count.report.html import report_css
from grassroots.elections.photos import PhotoError, prepare_photo
from grassroots.network.actions import primaries as actions
from grassroots.network.actions.groups import NetworkRefused
from grassroots.network.actions.hustings_meeting import meetings_to_choose
from grassroots.network.actions.primary_roll import turnout_by_group
from grassroots.network.models import (
    Candidacy,
    Group,
    GroupAdmin,
    HustingsQuestion,
    HustingsTheme,
    Network,
    Primary,
    PrimaryGroupFigure,
)
from grassroots.network.permissions import is_organiser
from grassroots.site.uploads import upload_limit
from grassroots.site.widgets import DayInput, DayTimeInput


def _network(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def _primary(net: Network, pk: int) -> Primary:
    return get_object_or_404(
        Primary.objects.select_related("election", "hustings_meeting"), network=net, pk=pk
    )


def _organiser(request: HttpRequest, net: Network) -> None:
    if not is_organiser(request.user, net):
        raise PermissionDenied(f"only {net.name}'s organisers do this")


class PrimaryForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    purpose = forms.CharField(
        label="What the slate is for", widget=forms.Textarea(attrs={"rows": 3})
    )
    seats = forms.IntegerField(label="Seats to fill", min_value=1, max_value=100)
    women = forms.IntegerField(
        label="At least this many seats for women", min_value=0, required=False
    )
    backing = forms.IntegerField(
        label="Groups a candidate needs backing from", min_value=0, initial=0
    )
    requires_party_membership = forms.BooleanField(
        label="Voters must be party members in good standing", required=False
    )
    freeze_date = forms.DateField(label="Freeze date of the groups' lists", widget=DayInput())
    nominations_open = forms.DateTimeField(label="Nominations open", widget=DayTimeInput())
    nominations_close = forms.DateTimeField(label="Nominations close", widget=DayTimeInput())
    voting_open = forms.DateTimeField(label="Voting opens", widget=DayTimeInput())
    voting_close = forms.DateTimeField(label="Voting closes", widget=DayTimeInput())


class NominateForm(forms.Form):
    name = forms.CharField(label="Your name as it goes on the ballot", max_length=200)
    statement = forms.CharField(
        label="Your statement", widget=forms.Textarea(attrs={"rows": 8}), max_length=5000
    )
    woman = forms.BooleanField(label="I stand as a woman (for the women's minimum)", required=False)
    photo = forms.FileField(label="A photo of you (optional)", required=False)
    photo_consent = forms.BooleanField(
        label="I consent to my photo being published with my statement", required=False
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Your question to the candidates",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label="Your answer", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )


def primary_list(request: HttpRequest, network: str) -> HttpResponse:
    net = _network(network)
    ps = Primary.objects.filter(network=net).select_related("election")
    ctx = {"network": net, "primaries": ps, "organiser": is_organiser(request.user, net)}
    return render(request, "network/primaries/list.html", ctx)


@login_required
def primary_new(request: HttpRequest, network: str) -> HttpResponse:
    net = _network(network)
    _organiser(request, net)
    form = PrimaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            p = actions.create_primary(
                net,
                title=d["title"],
                purpose=d["purpose"],
                seats=d["seats"],
                freeze_date=d["freeze_date"],
                nominations_open=d["nominations_open"],
                nominations_close=d["nominations_close"],
                voting_open=d["voting_open"],
                voting_close=d["voting_close"],
                constraints={"minima": {"women": d["women"]}} if d.get("women") else {},
                backing_threshold={"kind": "group", "count": d["backing"]} if d["backing"] else {},
                requires_party_membership=d["requires_party_membership"],
                by=request.user,
            )
        except NetworkRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{p} is set up; members can see it now.")
            return redirect("network:primary", network=net.slug, pk=p.pk)
    ctx = {"network": net, "form": form}
    return render(request, "network/primaries/new.html", ctx, status=400 if form.errors else 200)


def _candidates(p: Primary) -> list[dict[str, Any]]:
    out = []
    for c in p.candidacies.select_related("candidate").order_by("candidate__name"):
        outcome = actions.backing_outcome(c)
        out.append(
            {
                "c": c,
                "backing": outcome,
                "photo": c.photo_consent and c.candidate.photo is not None,
                "women": "women" in (c.candidate.groups or []),
            }
        )
    return out


def primary_detail(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    """The primary's public page: everything about it is published here."""
    net = _network(network)
    p = _primary(net, pk)
    e = p.election
    user = request.user
    now = timezone.now()
    mine = (
        Candidacy.objects.filter(primary=p, user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    admin_of = (
        Group.objects.filter(
            network=net,
            status="accepted",
            pk__in=GroupAdmin.objects.filter(user_id=user.pk).values("group_id"),
        )
        if user.is_authenticated
        else Group.objects.none()
    )
    themes = list(p.themes.prefetch_related("questions", "answers__candidacy__candidate"))
    ctx: dict[str, Any] = {
        "network": net,
        "p": p,
        "e": e,
        "candidates": _candidates(p),
        "themes": themes,
        "ungrouped": p.questions.filter(theme__isnull=True),
        "organiser": is_organiser(user, net),
        "member": actions.network_person(net, user) is not None,
        "mine": mine,
        "admin_of": list(admin_of),
        "nominations_open": e.state == "draft" and e.nominations_open <= now <= e.nominations_close,
        "question_form": QuestionForm(),
        "turnout": turnout_by_group(p) if e.state != "draft" else [],
        "figures": PrimaryGroupFigure.objects.filter(primary=p).select_related("group"),
        "summary": actions.slate_summary(p),
        "threshold": actions.threshold_words(p),
    }
    if e.state == "published":
        ctx["report_html"] = e.publication.report_html
        ctx["report_css"] = report_css()
    return render(request, "network/primaries/detail.html", ctx)


@login_required
@upload_limit(12 * 1024 * 1024)
def nominate(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    net = _network(network)
    p = _primary(net, pk)
    form = NominateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        photo = None
        try:
            if d.get("photo"):
                photo = prepare_photo(d["photo"].read(), filename=d["photo"].name)
            actions.self_nominate(
                p,
                by=request.user,
                name=d["name"],
                statement=d["statement"],
                stands_as=["women"] if d["woman"] else [],
                photo=photo,
                photo_consent=d["photo_consent"],
            )
        except (NetworkRefused, PhotoError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "You are a candidate. Groups can now back you.")
            return redirect("network:primary", network=net.slug, pk=p.pk)
    ctx = {"network": net, "p": p, "form": form}
    return render(
        request, "network/primaries/nominate.html", ctx, status=400 if form.errors else 200
    )


@login_required
@require_POST
def back(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    """A group's admin records that the group backs a candidate."""
    net = _network(network)
    p = _primary(net, pk)
    cand = Candidacy.objects.filter(primary=p, pk=_posted_id(request, "candidacy")).first()
    group = Group.objects.filter(network=net, pk=_posted_id(request, "group")).first()
    if cand is None or group is None:
        messages.error(request, "Choose a candidate and one of your groups.")
        return redirect("network:primary", network=net.slug, pk=p.pk)
    try:
        actions.back_candidate(cand, group, by=request.user)
    except NetworkRefused as exc:
        messages.error(request, f"Not recorded: {exc}.")
    else:
        messages.success(request, f"{group.name} backs {cand.candidate.name}.")
    return redirect("network:primary", network=net.slug, pk=p.pk)


def _posted_id(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@login_required
@require_POST
def ask(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    net = _network(network)
    p = _primary(net, pk)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write your question (at most 2,000 characters).")
    else:
        try:
            actions.ask_question(p, form.cleaned_data["text"], by=request.user)
        except NetworkRefused as exc:
            messages.error(request, f"Not asked: {exc}.")
        else:
            messages.success(request, "Your question is published for the candidates.")
    return redirect("network:primary", network=net.slug, pk=p.pk)


@login_required
def hustings(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    """Organisers group members' questions under themes for the candidates to answer."""
    net = _network(network)
    p = _primary(net, pk)
    _organiser(request, net)
    if request.method == "POST":
        try:
            if request.POST.get("title", "").strip():
                actions.start_theme(p, request.POST["title"], by=request.user)
            else:
                q = get_object_or_404(
                    HustingsQuestion, primary=p, pk=_posted_id(request, "question") or 0
                )
                t = get_object_or_404(
                    HustingsTheme, primary=p, pk=_posted_id(request, "theme") or 0
                )
                actions.group_question(q, t, by=request.user)
        except NetworkRefused as exc:
            messages.error(request, f"Not done: {exc}.")
        return redirect("network:primary_hustings", network=net.slug, pk=p.pk)
    ctx = {
        "network": net,
        "p": p,
        "themes": p.themes.all(),
        "questions": p.questions.all(),
        "meetings": [] if p.hustings_meeting_id else meetings_to_choose(),
    }
    return render(request, "network/primaries/hustings.html", ctx)


@login_required
def answer(request: HttpRequest, network: str, pk: int, theme: int) -> HttpResponse:
    net = _network(network)
    p = _primary(net, pk)
    t = get_object_or_404(HustingsTheme, primary=p, pk=theme)
    cand = Candidacy.objects.filter(primary=p, user_id=request.user.pk).first()
    if cand is None:
        raise PermissionDenied("only the primary's candidates answer its questions")
    held = t.answers.filter(candidacy=cand).first()
    form = AnswerForm(request.POST or None, initial={"text": held.text if held else ""})
    if request.method == "POST" and form.is_valid():
        try:
            actions.answer_theme(cand, t, form.cleaned_data["text"], by=request.user)
        except NetworkRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your answer is published.")
            return redirect("network:primary", network=net.slug, pk=p.pk)
    ctx = {"network": net, "p": p, "theme": t, "form": form}
    return render(request, "network/primaries/answer.html", ctx, status=400 if form.errors else 200)


@login_required
def vote(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    """The way to the ballot: a declaration first where the primary needs one."""
    net = _network(network)
    p = _primary(net, pk)
    card = actions.voter_card(p, request.user)
    if card is None:
        ctx = {"network": net, "p": p}
        return render(request, "network/primaries/not_on_roll.html", ctx, status=403)
    if actions.needs_declaration(p, card):
        if request.method == "POST" and request.POST.get("declare") == "yes":
            actions.declare(p, by=request.user)
            return redirect("elections:vote", pk=p.election_id)
        ctx: dict[str, Any] = {"network": net, "p": p, "text": actions.DECLARATION}
        if request.method == "POST":
            ctx["error"] = "Tick the declaration to go on to your ballot, or leave this page."
        return render(
            request, "network/primaries/declare.html", ctx, status=400 if "error" in ctx else 200
        )
    return redirect("elections:vote", pk=p.election_id)


STEPS = {
    "open": (
        "Open voting",
        [
            "Candidates short of the groups' backing are left off the ballot, with the reasons.",
            "The roll is made from the groups' lists at the freeze date, each person once.",
            "Each group is told how many of its members other groups also listed, never who.",
            "Voting opens in the elections app: the roll and the ballot cannot change after.",
            "Everyone on the roll with an e-mail address and no account is sent a sign-in "
            "link naming the network and this primary (never a group).",
        ],
    ),
    "close": ("Close voting", ["No more ballots are accepted."]),
    "count": ("Count the votes", ["The count is run; only organisers see it until published."]),
    "publish": (
        "Publish the result",
        ["The slate, every stage of the count and the recount bundle are published."],
    ),
}


@login_required
def step(request: HttpRequest, network: str, pk: int, name: str) -> HttpResponse:
    """An organiser's step, confirmed on its own page first."""
    net = _network(network)
    p = _primary(net, pk)
    _organiser(request, net)
    if name not in STEPS:
        raise Http404("no such step")
    heading, effects = STEPS[name]
    ctx: dict[str, Any] = {"network": net, "p": p, "heading": heading, "effects": effects}
    if request.method == "POST":
        try:
            if name == "open":
                n = actions.open_primary(
                    p, by=request.user, base_url=request.build_absolute_uri("/").rstrip("/")
                )
                messages.success(
                    request,
                    f"Voting is open: {n} people on the roll. Those with an e-mail address and "
                    "no account are being sent a sign-in link.",
                )
            elif name == "close":
                actions.close_primary(p, by=request.user)
                messages.success(request, "Voting is closed.")
            elif name == "count":
                actions.count_primary(p, by=request.user)
                messages.success(request, "Counted. Look at the count, then publish it.")
            else:
                actions.publish_primary(p, by=request.user, digest=request.POST.get("digest", ""))
                messages.success(request, "The result is published.")
        except NetworkRefused as exc:
            ctx["error"] = str(exc)
            return render(request, "network/primaries/confirm.html", ctx, status=400)
        return redirect("network:primary", network=net.slug, pk=p.pk)
    if name == "publish" and p.election.state == "counted":
        from grassroots.elections.actions import result_digest

        ctx["digest"] = result_digest(p.election.publication)
        ctx["report_html"] = p.election.publication.report_html
        ctx["report_css"] = report_css()
    return render(request, "network/primaries/confirm.html", ctx)
