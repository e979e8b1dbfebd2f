"""The election list, set-up and the returning officer's page and timetable buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.elections import actions, thresholds
from grassroots.elections.forms import ElectionForm
from grassroots.elections.models import Election
from grassroots.elections.standing import covers, member_election
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import can, units_where


def election_list(request: HttpRequest) -> HttpResponse:
    """Every election, newest first; the set-up link only for those who may set one up."""
    ctx = {
        "elections": Election.objects.all(),
        "may_set_up": units_where(request.user, "manage_occasions").exists(),
    }
    return render(request, "elections/list.html", ctx)


@login_required
def election_new(request: HttpRequest) -> HttpResponse:
    """A returning officer sets up an election over a unit they manage."""
    units = [(u.pk, u.name) for u in units_where(request.user, "manage_occasions")]
    if not units:
        raise PermissionDenied("only a returning officer or administrator sets up elections")
    form = ElectionForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = get_object_or_404(Unit, pk=d["unit"])
        try:
            e = actions.create_election(
                title=d["title"],
                seats=d["seats"],
                rule=d["rule"],
                unit=unit,
                eligibility=RuleSet(
                    on=d["voting_open"].date(),
                    freeze_date=d["freeze_date"],
                    provisional_days=d["provisional_days"],
                    min_membership_days=d["min_membership_days"],
                    paid_up_to=d["paid_up_to"],
                ),
                freeze_date=d["freeze_date"],
                nominations_open=d["nominations_open"],
                nominations_close=d["nominations_close"],
                voting_open=d["voting_open"],
                voting_close=d["voting_close"],
                threshold=d["threshold"],
                nominating_kinds=d["nominating_kinds"],
                body_subkinds=d["body_subkinds"],
                constraints={k: d[k] for k in ("minima", "maxima") if d[k]},
                by=request.user,
            )
            return redirect("elections:detail", pk=e.pk)
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
    return render(request, "elections/new.html", {"form": form})


def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Timetable, candidates, the nomination tally, turnout (counts only) and officer actions."""
    e = get_object_or_404(Election, pk=pk)
    tally = actions.nomination_tally(e)
    user = request.user
    member = Member.objects.filter(user=user).first() if user.is_authenticated else None
    standing = (
        member_election(member, e)
        if member is not None and e.state in ("draft", "voting") and covers(e, member)
        else None
    )
    officer = user.is_authenticated and can(user, "manage_occasions", e.unit)
    bodies = []  # those whose nominations this user records: the officer's are all of them
    if user.is_authenticated and e.state == "draft":
        nominating = actions.nominating_bodies(e)
        if not officer:
            nominating = nominating.filter(pk__in=units_where(user, "edit_register"))
        bodies = list(nominating)
    ctx = {
        "e": e,
        "tally": tally,
        "profiles": [c for c, _, _ in tally if c.statement or c.photo],
        "threshold": thresholds.describe(e.threshold),
        "turnout": actions.turnout(e) if e.state != "draft" else None,
        "officer": officer,
        "decisions": actions.body_decisions(e),
        "member": member,
        "standing": standing,
        "mine": [c for c, _, _ in tally if member is not None and c.member_id == member.pk],
        "bodies": bodies,
    }
    return render(request, "elections/detail.html", ctx)


def _officer_action(request: HttpRequest, pk: int, fn: Any, done: str) -> HttpResponse:
    e = get_object_or_404(Election, pk=pk)
    try:
        fn(e, by=request.user)
        messages.success(request, done)
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("elections:detail", pk=pk)


@login_required
@require_POST
def open_voting(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(request, pk, actions.open_voting, "Voting is open; the roll is frozen.")


@login_required
@require_POST
def close_voting(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(request, pk, actions.close_voting, "Voting is closed.")


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(request, pk, actions.publish_result, "Counted and published.")


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_object_or_404(Election, pk=pk)
    try:
        url = request.build_absolute_uri(reverse("elections:vote", args=[pk]))
        out = actions.send_reminders(e, by=request.user, base_url=url)
        messages.success(request, f"Sent {out.sent} reminders.")
        if out.refused:
            shown = "; ".join(f"{number}: {why}" for number, why in out.refused[:20])
            more = f" (and {len(out.refused) - 20} more)" if len(out.refused) > 20 else ""
            messages.warning(
                request,
                f"Not sent to {len(out.refused)} member(s), whose address needs correcting "
                f"in the register: {shown}{more}.",
            )
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("elections:detail", pk=pk)
