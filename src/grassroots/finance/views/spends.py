"""Spends in the browser: proposing one, and its page (approve citing a decision, pay)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from grassroots.finance.actions import spending as actions
from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.books_forms import ApproveForm, PayForm, SpendForm
from grassroots.finance.decisions import citable, minute_of
from grassroots.finance.models import Account, Spend
from grassroots.finance.views._books_common import books_of, unit_for
from grassroots.members.permissions import can
from grassroots.site import once


def decision_words(vote: object) -> str:
    v = vote
    return f"{v.question} — {v.meeting.body.name}, {v.meeting.local_start():%d/%m/%Y}"  # type: ignore[attr-defined]


@login_required
def spend_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for(request, code)
    if not (can(request.user, "keep_books", unit) or can(request.user, "approve_spending", unit)):
        raise PermissionDenied(f"only {unit.name}'s treasurer and officers propose spends")
    lines = list(Account.objects.filter(unit=unit, category="expense"))
    form = SpendForm(request.POST or None, lines=[(a.pk, a.name) for a in lines])
    sent = request.POST.get(once.FIELD, "")
    if request.method == "POST" and form.is_valid() and not once.still_open(request, sent):
        form.add_error(None, once.ALREADY_SENT)
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with once.sending(request, sent):
                spend = actions.propose_spend(
                    unit,
                    payee=d["payee"],
                    amount=d["amount"],
                    purpose=d["purpose"],
                    budget_line=next(a for a in lines if str(a.pk) == d["budget_line"]),
                    by=request.user,
                )
        except once.AlreadySent as e:
            form.add_error(None, str(e))
        except BooksRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, "Spend proposed: another officer must approve it.")
            return redirect("finance:spend", code=unit.code, pk=spend.pk)
    once.add_token(form, request)
    return render(
        request,
        "finance/books/spend_form.html",
        {"unit": unit, "form": form, "books": books_of(unit)},
    )


def spend(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Anyone: the spend, its state, who proposed and approved it and the decision cited, with
    the minute. Officers approve here; the treasurer records the payment."""
    unit = unit_for(request, code)
    s = get_object_or_404(
        Spend.objects.select_related("budget_line", "decision", "decision__meeting"),
        pk=pk,
        unit=unit,
    )
    decisions = list(citable(unit)[:50])
    banks = list(Account.objects.filter(unit=unit, is_bank=True))
    may_approve = s.state == "proposed" and can(request.user, "approve_spending", unit)
    may_pay = s.state == "approved" and can(request.user, "keep_books", unit)
    approve = ApproveForm(
        request.POST if request.method == "POST" and "approve" in request.POST else None,
        decisions=[(v.pk, decision_words(v)) for v in decisions],
    )
    pay = PayForm(
        request.POST if request.method == "POST" and "pay" in request.POST else None,
        banks=[(a.pk, a.name) for a in banks],
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect("login")
        try:
            if "approve" in request.POST:
                if not may_approve and s.state == "proposed":
                    raise PermissionDenied(f"only {unit.name}'s officers approve its spending")
                if approve.is_valid():
                    chosen = approve.cleaned_data["decision"]
                    actions.approve_spend(
                        s,
                        by=request.user,
                        decision=next((v for v in decisions if str(v.pk) == chosen), None),
                    )
                    messages.success(request, "Spend approved.")
                    return redirect("finance:spend", code=unit.code, pk=s.pk)
            elif "pay" in request.POST:
                if not may_pay and s.state == "approved":
                    raise PermissionDenied(f"only {unit.name}'s treasurer records payments")
                if pay.is_valid():
                    actions.pay_spend(
                        s,
                        bank=next(a for a in banks if str(a.pk) == pay.cleaned_data["bank"]),
                        date=pay.cleaned_data["date"],
                        by=request.user,
                    )
                    messages.success(request, "Payment recorded in the books.")
                    return redirect("finance:spend", code=unit.code, pk=s.pk)
        except BooksRefused as e:
            (approve if "approve" in request.POST else pay).add_error(None, str(e))
    return render(
        request,
        "finance/books/spend.html",
        {
            "unit": unit,
            "spend": s,
            "books": books_of(unit),
            "minute": minute_of(s.decision) if s.decision else None,
            "approve_form": approve if may_approve else None,
            "pay_form": pay if may_pay else None,
        },
    )
