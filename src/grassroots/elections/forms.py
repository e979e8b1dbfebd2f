"""Forms only validate; the views hand the cleaned data to one action.

The set-up form is plain fields and two small formsets, no JSON and no code syntax: the
nomination threshold is lines of "at least [5] [branches]", representation is lines of
"at least [1] post for [women]", the electorate is a unit picked from the organisation tree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django import forms
from django.forms import formset_factory

from grassroots.count.rules import RULES
from grassroots.elections import thresholds
from grassroots.elections.describe import KIND_PLURALS
from grassroots.elections.models import Election
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import UNIT_KINDS, Unit
from grassroots.site.widgets import DayInput, DayTimeInput

__all__ = ["BoundForm", "ConditionForm", "ElectionForm", "SetupForms"]

_DT = DayTimeInput()
_DATE = DayInput()
_KINDS = [(k, KIND_PLURALS.get(k, v)) for k, v in UNIT_KINDS]


class UnitTree(forms.RadioSelect):
    """Radio buttons for the units, indented as in the organisation tree."""

    option_template_name = "elections/widgets/tree_option.html"

    def __init__(self, *args: Any, depths: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.depths = depths or {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["depth"] = self.depths.get(str(option["value"]), 0)
        return option


class ElectionForm(forms.Form):
    """What is elected, who votes, who may stand and the timetable (the lines are formsets)."""

    # What is elected
    title = forms.CharField(
        max_length=200, help_text="as members will see it, e.g. Regional executive"
    )
    seats = forms.IntegerField(
        min_value=1, max_value=100, label="Posts to fill", help_text="how many people are elected"
    )
    rule = forms.ChoiceField(
        choices=[(k, v[1]) for k, v in RULES.items()],
        label="How the votes are counted",
        help_text="Scottish STV and ERS97 are the usual rules for electing several people",
    )
    # Who votes
    unit = forms.ChoiceField(label="Members of", help_text="and every unit below it")
    provisional_days = forms.IntegerField(
        min_value=0,
        required=False,
        label="Days a new member is provisional",
        help_text="new members vote only after this many days (56: 8 weeks); blank: no wait",
    )
    min_membership_days = forms.IntegerField(
        min_value=0,
        required=False,
        label="Days of membership needed",
        help_text="a member for at least this many days when voting opens; blank: no minimum",
    )
    paid_up_to = forms.DateField(
        required=False,
        widget=_DATE,
        label="Paid up to at least",
        help_text="members in arrears before this date are left off the roll; blank: no check",
    )
    # Who may stand
    nominating_kinds = forms.MultipleChoiceField(
        choices=_KINDS,
        initial=["branch"],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Bodies that nominate",
        help_text="each may nominate as many candidates as there are posts",
    )
    # Timetable
    freeze_date = forms.DateField(
        widget=_DATE,
        label="Roll freeze date",
        help_text="only members who joined by this date can be on the roll",
    )
    nominations_open = forms.DateTimeField(widget=_DT, label="Nominations open")
    nominations_close = forms.DateTimeField(widget=_DT, label="Nominations close")
    voting_open = forms.DateTimeField(widget=_DT, label="Voting opens")
    voting_close = forms.DateTimeField(widget=_DT, label="Voting closes")

    def __init__(
        self, *args: Any, units: list[Unit], affiliates: list[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        depths = {str(u.pk): u.depth for u in units}
        field = self.fields["unit"]
        field.widget = UnitTree(depths=depths)
        field.choices = [(str(u.pk), u.name) for u in units]  # type: ignore[attr-defined]
        self.units = {str(u.pk): u for u in units}
        self.affiliates = affiliates
        for u in affiliates:
            self.fields[f"subkind_{u.code}"] = forms.CharField(
                max_length=40,
                required=False,
                label=f"Kind of body: {u.name}",
                help_text="e.g. union; blank: none",
            )

    def subkind_fields(self) -> list[forms.BoundField]:
        return [self[f"subkind_{u.code}"] for u in self.affiliates]

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        times = [d.get(k) for k in ("nominations_open", "nominations_close", "voting_open")]
        close = d.get("voting_close")
        if all(times) and close and not (times[0] <= times[1] <= times[2] < close):
            raise forms.ValidationError(
                "The timetable must run in order: nominations open, nominations close, "
                "voting opens, voting closes (voting must last some time)."
            )
        return d

    def body_subkinds(self) -> dict[str, str]:
        return {
            u.code: self.cleaned_data[f"subkind_{u.code}"].strip()
            for u in self.affiliates
            if self.cleaned_data.get(f"subkind_{u.code}", "").strip()
        }


class ConditionForm(forms.Form):
    """One line of the nomination threshold."""

    join = forms.ChoiceField(
        choices=[("and", "and also"), ("or", "or")], required=False, label="Joined by"
    )
    count = forms.IntegerField(min_value=1, max_value=100000, required=False, label="At least")
    measure = forms.ChoiceField(
        choices=[("count", "nominations from"), ("percent", "per cent of all")],
        required=False,
        label="Measure",
    )
    kind = forms.ChoiceField(choices=_KINDS, required=False, label="Kind of body")
    subcount = forms.IntegerField(
        min_value=1, max_value=100000, required=False, label="of which at least"
    )
    subkind = forms.CharField(max_length=40, required=False, label="are of the kind")

    def condition(self) -> thresholds.Condition | None:
        d = self.cleaned_data
        if not d.get("count"):
            return None
        return thresholds.Condition(
            count=d["count"],
            kind=d.get("kind") or "branch",
            percent=d.get("measure") == "percent",
            subcount=d.get("subcount") or 0,
            subkind=(d.get("subkind") or "").strip(),
            join=d.get("join") or "and",
        )

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("measure") == "percent" and (d.get("count") or 0) > 100:
            self.add_error("count", "A percentage is at most 100.")
        if bool(d.get("subcount")) != bool((d.get("subkind") or "").strip()):
            self.add_error(
                "subkind", "Give both how many and which kind, e.g. of which at least 2 are union."
            )
        if (d.get("subcount") or 0) and not d.get("count"):
            self.add_error("count", "Give the number of nominations first.")
        return d


class BoundForm(forms.Form):
    """One line of representation: at least / at most N posts for a group."""

    bound = forms.ChoiceField(
        choices=[("minima", "at least"), ("maxima", "at most")], required=False, label="Bound"
    )
    number = forms.IntegerField(min_value=0, max_value=100, required=False, label="Posts")
    group = forms.SlugField(
        max_length=40,
        required=False,
        label="for the group",
        help_text="as written on the candidates, e.g. women",
    )

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("number") is not None and not d.get("group"):
            self.add_error("group", "Name the group this line is about.")
        if d.get("group") and d.get("number") is None:
            self.add_error("number", "Give the number of posts.")
        return d


Conditions = formset_factory(ConditionForm, extra=0)
Bounds = formset_factory(BoundForm, extra=0)


class SetupForms:
    """The set-up form with its two formsets, validated together; ``setup()`` is the result."""

    def __init__(
        self,
        data: Any,
        *,
        units: list[Unit],
        election: Election | None = None,
        blank_lines: int = 2,
    ) -> None:
        affiliates = list(Unit.objects.filter(kind="affiliate").order_by("name"))
        initial, conditions, bounds = _initial(election)
        self.main = ElectionForm(data, units=units, affiliates=affiliates, initial=initial)
        lines = [{"kind": "branch", "measure": "count"}] * blank_lines
        self.conditions = Conditions(
            data, prefix="condition", initial=conditions + lines if data is None else None
        )
        pad = [{}] * blank_lines
        self.bounds = Bounds(data, prefix="bound", initial=bounds + pad if data is None else None)
        self.editing = election is not None
        self.election = election
        # a threshold nested deeper than lines can show is kept as it is (it is named above)
        self.kept_threshold: dict[str, Any] | None = (
            dict(election.threshold)
            if election is not None and thresholds.to_conditions(election.threshold) is None
            else None
        )

    def is_valid(self) -> bool:
        ok = [self.main.is_valid(), self.conditions.is_valid(), self.bounds.is_valid()]
        if all(ok):
            self._check_lines()
        return all(ok) and not self.errors()

    def errors(self) -> list[str]:
        return list(self.main.non_field_errors())

    def _check_lines(self) -> None:
        kinds = self.main.cleaned_data["nominating_kinds"]
        for c in self.threshold_conditions():
            if c.kind not in kinds:
                self.main.add_error(
                    None,
                    f"A nomination condition counts {KIND_PLURALS.get(c.kind, c.kind)}, "
                    "but they are not among the bodies that nominate.",
                )
                return
        seen: set[tuple[str, str]] = set()
        for f in self.bounds:
            key = (f.cleaned_data.get("bound") or "minima", f.cleaned_data.get("group") or "")
            if key[1] and key in seen:
                self.main.add_error(None, f"Two representation lines say the same about {key[1]}.")
            seen.add(key)

    def threshold_conditions(self) -> list[thresholds.Condition]:
        out = [f.condition() for f in self.conditions]
        return [c for c in out if c is not None]

    def setup(self) -> dict[str, Any]:
        """The action's keyword arguments (``create_election``/``edit_election``)."""
        d = self.main.cleaned_data
        constraints: dict[str, dict[str, int]] = {}
        for f in self.bounds:
            b = f.cleaned_data
            if b.get("group") and b.get("number") is not None:
                constraints.setdefault(b.get("bound") or "minima", {})[b["group"]] = b["number"]
        times = {k: self._kept_time(k, d[k]) for k in _TIMES}
        return {
            "title": d["title"],
            "seats": d["seats"],
            "rule": d["rule"],
            "unit": self.main.units[d["unit"]],
            "eligibility": self._rules(d, times["voting_open"]),
            "freeze_date": d["freeze_date"],
            **times,
            "threshold": (
                self.kept_threshold
                if self.kept_threshold is not None and not self.threshold_conditions()
                else thresholds.from_conditions(self.threshold_conditions())
            ),
            "nominating_kinds": d["nominating_kinds"],
            "body_subkinds": self.main.body_subkinds(),
            "constraints": constraints,
        }

    def _kept_time(self, key: str, value: dt.datetime) -> dt.datetime:
        """The form shows times to the minute: the same minute is the election's own time."""
        if self.election is not None:
            old: dt.datetime = getattr(self.election, key)
            if value == old.replace(second=0, microsecond=0):
                return old
        return value

    def _rules(self, d: dict[str, Any], voting_open: dt.datetime) -> RuleSet:
        """The eligibility rules: the form's fields over the election's other settings."""
        form = {
            "provisional_days": d["provisional_days"],
            "min_membership_days": d["min_membership_days"],
            "paid_up_to": d["paid_up_to"],
        }
        if self.election is None:
            return RuleSet(on=voting_open.date(), freeze_date=d["freeze_date"], **form)
        old = RuleSet.from_dict(self.election.eligibility)
        return replace(
            old,
            on=old.on if voting_open == self.election.voting_open else voting_open.date(),
            freeze_date=d["freeze_date"] if old.freeze_date is not None else None,
            **form,
        )


