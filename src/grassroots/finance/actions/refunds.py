"""Refunding a recorded subscription payment, in full or in part, with a reason.

The payment is never changed or deleted: a refund is a row of its own with what it takes back
from each unit that shared the payment, split by ``finance.refunds`` (the same rounding rule as
the payment, so the shares add up to the refund and a full refund returns each unit's share
exactly). Atomic, checked and audited like every action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.finance.apportion import RuleError, format_pence
from grassroots.finance.ledger import after_today
from grassroots.finance.models import Payment, Refund
from grassroots.finance.payments_csv import PaymentsFile, RowError
from grassroots.finance.processor_refunds import read_refunds
from grassroots.finance.refunds import RefundError, refund_shares
from grassroots.members.actions import ActionRefused
from grassroots.members.actions._common import User, _check
from grassroots.members.models import Unit

__all__ = [
    "PlannedRefund",
    "RefundPlan",
    "holder",
    "import_processor_export",
    "plan_processor_refunds",
    "record_processor_refunds",
    "refund_payment",
    "refunded",
]


def refunded(payment: Payment) -> int:
    """What refunds of ``payment`` have given back so far, in pence."""
    return sum(Refund.objects.filter(payment=payment).values_list("amount", flat=True))


def holder(payment: Payment) -> Unit:
    """The unit whose treasurer refunds the payment: the member's branch when it was paid."""
    split = payment.split
    unit_id = split.branch_id or split.region_id or split.national_id
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
        # the payment's row only: its split is shared with every payment of its kind
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("split__rule", "member")
            .get(pk=payment.pk)
        )
    except Payment.DoesNotExist:
        raise ActionRefused("there is no such payment") from None
    _check(by, "refund_subscriptions", holder(payment))
    reason = reason.strip()
    if not reason:
        raise ActionRefused("say why the payment is refunded")
    day = refunded_on or timezone.localdate()
    late = after_today("Date refunded", day, timezone.localdate())
    if late:
        raise ActionRefused(f"{late}: record a refund once it is made")
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


@dataclass(frozen=True)
class PlannedRefund:
    row: int
    reference: str  # the processor's id of the payment
    number: str  # the member's
    amount: int  # to refund now
    refunded: int  # the processor's refunded total, after this refund


@dataclass
class RefundPlan:
    refunds: list[PlannedRefund] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    left_out: list[RowError] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.refunds)


def plan_processor_refunds(
    text: str, unit: Unit, *, pending: Mapping[str, tuple[str, int]], may_refund: bool
) -> RefundPlan:
    """What a processor's export asks to refund: for each payment it marks refunded, what it
    refunded beyond the refunds already recorded of that payment.

    ``pending`` maps the references of payments the same file is about to record to their
    member's number and amount; ``may_refund`` whether the importer may refund (if not, the
    refunds are left out for a treasurer).
    """
    lines = read_refunds(text)
    plan = RefundPlan(errors=list(lines.errors))
    refs = [x.reference for x in lines.lines]
    stored = {
        p.reference: p
        for p in Payment.objects.filter(source="processor", reference__in=refs).select_related(
            "member", "split"
        )
    }
    inside = set(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    for x in lines.lines:
        p = stored.get(x.reference)
        if p is None and x.reference not in pending:
            plan.left_out.append(
                RowError(x.row, "Status", f"{x.reference} is refunded and was never recorded")
            )
            continue
        if (
            p is not None
            and (p.split.branch_id or p.split.region_id or p.split.national_id) not in inside
        ):
            plan.errors.append(
                RowError(x.row, "id", f"{x.reference} is a payment of a member outside {unit.name}")
            )
            continue
        number, paid = (p.member.number, p.amount) if p is not None else pending[x.reference]
        if paid != x.paid:
            plan.errors.append(
                RowError(
                    x.row,
                    "Amount",
                    f"{x.reference} was recorded as {format_pence(paid)}, the export says "
                    f"{format_pence(x.paid)}",
                )
            )
            continue
        new = x.refunded - (refunded(p) if p is not None else 0)
        if new <= 0:
            plan.left_out.append(
                RowError(x.row, "Amount Refunded", f"{x.reference}'s refund is already recorded")
            )
        elif not may_refund:
            plan.left_out.append(
                RowError(
                    x.row,
                    "Amount Refunded",
                    f"{x.reference}: a refund of {format_pence(new)} for a treasurer to record",
                )
            )
        else:
            plan.refunds.append(PlannedRefund(x.row, x.reference, number, new, x.refunded))
    return plan


@transaction.atomic
def record_processor_refunds(
    plan: RefundPlan, *, unit: Unit, by: User | None, filename: str = "upload"
) -> list[Refund]:
    """Record a checked plan's refunds (``plan_processor_refunds``); with any error, nothing.

    Each refund's reference is the payment's id with the processor's refunded total, so the
    same export imported again records nothing twice.
    """
    _check(by, "refund_subscriptions", unit)
    if plan.errors:
        raise ActionRefused(f"{len(plan.errors)} problem(s) in the refunds: nothing was recorded")
    out = []
    today = timezone.localdate()
    for r in plan.refunds:
        payment = Payment.objects.filter(source="processor", reference=r.reference).first()
        if payment is None:
            raise ActionRefused(f"row {r.row}: {r.reference} is not recorded; check the file again")
        out.append(
            refund_payment(
                payment,
                amount=r.amount,
                reason=f"refunded through the payment processor ({filename})",
                refunded_on=max(today, payment.paid_on),
                by=by,
                source="processor",
                reference=f"{r.reference}:{r.refunded}",
            )
        )
    return out


@transaction.atomic
def import_processor_export(
    parsed: PaymentsFile, plan: RefundPlan, *, unit: Unit, by: User | None, filename: str
) -> tuple[int, int]:
    """A processor's export: its new payments recorded, then its refunds; all or nothing.
    Returns how many payments and refunds were recorded."""
    from grassroots.finance.actions.subscriptions import import_payments

    recorded = 0
    if parsed.rows or not plan.refunds:
        recorded = import_payments(parsed, unit=unit, by=by, filename=filename).recorded
    refunds = (
        record_processor_refunds(plan, unit=unit, by=by, filename=filename) if plan.refunds else []
    )
    return recorded, len(refunds)
