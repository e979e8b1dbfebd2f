"""A ward's secretary sends the ward's motion to its branch's General Committee from the ward's
page, citing the vote of the ward's meeting that adopted it; the General Committee's chair sees
on the meeting's page that the ward moved it and when it decided to. At a desktop width and a
phone width, with axe checks on each page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from grassroots.meetings.models import Motion
from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.e2e.test_browser import log_in
from tests.meetings.branch_setup import ward_and_gc
from tests.web.conftest import Org

ORIGIN = "moved by Hillford East (decision of its meeting on 20 November 2026)"


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_ward_secretary_sends_a_motion_and_the_chair_sees_its_origin(
    live_server: Any, live_org: Org, browser: Any, size: dict[str, int]
) -> None:
    now = timezone.now()
    ward = ward_and_gc(live_org, gc_start=now + dt.timedelta(days=20), gc_called=now)
    base = live_server.url
    width = "phone" if size == PHONE else "desktop"

    secretary = browser.new_context(viewport=size).new_page()
    secretary.set_default_timeout(60000)
    log_in(secretary, base, "eastsec")
    secretary.goto(f"{base}/units/hillford-east/meetings/")
    secretary.get_by_role("link", name="Send a motion").click()
    secretary.wait_for_url(f"{base}/units/hillford-east/motions/send/")
    check_page(secretary, f"branch motion send {width}")
    secretary.get_by_label("To the meeting").select_option(str(ward.gc.pk))
    secretary.get_by_label("Title").fill("Evening buses")
    secretary.get_by_label("The motion's text").fill(
        "This General Committee backs the ward's campaign for evening buses."
    )
    # no decision cited yet: refused in words, nothing sent
    secretary.get_by_role("button", name="Send the motion").click()
    secretary.locator(".errorlist").get_by_text("cite the decision of Hillford East's").wait_for()
    assert not Motion.objects.filter(meeting=ward.gc).exists()
    secretary.get_by_label("The decision of your meeting that adopted it").select_option(
        str(ward.vote.pk)
    )
    secretary.get_by_role("button", name="Send the motion").click()
    secretary.wait_for_url(f"{base}/units/hillford-east/motions/")
    secretary.get_by_text(
        f"“Evening buses” sent to December General Committee, {ORIGIN}."
    ).wait_for()
    body = secretary.locator("main").inner_text()
    assert "to be debated at the meeting on" in body
    check_page(secretary, f"branch motions sent {width}")

    chair = browser.new_context(viewport=size).new_page()
    chair.set_default_timeout(60000)
    log_in(chair, base, "secretary")  # Hillford's secretary chairs its General Committee
    chair.goto(f"{base}/meetings/{ward.gc.pk}/")
    card = chair.locator("section.card", has_text="Evening buses")
    text = card.inner_text()
    assert f"Motion, {ORIGIN}" in text
    assert ward.vote.question in text
    assert "seconder" not in text.lower()  # a ward's motion needs no seconder
    check_page(chair, f"gc with a ward motion {width}")
