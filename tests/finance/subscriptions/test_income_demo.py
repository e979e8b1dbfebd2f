"""The demo's refund and subscription income in the books: the demo member's latest payment
refunded by the branch treasurer and shown on her page, and every month of this year in the
home branch's ledger as income matching its share, less the refund."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client

from grassroots.audit.log import verify
from grassroots.finance import subscription_figures as figures
from grassroots.finance.actions.accounts import compute
from grassroots.finance.demo_books import seed as seed_books
from grassroots.finance.demo_income import REASON
from grassroots.finance.demo_income import seed as seed_income
from grassroots.finance.demo_subscriptions import seed as seed_subscriptions
from grassroots.finance.models import Payment, Refund, SubscriptionPosting


@pytest.mark.django_db
def test_the_demo_shows_a_refund_and_the_branchs_subscription_income_in_its_books() -> None:
    from django.contrib.auth import get_user_model

    from grassroots.meetings.demo import seed as seed_meetings
    from grassroots.members.demo import seed as seed_members
    from grassroots.members.models import Member

    today = dt.date.today()
    seed_members(members=120)
    seed_meetings()
    seed_subscriptions(today)
    seed_books(today)
    assert seed_income(today) > 0
    mel = Member.objects.get(number="D900003")
    refund = Refund.objects.get()
    assert refund.payment.member == mel and refund.reason == REASON
    assert refund.amount == refund.payment.amount and refund.recorded_by is not None
    # the refund returns the bank's second collection: the month is still paid once
    month = Payment.objects.filter(member=mel, paid_on=refund.payment.paid_on)
    assert month.count() == 2 and refund.payment.reference.endswith("-again")
    home = mel.branch
    months = set(
        SubscriptionPosting.objects.filter(unit=home, kind="share").values_list("period", flat=True)
    )
    assert months == {dt.date(today.year, m, 1) for m in range(1, today.month + 1)}
    owed = sum(r.owed for r in figures.remittances(home, today.year))
    accounts = compute(home, dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    income = {line["code"]: Decimal(line["amount"]) for line in accounts["income"]}
    assert income["subscriptions"] == Decimal(owed) / 100  # the shares less the refund's
    remitted = SubscriptionPosting.objects.filter(unit=home, kind="remittance").aggregate(
        s=Sum("pence")
    )["s"]
    assert remitted and remitted == sum(r.paid for r in figures.remittances(home, today.year))
    assert verify() is None  # every entry chained intact
    c = Client()
    c.force_login(get_user_model().objects.get(username="member"))
    page = c.get("/me/subscription/").content.decode()
    assert f"{REASON}." in page and "ledger holds" in page
