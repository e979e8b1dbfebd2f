"""The books in a real browser, at phone and desktop widths, with axe checks on every page:
a treasurer imports a bank statement with a bad line and reconciles it; a spend over the
threshold is refused without a decision and approved with one; an auditor signs off the
accounts."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from grassroots.finance.models import BankLine, SignOff, Spend
from grassroots.finance.templatetags.books_money import money
from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.e2e.test_browser import log_in
from tests.finance.conftest import decision, open_books, with_officers
from tests.web.conftest import Org

DATA = Path(__file__).resolve().parents[1] / "finance" / "data"
SIZES = {"phone": PHONE, "desktop": DESKTOP}


def _page(browser: Any, base: str, who: str, size: str) -> tuple[Any, Any]:
    context = browser.new_context(viewport=SIZES[size])
    page = context.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, who)
    return context, page


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_treasurer_imports_a_statement_with_a_bad_line_and_reconciles_it(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    books = open_books(with_officers(live_org))
    base = live_server.url
    context, page = _page(browser, base, "treasurer", size)
    try:
        page.goto(f"{base}/finance/units/hillford/books/")
        check_page(page, f"books overview treasurer {size}")
        page.get_by_role("link", name="Import a bank statement").click()
        page.get_by_role("link", name="say how a bank's columns are read").click()
        page.get_by_label(re.compile(r"^Bank:?$")).fill("Co-op")
        page.get_by_label("Heading of the date column").fill("Date")
        page.get_by_label("Heading of the description column").fill("Description")
        page.get_by_label("Heading of the payee column (if any)").fill("Payee")
        page.get_by_label("…or heading of the paid in column").fill("Paid in")
        page.get_by_label("…and heading of the paid out column").fill("Paid out")
        check_page(page, f"books bank columns {size}")
        page.get_by_role("button", name="Save").click()
        page.get_by_role("heading", name=re.compile("Import a bank statement")).wait_for()
        page.get_by_label("Bank account").select_option(label="Current account")
        page.get_by_label("File format").select_option(label="CSV")
        page.get_by_label("Bank (for a CSV file").select_option(label="Co-op")
        page.get_by_label("Statement file").set_input_files(str(DATA / "hillford-jan.csv"))
        check_page(page, f"books statement upload {size}")
        page.get_by_role("button", name="Check the statement").click()
        page.get_by_role("heading", name="Statement hillford-jan.csv").wait_for()
        problems = page.locator(".errors").inner_text()
        assert "row 4: Date '31/02/2026' is not a date written like 31/01/2026" in problems
        assert "row 7: 'twelve' is not an amount of money" in problems
        check_page(page, f"books statement report {size}")
        assert not BankLine.objects.exists()
        page.get_by_role("button", name="Import 4 lines").click()
        page.get_by_role("heading", name="Reconcile Hillford's bank lines").wait_for()
        check_page(page, f"books reconcile {size}")
        card = page.get_by_role("region", name=re.compile("Standing orders January"))
        card.get_by_label("This line is").select_option(label="Income: Subscriptions")
        card.get_by_role("button", name="Reconcile this line").click()
        page.get_by_text("Reconciled the line “Standing orders January”.").wait_for()
        line = BankLine.objects.get(description="Standing orders January")
        assert {leg.account.code for leg in line.transaction.legs.all()} == {
            "bank",
            "subscriptions",
        }
        assert page.get_by_role("region", name=re.compile("Standing orders")).count() == 0
        assert books.bank.bank_lines.filter(transaction__isnull=True).count() == 3
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_spend_over_the_threshold_is_refused_without_a_decision_and_approved_with_one(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    open_books(with_officers(live_org))
    vote = decision(live_org, title="Buy a banner")
    base = live_server.url
    context, page = _page(browser, base, "treasurer", size)
    try:
        page.goto(f"{base}/finance/units/hillford/books/")
        page.get_by_role("link", name="Propose a spend").click()
        page.get_by_label("Who is to be paid").fill("Sign makers")
        page.get_by_label("Amount (£)").fill("750")
        page.get_by_label("What it is for").fill("A banner for the branch")
        page.get_by_label("Budget line").select_option(label="Leaflets")
        check_page(page, f"books propose spend {size}")
        page.get_by_role("button", name="Propose the spend").click()
        page.get_by_role("heading", name="Spend: Sign makers, £750.00").wait_for()
    finally:
        context.close()
    spend = Spend.objects.get()
    context, page = _page(browser, base, "chair", size)
    try:
        page.goto(f"{base}/finance/units/hillford/books/spends/{spend.pk}/")
        check_page(page, f"books spend to approve {size}")
        page.get_by_role("button", name="Approve the spend").click()
        page.get_by_text(
            "is above Hillford's threshold of £500.00: cite the minuted decision"
        ).wait_for()
        assert Spend.objects.get().state == "proposed"
        page.get_by_label("The decision that approved it").select_option(value=str(vote.pk))
        page.get_by_role("button", name="Approve the spend").click()
        page.get_by_text("Spend approved.").wait_for()
        assert "“Buy a banner”, carried at" in page.locator("dl.facts").first.inner_text()
        check_page(page, f"books spend approved {size}")
        assert Spend.objects.get().decision == vote
    finally:
        context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_an_auditor_signs_off_the_accounts(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    from tests.finance.test_accounts import hillford_2025_accounts

    acc = hillford_2025_accounts(open_books(with_officers(live_org)))
    base = live_server.url
    context, page = _page(browser, base, "auditor1", size)
    try:
        page.goto(f"{base}/finance/units/hillford/books/")
        page.get_by_role("link", name=re.compile("1 January 2025 to 31 December 2025")).click()
        page.get_by_role("heading", name=re.compile("Accounts of Hillford")).wait_for()
        page.get_by_role("link", name="Leaflets").first.click()
        assert "Print shop" in page.locator("#line-leaflets").inner_text()
        # the auditor sees the funds add up to what the branch holds, in words and pounds
        funds = page.get_by_role("heading", name="Funds").locator("xpath=following-sibling::dl[1]")
        closing = Decimal(json.loads(acc.content)["funds"]["closing"])
        assert f"Funds at the end{money(closing)}" in funds.inner_text().replace("\n", "")
        check_page(page, f"books accounts to sign {size}")
        page.get_by_label("Your note (optional)").fill("Vouchers checked against the bank.")
        page.get_by_role("button", name="Sign off these accounts").click()
        page.get_by_text("You have signed off these accounts.").wait_for()
        assert "auditor1 on" in page.locator("dl.facts").first.inner_text()
        assert SignOff.objects.get(accounts=acc).sha256 == acc.sha256
        assert page.get_by_role("button", name="Sign off these accounts").count() == 0
        check_page(page, f"books accounts signed {size}")
    finally:
        context.close()
