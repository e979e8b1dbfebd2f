"""Subscription pages for members and officers: where a member's subscription goes, recording a
payment, and importing a payments file (checked, reported, confirmed, recorded whole)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.finance import subscription_figures as figures
from grassroots.finance.actions.refunds import (
    RefundPlan,
    import_processor_export,
    plan_processor_refunds,
)
from grassroots.finance.actions.subscriptions import import_payments, record_payment
from grassroots.finance.forms_subscriptions import PaymentForm, PaymentsFileForm, year_from
from grassroots.finance.payments_csv import PaymentsFile
from grassroots.finance.posting_figures import books_income
from grassroots.members import staging
from grassroots.members.actions import ActionRefused
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import can, require
from grassroots.site import once
from grassroots.site.uploads import csv_text, upload_limit
from grassroots.textfiles import unicode_text

__all__ = [
    "accounts_url",
    "member_subscription",
    "my_subscription",
    "payment_new",
    "payments_import",
    "payments_import_confirm",
]

SHOWN = 500  # rows of a report shown; the rest are counted


def accounts_url(unit: Unit) -> str:
    """Where the unit's published accounts and spending are; its subscription totals until the
    books have pages of their own."""
    for name in ("finance:accounts", "finance:unit_accounts", "finance:books"):
        try:
            return reverse(name, kwargs={"code": unit.code})
        except NoReverseMatch:
            continue
    return reverse("finance:unit_subscriptions", kwargs={"code": unit.code})


def _page(request: HttpRequest, member: Member, own: bool) -> HttpResponse:
    year = year_from(request.GET.get("year"), timezone.localdate().year)
    data = figures.member_year(member, year)
    return render(
        request,
        "finance/subscriptions/member.html",
        {
            "member": member,
            "own": own,
            "d": data,
            "year": year,
            "previous": year - 1,
            "next": year + 1 if year < timezone.localdate().year else None,
            "accounts": accounts_url(member.branch),
            "books": books_income(
                member.branch, year, drafts=can(request.user, "view_books", member.branch)
            ),
            "may_record": can(request.user, "record_subscriptions", member.branch),
            "may_refund": not own and can(request.user, "refund_subscriptions", member.branch),
        },
    )


@login_required
def my_subscription(request: HttpRequest) -> HttpResponse:
    """Where your subscription goes: what you paid, how it was split, what your branch got."""
    member = Member.objects.filter(user=request.user).select_related("branch", "ward").first()
    if member is None:
        return render(request, "finance/subscriptions/no_member.html", status=404)
    return _page(request, member, own=True)


@login_required
def member_subscription(request: HttpRequest, number: str) -> HttpResponse:
    """The same page for an officer who keeps the member's register or records payments."""
    member = get_object_or_404(Member.objects.select_related("branch", "ward"), number=number)
    if member.user_id is not None and member.user_id == request.user.pk:
        return redirect("finance:my_subscription")
    if not (
        can(request.user, "view_register", member.branch)
        or can(request.user, "record_subscriptions", member.branch)
    ):
        require(request.user, "record_subscriptions", member.branch)
    return _page(request, member, own=False)


@login_required
def payment_new(request: HttpRequest, number: str) -> HttpResponse:
    member = get_object_or_404(Member.objects.select_related("branch"), number=number)
    require(request.user, "record_subscriptions", member.branch)
    form = PaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    sent = request.POST.get(once.FIELD, "")
    if request.method == "POST" and form.is_valid() and not once.still_open(request, sent):
        form.add_error(None, once.ALREADY_SENT)
    elif request.method == "POST" and form.is_valid():
        try:
            with once.sending(request, sent):
                p = record_payment(member, by=request.user, **form.cleaned_data)
        except once.AlreadySent as e:
            form.add_error(None, str(e))
        except ActionRefused as e:
            form.add_error(None, str(e))
        else:
            since = f"{p.rule.effective_from:%-d %B %Y}"
            messages.success(request, f"Payment recorded and split under the rule from {since}.")
            return redirect("finance:member_subscription", number=member.number)
    once.add_token(form, request)
    return render(
        request, "finance/subscriptions/payment_form.html", {"member": member, "form": form}
    )


def _import_limit() -> int:
    return int(settings.IMPORT_MAX_BYTES) + 65_536


