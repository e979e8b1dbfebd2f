"""In a real browser, at desktop and phone sizes: words and figures as members read them.

The rule set by its name, first-preference figures without trailing zeros, the roll's
fingerprint shortened and explained, every date in one format (never 2026-12-05), one freeze
date per election, and no "pay your arrears up to D before D".
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from grassroots import dates
from grassroots.elections import actions
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.elections.conftest import DAY, NOW, make_election
from tests.web.conftest import Org

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _text(page: Any) -> str:
    return str(page.locator("main").inner_text())


@pytest.mark.parametrize("size", SIZES)
def test_a_member_reads_rule_names_whole_figures_one_date_format_and_plain_fixes(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    # the election's paid-up date is the day of the ballot: the fix must not name it twice
    e = make_election(live_org, open_voting=False).election
    e.eligibility = {**e.eligibility, "paid_up_to": NOW.date().isoformat()}
    e.save(update_fields=["eligibility"])
    published = make_election(live_org, title="Conference arrangements committee").election
    actions.cast(published, live_org.bob, ["Dan Deft", "Bea Bold"])
    actions.close_voting(published, by=None, now=NOW + 6 * DAY)
    actions.count_votes(published, by=None)
    actions.publish_result(published, by=None)
    base = live_server.url
    ctx = browser.new_context(viewport=SIZES[size])
    try:
        page = ctx.new_page()
        page.set_default_timeout(60000)
        log_in(page, base, "ann")

        page.goto(f"{base}/me/")
        text = _text(page)
        assert not ISO.findall(text), ISO.findall(text)
        fixes = [line for line in text.splitlines() if "Pay your arrears" in line]
        assert fixes, text
        for fix in fixes:
            assert not re.search(r"up to (\d+ \w+ \d{4}) before \1", fix), fix
        assert f"must be paid up to {dates.day(NOW.date())}" in text
        assert no_sideways_scroll(page)

        page.goto(f"{base}/elections/{published.pk}/")
        text = _text(page)
        assert "Counted by Scottish STV" in text and not re.search(r"\bscottish\b", text)
        assert not ISO.findall(text), ISO.findall(text)
        assert text.count("Freeze date") == 1 and "frozen" not in text
        assert dates.day(published.freeze_date) in text
        short = page.locator(".fingerprint code").inner_text()
        assert short == published.roll_fingerprint[:12] + "…"
        page.get_by_text("What is the fingerprint?").click()
        assert "membership numbers on the roll" in page.locator(".fingerprint-more").inner_text()
        assert no_sideways_scroll(page)

        page.goto(f"{base}/elections/{published.pk}/results/")
        page.locator("svg.gr-chart").first.wait_for()
        facts = page.locator(".gr-facts").inner_text()
        assert "Scottish STV" in facts
        assert re.search(r"Valid votes\s+1\b", facts)
        first = page.locator("table.gr-stages tbody tr").first.locator("td").first.inner_text()
        assert re.fullmatch(r"\d+( \w+)?", first.strip()), first  # "1", never "1.00000"
        assert not ISO.findall(_text(page))
        assert no_sideways_scroll(page)
    finally:
        ctx.close()
