"""Demo refunds and subscription income in the books: the national office's books opened, the
demo member's latest payment collected a second time by the bank and that second collection
refunded by the home branch's treasurer, and every month of this year posted into the units'
ledgers, with the remittances paid this year going through both banks.

Call ``seed()`` after the subscriptions and books demos (it needs the home branch's books and
its ``treasurer`` login).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from grassroots.finance.actions.ledger import open_account, open_books
from grassroots.finance.actions.postings import post_subscription_income
from grassroots.finance.actions.refunds import refund_payment
from grassroots.finance.actions.subscriptions import national_unit, record_payment
from grassroots.finance.models import Books, Payment
from grassroots.members.models import Member
from grassroots.members.permissions import can

__all__ = ["seed"]

REASON = "collected twice by the bank this month; the second collection returned"


def seed(today: dt.date | None = None) -> int:
    """Add the demo's refund and post this year's subscription income; return the postings."""
    today = today or dt.date.today()
    national = national_unit()
    if not Books.objects.filter(unit=national).exists():
        open_books(national, threshold="5000", by=None)
        open_account(
            national,
            code="bank",
            name="National office current account",
            category="asset",
            is_bank=True,
            by=None,
            opened=dt.date(today.year - 1, 1, 1),
        )
    member = Member.objects.filter(number="D900003").select_related("branch").first()
    payment = (
        Payment.objects.filter(member=member)
        .select_related("split")
        .order_by("-paid_on", "-pk")
        .first()
        if member is not None
        else None
    )
    if member is not None and payment is not None:
        treasurer = get_user_model().objects.filter(username="treasurer").first()
        by = (
            treasurer
            if treasurer and can(treasurer, "refund_subscriptions", member.branch)
            else None
        )
        # the bank's second collection of the same payment, then its refund: the member pays
        # once for the month, as the reason says
        again = record_payment(
            member, paid_on=payment.paid_on, amount=payment.amount, band=payment.split.band,
            reference=f"{member.number}-{payment.paid_on:%Y%m}-again", by=None,
        )  # fmt: skip
        refund_payment(again, amount=again.amount, reason=REASON, refunded_on=today, by=by)
    posted = 0
    for month in range(1, today.month + 1):
        posted += len(post_subscription_income(dt.date(today.year, month, 1), by=None).posted)
    return posted
