"""In a real browser on a phone-sized screen: a member votes with the keyboard-friendly number
boxes (no JavaScript needed), fixes a duplicate rank, casts, and after the count checks that
their receipt is among those counted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from grassroots.elections import actions
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.elections.conftest import DAY, NOW, make_election
from tests.web.conftest import Org


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A phone without JavaScript: the number boxes are the whole ballot."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    pg = ctx.new_page()
    pg.set_default_timeout(60000)
    yield pg
    ctx.close()


def test_a_member_votes_and_checks_their_receipt_after_the_count(
    live_server: Any, live_org: Org, page: Any
) -> None:
    e = make_election(live_org).election
    base = live_server.url
    log_in(page, base, "ann")
    page.goto(f"{base}/elections/{e.pk}/")
    page.get_by_role("link", name="Vote now").click()
    page.get_by_role("heading", name=re.compile("Ballot")).wait_for()
    # a mistake first: two candidates ranked 1
    page.get_by_label("Bea Bold").fill("1")
    page.get_by_label("Cal Calm").fill("1")
    page.get_by_role("button", name="Review my ballot").click()
    assert "rank 1 is given to more than one candidate" in page.get_by_role("alert").inner_text()
    page.get_by_label("Cal Calm").fill("2")
    page.get_by_role("button", name="Review my ballot").click()
    # a list read does not wait: wait for the review page itself
    page.get_by_role("heading", name="Review your ballot").wait_for()
    assert page.locator("#review li").all_inner_texts() == ["Bea Bold", "Cal Calm"]
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Cast my vote").click()
    code = page.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    # going back and casting again never makes a second ballot
    page.goto(f"{base}/elections/{e.pk}/vote/")
    assert "already voted" in page.content()

    actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    actions.count_votes(e, by=None)
    actions.publish_result(e, by=None)
    page.goto(f"{base}/elections/{e.pk}/results/")
    page.get_by_role("link", name="Check your receipt").click()
    page.get_by_label("Receipt code").fill(code)
    page.get_by_role("button", name="Check").click()
    assert page.locator("#check-result").inner_text() == (
        "Your ballot is included in the published count."
    )
