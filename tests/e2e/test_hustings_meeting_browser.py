"""A primary's hustings held online as a meeting, in a browser: an organiser chooses a meeting
already called, on a desktop; a member reads the primary on a phone and follows the link to
the meeting's page. Each page passes axe and fits a phone (tests/e2e/test_accessibility.py)."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.e2e.test_browser import log_in
from tests.network.builders import network
from tests.network.meeting_for_gathering import called_meeting
from tests.network.test_primaries import make_primary


def _page(browser: Any, size: dict[str, int]) -> Any:
    pg = browser.new_context(viewport=size).new_page()
    pg.set_default_timeout(60000)
    return pg


def test_an_organiser_holds_the_hustings_as_a_meeting_and_a_member_follows_it_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    net = network()
    m = called_meeting()
    p = make_primary(net)
    base = live_server.url
    page = _page(browser, DESKTOP)
    log_in(page, base, "organiser")
    page.goto(f"{base}/networks/left/primaries/{p.pk}/")
    page.get_by_role("link", name="Group the questions under themes").click()
    page.get_by_role("heading", name=re.compile("^Group the questions: ")).wait_for()
    check_page(page, "hustings with meetings to choose desktop")
    page.get_by_label("The meeting that holds the hustings").select_option(str(m.pk))
    page.get_by_role("button", name="Hold the hustings as this meeting").click()
    page.get_by_text("The hustings is held as the meeting").first.wait_for()
    p.refresh_from_db()
    assert p.hustings_meeting_id == m.pk
    check_page(page, "hustings held as a meeting desktop")
    phone = _page(browser, PHONE)
    phone.goto(f"{base}/networks/left/primaries/{p.pk}/")
    assert "held online as the meeting" in phone.locator("#hustings-meeting").inner_text()
    check_page(phone, "primary with its hustings meeting phone")
    phone.locator("#hustings-meeting").get_by_role("link", name=m.title).click()
    phone.wait_for_url(f"{base}/meetings/{m.pk}/")
    assert m.title in phone.title() or phone.get_by_text(m.title).first.is_visible()
