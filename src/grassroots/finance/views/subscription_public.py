"""Public subscription pages: the rules, each unit's totals, remittances owed and paid, the
what-if split; the national office's forms for a new rule and a remittance; the rules' JSON API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from grassroots.finance import subscription_figures as figures
from grassroots.finance.actions.subscriptions import create_rule, national_unit, record_remittance
from grassroots.finance.apportion import LEVELS, format_pence
from grassroots.finance.forms_subscriptions import RemittanceForm, RuleForm, WhatIfForm, year_from
from grassroots.finance.models import SubscriptionRule
from grassroots.finance.posting_figures import books_income
from grassroots.finance.views.subscriptions import accounts_url
from grassroots.members.actions import ActionRefused
from grassroots.members.models import Unit
from grassroots.members.permissions import can, require
from grassroots.site import once

__all__ = [
    "api_rule",
    "api_rules",
    "remittance_new",
    "remittances",
    "rule_new",
    "rules",
    "unit_subscriptions",
    "what_if",
]

ROUNDING = (
    "Each payment is split in proportion to its band's shares, to the penny: each level gets "
    "the whole pence below its exact share, and the pence left over go one each to the levels "
    "with the largest fractions left, a tie to the level nearer the member (ward, branch, "
    "region, national). A level the member has not got passes its share to the level above."
)


def _this_year() -> int:
    return timezone.localdate().year


def _unit(code: str) -> Unit:
    return get_object_or_404(Unit, code=code)


_Bands = list[tuple[str, int, list[tuple[str, int]]]]


def _rule_rows() -> list[tuple[SubscriptionRule, dt.date | None, _Bands]]:
    stored = list(SubscriptionRule.objects.order_by("-effective_from"))
    out = []
    until: dt.date | None = None
    for s in stored:
        rule = s.rule()
        bands = [(b, sp.rate, [(lv, sp.share(lv)) for lv in LEVELS]) for b, sp in rule.bands]
        out.append((s, until, bands))
        until = s.effective_from - dt.timedelta(days=1)
    return out


def rules(request: HttpRequest) -> HttpResponse:
    """Every rule with its rates and split, and the top of the tree's totals."""
    units = Unit.objects.filter(kind__in=LEVELS, parent=None)
    try:
        national = national_unit()
    except ActionRefused:
        national = None
    return render(
        request,
        "finance/subscriptions/rules.html",
        {
            "rows": _rule_rows(),
            "levels": LEVELS,
            "rounding": ROUNDING,
            "units": units,
            "may_set": national is not None
            and can(request.user, "set_subscription_rules", national),
        },
    )


