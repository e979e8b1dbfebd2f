"""Motions and minutes as people meet them: members submit and amend motions in their own
name; the secretary drafts, edits and circulates the minutes and puts them to the next meeting."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.meetings import actions
from grassroots.meetings.actions.motions import motions_close
from grassroots.meetings.models import Meeting, Motion
from grassroots.meetings.procedure import text_change
from grassroots.members.models import Member
from grassroots.members.permissions import can


class MotionForm(forms.Form):
    title = forms.CharField(max_length=300)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="The motion's text")
    seconder = forms.CharField(
        max_length=32,
        required=False,
        label="Seconder's membership number",
        help_text="a member entitled to attend, other than you; where the body counts "
        "supporters instead, members support the motion from the meeting's page",
    )
    item = forms.ChoiceField(required=False, label="Agenda item")
    emergency_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why it is an emergency",
        help_text="needed after motions close; the meeting decides whether to take it",
    )


class AmendForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="The motion as it would read, amended",
        help_text="change the words; the page shows what is deleted and inserted",
    )
    seconder = forms.CharField(max_length=32, required=False, label="Seconder's membership number")


def _me(request: HttpRequest) -> Member | None:
    return Member.objects.filter(user_id=request.user.pk).select_related("branch").first()


def _seconder(number: str) -> Member | None:
    if not number.strip():
        return None
    found = Member.objects.filter(number=number.strip()).first()
    if found is None:
        raise actions.ActionRefused(f"no member numbered “{number.strip()[:32]}”")
    return found


@login_required
def motion_new(request: HttpRequest, pk: int) -> HttpResponse:
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    me = _me(request)
    if me is None:
        raise PermissionDenied("motions are moved by members: this login has no membership")
    form = MotionForm(request.POST or None)
    form.fields["item"].choices = [("", "—")] + [(i.pk, str(i)) for i in m.items.all()]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        item = m.items.filter(pk=d["item"]).first() if d["item"] else None
        try:
            motion = actions.submit_motion(
                m,
                title=d["title"],
                text=d["text"],
                mover=me,
                seconder=_seconder(d["seconder"]),
                item=item,
                emergency_reason=d["emergency_reason"],
                by=request.user,
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{motion.get_kind_display()} “{motion.title}” submitted.")
            return redirect("meetings:detail", m.pk)
    closes = motions_close(m)
    ctx = {"form": form, "m": m, "closes": closes, "closed": timezone.now() >= closes}
    return render(request, "meetings/motion_form.html", ctx)


@login_required
def motion_amend(request: HttpRequest, pk: int, motion: int) -> HttpResponse:
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    target = get_object_or_404(Motion, pk=motion, meeting=m)
    me = _me(request)
    if me is None:
        raise PermissionDenied("amendments are moved by members: this login has no membership")
    form = AmendForm(request.POST or None, initial={"text": target.text_now()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.amend(
                target,
                new_text=form.cleaned_data["text"],
                mover=me,
                seconder=_seconder(form.cleaned_data["seconder"]),
                by=request.user,
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Amendment to “{target.title}” submitted.")
            return redirect("meetings:detail", m.pk)
    return render(request, "meetings/amend_form.html", {"form": form, "m": m, "target": target})


def motion_changes(motion: Motion) -> list[tuple[str, str]]:
    """An amendment's change from the motion it amends, for the template."""
    if motion.amends is None:
        return []
    return [(c.op, c.text) for c in text_change(motion.amends.text, motion.text)]


def _secretary(request: HttpRequest, m: Meeting) -> None:
    if not can(request.user, "manage_meetings", m.body.unit):
        raise PermissionDenied(f"only the secretary of {m.body.unit.name} keeps the minutes")


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's minutes page: draft from the record, edit, circulate, put to a meeting."""
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    _secretary(request, m)
    current = m.minutes.exclude(state="approved").order_by("-drafted_at").first()
    if request.method == "POST":
        do = request.POST.get("do", "")
        try:
            if do == "draft":
                actions.draft_minutes(m, by=request.user)
                messages.success(request, "Minutes drafted from the record: add the discussion.")
            elif do == "edit" and current is not None:
                actions.edit_minutes(
                    current,
                    text=request.POST.get("text", ""),
                    by=request.user,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, "Minutes saved.")
            elif do == "circulate" and current is not None:
                actions.circulate_minutes(current, by=request.user)
                messages.success(request, "Minutes circulated: they are on the meeting's page.")
            elif do == "propose" and current is not None:
                chosen = request.POST.get("meeting", "")
                later = Meeting.objects.filter(
                    pk=int(chosen) if chosen.isascii() and chosen.isdigit() else 0, body=m.body
                ).first()
                if later is None:
                    raise actions.ActionRefused("choose a later meeting of the same body")
                actions.propose_approval(later, current, by=request.user)
                messages.success(request, f"The minutes are on the agenda of {later.title}.")
            elif do == "correct":
                approved = m.minutes.filter(state="approved").order_by("-approved_at").first()
                if approved is None:
                    raise actions.ActionRefused("there are no approved minutes to correct")
                actions.correct_minutes(
                    approved, text=request.POST.get("text", ""), by=request.user
                )
                messages.success(
                    request, "Correction drafted; circulate it and put it to a meeting."
                )
            else:
                messages.error(request, "Nothing to do.")
        except actions.ActionRefused as exc:
            messages.error(request, str(exc))
        return redirect("meetings:minutes", m.pk)
    later = Meeting.objects.filter(body=m.body, start__gt=m.start, state__in=("called", "open"))
    ctx = {
        "m": m,
        "current": current,
        "approved": m.minutes.filter(state="approved").order_by("approved_at"),
        "later": later,
    }
    return render(request, "meetings/minutes.html", ctx)


@require_POST
@login_required
def motion_support(request: HttpRequest, pk: int, motion: int) -> HttpResponse:
    """A member adds their support to a motion, where the body counts supporters."""
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    target = get_object_or_404(Motion, pk=motion, meeting=m)
    me = _me(request)
    if me is None:
        raise PermissionDenied("motions are supported by members: this login has no membership")
    try:
        actions.support_motion(target, me, by=request.user)
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You support “{target.title}”.")
    return redirect("meetings:detail", m.pk)


@require_POST
@login_required
def motion_second(request: HttpRequest, pk: int, motion: int) -> HttpResponse:
    """A member entitled to attend seconds a motion in their own name."""
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    target = get_object_or_404(Motion, pk=motion, meeting=m)
    me = _me(request)
    if me is None:
        raise PermissionDenied("motions are seconded by members: this login has no membership")
    try:
        actions.second_motion(target, me, by=request.user)
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You second “{target.title}”.")
    return redirect("meetings:detail", m.pk)


@require_POST
@login_required
def speak(request: HttpRequest, pk: int) -> HttpResponse:
    """A member asks to speak from the live page (for, against, or on the matter)."""
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    me = _me(request)
    if me is None:
        raise PermissionDenied("only members speak: this login has no membership")
    try:
        actions.ask_to_speak(m, me, side=request.POST.get("side", ""), by=request.user)
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "You are on the speakers' list.")
    return redirect("meetings:live", m.pk)


__all__ = [
    "minutes",
    "motion_amend",
    "motion_changes",
    "motion_new",
    "motion_second",
    "motion_support",
    "speak",
]
