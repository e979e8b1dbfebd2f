"""In a real browser, at desktop and phone sizes, as a branch secretary: editing a member's
details (issue 9.1), the register's filters, sorting and counts, and the list of what needs
doing on the home page (issue 9.12); the delegate page of an affiliated body (issue 9.6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from grassroots.members.models import Member
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
