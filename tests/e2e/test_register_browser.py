"""In a real browser, at desktop and phone sizes, as a branch secretary: editing a member's
details (issue 9.1), the register's filters, sorting and counts, and the list of what needs
doing on the home page (issue 9.12); the delegate page of an affiliated body (issue 9.6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from grassroots.members.models import Member
from tests.e2e.test_accessibility import axe_violations
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.web.conftest import TODAY, Org

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture(params=sorted(SIZES))
def screen(request: Any, browser: Any) -> Iterator[Any]:
    """A page at desktop or phone size."""
    ctx = browser.new_context(viewport=SIZES[request.param])
    pg = ctx.new_page()
    pg.set_default_timeout(60000)
    yield pg
    ctx.close()


def test_a_secretary_sees_a_members_current_details_edits_every_field_and_saves(
    live_server: Any, live_org: Org, screen: Any
) -> None:
    page = screen
    Member.objects.filter(pk=live_org.ann.pk).update(birth_date=dt.date(1990, 5, 1))
    paid = live_org.ann.paid_up_to
    log_in(page, live_server.url, "secretary")
    page.goto(f"{live_server.url}/members/M1/")
    form = page.locator("form", has=page.get_by_role("button", name="Save"))
    # the current values, the dates among them, are in the inputs
    assert form.get_by_label("Name").input_value() == "Ann Arrears"
    assert form.get_by_label("Join date").input_value() == "2019-01-01"
    assert form.get_by_label("Paid up to").input_value() == f"{paid:%Y-%m-%d}"
    assert form.get_by_label("Date of birth").input_value() == "1990-05-01"
    assert form.get_by_label("Gender").input_value() == "woman"
    assert form.get_by_label("Ward").locator("option:checked").inner_text() == "Hillford East"

    new_paid = TODAY + dt.timedelta(days=200)
    form.get_by_label("Name").fill("Ann Arbour")
    form.get_by_label("Email").fill("ann@example.org")
    form.get_by_label("Ward").select_option(label="---------")
    form.get_by_label("Join date").fill("2018-02-03")
    form.get_by_label("Paid up to").fill(f"{new_paid:%Y-%m-%d}")
    form.get_by_label("Rate band").select_option("reduced")
    form.get_by_label("Gender").fill("female")
    form.get_by_label("Date of birth").fill("1991-06-07")
    form.get_by_label("Reason").fill("her letter of 1 May")
    form.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    assert "cannot change" not in page.content()
    m = Member.objects.get(number="M1")
    assert (m.name, m.email, m.ward_id, m.rate_band, m.gender) == (
        "Ann Arbour",
        "ann@example.org",
        None,
        "reduced",
        "female",
    )
    assert (m.join_date, m.paid_up_to, m.birth_date) == (
        dt.date(2018, 2, 3),
        new_paid,
        dt.date(1991, 6, 7),
    )
    # the page shows the saved values back, and the history says what changed and why
    form = page.locator("form", has=page.get_by_role("button", name="Save"))
    assert form.get_by_label("Paid up to").input_value() == f"{new_paid:%Y-%m-%d}"
    assert "her letter of 1 May" in page.locator("table").last.inner_text()
    assert no_sideways_scroll(page)


def test_a_secretary_records_an_affiliates_membership_and_reads_its_delegates_working(
    live_server: Any, live_org: Org, screen: Any
) -> None:
    from grassroots.members import actions

    page, base = screen, live_server.url
    actions.create_unit(
        kind="affiliate",
        code="union-hill",
        name="Hillford Posties",
        parent=live_org.hillford,
        by=None,
    )
    snapshot = dt.date(TODAY.year - 1, 12, 31)
    log_in(page, base, "secretary")
    page.goto(f"{base}/units/union-hill/delegates/")
    main = page.locator("main")
    assert "No branches" not in main.inner_text()
    assert "No affiliated membership recorded yet" in main.inner_text()
    page.get_by_role("spinbutton", name="Affiliated members").fill("1000")
    page.get_by_label("As at").fill(f"{snapshot:%Y-%m-%d}")
    page.get_by_label("Source").fill("affiliation return")
    page.get_by_role("button", name="Record affiliated membership").click()
    page.get_by_text("Recorded 1000 affiliated members").wait_for()
    page.get_by_role("button", name="Calculate").click()
    page.wait_for_url("**formula=conference**")
    row = page.locator("#delegate-table tbody tr")
    assert row.count() == 1
    text = row.inner_text()
    assert "Hillford Posties" in text
    assert f"1000 affiliated members, as recorded at {snapshot:%Y-%m-%d}" in text
    assert "2 more for the further 251 members (1 per 250 or part thereof)" in text
    assert "no women's delegate: women members not recorded" in text
    # the General Committee ratio shows its working for the affiliate too
    page.get_by_label("Formula").select_option("gc")
    page.get_by_role("button", name="Calculate").click()
    assert (
        "40 for 1000 members (1 per 25 or part thereof)"
        in page.locator("#delegate-table tbody tr").inner_text()
    )
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)
