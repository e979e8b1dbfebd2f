"""The directory in the browser: groups' public profiles with their contact form, a person's
consents, and what people shared with a group (for its admins, through
``actions.directory.contact_details`` only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.network import consent as rules
from grassroots.network.actions import contact, directory
from grassroots.network.actions.access import (
    ActionRefused,
    may_read_directory,
    person_of,
)
from grassroots.network.models import Consent, Group, GroupProfile, Network
from grassroots.network.permissions import is_group_admin

FIELD_CHOICES = [(f, rules.FIELD_LABELS[f]) for f in rules.FIELDS]
PURPOSE_CHOICES = [(p, rules.PURPOSE_LABELS[p].capitalize()) for p in rules.PURPOSES]


def _network(slug: str) -> Network:
    return get_object_or_404(Network, slug=slug)


def _group(network: Network, slug: str) -> Group:
    return get_object_or_404(Group, network=network, slug=slug)


class ContactForm(forms.Form):
    sender_name = forms.CharField(label="Your name", max_length=200)
    sender_email = forms.EmailField(
        label="Your e-mail address",
        help_text="The group answers you here; it is not shown on this page or to anyone else.",
    )
    body = forms.CharField(
        label="Your message", widget=forms.Textarea(attrs={"rows": 6}), max_length=contact.MAX_BODY
    )


class ProfileForm(forms.Form):
    about = forms.CharField(
        label="About the group", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    issues = forms.CharField(
        label="Issues the group works on",
        help_text="One a line.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    meeting_times = forms.CharField(
        label="When and where the group meets",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentForm(forms.Form):
    group = forms.ChoiceField(label="Which group may see them")
    details = forms.MultipleChoiceField(
        label="Which of your contact details",
        choices=FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.ChoiceField(label="What for", choices=PURPOSE_CHOICES)
    text_version = forms.CharField(widget=forms.HiddenInput, initial=rules.CURRENT_TEXT_VERSION)
    # whose consent this is: always the signed-in person's own (a post naming another is refused)
    person = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, network: Network, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        groups = Group.objects.filter(network=network, status="accepted").order_by("name")
        self.fields["group"].choices = [("all", "Every group in the network")] + [
            (str(g.pk), g.name) for g in groups
        ]


class ExportForm(forms.Form):
    purpose = forms.ChoiceField(label="What for", choices=PURPOSE_CHOICES)
    wanted = forms.MultipleChoiceField(
        label="Contact details to export",
        choices=FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )


def groups(request: HttpRequest, network: str) -> HttpResponse:
    """The network's affiliated groups and their public profiles."""
    net = _network(network)
    gs = (
        Group.objects.filter(network=net, status="accepted")
        .select_related("profile")
        .order_by("name")
    )
    return render(request, "network/directory/groups.html", {"network": net, "groups": gs})


def profile(request: HttpRequest, network: str, group: str) -> HttpResponse:
    """A group's public profile and its contact form; the group's address is never shown."""
    net = _network(network)
    g = _group(net, group)
    if not g.affiliated:
        raise Http404(f"{g.name} is not an affiliated group of {net.name}")
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact.send_message(
                g,
                by=request.user,
                ip=request.META.get("REMOTE_ADDR", ""),
                **form.cleaned_data,
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Your message is on its way to {g.name}.")
            return redirect(request.path)
    ctx = {
        "network": net,
        "group": g,
        "profile": GroupProfile.objects.filter(group=g).first(),
        "form": form,
        "is_admin": is_group_admin(request.user, g),
    }
    return render(
        request, "network/directory/profile.html", ctx, status=400 if form.errors else 200
    )


@login_required
def profile_edit(request: HttpRequest, network: str, group: str) -> HttpResponse:
    net = _network(network)
    g = _group(net, group)
    if not is_group_admin(request.user, g):
        raise PermissionDenied(f"only {g.name}'s admins can change its profile")
    p = GroupProfile.objects.filter(group=g).first()
    initial = {"about": p.about, "issues": p.issues, "meeting_times": p.meeting_times} if p else {}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact.update_profile(g, by=request.user, **form.cleaned_data)
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The profile is updated.")
            return redirect("network:group_profile", network=net.slug, group=g.slug)
    return render(
        request, "network/directory/profile_edit.html", {"network": net, "group": g, "form": form}
    )


@login_required
def consents(request: HttpRequest, network: str) -> HttpResponse:
    """The signed-in person's consents: give one, see those in force, withdraw, history."""
    net = _network(network)
    me = person_of(request.user, net)
    if me is None:
        raise PermissionDenied(f"this account is not one of the people of {net.name}")
    form = ConsentForm(net, request.POST or None, initial={"person": me.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = None
        if data["group"] != "all":
            group = Group.objects.filter(network=net, pk=int(data["group"])).first()
        try:
            directory.give_consent(
                by=request.user,
                network=net,
                group=group,
                fields=data["details"],
                purpose=data["purpose"],
                text_version=data["text_version"],
                person_id=data["person"],
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your consent is recorded.")
            return redirect("network:consents", network=net.slug)
    mine = Consent.objects.filter(person=me, network=net).select_related("group")
    ctx = {
        "network": net,
        "form": form,
        "current": [c for c in mine if c.revoked_at is None],
        "history": [c for c in mine if c.revoked_at is not None],
        "text": rules.CONSENT_TEXTS[rules.CURRENT_TEXT_VERSION],
        "version": rules.CURRENT_TEXT_VERSION,
        "me": me,
    }
    return render(
        request, "network/directory/consents.html", ctx, status=400 if form.errors else 200
    )


@require_POST
@login_required
def consent_revoke(request: HttpRequest, network: str, pk: int) -> HttpResponse:
    net = _network(network)
    c = get_object_or_404(Consent, pk=pk, network=net)
    try:
        directory.revoke_consent(c, by=request.user)
    except ActionRefused as exc:
        raise PermissionDenied(str(exc)) from None
    messages.success(request, f"You withdrew your consent for {c.scope()}.")
    return redirect("network:consents", network=net.slug)


@login_required
def shared(request: HttpRequest, network: str, group: str) -> HttpResponse:
    """For a group's admins: the contact details people shared with the group, for a purpose,
    and the export of them (a CSV of consented fields only)."""
    net = _network(network)
    g = _group(net, group)
    if not may_read_directory(request.user, g):
        raise PermissionDenied(f"only {g.name}'s admins can see what people shared with it")
    purpose = request.GET.get("purpose", rules.PURPOSES[0])
    if purpose not in rules.PURPOSES:
        purpose = rules.PURPOSES[0]
    form = ExportForm(request.POST or None, initial={"purpose": purpose})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                text, _plan = directory.export_contacts(
                    by=request.user,
                    group=g,
                    purpose=form.cleaned_data["purpose"],
                    wanted=form.cleaned_data["wanted"],
                )
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                response = HttpResponse(text, content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = f'attachment; filename="{g.slug}-contacts.csv"'
                return response
        status = 400
    people = directory.contact_details(by=request.user, group=g, purpose=purpose)
    ctx = {
        "network": net,
        "group": g,
        "purpose": purpose,
        "purposes": PURPOSE_CHOICES,
        "people": people,
        "fields": FIELD_CHOICES,
        "form": form,
        "export_url": reverse("network:group_shared", args=[net.slug, g.slug]),
    }
    return render(request, "network/directory/shared.html", ctx, status=status)
