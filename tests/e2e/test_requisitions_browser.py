"""Requisitions and decisions not to meet in a real browser: a member signs a requisition on a
phone and it is met; the secretary sees it met and calls the special meeting; a visitor reads
the decision not to hold a nominating meeting. Every new page passes axe and fits a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from grassroots.meetings import actions
from grassroots.meetings.models import Meeting, Requisition
from grassroots.members import actions as members
from tests.e2e.test_accessibility import DESKTOP, PHONE
from tests.e2e.test_browser import log_in
from tests.e2e.test_meetings_browser import check_page
from tests.web.conftest import Org

SIZES = {"phone": PHONE, "desktop": DESKTOP}
DAY = dt.timedelta(days=1)


def _record(org: Org) -> tuple[Requisition, Any]:
    """A branch meeting two members' signatures can requisition, one signature in, and the
    officers' decision not to hold a nominating meeting."""
    body = actions.create_body(
        unit=org.hillford,
        kind="branch",
        name="Hillford branch meeting",
        by=None,
        requisition_members=2,
        requisition_call_within_days=14,
    )
    cy = members.create_member(
        by=None,
        number="M3",
        name="Cy Cole",
        branch=org.hillford,
        join_date=dt.date(2020, 1, 1),
        status="full",
    )
    r = actions.start_requisition(
        body,
        purpose="Reconsider the office move",
        text="We ask for a special meeting to reconsider giving up the office.",
        by=None,
        member=cy,
    )
    officers = actions.create_body(
        unit=org.hillford, kind="executive", name="Hillford officers", by=None
    )
    for m in (org.ann, cy):
        actions.appoint(officers, m, by=None, role="Officer", on=dt.date(2024, 1, 1))
    decision = actions.record_decision_not_to_meet(
        officers,
        what="a nominating meeting for the National Executive",
        purpose="nominating",
        decided_on=timezone.localdate() - DAY,
        present=[org.ann, cy],
        votes_for=2,
        votes_against=0,
        abstentions=0,
        reason="no hall is free before nominations close",
        by=None,
    )
    return r, decision


def test_a_member_signs_on_a_phone_the_secretary_calls_the_meeting_a_visitor_reads_why_not(
    live_server: Any, live_org: Org, browser: Any
) -> None:
    base = live_server.url
    r, _ = _record(live_org)

    # Ann, on her phone, finds the requisition on the branch's meetings page and signs it.
    ctx = browser.new_context(viewport=PHONE)
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "ann")
    page.goto(f"{base}/units/hillford/meetings/")
    check_page(page, "unit record as a member phone")
    page.get_by_role("link", name="Reconsider the office move").click()
    page.get_by_role("heading", name="Requisition of a special meeting").wait_for()
    assert "1 of 2 members' signatures needed" in page.locator("#standing").inner_text()
    check_page(page, "requisition before signing phone")
    page.get_by_role("button", name="Sign this requisition as Ann Arrears").click()
    page.get_by_text("You have signed this requisition.").wait_for()
    standing = page.locator("#standing").inner_text()
    assert "2 of 2 members' signatures needed" in standing and "Must be called by" in standing
    check_page(page, "requisition signed phone")
    ctx.close()

    # The secretary sees it met and calls the special meeting in answer.
    ctx = browser.new_context(viewport=DESKTOP)
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "secretary")
    page.goto(f"{base}/requisitions/{r.pk}/")
    assert "Yes, on" in page.locator("#standing").inner_text()
    page.get_by_role("link", name="Call the special meeting").click()
    page.get_by_role("heading", name="Call the special meeting").wait_for()
    check_page(page, "call the requisitioned meeting desktop")
    day = timezone.localdate() + 20 * DAY
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("19:00")
    page.get_by_label("Place").fill("Hillford Library")
    page.get_by_role("button", name="Call the special meeting and send the notice").click()
    page.get_by_text("Special meeting called.").wait_for()
    m = Meeting.objects.get(purpose="special")
    assert page.url.endswith(f"/meetings/{m.pk}/")
    page.goto(f"{base}/requisitions/{r.pk}/")
    page.get_by_role("link", name=m.title).wait_for()
    check_page(page, "requisition answered desktop")
    page.goto(f"{base}/units/hillford/decisions/new/")
    check_page(page, "record a decision not to meet desktop")
    ctx.close()

    # A visitor reads the decision not to hold a nominating meeting, at both sizes.
    for size, viewport in SIZES.items():
        ctx = browser.new_context(viewport=viewport)
        page = ctx.new_page()
        page.set_default_timeout(60000)
        page.goto(f"{base}/units/hillford/meetings/")
        page.get_by_role(
            "link", name="The Hillford officers decided not to hold a nominating meeting"
        ).click()
        page.get_by_role("heading", name="Decision not to hold").wait_for()
        text = page.locator("main").inner_text()
        assert "Ann Arrears, Cy Cole" in text and "2 for, 0 against, 0 abstaining" in text
        assert "no hall is free before nominations close" in text
        check_page(page, f"decision not to meet visitor {size}")
        ctx.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_forms_to_start_and_sign_for_a_branch_pass_axe(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    base = live_server.url
    _record(live_org)
    gc = actions.create_body(
        unit=live_org.north,
        kind="general_committee",
        name="North committee",
        by=None,
        requisition_branches_fraction="1/2",
    )
    r = actions.start_requisition(
        gc, purpose="Budget", by=None, branch=live_org.moorside, decision="agreed, 9 to 1"
    )
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "ann")
    page.goto(f"{base}/units/hillford/requisitions/new/")
    check_page(page, f"start a requisition {size}")
    ctx.close()
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "secretary")
    page.goto(f"{base}/requisitions/{r.pk}/")
    page.get_by_role("link", name="Record a branch's signature").click()
    page.get_by_role("heading", name="A branch signs the requisition").wait_for()
    check_page(page, f"a branch signs {size}")
    page.get_by_label("The branch's decision").fill("Branch meeting 2 May: 12 for, 3 against")
    page.get_by_role("button", name="Record the branch's signature").click()
    page.get_by_text("Hillford's signature is recorded.").wait_for()
    assert "Branch meeting 2 May" in page.locator("main").inner_text()
    ctx.close()
