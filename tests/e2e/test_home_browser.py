"""In a real browser, at desktop and phone sizes: where each person starts.

A member's home shows the elections open to them (with "Vote now") and their meetings; the
navigation offers only what the person may use, and every link in it opens; a long list on
a home card shows its first few and links to the whole list; a page someone may not see, or
one that does not exist, answers in the site's layout with the reason and a way back.
"""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.members import actions as member_actions
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.elections.conftest import make_election
from tests.web.conftest import Org

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _page(browser: Any, size: str) -> Any:
    ctx = browser.new_context(viewport=SIZES[size])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    return ctx, page


def _nav(page: Any) -> list[str]:
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    return [t.strip() for t in links.all_inner_texts()]


@pytest.mark.parametrize("size", SIZES)
def test_a_member_starts_from_the_elections_open_to_them_and_a_nav_of_what_they_may_use(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    e = make_election(live_org).election
    base = live_server.url
    ctx, page = _page(browser, size)
    try:
        log_in(page, base, "ann")
        assert _nav(page) == [
            "My standing",
            "Elections",
        ]
        card = page.get_by_role("region", name="Elections open to vote")
        assert card.get_by_role("link", name=e.title, exact=True).is_visible()
        assert page.get_by_role("region", name="Your meetings").is_visible()
        assert no_sideways_scroll(page)
        card.get_by_role("link", name=f"Vote now: {e.title}").click()
        page.get_by_role("heading", name=f"Ballot: {e.title}").wait_for()
        page.get_by_label("Bea Bold", exact=True).fill("1")
        page.get_by_role("button", name="Review my ballot").click()
        page.get_by_role("button", name="Cast my vote").click()
        page.locator("#receipt-code").wait_for()
        page.goto(base + "/")
        assert "you have voted" in card.inner_text()
        assert card.get_by_role("link", name="Vote now").count() == 0
    finally:
        ctx.close()


@pytest.mark.parametrize("user", ["ann", "secretary", "returning", "executive", "admin"])
def test_every_link_in_the_nav_opens_for_the_person_it_is_shown_to(
    live_server: Any, live_org: Org, browser: Any, user: str
) -> None:
    base = live_server.url
    ctx, page = _page(browser, "phone")
    try:
        log_in(page, base, user)
        nav = page.get_by_role("navigation", name="Main")
        hrefs = [a.get_attribute("href") for a in nav.get_by_role("link").all()]
        for href in hrefs:
            r = page.goto(base + href)
            assert r.status == 200, f"{user}: {href} answered {r.status}"
            # and what it shows is theirs: no empty 'not linked' or 'nothing to show' page
            assert "not linked to a membership record" not in page.content(), href
    finally:
        ctx.close()
    if user == "ann":
        assert "/units/" not in hrefs  # a member keeps no register
    if user in ("returning", "admin", "secretary", "executive"):
        assert "/me/" not in hrefs  # these logins have no membership record


@pytest.mark.parametrize("size", SIZES)
def test_a_long_list_on_the_home_page_links_to_the_whole_list(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    for i in range(12):
        member_actions.create_unit(
            kind="branch",
            code=f"extra-{i:02}",
            name=f"Extra Branch {i:02}",
            parent=live_org.north,
            by=None,
        )
    base = live_server.url
    ctx, page = _page(browser, size)
    try:
        log_in(page, base, "admin")
        card = page.get_by_role("region", name="Registers you keep")
        shown = card.get_by_role("listitem").count()
        assert shown == 8
        link = card.get_by_role("link", name="All 16 registers")
        assert link.is_visible()
        assert no_sideways_scroll(page)
        link.click()
        page.wait_for_url(f"{base}/units/")
        for i in range(12):
            assert page.get_by_role("cell", name=f"Extra Branch {i:02}").count() == 1
    finally:
        ctx.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_page_someone_may_not_see_answers_in_the_site_layout_with_the_reason_and_a_way_back(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    base = live_server.url
    ctx, page = _page(browser, size)
    try:
        log_in(page, base, "ann")
        r = page.goto(f"{base}/units/hillford/")
        assert r.status == 403
        assert page.get_by_role("heading", name="This page is not open to you").is_visible()
        assert page.get_by_role("navigation", name="Main").is_visible()
        assert "may not view register for Hillford" in page.locator("#error-reason").inner_text()
        assert no_sideways_scroll(page)
        page.get_by_role("link", name="Back to your home page").click()
        page.wait_for_url(f"{base}/")

        r = page.goto(f"{base}/elections/987654/")
        assert r.status == 404
        assert page.get_by_role("heading", name="There is no such page").is_visible()
        assert page.get_by_role("navigation", name="Main").is_visible()
        assert "matches the given query" not in page.content()
        page.get_by_role("link", name="Elections and results").click()
        page.wait_for_url(f"{base}/elections/")
    finally:
        ctx.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_form_sent_from_an_expired_page_is_refused_in_the_site_layout_with_a_way_back(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    base = live_server.url
    ctx, page = _page(browser, size)
    try:
        page.goto(f"{base}/accounts/login/")
        ctx.clear_cookies()  # the session and form token the page was served with are gone
        page.get_by_label("Username").fill("ann")
        page.get_by_label("Password").fill("whatever")
        with page.expect_response(lambda r: r.request.method == "POST") as sent:
            page.get_by_role("button", name="Log in").click()
        assert sent.value.status == 403
        # the answer has come, but the page may not show it yet: wait for its heading
        refused = page.get_by_role("heading", name="This form could not be sent")
        refused.wait_for()
        assert refused.is_visible()
        assert page.get_by_role("navigation", name="Main").is_visible()
        assert "nothing was saved" in page.locator("#error-reason").inner_text()
        assert no_sideways_scroll(page)
        page.get_by_role("link", name="Back to your home page").click()
        page.wait_for_url(f"{base}/")
    finally:
        ctx.close()
