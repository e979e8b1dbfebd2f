"""Forms for subscriptions: amounts typed in pounds and pence, dates as the app writes them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from grassroots.finance.apportion import LEVELS, format_pence, parse_pence
from grassroots.finance.ledger import after_today
from grassroots.members.csvio import RATE_BANDS
from grassroots.members.forms import DATE, DayField

__all__ = [
    "PaidDayField",
    "PaymentForm",
    "PaymentsFileForm",
    "RemittanceForm",
    "RuleForm",
    "WhatIfForm",
    "year_from",
]

LEVEL_NAMES = {
    "national": "national office",
    "region": "region",
    "branch": "branch",
    "ward": "ward",
}


class PoundsField(forms.CharField):
    """An amount such as 52.56 or £4.38, cleaned to pence."""

    def __init__(self, *, allow_zero: bool = False, allow_negative: bool = False, **kw: Any):
        super().__init__(**kw)
        self.allow_zero = allow_zero
        self.allow_negative = allow_negative
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": 16})

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 16:
            raise forms.ValidationError("An amount is at most 16 characters, e.g. 52.56.")
        try:
            pence = parse_pence(text)
        except ValueError as e:
            raise forms.ValidationError(f"{str(e)[0].upper()}{str(e)[1:]}.") from None
        if pence < 0 and not self.allow_negative:
            raise forms.ValidationError("An amount cannot be less than nothing.")
        if pence == 0 and not self.allow_zero:
            raise forms.ValidationError("An amount must be more than nothing.")
        return pence


class PaidDayField(DayField):
    """The day money was paid or received: not after today (a budget's or a plan's dates are
    other fields)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        late = after_today(str(self.label), value, timezone.localdate()) if value else None
        if late:
            raise forms.ValidationError(f"{late}.")


class PaymentForm(forms.Form):
    paid_on = PaidDayField(widget=DATE, label="Date paid")
    amount = PoundsField(label="Amount (£)", help_text="e.g. 4.38")
    band = forms.ChoiceField(
        choices=[("", "the member's band on the register")] + [(b, b) for b in RATE_BANDS],
        required=False,
        label="Rate band",
    )
    reference = forms.CharField(max_length=100, required=False, label="Reference (optional)")


class PaymentsFileForm(forms.Form):
    file = forms.FileField(label="Payments file (CSV)")

    def clean_file(self) -> Any:
        from django.conf import settings

        upload = self.cleaned_data["file"]
        limit = int(settings.IMPORT_MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; a payments file may be at most "
                f"{limit // 1_048_576} MB."
            )
        return upload


class RemittanceForm(forms.Form):
    unit = forms.ChoiceField(label="Paid to")
    period = forms.ChoiceField(label="For the month")
    paid_on = PaidDayField(widget=DATE, label="Date paid")
    amount = PoundsField(label="Amount (£)", allow_negative=True)
    reference = forms.CharField(max_length=100, required=False, label="Reference (optional)")

    def __init__(self, *args: Any, units: list[tuple[str, str]], months: list[tuple[str, str]],
                 **kw: Any) -> None:  # fmt: skip
        super().__init__(*args, **kw)
        self.fields["unit"].choices = units
        self.fields["period"].choices = months


class RuleForm(forms.Form):
    """A new rule: the date it takes effect, and per band its rate and each level's share.

    A band whose rate is left blank has no rate under this rule.
    """

    effective_from = DayField(widget=DATE, label="Takes effect from")
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Why (e.g. the decision)"
    )

    def __init__(self, *args: Any, current: dict[str, Any] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        current = current or {}
        for band in RATE_BANDS:
            now = current.get(band, {})
            self.fields[f"{band}_rate"] = PoundsField(
                required=False,
                label=f"{band.capitalize()} rate a year (£)",
                initial=format_pence(now["rate"], "") if now else "",
            )
            for level in LEVELS:
                share = now.get("shares", {}).get(level) if now else None
                self.fields[f"{band}_{level}"] = PoundsField(
                    required=False,
                    allow_zero=True,
                    label=f"to the {LEVEL_NAMES[level]} (£)",
                    initial=format_pence(share, "") if share is not None else "",
                )

    def band_rows(self) -> list[tuple[str, Any, list[Any]]]:
        return [
            (band, self[f"{band}_rate"], [self[f"{band}_{level}"] for level in LEVELS])
            for band in RATE_BANDS
        ]

    def bands(self) -> dict[str, Any]:
        """The bands as a rule holds them (checked by the action, which names any problem)."""
        out: dict[str, Any] = {}
        for band in RATE_BANDS:
            rate = self.cleaned_data.get(f"{band}_rate")
            shares = {
                level: self.cleaned_data.get(f"{band}_{level}")
                for level in LEVELS
                if self.cleaned_data.get(f"{band}_{level}") is not None
            }
            if rate is None and not shares:
                continue
            if rate is None:
                self.add_error(f"{band}_rate", f"Give the {band} rate, or leave its shares blank.")
                continue
            out[band] = {"rate": rate, "shares": shares}
        if not out and not self.errors:
            self.add_error(None, "Give the rate and its shares for at least one band.")
        return out


class WhatIfForm(forms.Form):
    percent = forms.DecimalField(
        min_value=0, max_value=100, decimal_places=2, max_digits=5,
        label="Share of every payment to this unit (%)",
    )  # fmt: skip
    year = forms.IntegerField(min_value=2000, max_value=2100, label="Year")


def year_from(value: str | None, default: int) -> int:
    """A year from the address (``?year=2025``), or ``default`` for anything else."""
    if value and value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return default
