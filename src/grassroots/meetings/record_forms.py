"""Forms for requisitions and decisions not to meet; they only validate, the views call actions."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.meetings.models import Meeting
from grassroots.site.widgets import DayInput

__all__ = ["BranchSignForm", "DecisionForm", "RequisitionForm"]


class RequisitionForm(forms.Form):
    """Start a requisition: which body, what the special meeting is to decide, who signs first."""

    body = forms.ChoiceField(label="Body to meet")
    purpose = forms.CharField(
        max_length=300, label="What the special meeting is to decide", help_text="one line"
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label="The request in full",
        help_text="what those who sign are signing; it cannot be changed once anyone has signed",
    )
    signer = forms.ChoiceField(label="Sign as")
    decision = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="The branch's decision",
        help_text="for a branch: the meeting that decided to sign, its date and the vote",
    )

    def __init__(
        self, *args: Any, bodies: list[tuple[int, str]], signers: list[tuple[str, str]], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["body"].choices = bodies
        self.fields["signer"].choices = signers


class BranchSignForm(forms.Form):
    """A branch secretary records the branch's signature with its decision."""

    branch = forms.ChoiceField(label="Branch")
    decision = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="The branch's decision",
        help_text="the meeting that decided to sign, its date and the vote",
    )

    def __init__(self, *args: Any, branches: list[tuple[int, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["branch"].choices = branches


class DecisionForm(forms.Form):
    """The secretary records a body's decision not to hold a meeting."""

    body = forms.ChoiceField(label="Body that decided")
    purpose = forms.ChoiceField(choices=Meeting.PURPOSES, label="Kind of meeting not held")
    what = forms.CharField(
        max_length=300,
        label="Meeting not held",
        help_text="e.g. “a nominating meeting for the National Executive election”",
    )
    decided_on = forms.DateField(widget=DayInput(), label="Date of the decision")
    present = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Membership numbers of those present",
        help_text="one on each line; their names are published with the decision",
    )
    votes_for = forms.IntegerField(min_value=0, label="Votes for")
    votes_against = forms.IntegerField(min_value=0, label="Votes against")
    abstentions = forms.IntegerField(min_value=0, label="Abstentions")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="published with the decision"
    )
    election = forms.ChoiceField(
        required=False,
        label="Election whose nominations it concerns",
        help_text="if chosen, the branch's decision not to nominate is recorded too",
    )
    confirm = forms.BooleanField(
        label="Yes, record this decision (it is published and cannot be deleted)"
    )

    def __init__(
        self,
        *args: Any,
        bodies: list[tuple[int, str]],
        elections: list[tuple[int, str]],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["body"].choices = bodies
        self.fields["election"].choices = [("", "— none —"), *elections]

    def clean_present(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data["present"].splitlines() if n.strip()]
