"""Groups in the browser: applying, organisers' decisions and counts, a group's settings and
its list (for its admins only), importing a list, and signing up with e-mail confirmation.

A group's list page shows names, dates and how each joined; contact details are the
directory's (``actions.directory.contact_details``), shown only where people consented.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.network.actions import groups as actions
from grassroots.network.models import GROUP_KINDS, Group, GroupMembership, Network
from grassroots.network.permissions import is_group_admin, is_organiser
from grassroots.site.uploads import csv_text, upload_limit

MAX_LIST_BYTES = 20 * 1024 * 1024


def _network(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def _group(network: Network, slug: str) -> Group:
    return get_object_or_404(Group, network=network, slug=slug)


class GroupForm(forms.Form):
    name = forms.CharField(label="The group's name", max_length=200)
    area = forms.CharField(
        label="Area", max_length=200, help_text="A town, a region, or “national”."
    )
    kind = forms.ChoiceField(label="Kind of group", choices=GROUP_KINDS)
    contact = forms.EmailField(
        label="The group's contact e-mail address",
        help_text="Messages from the directory are relayed here; it is never shown.",
    )
    stated_size = forms.IntegerField(label="How many members the group has", min_value=0)
    rules_link = forms.URLField(
        label="Link to the group's own rules", required=False, assume_scheme="https"
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accepted", "Accept the group"), ("refused", "Refuse the application")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason (told to the group; needed for a refusal)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SignUpForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(
        label="Your e-mail address", help_text="We send a link here to confirm it is yours."
    )
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)
    postcode = forms.CharField(label="Postcode (optional)", max_length=12, required=False)
    membership_number = forms.CharField(
        label="Party membership number (optional)", max_length=32, required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="The group's list (CSV)",
        help_text="Columns: name, email, and if you have them phone, postcode, "
        "membership_number, joined_on (YYYY-MM-DD).",
    )


@login_required
def apply(request: HttpRequest, network: str) -> HttpResponse:
    """Apply for a group to join the network (the applicant becomes its first admin)."""
    net = _network(network)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            g = actions.apply_group(net, by=request.user, **_profile(form))
        except actions.NetworkRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{g.name}'s application is with the organisers.")
            return redirect("network:group_settings", network=net.slug, group=g.slug)
    ctx = {"network": net, "form": form}
    return render(request, "network/groups/apply.html", ctx, status=400 if form.errors else 200)


def _profile(form: forms.Form) -> dict[str, object]:
    d = form.cleaned_data
    return {
        "name": d["name"],
        "area": d["area"],
        "kind": d["kind"],
        "contact": d["contact"],
        "stated_size": d["stated_size"],
        "rules_link": d.get("rules_link") or "",
    }


@login_required
def organise(request: HttpRequest, network: str) -> HttpResponse:
    """For organisers: applications to decide, and each group's numbers (counts only)."""
    net = _network(network)
    if not is_organiser(request.user, net):
        raise PermissionDenied(f"only {net.name}'s organisers see this page")
    counts = actions.group_counts(net, by=request.user)
    ctx = {
        "network": net,
        "waiting": [c for c in counts if c.group.status == "applied"],
        "affiliated": [c for c in counts if c.group.status == "accepted"],
        "refused": [c for c in counts if c.group.status == "refused"],
        "form": DecisionForm(),
    }
    return render(request, "network/groups/organise.html", ctx)


@login_required
@require_POST
def decide(request: HttpRequest, network: str, group: str) -> HttpResponse:
    net = _network(network)
    g = _group(net, group)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to accept or to refuse the application.")
        return redirect("network:organise", network=net.slug)
    try:
        actions.decide_group(g, by=request.user, **form.cleaned_data)
    except actions.NetworkRefused as exc:
        messages.error(request, f"Not decided: {exc}.")
    else:
        messages.success(request, f"{g.name}: {form.cleaned_data['decision']}.")
    return redirect("network:organise", network=net.slug)


@login_required
def settings(request: HttpRequest, network: str, group: str) -> HttpResponse:
    """A group's admins change what the group says about itself; they see its decisions."""
    net = _network(network)
    g = _group(net, group)
    if not is_group_admin(request.user, g):
        raise PermissionDenied(f"only {g.name}'s admins can change its details")
    initial = {
        "name": g.name,
        "area": g.area,
        "kind": g.kind,
        "contact": g.contact,
        "stated_size": g.stated_size,
        "rules_link": g.rules_link,
    }
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_profile(g, by=request.user, **_profile(form))  # type: ignore[arg-type]
        except actions.NetworkRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The group's details are saved.")
            return redirect("network:group_settings", network=net.slug, group=g.slug)
    ctx = {
        "network": net,
        "group": g,
        "form": form,
        "decisions": g.decisions.all(),
        "admins": [a.user.get_username() for a in g.admins.select_related("user")],
    }
    return render(request, "network/groups/settings.html", ctx, status=400 if form.errors else 200)


