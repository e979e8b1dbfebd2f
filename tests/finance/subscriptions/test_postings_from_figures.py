"""Posting a month's subscription income reads the figures kept per unit and month, never the
month's payments, and posts to the penny what a sum over the payments and refunds gives."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from grassroots.finance.actions.ledger import open_account, open_books
from grassroots.finance.actions.postings import post_subscription_income
from grassroots.finance.actions.refunds import refund_payment
from grassroots.finance.actions.subscriptions import create_rule, record_payment
from grassroots.finance.models import Payment, Refund, SubscriptionPosting, Transaction
from grassroots.members import actions

from .conftest import CHANGED, Org

D = dt.date
pytestmark = pytest.mark.django_db
SEP, OCT = D(2025, 9, 1), D(2025, 10, 1)
# a rule from the middle of September: the month's payments are split under two rules
MID_MONTH = {
    "standard": {
        "rate": 5256,
        "shares": {"national": 3900, "region": 400, "branch": 700, "ward": 256},
    },
    "reduced": {"rate": 2628, "shares": {"national": 1900, "region": 200, "branch": 528}},
}


def _from_payments(month: dt.date) -> dict[str, int]:
    """Unit code → its share of the month's payments less the month's refunds, summed straight
    from the payments and refunds (what the posting must come to)."""
    end = (month + dt.timedelta(days=32)).replace(day=1)
    out: dict[int, int] = defaultdict(int)
    for level in ("region", "branch", "ward"):
        for unit_id, pence in (
            Payment.objects.filter(paid_on__gte=month, paid_on__lt=end)
            .exclude(**{f"split__{level}_id": None})
            .values_list(f"split__{level}_id")
            .annotate(s=Sum(f"split__{level}_pence"))
            .order_by()
        ):
            out[unit_id] += pence
        for unit_id, pence in (
            Refund.objects.filter(refunded_on__gte=month, refunded_on__lt=end)
            .exclude(**{f"payment__split__{level}_id": None})
            .values_list(f"payment__split__{level}_id")
            .annotate(s=Sum(f"{level}_pence"))
            .order_by()
        ):
            out[unit_id] -= pence
    from grassroots.members.models import Unit

    codes = dict(Unit.objects.values_list("pk", "code"))
    return {codes[pk]: pence for pk, pence in out.items() if pence}


def _posted(month: dt.date) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for code, pence in SubscriptionPosting.objects.filter(kind="share", period=month).values_list(
        "unit__code", "pence"
    ):
        out[code] += pence
    return {code: pence for code, pence in out.items() if pence}


@pytest.fixture
def september(org: Org) -> Org:
    """Five units with open books; standard and reduced payers with and without a ward; a rule
    changing on 15 September; refunds in September of this month's and last month's payments,
    and one in October."""
    create_rule(effective_from=D(2025, 9, 15), bands=MID_MONTH, reason="mid-month", by=None)
    for unit in (org.national, org.north, org.hillford, org.moorside, org.hillford_east):
        open_books(unit, threshold="250", by=None)
        open_account(unit, code="bank", name="Current account", category="asset",
                     is_bank=True, by=None, opened=D(2025, 1, 1))  # fmt: skip
    cath = actions.create_member(
        by=None, number="M3", name="Cath Reduced", branch=org.hillford, join_date=D(2020, 1, 1),
        status="full", rate_band="reduced",
    )  # fmt: skip
    august = record_payment(org.bob, paid_on=D(2025, 8, 20), amount=5256, by=None)
    first = record_payment(org.ann, paid_on=D(2025, 9, 1), amount=5256, by=None)
    record_payment(org.ann, paid_on=D(2025, 9, 20), amount=438, by=None)
    record_payment(org.bob, paid_on=D(2025, 9, 10), amount=438, band="reduced", by=None)
    late = record_payment(org.bob, paid_on=D(2025, 9, 29), amount=5256, by=None)
    for day in (3, 16, 30):
        record_payment(cath, paid_on=D(2025, 9, day), amount=219, by=None)
    refund_payment(first, amount=1001, reason="overpaid", refunded_on=D(2025, 9, 5), by=None)
    refund_payment(august, amount=5256, reason="paid twice", refunded_on=D(2025, 9, 2), by=None)
    refund_payment(late, amount=5256, reason="cancelled", refunded_on=D(2025, 10, 2), by=None)
    return org


def test_a_months_postings_equal_the_sums_of_its_payments_less_its_refunds_per_unit(
    september: Org,
) -> None:
    assert CHANGED != MID_MONTH  # two rules split September's payments
    expected = _from_payments(SEP)
    assert set(expected) == {"north", "hillford", "hillford-east", "moorside"}
    with CaptureQueriesContext(connection) as ctx:
        out = post_subscription_income(SEP, by=None)
    assert out.skipped == []
    assert _posted(SEP) == expected
    # the month's payments were not read: no query over the payment table or by paid_on
    sqls = [q["sql"] for q in ctx.captured_queries]
    by_date = '"finance_payment"."paid_on"'
    assert not [s for s in sqls if 'FROM "finance_payment"' in s or by_date in s]
    # October holds only the refund of a September payment: taken back in October
    post_subscription_income(OCT, by=None)
    assert _posted(OCT) == _from_payments(OCT)
    assert _posted(OCT)["moorside"] < 0


def test_posting_a_month_again_posts_nothing_twice_and_then_only_a_late_payment_and_refund(
    september: Org,
) -> None:
    org = september
    post_subscription_income(SEP, by=None)
    count = Transaction.objects.count()
    assert post_subscription_income(SEP, by=None).posted == []
    assert Transaction.objects.count() == count
    # a payment recorded late for September and a September refund of it
    late = record_payment(org.ann, paid_on=D(2025, 9, 28), amount=5256, by=None)
    refund_payment(late, amount=100, reason="part", refunded_on=D(2025, 9, 30), by=None)
    again = post_subscription_income(SEP, by=None)
    assert {p.unit.code for p in again.posted} == {"north", "hillford", "hillford-east"}
    assert _posted(SEP) == _from_payments(SEP)
    assert post_subscription_income(SEP, by=None).posted == []
