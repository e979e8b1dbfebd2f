"""Forms for the books: plain fields, cleaned into the values the actions take."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from grassroots.finance.ledger import after_today
from grassroots.finance.models import CsvMapping, Statement
from grassroots.site.widgets import DayInput

ACCOUNT_CATEGORIES = (
    ("income", "Income"),
    ("expense", "Expenditure"),
    ("asset", "Assets (a bank account, cash)"),
    ("liability", "Liabilities"),
    ("funds", "Funds"),
)


class ThresholdForm(forms.Form):
    threshold = forms.CharField(
        label="Spending threshold (£)",
        max_length=20,
        help_text="A spend above this cannot be approved without citing the minuted decision "
        "that approved it.",
    )


class AccountForm(forms.Form):
    name = forms.CharField(max_length=120, label="Account name")
    code = forms.SlugField(
        max_length=40,
        label="Short code",
        help_text="Letters, digits and dashes: it names the account in exports (hall-hire).",
    )
    category = forms.ChoiceField(choices=ACCOUNT_CATEGORIES)
    is_bank = forms.BooleanField(
        required=False, label="A bank account (statements are imported into it)"
    )


class MappingForm(forms.Form):
    bank = forms.CharField(max_length=100, label="Bank", help_text="As you know it: Co-op Bank.")
    date_column = forms.CharField(max_length=100, label="Heading of the date column")
    date_format = forms.ChoiceField(choices=CsvMapping.DATE_FORMATS, label="Dates are written")
    description_column = forms.CharField(max_length=100, label="Heading of the description column")
    payee_column = forms.CharField(
        max_length=100, required=False, label="Heading of the payee column (if any)"
    )
    amount_column = forms.CharField(
        max_length=100,
        required=False,
        label="Heading of the amount column",
        help_text="If the bank gives one column, money out written with a minus sign.",
    )
    paid_in_column = forms.CharField(
        max_length=100, required=False, label="…or heading of the paid in column"
    )
    paid_out_column = forms.CharField(
        max_length=100, required=False, label="…and heading of the paid out column"
    )
    reference_column = forms.CharField(
        max_length=100, required=False, label="Heading of the bank's reference column (if any)"
    )
    decimal_comma = forms.BooleanField(
        required=False, label="Amounts are written with a decimal comma (1.234,56)"
    )


class StatementForm(forms.Form):
    account = forms.ChoiceField(label="Bank account")
    format = forms.ChoiceField(choices=Statement.FORMATS, label="File format")
    mapping = forms.ChoiceField(
        required=False,
        label="Bank (for a CSV file: how its columns are read)",
    )
    file = forms.FileField(label="Statement file")

    def __init__(
        self,
        *args: object,
        accounts: list[tuple[int, str]],
        mappings: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["account"].choices = accounts  # type: ignore[attr-defined]
        self.fields["mapping"].choices = [("", "—"), *mappings]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("format") == "csv" and not data.get("mapping"):
            self.add_error("mapping", "Choose the bank whose columns this CSV file has.")
        return data


class SpendForm(forms.Form):
    payee = forms.CharField(max_length=200, label="Who is to be paid")
    amount = forms.CharField(max_length=20, label="Amount (£)")
    purpose = forms.CharField(max_length=300, label="What it is for")
    budget_line = forms.ChoiceField(label="Budget line")

    def __init__(self, *args: object, lines: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["budget_line"].choices = lines  # type: ignore[attr-defined]


class ApproveForm(forms.Form):
    decision = forms.ChoiceField(
        required=False,
        label="The decision that approved it",
        help_text="A carried vote of a meeting or of the executive, with its minutes "
        "circulated. Required above the threshold.",
    )

    def __init__(self, *args: object, decisions: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["decision"].choices = [("", "None (within the threshold)"), *decisions]  # type: ignore[attr-defined]


class PayForm(forms.Form):
    bank = forms.ChoiceField(label="Paid from")
    date = forms.DateField(label="Date paid", widget=DayInput())

    def __init__(self, *args: object, banks: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["bank"].choices = banks  # type: ignore[attr-defined]

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        late = after_today("Date paid", day, timezone.localdate())
        if late:
            raise forms.ValidationError(f"{late}.")
        return day


class ReconcileForm(forms.Form):
    target = forms.ChoiceField(
        label="This line is",
        error_messages={"required": "Choose what this line is before reconciling it."},
    )

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # nothing chosen until the treasurer chooses: a line reconciled by a click on the
        # button would otherwise go to whichever account happened to be listed first
        self.fields["target"].choices = [("", "— choose —"), *choices]  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="The decision")

    def __init__(
        self, *args: object, decisions: list[tuple[int, str]], label: str = "", **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["decision"].choices = decisions  # type: ignore[attr-defined]
        if label:
            self.fields["decision"].label = label


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DayInput())
    end = forms.DateField(label="To (inclusive)", widget=DayInput())


class SignOffForm(forms.Form):
    sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)
    note = forms.CharField(
        required=False,
        label="Your note (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class BudgetForm(forms.Form):
    """One amount per income and expenditure line."""

    def __init__(self, *args: object, lines: list[tuple[int, str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for pk, name, initial in lines:
            self.fields[f"line{pk}"] = forms.CharField(
                label=f"{name} (£)", required=False, max_length=20, initial=initial
            )