@login_required
@require_POST
def add_admin(request: HttpRequest, network: str, group: str) -> HttpResponse:
    """A group's admin makes another user (by their username) an admin of the group."""
    net = _network(network)
    g = _group(net, group)
    if not is_group_admin(request.user, g):
        raise PermissionDenied(f"only {g.name}'s admins choose its admins")
    name = request.POST.get("username", "").strip()
    other = get_user_model().objects.filter(username=name).first() if name else None
    if other is None:
        messages.error(request, f"Nobody has the username {name!r}: no admin was added.")
    else:
        actions.add_admin(g, other, by=request.user)
        messages.success(request, f"{name} now runs {g.name} with you.")
    return redirect("network:group_settings", network=net.slug, group=g.slug)


@login_required
def members(request: HttpRequest, network: str, group: str) -> HttpResponse:
    """The group's list: for its admins only (names, since when, how they joined)."""
    net = _network(network)
    g = _group(net, group)
    if not is_group_admin(request.user, g):
        raise PermissionDenied(f"only {g.name}'s admins see its list")
    rows = list(actions.member_list(g, by=request.user))
    ctx = {
        "network": net,
        "group": g,
        "current": [m for m in rows if m.left_on is None],
        "past": [m for m in rows if m.left_on is not None],
    }
    return render(request, "network/groups/members.html", ctx)


@login_required
@require_POST
def remove(request: HttpRequest, network: str, group: str, pk: int) -> HttpResponse:
    net = _network(network)
    g = _group(net, group)
    if not is_group_admin(request.user, g):
        raise PermissionDenied(f"only {g.name}'s admins change its list")
    m = get_object_or_404(GroupMembership, pk=pk, group=g)
    try:
        actions.remove_member(g, m, by=request.user)
    except actions.NetworkRefused as exc:
        messages.error(request, f"Not changed: {exc}.")
    else:
        messages.success(request, f"{m.person.name} is off the list from today.")
    return redirect("network:group_members", network=net.slug, group=g.slug)


@login_required
@upload_limit(MAX_LIST_BYTES)
def import_list(request: HttpRequest, network: str, group: str) -> HttpResponse:
    """Import a list from CSV: every row checked; any bad row and nothing is imported."""
    net = _network(network)
    g = _group(net, group)
    if not is_group_admin(request.user, g):
        raise PermissionDenied(f"only {g.name}'s admins import its list")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        text = csv_text(form, form.cleaned_data["file"].read())
        if text is not None:
            try:
                made = actions.import_list(g, text, by=request.user)
            except actions.ImportRefused as exc:
                errors = [str(e) for e in exc.errors]
            except actions.NetworkRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{len(made)} people added to {g.name}'s list.")
                return redirect("network:group_members", network=net.slug, group=g.slug)
    ctx = {"network": net, "group": g, "form": form, "errors": errors}
    bad = bool(form.errors or errors)
    return render(request, "network/groups/import.html", ctx, status=400 if bad else 200)


def join(request: HttpRequest, network: str, group: str) -> HttpResponse:
    """A group's sign-up page: the membership waits for the e-mailed link to be followed."""
    net = _network(network)
    g = _group(net, group)
    if not g.affiliated:
        raise PermissionDenied(f"{g.name} is not taking members through {net.name}")
    initial = {}
    if request.user.is_authenticated:
        initial = {"email": getattr(request.user, "email", "")}
    form = SignUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            m = actions.sign_up(g, user=request.user, **form.cleaned_data)
        except actions.NetworkRefused as exc:
            form.add_error(None, str(exc))
        else:
            link = request.build_absolute_uri(
                reverse("network:join_confirm", args=[net.slug, actions.signup_token(m)])
            )
            send_mail(
                f"Confirm you are joining {g.name}",
                f"To confirm that you are joining {g.name} in {net.name}, open this link "
                f"within a week:\n\n{link}\n\nIf you did not ask to join, ignore this message.",
                None,
                [m.person.email],
            )
            return render(request, "network/groups/join_sent.html", {"network": net, "group": g})
    ctx = {"network": net, "group": g, "form": form}
    return render(request, "network/groups/join.html", ctx, status=400 if form.errors else 200)


def join_confirm(request: HttpRequest, network: str, token: str) -> HttpResponse:
    """The link from the e-mail: a page with one button (a link alone changes nothing)."""
    net = _network(network)
    if request.method == "POST":
        try:
            m = actions.confirm_signup(token)
        except actions.NetworkRefused as exc:
            ctx = {"network": net, "error": str(exc)}
            return render(request, "network/groups/join_confirm.html", ctx, status=400)
        messages.success(request, f"You are on {m.group.name}'s list. Welcome.")
        return render(
            request, "network/groups/join_confirm.html", {"network": net, "done": m.group}
        )
    return render(request, "network/groups/join_confirm.html", {"network": net})
