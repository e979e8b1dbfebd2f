"""In a real browser, at desktop and phone sizes: a member's receipt after casting.

The member copies the code, prints the receipt (without the site's header or forms), asks for
an e-mail copy, reads what the code proves, then checks the receipt: the code is typed and
posted (never put in the address) and the page shows the ranking recorded for it. Every page
showing a ranking or a code is ``no-store``. A second tab that casts another ranking is told
plainly that the first ballot stands.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from grassroots.elections.models import Ballot
from grassroots.members.models import Member
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.elections.conftest import make_election
from tests.web.conftest import Org

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _add(page: Any, *names: str) -> None:
    page.get_by_role("heading", name="Arrange your ranking").wait_for()
    for name in names:
        item = page.locator(".ranker-item").filter(has=page.locator(".ranker-name", has_text=name))
        item.get_by_role("button", name="Add to my ranking").click()


@pytest.mark.parametrize("size", SIZES)
def test_a_member_copies_prints_and_emails_the_receipt_and_its_check_shows_their_ranking(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    Member.objects.filter(pk=live_org.ann.pk).update(email="ann@example.org")
    e = make_election(live_org).election
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES[size])
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    try:
        page = ctx.new_page()
        page.set_default_timeout(60000)
        log_in(page, base, "ann")
        page.goto(f"{base}/elections/{e.pk}/vote/")
        _add(page, "Dan Deft", "Alice Able")
        with page.expect_response(lambda r: r.request.method == "POST") as review:
            page.get_by_role("button", name="Review my ballot").click()
        assert "no-store" in review.value.headers["cache-control"]
        with page.expect_response(lambda r: r.request.method == "POST") as cast:
            page.get_by_role("button", name="Cast my vote").click()
        assert "no-store" in cast.value.headers["cache-control"]
        code = page.locator("#receipt-code").inner_text()
        assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
        proves = page.locator("#receipt-proves").inner_text()
        assert "anyone who has it can see how you voted" in proves
        assert "among those counted" in proves

        page.get_by_role("button", name="Copy the code").click()
        page.get_by_role("status").filter(has_text="Receipt code copied.").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == code

        page.evaluate("window.print = () => { window.printed = true; }")
        page.get_by_role("button", name="Print this receipt").click()
        assert page.evaluate("window.printed") is True
        page.emulate_media(media="print")
        assert page.locator("#receipt-code").is_visible()
        assert page.locator("header.site").is_hidden()
        assert page.get_by_role("button", name="E-mail me a copy").is_hidden()
        page.emulate_media(media="screen")
        assert no_sideways_scroll(page)

        page.get_by_role("button", name="E-mail me a copy").click()
        page.locator("#emailed").wait_for()
        assert page.locator("#emailed").inner_text() == (
            "A copy of this receipt was sent to ann@example.org."
        )
        (sent,) = mail.outbox
        assert sent.to == ["ann@example.org"] and code in sent.body
        assert "anyone who has it can see how you voted" in sent.body.replace("\n", " ")
        assert page.locator("#receipt-code").inner_text() == code

        page.get_by_role("link", name="receipt check page").click()
        page.get_by_label("Receipt code").fill(code.lower())
        with page.expect_response(lambda r: r.request.method == "POST") as checked:
            page.get_by_role("button", name="Check").click()
        assert "no-store" in checked.value.headers["cache-control"]
        page.locator("#check-result").wait_for()  # the answer is in; now the page shows it
        assert code not in page.url and code.lower() not in page.url
        assert page.locator("#check-result").inner_text() == (
            "Your ballot is recorded; it will be counted when voting closes."
        )
        assert page.locator("#recorded-ranking li").all_inner_texts() == [
            "Dan Deft",
            "Alice Able",
        ]
        assert no_sideways_scroll(page)
    finally:
        ctx.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_ranking_cast_from_a_second_tab_is_not_recorded_and_the_member_is_told_plainly(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    e = make_election(live_org).election
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES[size])
    try:
        first, second = ctx.new_page(), ctx.new_page()
        for p in (first, second):
            p.set_default_timeout(60000)
        log_in(first, base, "ann")
        for p in (first, second):
            p.goto(f"{base}/elections/{e.pk}/vote/")
        # the second tab has its ranking on the review page when the first casts
        _add(second, "Cal Calm", "Alice Able")
        second.get_by_role("button", name="Review my ballot").click()
        second.get_by_role("heading", name="Review your ballot").wait_for()
        _add(first, "Bea Bold")
        first.get_by_role("button", name="Review my ballot").click()
        first.get_by_role("button", name="Cast my vote").click()
        first.locator("#receipt-code").wait_for()

        second.get_by_role("button", name="Cast my vote").click()
        second.locator(".messages").wait_for()
        messages = second.locator(".messages").inner_text()
        assert "Your first ballot stands; the ranking you have just sent was not recorded." in (
            messages
        )
        assert list(Ballot.objects.get(election=e).ranking) == ["Bea Bold"]
        assert no_sideways_scroll(second)
    finally:
        ctx.close()
