"""In a real browser, at desktop and phone sizes: the returning officer records nominations for
the bodies of the election's unit, and anyone reads every body's decision, those that decided
not to nominate beside those that did (issue 9.5)."""

from __future__ import annotations

from typing import Any

from grassroots.elections import actions
from grassroots.members.eligibility import RuleSet
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.e2e.test_register_browser import screen as screen  # the desktop and phone fixture
from tests.elections.conftest import DAY, NOW
from tests.web.conftest import Org


def test_a_returning_officer_records_each_bodys_decision_and_the_public_tally_shows_them(
    live_server: Any, live_org: Org, screen: Any
) -> None:
    page, base, org = screen, live_server.url, live_org
    ro = org.users["returning"]
    e = actions.create_election(
        title="Regional rep",
        seats=1,
        rule="scottish",
        unit=org.north,
        eligibility=RuleSet(on=NOW.date()),
        freeze_date=NOW.date() - 20 * DAY,
        nominations_open=NOW - 10 * DAY,
        nominations_close=NOW + 2 * DAY,
        voting_open=NOW + 3 * DAY,
        voting_close=NOW + 5 * DAY,
        threshold={"kind": "branch", "count": 1},
        by=ro,
    )
    actions.add_candidate(e, name="Alice Able", by=ro)
    log_in(page, base, "returning")
    page.goto(f"{base}/elections/{e.pk}/")
    form = page.locator("form", has=page.get_by_role("button", name="Record"))
    assert form.get_by_label("Body").locator("option").all_inner_texts() == [
        "Hillford",
        "Moorside",
    ]
    form.get_by_label("Body").select_option(label="Moorside")
    form.get_by_label("Decision").select_option(label="Nominate Alice Able")
    form.get_by_label("Note").fill("nominating meeting of 2 May")
    form.get_by_role("button", name="Record").click()
    page.get_by_text("Recorded Moorside's decision.").wait_for()
    form = page.locator("form", has=page.get_by_role("button", name="Record"))
    form.get_by_label("Body").select_option(label="Hillford")
    form.get_by_label("Decision").select_option(label="Decided not to nominate")
    form.get_by_role("button", name="Record").click()
    page.get_by_text("Recorded Hillford's decision.").wait_for()

    # a visitor reads both decisions side by side
    page.context.clear_cookies()
    page.goto(f"{base}/elections/{e.pk}/")
    table = page.get_by_role("table", name="Decisions of the nominating bodies")
    rows = [r.inner_text() for r in table.locator("tbody tr").all()]
    assert len(rows) == 2
    assert rows[0].startswith("Hillford") and "Decided not to nominate" in rows[0]
    assert rows[1].startswith("Moorside") and "Nominated Alice Able" in rows[1]
    assert "nominating meeting of 2 May" in rows[1]
    assert page.get_by_role("button", name="Record").count() == 0
    assert no_sideways_scroll(page)
