"""Forms only validate; the views hand the cleaned data to one action."""

from __future__ import annotations

from typing import Any

from django import forms

from grassroots.meetings.models import Meeting
from grassroots.meetings.papers import MAX_BYTES
from grassroots.site.widgets import DATE_HINT, ClockInput, DayInput

__all__ = ["CancelForm", "ItemForm", "MeetingForm", "PaperForm"]


class MeetingForm(forms.Form):
    """A secretary calls a meeting: which body, when, where, and the agenda."""

    body = forms.ChoiceField(label="Body that meets")
    title = forms.CharField(max_length=200, help_text="e.g. “General Committee, January”")
    purpose = forms.ChoiceField(choices=Meeting.PURPOSES, label="Kind of meeting")
    date = forms.DateField(widget=DayInput(), help_text=DATE_HINT)
    time = forms.TimeField(widget=ClockInput(), label="Start time", help_text="e.g. 19:30")
    place = forms.CharField(
        max_length=300, required=False, help_text="the address; leave blank for online only"
    )
    join_url = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        label="Online meeting link",
        help_text="the video call members join; leave blank for in person only",
    )
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="one item on each line, in order; papers are added on the meeting's page",
    )
    short_notice_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason for short notice",
        help_text="needed only if the notice deadline has already passed; it is published",
    )

    def __init__(self, *args: Any, bodies: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = bodies

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place") and not data.get("join_url"):
            raise forms.ValidationError("Give a place, an online link, or both.")
        return data


class ItemForm(forms.Form):
    title = forms.CharField(max_length=300, label="Item")
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why it is late",
        help_text="needed after the notice deadline; the meeting votes on taking a late item",
    )


class PaperForm(forms.Form):
    item = forms.ChoiceField(label="Agenda item")
    title = forms.CharField(max_length=300, required=False, help_text="blank: the file's name")
    file = forms.FileField(
        help_text=f"PDF, office document, text or image, up to {MAX_BYTES // 1048576} MB"
    )
    replaces = forms.ChoiceField(required=False, label="New version of")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why it is late",
        help_text="needed after the notice deadline; shown beside the paper",
    )

    def __init__(
        self,
        *args: Any,
        items: list[tuple[int, str]],
        papers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = items
        self.fields["replaces"].choices = [("", "— a new paper —"), *papers]


class CancelForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="members see why it was cancelled"
    )
    confirm = forms.BooleanField(
        label="Yes, cancel this meeting and tell those sent the notice (its record stays, "
        "marked cancelled)"
    )
