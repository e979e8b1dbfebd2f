"""In a real browser, at desktop and phone sizes, as a branch secretary: editing a member's
details (issue 9.1), the register's filters, sorting and counts, and the list of what needs
doing on the home page (issue 9.12); the delegate page of an affiliated body (issue 9.6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from grassroots import dates
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
    assert form.get_by_label("Join date").input_value() == "01/01/2019"
    assert form.get_by_label("Paid up to").input_value() == f"{paid:%d/%m/%Y}"
    assert form.get_by_label("Date of birth").input_value() == "01/05/1990"
    assert form.get_by_label("Gender").input_value() == "woman"
    assert form.get_by_label("Ward").locator("option:checked").inner_text() == "Hillford East"

    new_paid = TODAY + dt.timedelta(days=200)
    form.get_by_label("Name").fill("Ann Arbour")
    form.get_by_label("Email").fill("ann@example.org")
    form.get_by_label("Ward").select_option(label="---------")
    form.get_by_label("Join date").fill("03/02/2018")  # as the app writes dates
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
    assert form.get_by_label("Paid up to").input_value() == f"{new_paid:%d/%m/%Y}"
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
    assert f"1000 affiliated members, as recorded at {dates.day(snapshot)}" in text
    assert "2 more for the further 251 members (1 per 250 or part thereof)" in text
    assert "no women's delegate: women members not recorded" in text
    # the General Committee ratio shows its working for the affiliate too
    page.get_by_label("Formula").select_option("gc")
    page.get_by_role("button", name="Calculate").click()
    page.wait_for_url("**formula=gc**")  # the table is on the page before too
    assert (
        "40 for 1000 members (1 per 25 or part thereof)"
        in page.locator("#delegate-table tbody tr").inner_text()
    )
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)


def _more_members(org: Org) -> None:
    from grassroots.members import actions

    for number, name, status, paid in [
        ("M3", "Cy Current", "full", TODAY + dt.timedelta(days=20)),
        ("M4", "Di Never", "provisional", None),
        ("M5", "Ed Lapsed", "lapsed", TODAY - dt.timedelta(days=400)),
    ]:
        actions.create_member(
            by=None,
            number=number,
            name=name,
            branch=org.hillford,
            join_date=dt.date(2020, 1, 1),
            status=status,
            paid_up_to=paid,
        )


def test_a_secretary_filters_the_register_by_arrears_and_status_and_sorts_it(
    live_server: Any, live_org: Org, screen: Any
) -> None:
    page, base = screen, live_server.url
    _more_members(live_org)
    log_in(page, base, "secretary")
    page.goto(f"{base}/units/hillford/")
    # each choice says how many members it would show
    assert page.get_by_label("Subscription").locator("option").all_inner_texts() == [
        "Paid up or not (4)",
        "In arrears (3)",
        "Paid up (1)",
    ]
    page.get_by_label("Subscription").select_option("in_arrears")
    page.get_by_role("button", name="Show").click()
    page.get_by_text("3 members match, in arrears.").wait_for()
    assert "Full (1)" in page.get_by_label("Status").locator("option").all_inner_texts()
    table = page.locator("#register-table")
    numbers = table.locator("tbody tr td:first-child").all_inner_texts()
    assert numbers == ["M1", "M4", "M5"]
    # the ward column, and sorting by name, then the other way
    assert "Hillford East" in table.locator("tbody tr").first.inner_text()
    if page.viewport_size["width"] > 600:  # the headings sort; on a phone they are not shown
        table.get_by_role("link", name="Name").click()
        page.wait_for_url("**sort=name**")
        heading = page.locator("#register-table thead th[aria-sort=ascending]")
        assert heading.inner_text().startswith("Name")
        page.locator("#register-table").get_by_role("link", name="Name").click()
    else:
        page.get_by_label("Sort by").select_option(label="Name, reversed")
        page.get_by_role("button", name="Show").click()
    page.wait_for_url("**sort=-name**")
    names = page.locator("#register-table tbody tr td:nth-child(2)").all_inner_texts()
    assert names == ["Ed Lapsed", "Di Never", "Ann Arrears"]
    assert page.get_by_label("Sort by").locator("option:checked").inner_text() == "Name, reversed"
    # the filter stays while sorting; adding a status narrows it further
    page.get_by_label("Status").select_option("full")
    page.get_by_role("button", name="Show").click()
    page.get_by_text("1 member matches, full, in arrears.").wait_for()
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)


def test_a_secretarys_home_page_lists_what_needs_doing(
    live_server: Any, live_org: Org, screen: Any
) -> None:
    from grassroots.elections import actions as election_actions
    from grassroots.members.eligibility import RuleSet
    from tests.elections.conftest import DAY, NOW, make_election

    page, base = screen, live_server.url
    open_election = make_election(live_org).election
    election_actions.create_election(
        title="Regional rep",
        seats=1,
        rule="scottish",
        unit=live_org.north,
        eligibility=RuleSet(on=NOW.date()),
        freeze_date=NOW.date() - 20 * DAY,
        nominations_open=NOW - DAY,
        nominations_close=NOW + 2 * DAY,
        voting_open=NOW + 3 * DAY,
        voting_close=NOW + 5 * DAY,
        threshold={"kind": "branch", "count": 1},
        by=live_org.users["returning"],
    )
    log_in(page, base, "secretary")
    todo = page.get_by_role("region", name="What needs doing")
    assert "Hillford: its nomination in Regional rep" in todo.inner_text()
    assert open_election.title in todo.inner_text()
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)
    todo.get_by_role("link", name="Hillford: its nomination in Regional rep").click()
    page.get_by_role("heading", name="Record a nomination").wait_for()
    form = page.locator("form", has=page.get_by_role("button", name="Record"))
    form.get_by_label("Decision").select_option(label="Decided not to nominate")
    form.get_by_role("button", name="Record").click()
    page.get_by_text("Recorded Hillford's decision.").wait_for()
    page.goto(f"{base}/")
    todo = page.get_by_role("region", name="What needs doing")
    assert "its nomination" not in todo.inner_text()
