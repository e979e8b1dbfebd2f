"""Published accounts in the browser: preparing them, their page (each line drilling down to
its transactions and their approvals), the auditors' sign-off, the AGM's approval, CSV and PDF
downloads; and the executive's look at the books, logged."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from grassroots.finance.accounts_files import accounts_csv, accounts_pdf, load
from grassroots.finance.actions import accounts as actions
from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.actions.looks import record_look
from grassroots.finance.books_forms import DecisionForm, PeriodForm, SignOffForm
from grassroots.finance.decisions import citable, minute_of
from grassroots.finance.models import Budget, PublishedAccounts, SignOff
from grassroots.finance.views._books_common import unit_for
from grassroots.finance.views.spends import decision_words
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import can


@login_required
def accounts_new(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_for(request, code, "keep_books")
    # the year after the latest accounts prepared (last year's if none are)
    latest = PublishedAccounts.objects.filter(unit=unit).order_by("-end").first()
    start = (
        latest.end + dt.timedelta(days=1)
        if latest is not None
        else dt.date(timezone.localdate().year - 1, 1, 1)
    )
    form = PeriodForm(
        request.POST or None, initial={"start": start, "end": dt.date(start.year, 12, 31)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            acc = actions.prepare_accounts(
                unit,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                by=request.user,
            )
        except BooksRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, "Accounts prepared and frozen: the auditors sign them off.")
            return redirect("finance:accounts", code=unit.code, pk=acc.pk)
    return render(request, "finance/books/accounts_form.html", {"unit": unit, "form": form})


def _visible(request: HttpRequest, code: str, pk: int) -> tuple[Unit, PublishedAccounts]:
    unit = unit_for(request, code)
    acc = get_object_or_404(PublishedAccounts, pk=pk, unit=unit)
    if acc.state != "published" and not can(request.user, "view_books", unit):
        raise PermissionDenied(f"these accounts of {unit.name} are not published yet")
    return unit, acc


def accounts(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit, acc = _visible(request, code, pk)
    content = load(acc.content)
    by_id = {t["id"]: t for t in content["transactions"]}
    names = {b["code"]: b["name"] for b in content["balances"]}
    names |= {x["code"]: x["name"] for x in content["income"] + content["expenditure"]}
    for t in by_id.values():  # each leg by its account's name, as the lines are shown
        t["named_legs"] = [(names.get(code, code), amount) for code, amount in t["legs"]]
    drill = [
        (line, [by_id[i] for i in line["transactions"]])
        for line in content["income"] + content["expenditure"] + content["balances"]
    ]
    signoffs = list(SignOff.objects.filter(accounts=acc).select_related("auditor"))
    may_sign = (
        acc.state == "prepared"
        and can(request.user, "audit_accounts", unit)
        and not any(s.auditor_id == request.user.pk for s in signoffs)
    )
    used = set(  # a decision approves one set of accounts
        PublishedAccounts.objects.filter(unit=unit, decision__isnull=False)
        .exclude(pk=acc.pk)
        .values_list("decision_id", flat=True)
    )
    agm = [v for v in citable(unit)[:50] if v.meeting.body.kind == "agm" and v.pk not in used]
    may_approve = acc.state == "signed" and can(request.user, "keep_books", unit)
    sign = SignOffForm(
        request.POST if request.method == "POST" and "sign" in request.POST else None,
        initial={"sha256": acc.sha256},
    )
    approve = DecisionForm(
        request.POST if request.method == "POST" and "approve" in request.POST else None,
        decisions=[(v.pk, decision_words(v)) for v in agm],
        label="The AGM's decision approving these accounts",
    )
    if request.method == "POST":
        try:
            if "sign" in request.POST:
                if not may_sign and acc.state == "prepared":
                    raise PermissionDenied(f"only {unit.name}'s auditors sign off its accounts")
                if sign.is_valid():
                    actions.sign_off(
                        acc,
                        sha256=sign.cleaned_data["sha256"],
                        note=sign.cleaned_data["note"],
                        by=request.user,
                    )
                    messages.success(request, "You have signed off these accounts.")
                    return redirect("finance:accounts", code=unit.code, pk=acc.pk)
            elif "approve" in request.POST:
                if not may_approve and acc.state == "signed":
                    raise PermissionDenied(f"only {unit.name}'s treasurer records the approval")
                if approve.is_valid():
                    vote = next(v for v in agm if str(v.pk) == approve.cleaned_data["decision"])
                    actions.approve_accounts(acc, decision=vote, by=request.user)
                    messages.success(request, "The AGM's approval is recorded: published.")
                    return redirect("finance:accounts", code=unit.code, pk=acc.pk)
        except BooksRefused as e:
            (sign if "sign" in request.POST else approve).add_error(None, str(e))
    return render(
        request,
        "finance/books/accounts.html",
        {
            "unit": unit,
            "acc": acc,
            "c": content,
            "drill": drill,
            "signoffs": signoffs,
            "minute": minute_of(acc.decision) if acc.decision else None,
            "sign_form": sign if may_sign else None,
            "approve_form": approve if may_approve else None,
        },
    )


def _status(acc: PublishedAccounts) -> str:
    if acc.state == "published" and acc.decision is not None:
        return f"Approved at {acc.decision.meeting.title} and published."
    return f"{acc.get_state_display()}: not published."


def accounts_csv_file(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit, acc = _visible(request, code, pk)
    response = HttpResponse(
        accounts_csv(load(acc.content), acc.sha256), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{unit.code}-{acc.end}.csv"'
    return response


def accounts_pdf_file(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit, acc = _visible(request, code, pk)
    response = HttpResponse(
        accounts_pdf(load(acc.content), acc.sha256, _status(acc)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{unit.code}-{acc.end}.pdf"'
    return response


@login_required
def look(request: HttpRequest, code: str) -> HttpResponse:
    """An executive member (or treasurer, auditor, administrator) sees the unit's budgets,
    accounts and membership figures without asking anyone; the look is logged."""
    unit = unit_for(request, code, "view_books")
    record_look(unit, what="budgets, accounts and membership figures", by=request.user)
    units = list(Unit.objects.filter(path__startswith=unit.path).order_by("path"))
    members = Member.objects.filter(branch__path__startswith=unit.path)
    by_unit: dict[int, Counter[str]] = {u.pk: Counter() for u in units}
    for row in members.values("branch_id", "status").annotate(n=Count("pk")):
        by_unit[row["branch_id"]][row["status"]] += row["n"]
    statuses = sorted({s for c in by_unit.values() for s in c})
    joined = (
        members.annotate(year=ExtractYear("join_date"))
        .values("year", "status")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    years: dict[int, Counter[str]] = {}
    for row in joined:
        years.setdefault(row["year"], Counter())[row["status"]] += row["n"]
    running: Counter[str] = Counter()
    over_time = []
    for year in range(min(years), max(years) + 1) if years else []:  # a year none joined too
        running += years.get(year, Counter())
        over_time.append((year, [running[s] for s in statuses], sum(running.values())))
    return render(
        request,
        "finance/books/look.html",
        {
            "unit": unit,
            "budgets": Budget.objects.filter(unit__path__startswith=unit.path).select_related(
                "unit"
            ),
            "accounts": PublishedAccounts.objects.filter(
                unit__path__startswith=unit.path
            ).select_related("unit"),
            "statuses": statuses,
            "by_unit": [
                (u, [by_unit[u.pk][s] for s in statuses], sum(by_unit[u.pk].values()))
                for u in units
                if by_unit[u.pk]
            ],
            "over_time": over_time,
        },
    )