def _local(t: dt.datetime) -> dt.datetime:
    from django.utils import timezone

    return timezone.localtime(t)


def _initial(
    e: Election | None,
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The form's starting values: an election's own, or a new election's defaults."""
    if e is None:
        return (
            {"nominating_kinds": ["branch"], "rule": "scottish"},
            [{"count": 5, "kind": "branch", "measure": "count"}],
            [{}],
        )
    rules = RuleSet.from_dict(e.eligibility)
    initial: dict[str, Any] = {
        "title": e.title,
        "seats": e.seats,
        "rule": e.rule,
        "unit": str(e.unit_id),
        "provisional_days": rules.provisional_days,
        "min_membership_days": rules.min_membership_days,
        "paid_up_to": rules.paid_up_to,
        "nominating_kinds": e.nominating_kinds,
        "freeze_date": e.freeze_date,
        **{k: _local(getattr(e, k)) for k in _TIMES},
        **{f"subkind_{code}": kind for code, kind in e.body_subkinds.items()},
    }
    conditions = [
        {
            "join": c.join,
            "count": c.count,
            "measure": "percent" if c.percent else "count",
            "kind": c.kind,
            "subcount": c.subcount or None,
            "subkind": c.subkind,
        }
        for c in thresholds.to_conditions(e.threshold) or []
    ]
    bounds = [
        {"bound": b, "number": n, "group": g}
        for b in ("minima", "maxima")
        for g, n in (e.constraints.get(b) or {}).items()
    ]
    return initial, conditions, bounds


_TIMES = ("nominations_open", "nominations_close", "voting_open", "voting_close")
