"""Motions in a real browser on a phone: a member submits a motion in her own name, another
supports it where the body counts supporters, a third moves an amendment whose change the
meeting's page shows; axe and phone-width checks on the motion pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from grassroots.meetings import actions
from grassroots.meetings.models import Motion
from grassroots.members import actions as member_actions
from tests.e2e.test_accessibility import PHONE, check_page
from tests.e2e.test_browser import log_in
from tests.web.conftest import PASSWORD, Org


def test_members_submit_support_and_amend_a_motion_on_a_phone(
    live_server: Any, live_org: Org, browser: Any
) -> None:
    body = actions.create_body(
        unit=live_org.hillford,
        kind="all_member",
        name="Hillford members",
        by=None,
        motion_supporters=1,
    )
    meeting = actions.call_meeting(
        body,
        title="January",
        start=timezone.now() + dt.timedelta(days=20),
        by=None,
        place="Hall",
        items=["Motions"],
    )
    for number, login in (("P1", "pia"), ("P2", "quin"), ("P3", "rae")):
        m = member_actions.create_member(
            by=None,
            number=number,
            name=f"Member {login}",
            branch=live_org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2030, 1, 1),
        )
        member_actions.create_login(username=login, password=PASSWORD, member=m, by=None)
    base = live_server.url

    def as_member(login: str) -> Any:
        page = browser.new_context(viewport=PHONE).new_page()
        page.set_default_timeout(60000)
        log_in(page, base, login)
        page.goto(f"{base}/meetings/{meeting.pk}/")
        return page

    pia = as_member("pia")
    pia.get_by_role("link", name="Submit a motion").click()
    pia.get_by_role("heading", name="Submit a motion to January").wait_for()
    check_page(pia, "motions submit a motion")
    pia.get_by_label("Title").fill("Save our libraries")
    pia.get_by_label("The motion's text").fill("This branch opposes all library closures.")
    pia.get_by_role("button", name="Submit the motion").click()
    pia.get_by_text("Motion “Save our libraries” submitted.").wait_for()
    assert "0 of the 1" in pia.content()
    pia.context.close()

    quin = as_member("quin")
    quin.get_by_role("button", name="Support “Save our libraries”").click()
    quin.get_by_text("You support “Save our libraries”.").wait_for()
    assert "1 of the 1" in quin.content()
    quin.context.close()

    rae = as_member("rae")
    rae.get_by_role("link", name="Move an amendment").click()
    rae.get_by_role("heading", name="Amend “Save our libraries”").wait_for()
    check_page(rae, "motions move an amendment")
    box = rae.get_by_label("The motion as it would read, amended")
    box.fill("This branch opposes library closures in Hillford.")
    rae.get_by_role("button", name="Submit the amendment").click()
    rae.get_by_text("Amendment to “Save our libraries” submitted.").wait_for()
    change = rae.locator("p.change").inner_text()
    assert "all" in rae.locator("p.change del").first.inner_text()
    assert "in Hillford" in change
    check_page(rae, "motions meeting with motions")
    rae.context.close()
    assert Motion.objects.filter(meeting=meeting).count() == 2
