"""A branch's motions to the bodies it sends to: its officer sends one from the branch's own
page, citing its meeting's decision; anyone reads what it sent and what became of each."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from grassroots.meetings import actions
from grassroots.meetings.actions.motions import motions_close
from grassroots.meetings.branch_motions import (
    SENDING_KINDS,
    carried_motions,
    citable_decisions,
    outcome,
    receiving_meetings,
    sent_by,
)
from grassroots.meetings.models import Meeting, Motion, Vote
from grassroots.members.models import Unit
from grassroots.members.permissions import can


def _day(m: Meeting) -> str:
    d = m.start.astimezone(m.body.zone())
    return f"{d.day} {d:%B %Y}"


class SendForm(forms.Form):
    meeting = forms.ChoiceField(label="To the meeting")
    forwards = forms.ChoiceField(
        required=False,
        label="Forward a motion your meeting carried",
        help_text="it is sent as it stands, with its origin; or leave this and write the "
        "motion below",
    )
    title = forms.CharField(max_length=300, required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, label="The motion's text"
    )
    decision = forms.ChoiceField(
        required=False,
        label="The decision of your meeting that adopted it",
        help_text="a vote carried at one of your meetings on the record here",
    )
    decided_on = forms.DateField(
        required=False,
        label="Or, if that meeting is not on the record here: the day it met",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    decision_note = forms.CharField(
        required=False,
        max_length=500,
        label="and the vote",
        help_text="e.g. “ward meeting, carried 14 to 3”",
    )
    emergency_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why it is an emergency",
        help_text="needed after motions close; the meeting decides whether to take it",
    )

    def __init__(self, *args: object, unit: Unit, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.meetings = {str(m.pk): m for m in receiving_meetings(unit)}
        self.carried = {str(m.pk): m for m in carried_motions(unit)}
        self.votes = {str(v.pk): v for v in citable_decisions(unit)}
        self.fields["meeting"].choices = [
            (
                k,
                f"{m.title} of the {m.body.name}, {_day(m)} (motions close "
                f"{motions_close(m).astimezone(m.body.zone()):%d %B %H:%M})",
            )
            for k, m in self.meetings.items()
        ]
        self.fields["forwards"].choices = [("", "— no: a motion written below —")] + [
            (k, f"“{m.title}”, carried at {m.meeting.title} on {_day(m.meeting)}")
            for k, m in self.carried.items()
        ]
        self.fields["decision"].choices = [("", "— not on the record here —")] + [
            (k, f"{v.meeting.title} on {_day(v.meeting)}: {v.question} ({v.working})")
            for k, v in self.votes.items()
        ]

    def chosen(self) -> tuple[Meeting, Motion | None, Vote | None]:
        d = self.cleaned_data
        return (
            self.meetings[d["meeting"]],
            self.carried.get(d["forwards"] or ""),
            self.votes.get(d["decision"] or ""),
        )


def _sender(code: str) -> Unit:
    return get_object_or_404(Unit, code=code, kind__in=SENDING_KINDS)


def branch_motions(request: HttpRequest, code: str) -> HttpResponse:
    """The motions a branch sent to other bodies' meetings and what became of each: public."""
    unit = _sender(code)
    sent = [(m, outcome(m)) for m in sent_by(unit)]
    ctx = {"unit": unit, "sent": sent, "may_send": can(request.user, "move_branch_motions", unit)}
    return render(request, "meetings/branch_motions.html", ctx)


@login_required
def branch_motion_send(request: HttpRequest, code: str) -> HttpResponse:
    """An officer of the branch sends a motion in the branch's name."""
    unit = _sender(code)
    if not can(request.user, "move_branch_motions", unit):
        raise PermissionDenied(f"only an officer of {unit.name} sends its motions")
    form = SendForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        meeting, forwards, vote = form.chosen()
        d = form.cleaned_data
        try:
            motion = actions.send_branch_motion(
                meeting,
                branch=unit,
                by=request.user,
                title=d["title"],
                text=d["text"],
                forwards=forwards,
                decision=vote,
                decided_on=d["decided_on"],
                decision_note=d["decision_note"],
                emergency_reason=d["emergency_reason"],
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"“{motion.title}” sent to {meeting.title}, moved by {motion.moved_by()}.",
            )
            return redirect(reverse("meetings:branch_motions", args=[unit.code]))
    return render(request, "meetings/branch_motion_form.html", {"unit": unit, "form": form})
