"""Forms only validate; the views pass their cleaned data to an action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from grassroots.members.actions import TRANSITIONS
from grassroots.members.csvio import RATE_BANDS
from grassroots.members.eligibility import STATUSES
from grassroots.members.fieldrules import (
    EMAIL_MAX,
    GENDER_MAX,
    NAME_MAX,
    date_problem,
    email_problem,
    line_problem,
)
from grassroots.members.identifiers import code_problem, number_problem
from grassroots.members.models import Unit
from grassroots.site.widgets import DayInput, QuickSelect

DATE = DayInput()  # day/month/year, the app's own format (site/widgets.py)


def _sentence(problem: str) -> str:
    return problem[0].upper() + problem[1:] + "."


def valid_number(value: str) -> None:
    """The membership number rule of every way in (``identifiers.number_problem``)."""
    problem = number_problem(value)
    if problem:
        raise forms.ValidationError(_sentence(problem))


def valid_email(value: str) -> None:
    """The e-mail rule the register import applies too (``fieldrules.email_problem``)."""
    problem = email_problem(value) if value else None
    if problem:
        raise forms.ValidationError(_sentence(problem))


def one_line(what: str, longest: int) -> Any:
    """A validator: ``value`` is one line of at most ``longest`` characters, as on import."""

    def validate(value: str) -> None:
        problem = line_problem(what, value, longest)
        if problem:
            raise forms.ValidationError(_sentence(problem))

    return validate


class DayField(forms.DateField):
    """A date between ``fieldrules.EARLIEST`` and ``LATEST``: every form's dates, as on import,
    far enough from the calendar's ends that counting days from them cannot overflow."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        problem = date_problem("date", value) if value else None
        if problem:
            raise forms.ValidationError(_sentence(problem))


def valid_code(value: str) -> None:
    """The unit code rule of every way in (``identifiers.code_problem``)."""
    problem = code_problem(value)
    if problem:
        raise forms.ValidationError(_sentence(problem))


class _UnitNames(forms.models.ModelChoiceIterator):
    """A unit list's options read as (id, name) rows: no unit object made for each of an
    administrator's 1,800 branches and wards (a unit's label is its name)."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name in self.queryset.values_list("pk", "name"):
            yield (forms.models.ModelChoiceIteratorValue(pk, None), name)


class UnitChoiceField(forms.ModelChoiceField):
    """A choice of unit whose options are the units' names."""

    iterator = _UnitNames


class MemberForm(forms.Form):
    """A member's details; branch and ward limited to the units the user may edit."""

    number = forms.CharField(
        max_length=32,
        label="Membership number",
        validators=[valid_number],
        help_text="Letters, digits, hyphens and underscores; the member's page address uses it.",
    )
    name = forms.CharField(max_length=NAME_MAX, validators=[one_line("name", NAME_MAX)])
    email = forms.EmailField(required=False, max_length=EMAIL_MAX, validators=[valid_email])
    # an administrator chooses among every branch and ward: the quick widget
    branch = UnitChoiceField(queryset=Unit.objects.none(), widget=QuickSelect)
    ward = UnitChoiceField(queryset=Unit.objects.none(), required=False, widget=QuickSelect)
    join_date = DayField(widget=DATE, label="Join date")
    status = forms.ChoiceField(
        choices=[(s, s.capitalize()) for s in STATUSES], initial="provisional"
    )
    paid_up_to = DayField(widget=DATE, required=False, label="Paid up to")
    rate_band = forms.ChoiceField(
        choices=[(b, b.capitalize()) for b in RATE_BANDS], label="Rate band"
    )
    gender = forms.CharField(
        max_length=GENDER_MAX,
        required=False,
        help_text="As the member describes it.",
        validators=[one_line("gender", GENDER_MAX)],
    )
    birth_date = DayField(widget=DATE, required=False, label="Date of birth")
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: object, units: object, editing: bool = False, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["branch"].queryset = units.filter(kind="branch")  # type: ignore[attr-defined]
        self.fields["ward"].queryset = units.filter(kind="ward")  # type: ignore[attr-defined]
        if editing:
            # number and status have their own actions; the rest is what update_member changes
            del self.fields["number"]
            del self.fields["status"]
            self.fields["paid_up_to"].help_text = (
                "To record a new payment use Record a payment; change the date here only to "
                "correct a mistake."
            )

    def clean_join_date(self) -> dt.date:
        d: dt.date = self.cleaned_data["join_date"]
        if d > dt.date.today():
            raise forms.ValidationError("The join date cannot be in the future.")
        return d

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        branch, ward = data.get("branch"), data.get("ward")
        if branch and ward and ward.parent_id != branch.pk:
            self.add_error("ward", f"{ward} is not a ward of {branch}.")
        return data


