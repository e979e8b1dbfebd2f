"""Meetings in a real browser, at phone and desktop sizes: a secretary calls a General Committee
with its agenda and a paper, then publishes a late paper with its reason; a delegate finds the
meeting on their standing page and reads the papers; every meetings page passes axe."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from grassroots.meetings import actions
from grassroots.meetings.models import Meeting, Paper
from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.e2e.test_browser import log_in
from tests.web.conftest import Org

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture
def gc(live_org: Org) -> Any:
    body = actions.create_body(
        unit=live_org.hillford,
        kind="general_committee",
        name="Hillford General Committee",
        by=None,
        quorum_fraction="1/3",
        papers_public=False,
    )
    actions.appoint(
        body,
        live_org.ann,
        by=None,
        role="Delegate",
        represents=live_org.hillford_east,
        appointed_by="Hillford East ward AGM",
        on=timezone.localdate() - dt.timedelta(days=30),
    )
    return body


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_secretary_calls_a_gc_with_papers_and_a_late_paper_and_a_delegate_reads_them(
    live_server: Any, live_org: Org, gc: Any, browser: Any, tmp_path: Path, size: str
) -> None:
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "secretary")
    page.goto(f"{base}/units/hillford/meetings/")
    check_page(page, f"meetings unit meetings {size}")
    page.get_by_role("link", name="Call a meeting").click()
    page.get_by_role("heading", name="Call a meeting of Hillford").wait_for()
    check_page(page, f"meetings call a meeting {size}")
    day = timezone.localdate() + dt.timedelta(days=21)
    page.get_by_label("Title").fill("General Committee, January")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill("19:30")
    page.get_by_label("Place").fill("Hillford Community Centre")
    page.get_by_label("Online meeting link").fill("https://meet.example.org/hillford-gc")
    page.get_by_label("Agenda").fill("Apologies\nMinutes\nBudget for next year")
    page.get_by_role("button", name="Call the meeting and send the notice").click()
    page.get_by_text("Meeting called. Notice sent to").wait_for()
    meeting = Meeting.objects.get(title="General Committee, January")
    assert [i.title for i in meeting.items.all()] == [
        "Apologies",
        "Minutes",
        "Budget for next year",
    ]

    budget = tmp_path / "budget.pdf"
    budget.write_bytes(PDF)
    page.get_by_role("link", name="Add a paper").click()
    page.wait_for_url(f"{base}/meetings/{meeting.pk}/papers/add/")
    check_page(page, f"meetings add a paper {size}")
    page.get_by_label("Agenda item").select_option(label="3. Budget for next year")
    page.get_by_label("Title").fill("Draft budget")
    page.get_by_label("File").set_input_files(str(budget))
    page.get_by_role("button", name="Add a paper").click()
    page.get_by_text("Paper “Draft budget” published.").wait_for()
    check_page(page, f"meetings meeting with papers {size}")

    # A second meeting whose notice deadline has passed: its new paper is late, with a reason.
    called = timezone.now() - dt.timedelta(days=10)
    late_meeting = actions.call_meeting(
        gc,
        title="Special General Committee",
        start=timezone.now() + dt.timedelta(days=3),
        by=None,
        items=["The council's proposal"],
        place="Hillford Community Centre",
        now=called,
    )
    page.goto(f"{base}/meetings/{late_meeting.pk}/papers/add/")
    page.get_by_text("The notice deadline has passed").wait_for()
    page.get_by_label("File").set_input_files(str(budget))
    page.get_by_label("Title").fill("Council's letter")
    page.get_by_role("button", name="Add a paper").click()
    page.get_by_text("a late paper needs a reason").wait_for()  # refused, nothing stored
    assert not Paper.objects.filter(item__meeting=late_meeting).exists()
    page.get_by_label("File").set_input_files(str(budget))
    page.get_by_label("Why it is late").fill("the council wrote to us on Monday")
    page.get_by_role("button", name="Add a paper").click()
    page.get_by_text("Paper “Council's letter” published (late).").wait_for()
    assert "late paper" in page.locator("ol.agenda").inner_text()
    ctx.close()

    # The delegate: the meeting is on their standing page, and they read the papers.
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "ann")
    page.goto(f"{base}/me/")
    card = page.get_by_role("region", name="General Committee, January")
    assert "You may attend as Delegate" in card.inner_text()
    card.get_by_role("link", name="General Committee, January").click()
    page.get_by_role("heading", name="General Committee, January").wait_for()
    check_page(page, f"meetings meeting as a delegate {size}")
    assert page.get_by_role("link", name="Join the meeting online").is_visible()
    link = page.get_by_role("link", name="Draft budget")
    response = page.request.get(base + link.get_attribute("href"))
    assert response.ok and response.body() == PDF
    digest = Paper.objects.get(title="Draft budget").sha256
    assert digest in page.content()
    ctx.close()

    # A visitor sees the record, but not this body's papers nor the online link.
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.goto(f"{base}/meetings/{meeting.pk}/")
    assert page.get_by_role("link", name="Draft budget").count() == 0
    assert "meet.example.org" not in page.content()
    check_page(page, f"meetings meeting as a visitor {size}")
    ctx.close()


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_secretary_cancels_a_meeting_after_confirming_and_a_delegate_sees_why(
    live_server: Any, live_org: Org, gc: Any, browser: Any, size: str
) -> None:
    from django.core import mail

    from grassroots.members.models import Member

    Member.objects.filter(pk=live_org.ann.pk).update(email="ann@example.org")
    meeting = actions.call_meeting(
        gc,
        title="General Committee, March",
        start=timezone.now() + dt.timedelta(days=21),
        by=None,
        items=["Apologies"],
        place="Hillford Community Centre",
    )
    actions.send_notice(meeting, by=None)
    mail.outbox.clear()
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "secretary")
    page.goto(f"{base}/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Cancel the meeting").click()
    page.get_by_role("heading", name="Cancel General Committee, March?").wait_for()
    assert "The 1 member sent the notice will be e-mailed" in page.locator("main").inner_text()
    check_page(page, f"meetings cancel a meeting {size}")
    page.get_by_label("Reason").fill("the centre is closed for repairs")
    confirm = page.get_by_label("Yes, cancel this meeting")
    page.get_by_role("button", name="Cancel the meeting").click()  # not yet confirmed
    assert confirm.evaluate("box => box.validity.valueMissing")  # the browser asks first
    assert Meeting.objects.get(pk=meeting.pk).state == "called" and not mail.outbox
    confirm.check()
    page.get_by_role("button", name="Cancel the meeting").click()
    page.get_by_text("Cancellation sent to 1 member.").wait_for()
    assert "the centre is closed for repairs" in page.locator("#cancelled").inner_text()
    check_page(page, f"meetings cancelled meeting {size}")
    (msg,) = mail.outbox
    assert msg.to == ["ann@example.org"] and msg.attachments[0][2].endswith("method=CANCEL")
    ctx.close()

    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    log_in(page, base, "ann")
    page.goto(f"{base}/me/")
    card = page.get_by_role("region", name="General Committee, March")
    assert "Cancelled" in card.inner_text()
    assert "the centre is closed for repairs" in card.inner_text()
    ctx.close()
