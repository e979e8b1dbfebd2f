"""A unit's remittances page leads the national treasurer on to record what is still owed: a
link to the remittance form with the unit already chosen; nobody else is offered it."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "offered"),
    [("treasurer", True), ("admin", True), ("hilltreasurer", False), ("member", False)],
)
def test_a_branchs_remittances_page_offers_the_national_treasurer_the_form_for_that_branch(
    org: Org, client_as: Any, who: str, offered: bool
) -> None:
    c = client_as(who)
    page = c.get("/finance/units/hillford/remittances/?year=2025").content.decode()
    link = "/finance/units/national/remittances/new/?unit=hillford"
    assert (f'href="{link}">Record a remittance paid to Hillford</a>' in page) is offered
    if offered:
        form = c.get(link).content.decode()
        assert '<option value="hillford" selected>' in form


def test_a_units_income_page_says_its_share_is_after_the_refunds_it_gives_back(
    org: Org, client_as: Any
) -> None:
    import datetime as dt

    from grassroots.finance.actions.refunds import refund_payment
    from grassroots.finance.actions.subscriptions import record_payment

    for month in (7, 8):
        p = record_payment(org.ann, paid_on=dt.date(2025, month, 1), amount=438, by=None)
    refund = refund_payment(
        p, amount=438, reason="duplicate", refunded_on=dt.date(2025, 8, 2),
        by=org.users["hilltreasurer"],
    )  # fmt: skip
    page = client_as("member").get("/finance/units/hillford/subscriptions/?year=2025")
    text = page.content.decode()
    # the payments are counted as paid (two of £4.38); the share is net of the refund
    assert "paid 2 subscription payments totalling £8.76 in 2025" in text
    back = refund.share("branch")
    assert f"after taking off the £{back / 100:.2f} that went back to members with refunds" in text
