"""Refunding a recorded subscription payment, in full or in part, with a reason.

The payment is never changed or deleted: a refund is a row of its own with what it takes back
from each unit that shared the payment, split by ``finance.refunds`` (the same rounding rule as
the payment, so the shares add up to the refund and a full refund returns each unit's share
exactly). Atomic, checked and audited like every action.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.finance.apportion import RuleError, format_pence
from grassroots.finance.models import Payment, Refund
from grassroots.finance.refunds import RefundError, refund_shares
from grassroots.members.actions import ActionRefused
from grassroots.members.actions._common import User, _check
from grassroots.members.models import Unit

__all__ = ["holder", "refund_payment", "refunded"]


def refunded(payment: Payment) -> int:
    """What refunds of ``payment`` have given back so far, in pence."""
    return sum(Refund.objects.filter(payment=payment).values_list("amount", flat=True))


def holder(payment: Payment) -> Unit:
    """The unit whose treasurer refunds the payment: the member's branch when it was paid."""
    unit_id = payment.branch_id or payment.region_id or payment.national_id
    return Unit.objects.get(pk=unit_id)


@transaction.atomic
def refund_payment(
    payment: Payment,
    *,
    amount: int,
    reason: str,
    by: User | None,
    refunded_on: dt.date | None = None,
    source: str = "officer",
    reference: str = "",
) -> Refund:
    """Give ``amount`` pence of ``payment`` back to the member, taking each unit's share back.

    Refused (nothing stored) for anyone but a treasurer of the payment's branch or above (or an
    administrator), for nothing or more than is left of the payment, a payment refunded in
    full already, a date before the payment or in the future, or no reason.
    """
    try:
        payment = (
            Payment.objects.select_for_update().select_related("rule", "member").get(pk=payment.pk)
        )
    except Payment.DoesNotExist:
        raise ActionRefused("there is no such payment") from None
    _check(by, "refund_subscriptions", holder(payment))
    reason = reason.strip()
    if not reason:
        raise ActionRefused("say why the payment is refunded")
    day = refunded_on or timezone.localdate()
    if day > timezone.localdate():
        raise ActionRefused(f"{day} is in the future: record a refund once it is made")
    if day < payment.paid_on:
        raise ActionRefused(
            f"a refund cannot be dated {day}, before the payment on {payment.paid_on}"
        )
    if len(reference) > 100:
        raise ActionRefused("a reference is at most 100 characters")
    if reference and Refund.objects.filter(source=source, reference=reference).exists():
        raise ActionRefused(f"a refund with the reference {reference} is already recorded")
    before = refunded(payment)
    present = [level for level, _, _ in payment.shares()]
    try:
        split = payment.rule.band(payment.band)
        shares = dict(refund_shares(payment.amount, before, amount, split, present))
    except (RefundError, RuleError) as e:
        raise ActionRefused(str(e)) from None
    refund = Refund.objects.create(
        payment=payment,
        refunded_on=day,
        amount=amount,
        reason=reason,
        source=source,
        reference=reference,
        recorded_at=timezone.now(),
        recorded_by=by if by is not None and by.is_authenticated else None,
        **{f"{level}_pence": pence for level, pence in shares.items()},
    )
    member = payment.member
    whole = "in full" if before + amount == payment.amount else "in part"
    record(
        by,
        "refund_subscription_payment",
        f"member:{member.number}",
        f"{format_pence(amount)} of {member.name}'s ({member.number}) payment of "
        f"{format_pence(payment.amount)} on {payment.paid_on} refunded {whole} on {day}, "
        "taken back: " + ", ".join(f"{level} {format_pence(p)}" for level, p in shares.items()),
        reason=reason,
        detail={
            "payment": payment.pk,
            "refund": refund.pk,
            "amount": amount,
            "shares": shares,
            "source": source,
            "reference": reference,
        },
    )
    return refund
