"""Refunding a payment: the treasurer's form on a member's subscription page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from grassroots.finance.actions.refunds import holder, refund_payment, refunded
from grassroots.finance.apportion import format_pence
from grassroots.finance.forms_refunds import RefundForm
from grassroots.finance.models import Payment
from grassroots.members.actions import ActionRefused
from grassroots.members.models import Member
from grassroots.members.permissions import require

__all__ = ["refund_new"]


@login_required
def refund_new(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    member = get_object_or_404(Member, number=number)
    payment = get_object_or_404(Payment.objects.select_related("split__rule"), pk=pk, member=member)
    require(request.user, "refund_subscriptions", holder(payment))
    left = payment.amount - refunded(payment)
    form = RefundForm(
        request.POST or None,
        initial={"refunded_on": timezone.localdate(), "amount": format_pence(left, "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            refund_payment(
                payment,
                amount=data["amount"],
                reason=data["reason"],
                refunded_on=data["refunded_on"],
                by=request.user,
            )
        except ActionRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(
                request,
                f"Refund of {format_pence(data['amount'])} recorded; each unit's share of it "
                "is taken back.",
            )
            return redirect("finance:member_subscription", number=member.number)
    return render(
        request,
        "finance/subscriptions/refund_form.html",
        {"member": member, "payment": payment, "left": left, "form": form},
    )
