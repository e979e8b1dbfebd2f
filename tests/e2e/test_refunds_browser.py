"""Refunds and subscription income in a real browser, at phone and desktop sizes: the branch
treasurer refunds part of a payment with a reason from the member's subscription page, and the
member reads the refund beside the payment, with the branch's subscription income as its books
hold it after the national treasurer posts the month. Every page passes axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from grassroots.finance.actions.ledger import open_account, open_books
from grassroots.finance.actions.subscriptions import create_rule, record_payment
from grassroots.finance.models import Refund, SubscriptionPosting
from grassroots.members import actions
from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.e2e.test_browser import log_in
from tests.web.conftest import PASSWORD, Org

SIZES = {"phone": PHONE, "desktop": DESKTOP}
CITED = {"standard": {"rate": 5256, "shares": {"national": 5006, "branch": 250}}}


@pytest.fixture
def paid(live_org: Org) -> Org:
    today = dt.date.today()
    create_rule(effective_from=dt.date(today.year - 1, 1, 1), bands=CITED, by=None)
    record_payment(live_org.ann, paid_on=today.replace(day=1), amount=5256, by=None)
    for name, unit in (("hilltreasurer", live_org.hillford), ("treasurer", live_org.national)):
        user = actions.create_login(username=name, password=PASSWORD, by=None)
        actions.grant_role(user=user, kind="treasurer", unit=unit, by=None)
        open_books(unit, threshold="250", by=None)
        open_account(unit, code="bank", name="Current account", category="asset",
                     is_bank=True, by=None, opened=dt.date(today.year - 1, 1, 1))  # fmt: skip
    return live_org


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_treasurer_refunds_a_payment_and_the_member_sees_it(
    live_server: Any, paid: Org, browser: Any, size: str
) -> None:
    base = live_server.url
    today = dt.date.today()
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "hilltreasurer")
    page.goto(f"{base}/finance/members/M1/subscription/")
    check_page(page, f"refunds member page for the treasurer {size}")
    first = today.replace(day=1)
    page.get_by_role("link", name=f"Refund the payment of {first.day} {first:%B %Y}").click()
    page.get_by_role("heading", name="Refund a payment by Ann Arrears (M1)").wait_for()
    check_page(page, f"refunds form {size}")
    page.get_by_label("Amount refunded (£)").fill("60.00")
    page.get_by_label("Why it is refunded").fill("paid twice by standing order")
    page.get_by_label("The money has been given back to the member").check()
    page.get_by_role("button", name="Record the refund").click()
    page.get_by_text("more than the £52.56 left").wait_for()  # refused: the form again
    check_page(page, f"refunds form with errors {size}")
    assert "more than the £52.56 left" in page.content() and not Refund.objects.exists()
    page.get_by_label("Amount refunded (£)").fill("13.14")
    page.get_by_role("button", name="Record the refund").click()
    page.wait_for_url(f"{base}/finance/members/M1/subscription/")
    assert "Refund of £13.14 recorded" in page.content()
    refund = Refund.objects.get()
    assert refund.amount == 1314 and refund.branch_pence == 62
    # the branch keeps its share of the £39.42 still paid: exactly 187.5p, the half penny to
    # the level nearer the member (188p), so the refund takes 62p back from it
    ctx.close()

    # the national treasurer posts the month into the books
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "treasurer")
    page.goto(f"{base}/finance/units/national/remittances/")
    page.get_by_role(
        "link", name="Post a month's subscription income into the units' books"
    ).click()
    page.get_by_role("heading", name="Post a month's subscription income into the books").wait_for()
    check_page(page, f"refunds post income form {size}")
    page.get_by_role("combobox", name="Month").select_option(label=f"{today:%B %Y}")
    page.get_by_label("Write the month's shares").check()
    page.get_by_role("button", name="Post the month").click()
    page.wait_for_url(f"{base}/finance/units/national/remittances/")
    assert SubscriptionPosting.objects.filter(unit=paid.hillford).count() == 1
    ctx.close()

    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "ann")
    page.goto(f"{base}/me/subscription/")
    check_page(page, f"refunds where your subscription goes {size}")
    payments = " ".join(page.locator("#payments").inner_text().split())
    assert (
        f"Refunded £13.14 on {today.day} {today:%B %Y}: paid twice by standing order." in payments
    )
    assert "Hillford £0.62" in payments
    assert "£39.42 in all after £13.14 refunded." in page.locator("#paid-total").inner_text()
    books = page.locator("#books-income").inner_text()
    assert "Hillford's ledger holds £1.88 of subscription income" in books  # £2.50 less 62p
    ctx.close()
