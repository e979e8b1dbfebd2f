"""Forms only validate; the views hand the cleaned data to one action."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from grassroots.count.rules import RULES
from grassroots.elections import thresholds
from grassroots.members.models import UNIT_KINDS, Unit

__all__ = ["ElectionForm"]

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"})


class ElectionForm(forms.Form):
    """A returning officer's new election: posts, rules, electorate and timetable."""

    title = forms.CharField(max_length=200)
    seats = forms.IntegerField(min_value=1, max_value=100, label="Posts to fill")
    rule = forms.ChoiceField(choices=[(k, v[1]) for k, v in RULES.items()], label="Rule set")
    unit = forms.ChoiceField(label="Electorate: members of")
    freeze_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    provisional_days = forms.IntegerField(min_value=0, required=False, label="Provisional days")
    min_membership_days = forms.IntegerField(min_value=0, required=False)
    paid_up_to = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        label="Paid up to at least",
        help_text="members in arrears before this date are left off the roll; blank: no check",
    )
    nominations_open = forms.DateTimeField(widget=_DT)
    nominations_close = forms.DateTimeField(widget=_DT)
    voting_open = forms.DateTimeField(widget=_DT)
    voting_close = forms.DateTimeField(widget=_DT)
    nominating_kinds = forms.MultipleChoiceField(
        choices=UNIT_KINDS, initial=["branch"], widget=forms.CheckboxSelectMultiple
    )
    threshold = forms.CharField(
        required=False,
        initial='{"kind": "branch", "count": 5}',
        help_text='JSON, e.g. {"kind": "branch", "count": 5}; blank: no nominations needed',
    )
    minima = forms.CharField(
        required=False,
        label="Minimum seats per group",
        help_text="e.g. women=1 (groups are set on each candidate)",
    )

    maxima = forms.CharField(
        required=False,
        label="Maximum seats per group",
        help_text="e.g. region-london=2",
    )
    body_subkinds = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Kinds of nominating body",
        help_text="for thresholds such as 3 affiliates of which 2 unions: one body per line, "
        "unit code=kind, e.g. unite=union",
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]

    def clean_threshold(self) -> dict[str, Any]:
        text = self.cleaned_data["threshold"].strip()
        if not text:
            return {}
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"not JSON: {exc.msg} at column {exc.colno}") from None
        if not isinstance(data, dict):
            raise forms.ValidationError("a threshold is a JSON object")
        try:
            thresholds.met(data, [], {})  # walks every part, naming a malformed one
        except (ValueError, KeyError, TypeError) as exc:
            raise forms.ValidationError(str(exc)) from None
        return data

    def clean_minima(self) -> dict[str, int]:
        return _group_bounds(self.cleaned_data["minima"], "women=1")

    def clean_maxima(self) -> dict[str, int]:
        return _group_bounds(self.cleaned_data["maxima"], "region-london=2")

    def clean_body_subkinds(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for n, line in enumerate(self.cleaned_data["body_subkinds"].splitlines(), start=1):
            if not line.strip():
                continue
            code, _, kind = (part.strip() for part in line.partition("="))
            if not code or not kind:
                raise forms.ValidationError(f"line {n}: {line.strip()!r}: write code=kind")
            if code in out:
                raise forms.ValidationError(f"line {n}: {code!r} is given a kind twice")
            out[code] = kind
        unknown = sorted(
            set(out) - set(Unit.objects.filter(code__in=out).values_list("code", flat=True))
        )
        if unknown:
            raise forms.ValidationError(f"no unit has the code {', '.join(unknown)}")
        return out


def _group_bounds(text: str, example: str) -> dict[str, int]:
    """``"women=4 youth=1"`` (spaces or commas between) as ``{"women": 4, "youth": 1}``."""
    out: dict[str, int] = {}
    for part in text.replace(",", " ").split():
        group, _, n = part.partition("=")
        if not group or not n.isdigit():
            raise forms.ValidationError(f"{part!r}: write group=number, e.g. {example}")
        if group in out:
            raise forms.ValidationError(f"{group!r} is given twice")
        out[group] = int(n)
    return out
