"""The treasurer's refund form: how much, why, when, and a tick that the money went back."""

from __future__ import annotations

from django import forms

from grassroots.finance.forms_subscriptions import PaidDayField, PoundsField
from grassroots.members.forms import DATE

__all__ = ["RefundForm"]


class RefundForm(forms.Form):
    amount = PoundsField(label="Amount refunded (£)", help_text="the whole payment or part of it")
    reason = forms.CharField(
        label="Why it is refunded",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The member sees this reason beside the payment.",
    )
    refunded_on = PaidDayField(widget=DATE, label="Date refunded")
    confirm = forms.BooleanField(
        label="The money has been given back to the member: record the refund (it cannot be "
        "undone)",
        required=True,
        error_messages={"required": "Tick the box to confirm the refund."},
    )
