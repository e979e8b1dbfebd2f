"""In a real browser, at desktop and phone sizes: a member left off the roll is told so on the
election page, with the reasons, and never shown a ballot they cannot cast (issue 9.3)."""

from __future__ import annotations

from typing import Any

from grassroots import dates
from grassroots.members.eligibility import RuleSet
from tests.e2e.test_accessibility import axe_violations, sideways_scroll
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.e2e.test_register_browser import screen as screen  # the desktop and phone fixture
from tests.elections.conftest import DAY, NOW, make_election
from tests.web.conftest import Org


def test_a_member_off_the_roll_reads_why_and_is_never_shown_a_ballot(
    live_server: Any, live_org: Org, screen: Any
) -> None:
    page, base = screen, live_server.url
    rules = RuleSet(on=NOW.date(), paid_up_to=NOW.date())  # Ann is paid up to 30 days ago
    e = make_election(live_org, eligibility=rules).election
    log_in(page, base, "ann")
    page.goto(f"{base}/elections/{e.pk}/")
    part = page.get_by_role("region", name="Your vote")
    assert "You are not on the roll" in part.inner_text()
    assert f"in arrears: paid up to {dates.day((NOW - 30 * DAY).date())}" in part.inner_text()
    assert page.get_by_role("link", name="Vote now").count() == 0
    assert axe_violations(page) == []
    assert no_sideways_scroll(page)
    # the ballot's address, typed or bookmarked, says the same and shows no ballot
    page.goto(f"{base}/elections/{e.pk}/vote/")
    page.get_by_role("heading", name="You cannot vote in Chair and vice-chair").wait_for()
    assert f"in arrears: paid up to {dates.day((NOW - 30 * DAY).date())}" in page.inner_text("main")
    assert page.get_by_role("spinbutton").count() == 0
    assert page.get_by_role("button", name="Review my ballot").count() == 0
    assert axe_violations(page) == []
    assert sideways_scroll(page) is None
    page.get_by_role("link", name="Back to Chair and vice-chair").click()
    page.get_by_role("region", name="Your vote").wait_for()


def test_a_member_on_the_roll_is_offered_the_ballot_from_the_election_page(
    live_server: Any, live_org: Org, screen: Any
) -> None:
    page, base = screen, live_server.url
    e = make_election(live_org).election
    log_in(page, base, "ann")
    page.goto(f"{base}/elections/{e.pk}/")
    assert "You are on the roll." in page.get_by_role("region", name="Your vote").inner_text()
    page.get_by_role("link", name="Vote now").click()
    page.get_by_role("button", name="Review my ballot").wait_for()
    assert no_sideways_scroll(page)
