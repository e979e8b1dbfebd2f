"""Subscriptions in a real browser, at phone and desktop sizes: a member reads where their
subscription went from their standing page; a secretary imports a payments file with a bad row
(nothing recorded), then a corrected one; the national treasurer records a remittance; anyone
works out the branch's income under another split. Every subscriptions page passes axe."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from grassroots.finance.actions.subscriptions import create_rule, record_payment
from grassroots.finance.models import Payment, Remittance
from grassroots.members import actions
from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.e2e.test_browser import log_in
from tests.web.conftest import PASSWORD, Org

SIZES = {"phone": PHONE, "desktop": DESKTOP}
CITED = {"standard": {"rate": 5256, "shares": {"national": 5006, "branch": 250}}}
CHANGED = {"standard": {"rate": 5256, "shares": {"national": 4730, "branch": 526}}}


@pytest.fixture
def books(live_org: Org) -> Org:
    year = dt.date.today().year
    create_rule(effective_from=dt.date(year - 1, 1, 1), bands=CITED, by=None)
    create_rule(effective_from=dt.date(year - 1, 7, 1), bands=CHANGED, by=None)
    for month in range(1, 13):
        record_payment(live_org.ann, paid_on=dt.date(year - 1, month, 1), amount=438, by=None)
        record_payment(live_org.bob, paid_on=dt.date(year - 1, month, 1), amount=438, by=None)
    record_payment(live_org.ann, paid_on=dt.date(year, 1, 1), amount=438, by=None)
    user = actions.create_login(username="treasurer", password=PASSWORD, by=None)
    actions.grant_role(user=user, kind="treasurer", unit=live_org.national, by=None)
    return live_org


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_member_reads_where_their_subscription_goes(
    live_server: Any, books: Org, browser: Any, size: str
) -> None:
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "ann")
    page.goto(f"{base}/me/")
    page.get_by_role("link", name="Where your subscription goes").click()
    this_year = f"Where your subscription goes, {dt.date.today().year}"
    page.get_by_role("heading", name=this_year, exact=True).wait_for()
    check_page(page, f"subscriptions where it goes this year {size}")
    assert "1 payment in" in page.locator("#paid-total").inner_text()
    last = dt.date.today().year - 1
    page.get_by_role("link", name=str(last), exact=True).click()
    # the year's page has the same parts as this one's: wait for its heading
    page.get_by_role("heading", name=f"Where your subscription goes, {last}", exact=True).wait_for()
    check_page(page, f"subscriptions where it goes {size}")
    assert page.locator("#paid-total").inner_text() == f"12 payments in {last}, £52.56 in all."
    split = " ".join(page.locator("#split-totals").inner_text().split())
    # six months of 21p to the branch under the cited rule, six of 44p under the changed one
    assert "Test Party £48.66" in split and "Hillford £3.90" in split
    assert "Hillford received £3.90" in page.locator("#branch-total").inner_text()
    page.get_by_role(
        "link", name="Has its share arrived? Remittances from the national office"
    ).click()
    page.get_by_role("heading", name=re.compile("^Hillford: remittances, ")).wait_for()
    check_page(page, f"subscriptions remittances {size}")
    assert "so £3.90 is still owed" in page.locator("#remittance-summary").inner_text()
    page.go_back()
    page.get_by_role("link", name="What if the branch got another share?").click()
    page.get_by_role("heading", name="What if Hillford got another share?").wait_for()
    check_page(page, f"subscriptions what-if {size}")
    page.get_by_label("Share of every payment to this unit (%)").fill("10")
    page.get_by_label("Year").fill(str(last))
    page.get_by_role("button", name="Work it out").click()
    page.locator("#what-if-result").wait_for()
    check_page(page, f"subscriptions what-if result {size}")
    result = page.locator("#what-if-result").inner_text()
    assert "£3.90" in result and "£5.28" in result  # 12 payments, 44p each at 10%
    page.goto(f"{base}/finance/units/hillford/subscriptions/?year={last}")
    check_page(page, f"subscriptions unit totals {size}")
    page.get_by_role("link", name="The rates and how they are split").click()
    page.get_by_role("heading", name="Subscription rates and how they are split").wait_for()
    check_page(page, f"subscriptions rules {size}")
    ctx.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_secretary_imports_a_payments_file_with_a_bad_row_then_a_good_one(
    live_server: Any, books: Org, browser: Any, size: str, tmp_path: Any
) -> None:
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "secretary")
    page.goto(f"{base}/finance/units/hillford/payments/import/")
    check_page(page, f"subscriptions import {size}")
    day = dt.date.today().replace(day=1).strftime("%d/%m/%Y")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"number,date,amount,reference\nM1,{day},4.38,x1\nM1,{day},4.3.8,x2\n")
    before = Payment.objects.count()
    page.get_by_label("Payments file (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Payments file: bad.csv").wait_for()
    check_page(page, f"subscriptions import report with errors {size}")
    errors = page.locator("#import-errors").inner_text()
    assert "3" in errors and "amount" in errors and "not an amount of money" in errors
    assert page.get_by_role("button", name="Record 1 payment totalling £4.38").count() == 0
    assert Payment.objects.count() == before
    good = tmp_path / "good.csv"
    good.write_text(f"number,date,amount,reference\nM1,{day},4.38,x1\n")
    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_role("heading", name="Import subscription payments for Hillford").wait_for()
    page.get_by_label("Payments file (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Payments file: good.csv").wait_for()
    check_page(page, f"subscriptions import report {size}")
    page.get_by_role("button", name="Record 1 payment totalling £4.38").click()
    page.wait_for_url(f"{base}/finance/units/hillford/subscriptions/")
    assert "Recorded 1 payment from good.csv." in page.content()
    assert Payment.objects.count() == before + 1
    page.goto(f"{base}/finance/members/M1/payments/new/")
    check_page(page, f"subscriptions record a payment {size}")
    ctx.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_national_treasurer_records_a_remittance_and_a_new_rule_form_is_plain(
    live_server: Any, books: Org, browser: Any, size: str
) -> None:
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "treasurer")
    page.goto(f"{base}/finance/units/national/remittances/")
    check_page(page, f"subscriptions national remittances {size}")
    page.get_by_role("link", name="Record a remittance paid").click()
    page.get_by_role("heading", name="Record money the national office paid a unit").wait_for()
    check_page(page, f"subscriptions record a remittance {size}")
    page.get_by_label("Paid to").select_option(label="Hillford (branch)")
    page.get_by_label("Date paid").fill(dt.date.today().strftime("%d/%m/%Y"))
    page.get_by_label("Amount (£)").fill("0.21")
    page.get_by_role("button", name="Record the remittance").click()
    page.get_by_text("Recorded £0.21 paid to Hillford.").wait_for()
    assert Remittance.objects.filter(unit=books.hillford, amount=21).exists()
    page.goto(f"{base}/finance/subscriptions/rules/new/")
    check_page(page, f"subscriptions new rule {size}")
    ctx.close()
