"""In a real browser on a phone-sized screen: a member logs in and sees their standing; a branch
secretary imports a CSV with errors, sees the row-by-row report, then imports the valid rows."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from grassroots import dates
from grassroots.members import actions
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Member
from tests.web.conftest import PASSWORD, TODAY, Org

BAD = (
    "number,name,branch,join_date,status\n"
    "E1,Eve Valid,hillford,2021-03-04,full\n"
    "E2,Eli Elsewhere,moorside,2021-03-04,full\n"
    "E3,Edna Baddate,hillford,2021-31-04,full\n"
)


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def rank_and_cast_in_primary(page: Any, ranking: list[str]) -> str:
    """On a primary's ballot just opened: put the candidates named in ``ranking`` in that
    order, review and cast; then check the receipt code on the receipt check page, which must
    show the same ranking. Gives the receipt code."""
    page.get_by_role("heading", name="Arrange your ranking").wait_for()
    for name in ranking:
        item = page.locator(".ranker-item").filter(has=page.locator(".ranker-name", has_text=name))
        item.get_by_role("button", name="Add to my ranking").click()
    page.get_by_role("button", name="Review my ballot").click()
    page.get_by_role("button", name="Cast my vote").click()
    code = str(page.locator("#receipt-code").inner_text())
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code), code
    page.get_by_role("link", name="receipt check page").click()
    page.get_by_label("Receipt code").fill(code)
    page.get_by_role("button", name="Check").click()
    page.locator("#check-result").wait_for()  # a list read does not wait for the answer page
    assert page.locator("#recorded-ranking li").all_inner_texts() == ranking
    return code


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_a_member_logs_in_and_sees_their_standing_with_reasons(
    live_server: Any, live_org: Org, page: Any
) -> None:
    day = TODAY + dt.timedelta(days=10)
    actions.create_occasion(
        by=None,
        title="Hillford AGM",
        kind="meeting",
        unit=live_org.hillford,
        date=day,
        rules=RuleSet(
            on=day,
            paid_up_to=day,
            may_pay_on_day=True,
            branch_id=live_org.hillford.pk,
            branch_name="Hillford",
        ),
    )
    log_in(page, live_server.url, "ann")
    page.get_by_role("link", name="My standing").first.click()
    page.get_by_role("heading", name="My standing").wait_for()
    card = page.get_by_role("region", name="Hillford AGM")
    assert "You may take part if you pay on the day." in card.inner_text()
    assert f"must be paid up to {dates.day(day)}" in card.inner_text()
    assert no_sideways_scroll(page)
    # keyboard users reach the skip link first
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


def test_a_secretary_imports_a_csv_with_errors_and_sees_the_report(
    live_server: Any, live_org: Org, page: Any, tmp_path: Path
) -> None:
    csv_file = tmp_path / "hillford.csv"
    csv_file.write_text(BAD, encoding="utf-8")
    log_in(page, live_server.url, "secretary")
    page.goto(f"{live_server.url}/units/hillford/")
    page.get_by_role("link", name="Import a CSV").click()
    page.get_by_label("Register file (CSV)").set_input_files(str(csv_file))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_role("heading", name="Import report: hillford.csv").wait_for()
    assert "Nothing has been imported." in page.get_by_role("alert").inner_text()
    rows = page.locator("#import-errors tbody tr")
    assert rows.count() == 2
    assert (
        rows.nth(0).inner_text().split("\t")[:2] == ["3", "branch"]
        or "3" in rows.nth(0).inner_text()
    )
    assert "you may not add members to 'moorside'" in rows.nth(0).inner_text()
    assert "join_date" in rows.nth(1).inner_text() and "'2021-31-04'" in rows.nth(1).inner_text()
    assert not Member.objects.filter(number__startswith="E").exists()
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Import the 1 valid row and skip the rest").click()
    page.get_by_text("Imported 1 member(s); skipped 2 row(s) with errors.").wait_for()
    assert list(Member.objects.filter(number__startswith="E").values_list("number", flat=True)) == [
        "E1"
    ]


def test_a_secretary_sees_which_columns_an_import_changes_before_confirming(
    live_server: Any, live_org: Org, page: Any, tmp_path: Path
) -> None:
    csv_file = tmp_path / "update.csv"
    csv_file.write_text(
        "number,name,email,branch,join_date,status\n"
        "M1,Ann Arrears,ann@new.example,hillford,2019-01-01,full\n",
        encoding="utf-8",
    )
    log_in(page, live_server.url, "secretary")
    page.goto(f"{live_server.url}/units/hillford/import/")
    page.get_by_label("Register file (CSV)").set_input_files(str(csv_file))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_role("heading", name="Members already in the register").wait_for()
    row = page.locator("#import-updates tbody tr").first
    assert "email: (blank) → ann@new.example" in row.inner_text()
    assert no_sideways_scroll(page)
    assert Member.objects.get(number="M1").email == ""
    page.get_by_role("button", name="Import: update 1 member").click()
    page.get_by_text("Imported 0 member(s), updated 1.").wait_for()
    assert Member.objects.get(number="M1").email == "ann@new.example"


def test_an_administrator_adds_a_ward_from_the_tree_on_a_phone(
    live_server: Any, live_org: Org, page: Any
) -> None:
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/units/")
    page.get_by_role("link", name="Units in Test Party").click()
    page.get_by_role("heading", name="Units in Test Party").wait_for()
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="Add a unit under Hillford", exact=True).click()
    page.get_by_label("Kind").select_option("ward")
    page.get_by_label("Code").fill("hillford-west")
    page.get_by_label("Name").fill("Hillford West")
    page.get_by_role("button", name="Add unit").click()
    page.get_by_text("Added ward Hillford West (hillford-west).").wait_for()
    west = page.locator("li", has=page.locator("strong", has_text="Hillford West")).last
    assert "(ward, code hillford-west)" in west.inner_text()
    assert no_sideways_scroll(page)