def _digest(parsed: PaymentsFile, plan: RefundPlan | None = None) -> str:
    body = "\n".join(
        f"{r.row},{r.member_id},{r.paid_on},{r.amount},{r.band},{r.reference}" for r in parsed.rows
    )
    if plan is not None and plan.refunds:
        body += "\nrefunds\n" + "\n".join(f"{r.row},{r.reference},{r.amount}" for r in plan.refunds)
    return hashlib.sha256(body.encode()).hexdigest()


def _check(text: str, unit: Unit, user: Any) -> tuple[PaymentsFile, RefundPlan]:
    """The file's payments and, in a processor's export, its refunds."""
    parsed = figures.check_payments(text, unit)
    if parsed.layout != "processor":
        return parsed, RefundPlan()
    pending = {r.reference: (r.number, r.amount) for r in parsed.rows}
    may = can(user, "refund_subscriptions", unit)
    return parsed, plan_processor_refunds(text, unit, pending=pending, may_refund=may)


def _report(
    request: HttpRequest,
    unit: Unit,
    parsed: PaymentsFile,
    token: str,
    name: str,
    changed: bool = False,
    plan: RefundPlan | None = None,
) -> HttpResponse:
    return render(
        request,
        "finance/subscriptions/import_report.html",
        {
            "unit": unit,
            "parsed": parsed,
            "name": name,
            "token": token,
            "changed": changed,
            "errors": parsed.errors[:SHOWN],
            "more_errors": max(0, len(parsed.errors) - SHOWN),
            "rows": parsed.rows[:SHOWN],
            "more_rows": max(0, len(parsed.rows) - SHOWN),
            "left_out": parsed.left_out[:SHOWN],
            "more_left_out": max(0, len(parsed.left_out) - SHOWN),
            "plan": plan or RefundPlan(),
        },
    )


def _unit(code: str) -> Unit:
    return get_object_or_404(Unit, code=code)


@upload_limit(_import_limit)
@login_required
def payments_import(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a payments file: the report shows every problem, or what would be recorded."""
    unit = _unit(code)
    require(request.user, "record_subscriptions", unit)
    form = PaymentsFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        text = csv_text(form, raw, utf16=True)
        if text is not None:
            parsed, plan = _check(text, unit, request.user)
            token = ""
            if not parsed.errors and not plan.errors and (parsed.rows or plan.refunds):
                token = uuid.uuid4().hex
                staging.stage(token, raw)
                request.session[f"payments:{token}"] = {
                    "unit": unit.code, "name": upload.name, "plan": _digest(parsed, plan),
                }  # fmt: skip
            return _report(request, unit, parsed, token, upload.name, plan=plan)
    return render(request, "finance/subscriptions/import.html", {"unit": unit, "form": form})


@login_required
@require_POST
def payments_import_confirm(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(code)
    require(request.user, "record_subscriptions", unit)
    token = request.POST.get("token", "")
    staged = request.session.get(f"payments:{token}")
    raw = staging.load(token) if staged and staged.get("unit") == unit.code else None
    if raw is None:
        messages.error(request, "That upload has expired; please upload the file again.")
        return redirect("finance:payments_import", code=unit.code)
    parsed, plan = _check(unicode_text(raw) or "", unit, request.user)
    if _digest(parsed, plan) != staged.get("plan"):
        staged["plan"] = _digest(parsed, plan)
        request.session[f"payments:{token}"] = staged
        ok = not parsed.errors and not plan.errors
        return _report(request, unit, parsed, token if ok else "", staged["name"], True, plan)
    refunds = 0
    try:
        if parsed.layout == "processor":
            recorded, refunds = import_processor_export(
                parsed, plan, unit=unit, by=request.user, filename=staged["name"]
            )
        else:
            recorded = import_payments(
                parsed, unit=unit, by=request.user, filename=staged["name"]
            ).recorded
    except ActionRefused as e:
        messages.error(request, str(e))
        return redirect("finance:payments_import", code=unit.code)
    del request.session[f"payments:{token}"]
    staging.discard(token)
    messages.success(
        request,
        f"Recorded {recorded} payment{'s' if recorded != 1 else ''}"
        + (f" and {refunds} refund{'s' if refunds != 1 else ''}" if refunds else "")
        + f" from {staged['name']}.",
    )
    return redirect("finance:unit_subscriptions", code=unit.code)
