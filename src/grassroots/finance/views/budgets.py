"""Budgets in the browser: actual against budget per line (a table and a chart), the
treasurer's lines and the meeting's approval."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from grassroots.finance.actions import budgets as actions
from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.books_forms import BudgetForm, DecisionForm
from grassroots.finance.decisions import citable, minute_of
from grassroots.finance.models import Account, Budget
from grassroots.finance.queries import actual_against_budget
from grassroots.finance.views._books_common import books_of, unit_for
from grassroots.finance.views.spends import decision_words
from grassroots.members.permissions import can


def budget(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """An approved budget is public; a draft is seen by those who may see the books."""
    unit = unit_for(request, code)
    if not 2000 <= year <= 2100:
        raise Http404("no such budget year")
    found = Budget.objects.filter(unit=unit, year=year).first()
    may_keep = can(request.user, "keep_books", unit)
    if (found is None or found.decision_id is None) and not can(request.user, "view_books", unit):
        if found is None:
            raise Http404(f"{unit.name} has no budget for {year}")
        raise PermissionDenied(f"{unit.name}'s {year} budget is not approved yet")
    lines = list(Account.objects.filter(unit=unit, category__in=["income", "expense"]))
    current = {bl.account_id: bl.amount for bl in found.lines.all()} if found else {}
    editable = may_keep and (found is None or found.decision_id is None)
    form = BudgetForm(
        request.POST if request.method == "POST" and "lines" in request.POST else None,
        lines=[(a.pk, a.name, str(current.get(a.pk, ""))) for a in lines],
    )
    decisions = list(citable(unit)[:50])
    approve = DecisionForm(
        request.POST if request.method == "POST" and "approve" in request.POST else None,
        decisions=[(v.pk, decision_words(v)) for v in decisions],
        label="The meeting's decision approving this budget",
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(f"only {unit.name}'s treasurer changes a draft budget")
        try:
            if "lines" in request.POST and form.is_valid():
                chosen = {
                    a: form.cleaned_data[f"line{a.pk}"].strip()
                    for a in lines
                    if form.cleaned_data[f"line{a.pk}"].strip()
                }
                actions.set_budget(unit, year=year, lines=chosen, by=request.user)
                messages.success(request, f"The {year} budget is saved as a draft.")
                return redirect("finance:budget", code=unit.code, year=year)
            if "approve" in request.POST and approve.is_valid() and found is not None:
                vote = next(v for v in decisions if str(v.pk) == approve.cleaned_data["decision"])
                actions.approve_budget(found, decision=vote, by=request.user)
                messages.success(request, f"The {year} budget is approved.")
                return redirect("finance:budget", code=unit.code, year=year)
        except BooksRefused as e:
            (form if "lines" in request.POST else approve).add_error(None, str(e))
    rows = actual_against_budget(found) if found else []
    return render(
        request,
        "finance/books/budget.html",
        {
            "unit": unit,
            "year": year,
            "budget": found,
            "books": books_of(unit),
            "rows": rows,
            "chart_height": len(rows) * 56 + 8,
            "minute": minute_of(found.decision) if found and found.decision else None,
            "form": form if editable else None,
            "approve_form": approve if editable and found and found.lines.exists() else None,
        },
    )
