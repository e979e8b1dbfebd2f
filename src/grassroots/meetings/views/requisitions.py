"""Requisitions in the browser: the public page, starting and signing, and calling the meeting."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.meetings import actions
from grassroots.meetings.forms import MeetingForm
from grassroots.meetings.models import Body, Requisition
from grassroots.meetings.record_forms import BranchSignForm, RequisitionForm
from grassroots.meetings.signing import may_sign, signing_branches, standing_of
from grassroots.meetings.views.secretary import call_from_form
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import can


def _member(request: HttpRequest) -> Member | None:
    user = request.user
    if not user.is_authenticated:
        return None
    return Member.objects.filter(user_id=user.pk).select_related("branch").first()


def _branches_for(request: HttpRequest, body: Body) -> list[Unit]:
    """The branches of ``body`` whose signature the signed-in user may record."""
    return [b for b in signing_branches(body) if can(request.user, "manage_meetings", b)]


def requisition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The requisition, its signatures against the threshold with the working, and its answer."""
    r = get_object_or_404(Requisition.objects.select_related("body__unit", "meeting"), pk=pk)
    today = timezone.localdate()
    member = _member(request)
    standing = [s for s in r.signatures.filter(withdrawn_at__isnull=True)]
    mine = next((s for s in standing if member and s.member_id == member.pk), None)
    signed = {s.branch_id for s in standing if s.branch_id}
    ok, reasons = may_sign(member, r.body, today) if member else (False, ())
    ctx = {
        "r": r,
        "count": standing_of(r, today),
        "overdue": r.overdue_on(today),
        "late_by": (
            (r.called_at.astimezone(r.body.zone()).date() - r.call_by).days
            if r.called_at and r.call_by
            else 0
        ),
        "branch_signatures": [s for s in standing if s.branch_id],
        "member_signatures": [s for s in standing if s.member_id],
        "may_see_names": can(request.user, "manage_meetings", r.body.unit),
        "member": member,
        "mine": mine,
        "may_sign": ok and mine is None and r.meeting_id is None,
        "why_not": reasons,
        "sign_for": [b for b in _branches_for(request, r.body) if b.pk not in signed],
        "may_call": can(request.user, "manage_meetings", r.body.unit)
        and r.met_at is not None
        and r.meeting_id is None,
    }
    return render(request, "meetings/requisition.html", ctx)


@require_POST
@login_required
def requisition_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-in member adds their own signature: the member is always the one signed in."""
    r = get_object_or_404(Requisition, pk=pk)
    member = _member(request)
    if member is None:
        raise PermissionDenied("only a member can sign: this account has no membership")
    try:
        actions.sign_requisition(r, by=request.user, member=member)
    except actions.ActionRefused as exc:
        messages.error(request, f"Not signed: {exc}.")
    else:
        messages.success(request, "You have signed this requisition.")
    return redirect("meetings:requisition", r.pk)


@require_POST
@login_required
def requisition_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    r = get_object_or_404(Requisition, pk=pk)
    member = _member(request)
    mine = r.signatures.filter(member=member, withdrawn_at__isnull=True).first() if member else None
    if mine is None:
        messages.error(request, "You have no signature on this requisition to withdraw.")
        return redirect("meetings:requisition", r.pk)
    try:
        actions.withdraw_signature(mine, by=request.user)
    except actions.ActionRefused as exc:
        messages.error(request, f"Not withdrawn: {exc}.")
    else:
        messages.success(request, "Your signature is withdrawn; the record shows you withdrew it.")
    return redirect("meetings:requisition", r.pk)


@login_required
def requisition_branch_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """A branch's secretary records that the branch signs, with the branch's decision."""
    r = get_object_or_404(Requisition.objects.select_related("body__unit"), pk=pk)
    branches = _branches_for(request, r.body)
    if not branches:
        raise PermissionDenied(
            f"only the secretary of one of {r.body.unit.name}'s branches signs for it"
        )
    form = BranchSignForm(request.POST or None, branches=[(b.pk, b.name) for b in branches])
    if request.method == "POST" and form.is_valid():
        branch = next(b for b in branches if str(b.pk) == form.cleaned_data["branch"])
        try:
            actions.sign_requisition(
                r, by=request.user, branch=branch, decision=form.cleaned_data["decision"]
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{branch.name}'s signature is recorded.")
            return redirect("meetings:requisition", r.pk)
    return render(request, "meetings/requisition_branch.html", {"r": r, "form": form})


@login_required
def requisition_new(request: HttpRequest, code: str) -> HttpResponse:
    """Start a requisition of one of the unit's bodies; the starter signs it first."""
    unit = get_object_or_404(Unit, code=code)
    bodies = [b for b in Body.objects.filter(unit=unit) if b.requisition_rule() is not None]
    if not bodies:
        raise PermissionDenied(f"the rules of {unit.name}'s bodies provide for no requisition")
    member = _member(request)
    branches = {
        b.pk: b
        for body in bodies
        for b in signing_branches(body)
        if can(request.user, "manage_meetings", b)
    }
    signers = ([("me", f"Myself, {member.name}")] if member else []) + [
        (f"branch:{pk}", f"{b.name}, by its decision") for pk, b in branches.items()
    ]
    if not signers:
        raise PermissionDenied("only a member, or a branch through its secretary, can sign")
    form = RequisitionForm(
        request.POST or None, bodies=[(b.pk, b.name) for b in bodies], signers=signers
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        body = next(b for b in bodies if str(b.pk) == d["body"])
        who = (
            {"member": member}
            if d["signer"] == "me"
            else {"branch": branches[int(d["signer"].split(":")[1])]}
        )
        try:
            r = actions.start_requisition(
                body,
                purpose=d["purpose"],
                text=d["text"],
                decision=d["decision"],
                by=request.user,
                **who,
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Requisition started, with your signature first.")
            return redirect("meetings:requisition", r.pk)
    return render(request, "meetings/requisition_form.html", {"form": form, "unit": unit})


@login_required
def requisition_call(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary calls the special meeting a met requisition asks for."""
    r = get_object_or_404(Requisition.objects.select_related("body__unit"), pk=pk)
    if not can(request.user, "manage_meetings", r.body.unit):
        raise PermissionDenied(f"only the secretary of {r.body.unit.name} calls its meetings")
    form = MeetingForm(
        request.POST or None,
        bodies=[(r.body.pk, r.body.name)],
        initial={"title": f"Special meeting: {r.purpose}"[:200], "agenda": r.purpose},
    )
    form.fields.pop("purpose")
    if request.method == "POST" and form.is_valid():
        call = partial(actions.call_requisitioned_meeting, r)
        answer = call_from_form(request, form, r.body, call, prefix="Special meeting called. ")
        if answer is not None:
            return answer
    return render(request, "meetings/requisition_call.html", {"form": form, "r": r})
