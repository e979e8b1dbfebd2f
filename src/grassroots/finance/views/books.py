"""A unit's books: the public page (spending, budgets, published accounts), the treasurer's
settings (threshold, accounts) and the beancount download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from grassroots.finance.actions import ledger as actions
from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.actions.looks import record_look
from grassroots.finance.books_forms import AccountForm, ThresholdForm
from grassroots.finance.models import Account, Budget, PublishedAccounts, Spend, Statement
from grassroots.finance.queries import account_totals, beancount_text
from grassroots.finance.views._books_common import books_of, unit_for
from grassroots.members.permissions import can


def overview(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone: the unit's spending (unapproved spends marked), budgets and published accounts;
    for those who may see the books, every account's balance too."""
    unit = unit_for(request, code)
    books = books_of(unit)
    spends = Spend.objects.filter(unit=unit).select_related(
        "budget_line", "decision", "decision__meeting"
    )
    may_see = can(request.user, "view_books", unit)
    balances = []
    if books is not None and may_see:
        if not can(request.user, "keep_books", unit):  # the treasurer's own books go unlogged
            record_look(unit, what="balances", by=request.user)
        totals = account_totals(unit, None, timezone.localdate())
        balances = [(a, totals.get(a.pk, 0)) for a in Account.objects.filter(unit=unit)]
    may_keep = can(request.user, "keep_books", unit)
    return render(
        request,
        "finance/books/overview.html",
        {
            "unit": unit,
            "books": books,
            "spends": spends,
            "unapproved": [s for s in spends if s.state == "unapproved"],
            "budgets": Budget.objects.filter(unit=unit, decision__isnull=False),
            "accounts": PublishedAccounts.objects.filter(unit=unit, state="published"),
            "drafts": PublishedAccounts.objects.filter(unit=unit).exclude(state="published")
            if may_see
            else [],
            "balances": balances,
            "may_see": may_see,
            "this_year": timezone.localdate().year,
            "may_keep": may_keep,
            "waiting": Statement.objects.filter(account__unit=unit, state="checked").select_related(
                "account"
            )
            if may_keep
            else [],
            "may_approve": can(request.user, "approve_spending", unit),
            "may_audit": can(request.user, "audit_accounts", unit),
        },
    )


@login_required
def settings(request: HttpRequest, code: str) -> HttpResponse:
    """The treasurer: the spending threshold and the unit's accounts."""
    unit = unit_for(request, code, "keep_books")
    books = books_of(unit)
    threshold = ThresholdForm(
        request.POST if "threshold" in request.POST else None,
        initial={"threshold": books.threshold if books else ""},
    )
    account = AccountForm(request.POST if "code" in request.POST else None)
    if request.method == "POST":
        try:
            if threshold.is_bound and threshold.is_valid():
                actions.open_books(
                    unit, threshold=threshold.cleaned_data["threshold"], by=request.user
                )
                messages.success(request, "Spending threshold saved.")
                return redirect("finance:books_settings", code=unit.code)
            if account.is_bound and account.is_valid():
                d = account.cleaned_data
                actions.open_account(
                    unit,
                    code=d["code"],
                    name=d["name"],
                    category=d["category"],
                    is_bank=d["is_bank"],
                    by=request.user,
                )
                messages.success(request, f"Account {d['name']} opened.")
                return redirect("finance:books_settings", code=unit.code)
        except BooksRefused as e:
            (threshold if threshold.is_bound else account).add_error(None, str(e))
    return render(
        request,
        "finance/books/settings.html",
        {
            "unit": unit,
            "books": books,
            "threshold_form": threshold,
            "account_form": account,
            "accounts": Account.objects.filter(unit=unit),
        },
    )


@login_required
def beancount(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for(request, code, "view_books")
    record_look(unit, what="ledger (beancount download)", by=request.user)
    response = HttpResponse(beancount_text(unit), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{unit.code}.beancount"'
    return response
