"""Occasions (meetings and ballots) with their eligibility, and delegate entitlements."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from grassroots.dates import day
from grassroots.members import actions, queries
from grassroots.members.delegates import CONFERENCE, gc_formula
from grassroots.members.eligibility import RuleSet
from grassroots.members.forms import (
    AffiliationForm,
    DelegateForm,
    OccasionForm,
)
from grassroots.members.models import Occasion, Unit
from grassroots.members.permissions import can, require
from grassroots.members.views._common import _unit


@login_required
def occasion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An occasion's rules and its electorate: eligible, and held back by each reason."""
    o = get_object_or_404(Occasion.objects.select_related("unit"), pk=pk)
    require(request.user, "view_eligibility", o.unit)
    total, result = queries.electorate_of(o)
    counts = [(queries.REASON_LABELS[k], n) for k, n in result.counts().items()]
    return render(
        request,
        "members/occasion.html",
        {
            "o": o,
            "rules": o.rule_set(),
            "total": total,
            "result": result,
            "counts": counts,
            "on_payment": int(result.on_payment.sum()),
            "can_manage": can(request.user, "manage_occasions", o.unit),
        },
    )


def _delegate_rows(table: list[queries.BodyEntitlement]) -> SafeString:
    """The table's rows, written directly: a national table of 600 branches with their
    working took a quarter of a second through the template, tag by tag."""

    def group(row: queries.BodyEntitlement, name: str) -> str:
        groups = row.figures.groups
        return str(groups[name]) if name in groups else "not recorded"

    return mark_safe(  # every part escaped by format_html
        "".join(
            format_html(
                '<tr>\n    <td data-label="Branch or body">{}</td>'
                '<td class="num" data-label="Members">{}</td>\n'
                '    <td class="num" data-label="Women">{}</td>'
                '<td class="num" data-label="Under 27">{}</td>\n'
                '    <td class="num" data-label="Delegates">{}</td>'
                '<td class="num" data-label="Women at least">{}</td>\n'
                '    <td data-label="Extra">{}</td>\n'
                '    <td data-label="Working"><ul><li>{}</li>{}</ul></td>\n  </tr>',
                row.body.name,
                row.figures.members,
                group(row, "women"),
                group(row, "young"),
                row.result.delegates,
                row.result.women_at_least,
                ", ".join(row.result.extras) or "none",
                row.basis,
                format_html_join("", "<li>{}</li>", ((s,) for s in row.result.steps)),
            )
            for row in table
        )
    )


@login_required
def delegates(request: HttpRequest, code: str) -> HttpResponse:
    """Delegate entitlement per branch and affiliated body at a snapshot date, with the figures
    and steps used; an affiliated body's page records its affiliated membership."""
    unit = _unit(code)
    require(request.user, "view_delegates", unit)
    default = {
        "snapshot": dt.date(dt.date.today().year - 1, 12, 31),
        "formula": "conference",
        "per": 25,
    }
    form = DelegateForm(request.GET or default)
    table = []
    formula = None
    if form.is_valid():
        d = form.cleaned_data
        formula = CONFERENCE if d["formula"] == "conference" else gc_formula(d["per"])
        table = queries.delegate_table(
            Unit.objects.filter(path__startswith=unit.path), formula, d["snapshot"]
        )
    affiliate = unit.kind == "affiliate"
    may_record = affiliate and can(request.user, "edit_register", unit)
    return render(
        request,
        "members/delegates.html",
        {
            "unit": unit,
            "form": form,
            "table": table,
            "rows": _delegate_rows(table),
            "formula": formula,
            "affiliations": unit.affiliations.all()[:10] if affiliate else None,
            "affiliation_form": AffiliationForm() if may_record else None,
        },
    )


@login_required
@require_POST
def affiliation_record(request: HttpRequest, code: str) -> HttpResponse:
    """Record an affiliated body's affiliated membership at a date."""
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    form = AffiliationForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            actions.record_affiliation(
                unit, members=d["members"], as_of=d["as_of"], by=request.user, reason=d["reason"]
            )
        except actions.ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Recorded {d['members']} affiliated members at {day(d['as_of'])}."
            )
    else:
        problems = "; ".join(f"{form[f].label}: {' '.join(e)}" for f, e in form.errors.items())
        messages.error(request, f"Nothing recorded. {problems}")
    return redirect("members:delegates", code=unit.code)


@login_required
def occasion_new(request: HttpRequest, code: str) -> HttpResponse:
    """Open a meeting or ballot with its eligibility rules."""
    unit = _unit(code)
    require(request.user, "manage_occasions", unit)
    form = OccasionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        branch = unit.kind == "branch" and d["branch_only"]
        rules = RuleSet(
            on=d["date"],
            freeze_date=d["freeze_date"],
            paid_up_to=d["paid_up_to"],
            may_pay_on_day=d["may_pay_on_day"],
            provisional_days=d["provisional_days"],
            min_membership_days=d["min_membership_days"],
            exclude_suspended=d["exclude_suspended"],
            branch_id=unit.pk if branch else None,
            branch_name=unit.name if branch else "",
        )
        try:
            o = actions.create_occasion(
                by=request.user,
                title=d["title"],
                kind=d["kind"],
                unit=unit,
                date=d["date"],
                rules=rules,
                reason=d["reason"],
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("members:occasion", pk=o.pk)
    return render(request, "members/occasion_form.html", {"unit": unit, "form": form})


@login_required
@require_POST
def occasion_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a meeting or ballot."""
    o = get_object_or_404(Occasion, pk=pk)
    try:
        actions.close_occasion(o, by=request.user, reason=request.POST.get("reason", ""))
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("members:occasion", pk=o.pk)