class StatusForm(forms.Form):
    """A status change with its reason."""

    transition = forms.ChoiceField(choices=[(t, t.capitalize()) for t in TRANSITIONS])
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(forms.Form):
    paid_up_to = DayField(widget=DATE, label="Now paid up to")
    reason = forms.CharField(required=False)


class ImportForm(forms.Form):
    """A register file to check and import."""

    file = forms.FileField(label="Register file (CSV)")

    def clean_file(self) -> Any:
        from django.conf import settings

        upload = self.cleaned_data["file"]
        limit = int(settings.IMPORT_MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; a register file may be at most "
                f"{limit // 1_048_576} MB."
            )
        return upload

    import_valid = forms.BooleanField(
        required=False,
        label="If some rows have errors, import the valid rows anyway",
    )


class DelegateForm(forms.Form):
    """Which formula and snapshot date the delegate page uses."""

    snapshot = DayField(widget=DATE, label="Snapshot date")
    formula = forms.ChoiceField(
        choices=[
            ("conference", "Conference (first 749, then per 250, cap 6)"),
            ("gc", "General Committee (1 per N)"),
        ]
    )
    per = forms.IntegerField(min_value=1, initial=25, label="N (members per GC delegate)")


class AffiliationForm(forms.Form):
    """An affiliated body's affiliated membership at a date."""

    members = forms.IntegerField(min_value=0, max_value=10_000_000, label="Affiliated members")
    as_of = forms.DateField(widget=DATE, label="As at", help_text="The date the figure is for.")
    reason = forms.CharField(
        required=False, max_length=500, label="Source", help_text="e.g. the affiliation return"
    )


class OccasionForm(forms.Form):
    """A meeting or ballot and its eligibility rules."""

    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=[("meeting", "Meeting"), ("ballot", "Ballot")])
    date = DayField(widget=DATE)
    freeze_date = DayField(widget=DATE, required=False, help_text="Joined on or before.")
    paid_up_to = DayField(
        widget=DATE, required=False, help_text="Paid up to at least this date, else in arrears."
    )
    may_pay_on_day = forms.BooleanField(
        required=False, label="Members in arrears may pay on the day"
    )
    provisional_days = forms.IntegerField(
        min_value=0,
        required=False,
        label="Provisional period (days)",
        help_text="e.g. 56 for 8 weeks",
    )
    min_membership_days = forms.IntegerField(
        min_value=0, required=False, label="Minimum membership (days)", help_text="e.g. 183"
    )
    exclude_suspended = forms.BooleanField(
        required=False, initial=True, label="Exclude suspended members"
    )
    branch_only = forms.BooleanField(
        required=False, initial=True, label="Only members of this branch (for a branch)"
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RoleForm(forms.Form):
    """Give a login a role over this unit."""

    username = forms.CharField(max_length=150)
    kind = forms.ChoiceField(label="Role", choices=[])
    reason = forms.CharField(required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from grassroots.members.models import ROLE_KINDS

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [k for k in ROLE_KINDS if k[0] != "member"]  # type: ignore[attr-defined]


class UnitForm(forms.Form):
    """A new unit under ``parent``: only the kinds that may sit there are offered."""

    kind = forms.ChoiceField(choices=[])
    code = forms.SlugField(
        max_length=40,
        help_text="Letters, digits, hyphens and underscores; register files and addresses use it. "
        "It cannot be changed later.",
        error_messages={
            "invalid": "Use only letters, digits, hyphens and underscores (no spaces).",
        },
        validators=[valid_code],
    )
    name = forms.CharField(max_length=NAME_MAX, validators=[one_line("name", NAME_MAX)])
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, parent: Unit, **kwargs: object) -> None:
        from grassroots.members.actions import child_kinds
        from grassroots.members.models import UNIT_KINDS

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        fits = child_kinds(parent.kind)
        field = self.fields["kind"]
        field.choices = [(k, label) for k, label in UNIT_KINDS if k in fits]  # type: ignore[attr-defined]
        allowed = ", ".join(label.lower() for k, label in UNIT_KINDS if k in fits)
        field.error_messages["invalid_choice"] = (
            f"A %(value)s cannot sit under a {parent.get_kind_display().lower()}; "
            f"here you may add: {allowed or 'nothing'}."
        )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if Unit.objects.filter(code=code).exists():
            raise forms.ValidationError(f"The code {code} is already used by another unit.")
        return code


class RenameUnitForm(forms.Form):
    """A unit's new name."""

    name = forms.CharField(
        max_length=NAME_MAX, label="New name", validators=[one_line("name", NAME_MAX)]
    )
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
