"""The what-if split is net of refunds as the unit's totals are: a refund made in the year takes
back the unit's share of it under the other split too, and the "received" beside it is the
totals page's figure."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest

from grassroots.finance import subscription_figures as figures
from grassroots.finance.actions.refunds import refund_payment
from grassroots.finance.actions.subscriptions import record_payment
from grassroots.members import actions

from .conftest import CHANGED, Org

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_refunded_payment_takes_its_share_under_the_other_split_back_too(org: Org) -> None:
    payments = [
        record_payment(org.ann, paid_on=D(2025, month, 1), amount=438, by=None)
        for month in (2, 3, 4)
    ]
    refund_payment(payments[0], amount=438, reason="paid twice", refunded_on=D(2025, 5, 2),
                   by=None)  # fmt: skip
    hill = figures.what_if(org.hillford, 2025, Fraction(10))
    # 438p: 21p to the branch under the cited rule, 44p at 10%; one of the three given back
    assert hill.actual == figures.unit_year(org.hillford, 2025).received == 2 * 21
    assert (hill.would_be, hill.refunded, hill.difference) == (2 * 44, 438, 2 * 44 - 2 * 21)
    assert hill.paid_in == 3 * 438
    national = figures.what_if(org.national, 2025, Fraction(50))
    assert national.actual == figures.unit_year(org.national, 2025).received
    assert national.would_be == 2 * 219


def test_a_refund_made_the_next_year_is_taken_back_in_that_years_what_if(org: Org) -> None:
    payment = record_payment(org.ann, paid_on=D(2025, 12, 1), amount=5256, by=None)
    refund_payment(payment, amount=5256, reason="left", refunded_on=D(2026, 1, 5), by=None)
    assert figures.what_if(org.hillford, 2025, Fraction(10)).would_be == 526
    later = figures.what_if(org.hillford, 2026, Fraction(10))
    assert later.actual == figures.unit_year(org.hillford, 2026).received == -526
    assert (later.would_be, later.paid_in, later.refunded) == (-526, 0, 5256)


def test_at_the_rules_own_share_the_what_if_equals_the_actual_income_after_part_refunds(
    org: Org,
) -> None:
    """Under the changed rule the branch has 526/5256 of every band; asking for exactly that
    share must give what the branch really has, refunds split to the penny as the real ones."""
    cath = actions.create_member(
        by=None, number="M3", name="Cath Reduced", branch=org.hillford, join_date=D(2020, 1, 1),
        status="full", rate_band="reduced",
    )  # fmt: skip
    paid = [
        record_payment(org.ann, paid_on=D(2025, 7, 3), amount=437, by=None),
        record_payment(org.ann, paid_on=D(2025, 8, 3), amount=5256, by=None),
        record_payment(cath, paid_on=D(2025, 7, 9), amount=219, by=None),
        record_payment(cath, paid_on=D(2025, 8, 9), amount=219, by=None),
        record_payment(cath, paid_on=D(2025, 9, 9), amount=2629, by=None),
    ]
    for payment, amounts in zip(paid, ([1, 3, 433], [17], [219], [5, 7], [1001, 1]), strict=True):
        for i, amount in enumerate(amounts):
            refund_payment(payment, amount=amount, reason="part", by=None,
                           refunded_on=D(2025, 10, 1 + i))  # fmt: skip
    assert CHANGED["reduced"]["shares"]["branch"] * 2 == 526  # the same share of both bands
    own = Fraction(100 * 526, 5256)
    for unit in (org.hillford, org.hillford_east, org.north):
        year = figures.unit_year(unit, 2025)
        assert year.refunded > 0
        hill = figures.what_if(unit, 2025, own if unit == org.hillford else Fraction(0))
        assert hill.actual == year.received
    hill = figures.what_if(org.hillford, 2025, own)
    assert hill.would_be == hill.actual == figures.unit_year(org.hillford, 2025).received
    assert hill.refunded == 1 + 3 + 433 + 17 + 219 + 5 + 7 + 1001 + 1


def test_the_what_if_page_says_what_was_refunded_and_the_branchs_income_after_it(
    org: Org, client: Any
) -> None:
    payment = record_payment(org.ann, paid_on=D(2025, 3, 1), amount=5256, by=None)
    record_payment(org.ann, paid_on=D(2025, 4, 1), amount=5256, by=None)
    refund_payment(payment, amount=5256, reason="paid twice", refunded_on=D(2025, 3, 9), by=None)
    page = client.get("/finance/units/hillford/what-if/?percent=10&year=2025").content.decode()
    assert "<dt>Refunded to members</dt><dd>£52.56</dd>" in page
    assert "<dt>Hillford received, less refunds</dt><dd>£2.50</dd>" in page
    assert "<dt>It would have received</dt><dd>£5.26</dd>" in page
    totals = client.get("/finance/units/hillford/subscriptions/?year=2025").content.decode()
    assert "share was <strong>£2.50</strong>" in totals
