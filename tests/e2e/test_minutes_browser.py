"""Minutes in a real browser: the secretary drafts the minutes of a held meeting from its record,
adds the discussion, circulates them and puts them to the next meeting; there the chair takes
the approval by show of hands, and the meeting's page shows them approved with their hash."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from grassroots.meetings import actions
from grassroots.meetings.models import Minutes
from grassroots.members import actions as member_actions
from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.e2e.test_browser import log_in
from tests.web.conftest import Org


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_minutes_are_drafted_circulated_and_approved_at_the_next_meeting(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    body = actions.create_body(
        unit=live_org.hillford,
        kind="branch",
        name="Hillford branch meeting",
        by=None,
        quorum_number=2,
    )
    people = [
        member_actions.create_member(
            by=None,
            number=f"P{i}",
            name=f"Person {i}",
            branch=live_org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2030, 1, 1),
        )
        for i in range(3)
    ]
    start = timezone.now() - dt.timedelta(days=30)
    first = actions.call_meeting(
        body,
        title="November meeting",
        start=start,
        by=None,
        place="Hall",
        items=["Apologies", "Libraries"],
        now=start - dt.timedelta(days=20),
    )
    for p in people:
        actions.check_in(first, p, by=None, now=start)
    actions.open_meeting(first, by=None, now=start)
    actions.close_meeting(first, by=None, now=start + dt.timedelta(hours=1))
    nxt_start = timezone.now() + dt.timedelta(minutes=20)
    nxt = actions.call_meeting(
        body,
        title="December meeting",
        start=nxt_start,
        by=None,
        place="Hall",
        items=["Minutes of the November meeting"],
        now=nxt_start - dt.timedelta(days=20),
    )

    base = live_server.url
    ctx = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP)
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "secretary")
    page.goto(f"{base}/meetings/{first.pk}/")
    page.get_by_role("link", name="Write the minutes").click()
    page.get_by_role("button", name="Draft the minutes from the record").click()
    text = page.get_by_label("Text")
    assert "Present: 3 with a vote" in text.input_value()
    text.fill(text.input_value() + "\nDiscussion: the libraries campaign was welcomed.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Minutes saved.").wait_for()
    check_page(page, f"minutes minutes draft {size}")
    page.get_by_role("button", name="Circulate the minutes").click()
    page.get_by_label("Put them for approval to").select_option(value=str(nxt.pk))
    page.get_by_role("button", name="Add to its agenda").click()
    page.get_by_text("The minutes are on the agenda of December meeting.").wait_for()

    # At the December meeting: everyone checks in, the chair puts the approval to a show of hands.
    for p in people:
        actions.check_in(nxt, p, by=None, now=timezone.now())
    page.goto(f"{base}/meetings/{nxt.pk}/live/")
    page.get_by_role("button", name="Open the meeting").click()
    page.get_by_label("On the motion").select_option(index=1)
    page.get_by_label("How").select_option(label="Show of hands")
    page.get_by_role("button", name="Open the vote").click()
    page.get_by_label("For", exact=True).fill("3")
    page.get_by_label("Against").fill("0")
    page.get_by_label("Abstaining").fill("0")
    page.get_by_role("button", name="Record the count").click()
    # the close button is on the page before too: closing sooner would abandon the count
    page.get_by_text("Count recorded; close the vote to declare it.").wait_for()
    page.get_by_role("button", name="Close the vote and declare the result").click()
    page.get_by_text("be approved as a true record: carried.").wait_for()

    approved = Minutes.objects.get(meeting=first)
    assert approved.state == "approved" and approved.sha256
    visitor = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP).new_page()
    visitor.goto(f"{base}/meetings/{first.pk}/")
    section = visitor.get_by_role("region", name=re.compile("approved"))
    assert approved.sha256 in section.inner_text()
    assert "the libraries campaign was welcomed" in section.inner_text()
    check_page(visitor, f"minutes approved minutes {size}")
    visitor.context.close()
    ctx.close()