@login_required
def rule_new(request: HttpRequest) -> HttpResponse:
    national = national_unit() if Unit.objects.filter(parent=None).exists() else None
    if national is None:
        return redirect("finance:rules")
    require(request.user, "set_subscription_rules", national)
    latest = SubscriptionRule.objects.order_by("-effective_from").first()
    form = RuleForm(request.POST or None, current=latest.bands if latest else None)
    if request.method == "POST" and form.is_valid():
        bands = form.bands()
        if form.is_valid():
            try:
                create_rule(
                    effective_from=form.cleaned_data["effective_from"],
                    bands=bands,
                    currency=latest.currency if latest else "GBP",
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ActionRefused as e:
                form.add_error(None, str(e)[0].upper() + str(e)[1:] + ".")
            else:
                messages.success(request, "The new rule is recorded.")
                return redirect("finance:rules")
    return render(request, "finance/subscriptions/rule_form.html", {"form": form})


def unit_subscriptions(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's subscription income in a year, by month, and the units below it."""
    unit = _unit(code)
    year = year_from(request.GET.get("year"), _this_year())
    if figures.level_of(unit) is None:
        return render(request, "finance/subscriptions/not_a_level.html", {"unit": unit}, status=404)
    return render(
        request,
        "finance/subscriptions/unit.html",
        {
            "unit": unit,
            "d": figures.unit_year(unit, year),
            "year": year,
            "previous": year - 1,
            "next": year + 1 if year < _this_year() else None,
            "accounts": accounts_url(unit),
            "may_import": can(request.user, "record_subscriptions", unit),
        },
    )


def remittances(request: HttpRequest, code: str) -> HttpResponse:
    """What the national office owes the unit from its share, what it paid, the difference."""
    unit = _unit(code)
    year = year_from(request.GET.get("year"), _this_year())
    level = figures.level_of(unit)
    if level is None:
        return render(request, "finance/subscriptions/not_a_level.html", {"unit": unit}, status=404)
    context: dict[str, Any] = {
        "unit": unit,
        "year": year,
        "previous": year - 1,
        "next": year + 1 if year < _this_year() else None,
        "may_record": can(request.user, "set_subscription_rules", unit),
    }
    if level == "national":
        rows = figures.remittances_by_unit(unit, year)
        context["by_unit"] = [(u, owed, paid, owed - paid) for u, owed, paid in rows]
        context["totals"] = [sum(r[i] for r in rows) for i in (1, 2)]
    else:
        rows_m = figures.remittances(unit, year)
        context["months"] = rows_m
        national = national_unit()
        if can(request.user, "set_subscription_rules", national):  # a way on to pay what is owed
            context["record_url"] = (
                reverse("finance:remittance_new", args=[national.code]) + f"?unit={unit.code}"
            )
        owed, paid = sum(r.owed for r in rows_m), sum(r.paid for r in rows_m)
        context["totals"] = [owed, paid, owed - paid]
        context["books"] = books_income(unit, year, drafts=can(request.user, "view_books", unit))
    return render(request, "finance/subscriptions/remittances.html", context)


@login_required
def remittance_new(request: HttpRequest, code: str) -> HttpResponse:
    """The national office records money it paid a unit below it."""
    national = _unit(code)
    require(request.user, "set_subscription_rules", national)
    if national.parent_id is not None or national.kind != "national":
        return redirect("finance:remittances", code=national.code)
    units = [
        (u.code, f"{u.name} ({u.get_kind_display().lower()})")
        for u in Unit.objects.filter(kind__in=("region", "branch", "ward")).order_by("path")
    ]
    today = timezone.localdate()
    months = []
    for back in range(24):
        y, m = divmod(today.year * 12 + today.month - 1 - back, 12)
        day = dt.date(y, m + 1, 1)
        months.append((day.isoformat(), f"{day:%B %Y}"))
    form = RemittanceForm(
        request.POST or None,
        units=units,
        months=months,
        initial={"unit": request.GET.get("unit", "")},  # from a unit's remittances page
    )
    sent = request.POST.get(once.FIELD, "")
    if request.method == "POST" and form.is_valid() and not once.still_open(request, sent):
        form.add_error(None, once.ALREADY_SENT)
    elif request.method == "POST" and form.is_valid():
        unit = Unit.objects.get(code=form.cleaned_data["unit"])
        try:
            with once.sending(request, sent):
                record_remittance(
                    unit,
                    period=dt.date.fromisoformat(form.cleaned_data["period"]),
                    paid_on=form.cleaned_data["paid_on"],
                    amount=form.cleaned_data["amount"],
                    reference=form.cleaned_data["reference"],
                    by=request.user,
                )
        except once.AlreadySent as e:
            form.add_error(None, str(e))
        except ActionRefused as e:
            form.add_error(None, str(e)[0].upper() + str(e)[1:] + ".")
        else:
            messages.success(
                request,
                f"Recorded {format_pence(form.cleaned_data['amount'])} paid to {unit.name}.",
            )
            return redirect("finance:remittances", code=unit.code)
    once.add_token(form, request)
    return render(
        request, "finance/subscriptions/remittance_form.html", {"form": form, "unit": national}
    )


def what_if(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's income in a year had its level received another share of every payment."""
    unit = _unit(code)
    level = figures.level_of(unit)
    if level is None:
        return render(request, "finance/subscriptions/not_a_level.html", {"unit": unit}, status=404)
    year = _this_year()
    asked = "percent" in request.GET
    data = request.GET.copy()
    data.setdefault("year", str(year))  # a link that names only the share means this year
    form = WhatIfForm(data if asked else None, initial={"percent": 10, "year": year})
    result = None
    if asked and form.is_valid():
        percent: Decimal = form.cleaned_data["percent"]
        result = figures.what_if(unit, form.cleaned_data["year"], Fraction(percent))
    return render(
        request,
        "finance/subscriptions/what_if.html",
        {"unit": unit, "level": level, "form": form, "r": result},
    )


def _rule_json(request: HttpRequest, s: SubscriptionRule, until: dt.date | None) -> dict[str, Any]:
    return {
        "id": s.pk,
        "effective_from": s.effective_from.isoformat(),
        "effective_until": until.isoformat() if until else None,
        "currency": s.currency,
        "reason": s.reason,
        "bands": s.rule().to_dict(),
        "rounding": ROUNDING,
        "url": request.build_absolute_uri(reverse("finance:api_rule", args=[s.pk])),
    }


def api_rules(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "rules": [_rule_json(request, s, until) for s, until, _ in _rule_rows()],
            "rounding": ROUNDING,
        }
    )


def api_rule(request: HttpRequest, pk: int) -> JsonResponse:
    s = get_object_or_404(SubscriptionRule, pk=pk)
    later = (
        SubscriptionRule.objects.filter(effective_from__gt=s.effective_from)
        .order_by("effective_from")
        .first()
    )
    until = later.effective_from - dt.timedelta(days=1) if later else None
    return JsonResponse(_rule_json(request, s, until))
