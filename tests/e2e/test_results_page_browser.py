"""In a real browser, at desktop and phone sizes: a member reads a published result.

Both charts give each candidate the same colour; the stage table says it scrolls sideways
when it is wider than the screen (and not when it fits); and a representation constraint
that never changed the count is still stated with its outcome.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from grassroots.elections import actions
from grassroots.members import actions as member_actions
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.elections.conftest import CANDIDATES, DAY, NOW, make_election
from tests.web.conftest import Org

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# nine ballots for two seats (quota 4): Bea then Cal are excluded before Alice and Dan win
BALLOTS = [
    *[["Alice Able"]] * 3,
    ["Bea Bold", "Alice Able"],
    *[["Cal Calm", "Dan Deft"]] * 2,
    *[["Dan Deft", "Cal Calm"]] * 3,
]


def _published(org: Org) -> Any:
    voters = [org.ann, org.bob]
    for i in range(3, 10):
        voters.append(
            member_actions.create_member(
                by=None,
                number=f"M{i}",
                name=f"Voter {i}",
                branch=org.moorside,
                join_date=dt.date(2019, 1, 1),
                status="full",
                paid_up_to=NOW.date() + 300 * DAY,
            )
        )
    e = make_election(org, constraints={"minima": {"women": 1}}).election
    for member, ranking in zip(voters, BALLOTS, strict=True):
        actions.cast(e, member, ranking)
    actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    actions.count_votes(e, by=None)
    actions.publish_result(e, by=None)
    return e


def _rgb(colour: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", colour)[:3])


@pytest.mark.parametrize("size", SIZES)
def test_a_member_reads_a_result_with_one_colour_per_candidate_a_scroll_hint_and_the_constraint(
    live_server: Any, live_org: Org, browser: Any, size: str
) -> None:
    e = _published(live_org)
    ctx = browser.new_context(viewport=SIZES[size])
    try:
        page = ctx.new_page()
        page.set_default_timeout(60000)
        log_in(page, live_server.url, "ann")
        page.goto(f"{live_server.url}/elections/{e.pk}/results/")
        page.locator("svg.gr-chart").first.wait_for()

        # the same colour for the same candidate in the line chart and the transfer diagram,
        # as drawn (computed stroke of each line, fill of each node)
        lines = page.evaluate(
            "() => Object.fromEntries(Array.from(document.querySelectorAll("
            "'#gr-result-votes-chart .gr-series')).map(g => [g.dataset.name,"
            " getComputedStyle(g.querySelector('polyline')).stroke]))"
        )
        nodes = page.evaluate(
            "() => Array.from(document.querySelectorAll('#gr-result-flows-chart .gr-node'))"
            ".map(n => [n.querySelector('title').textContent, getComputedStyle(n).fill])"
        )
        assert set(lines) == set(CANDIDATES)
        assert len({_rgb(c) for c in lines.values()}) == len(CANDIDATES)
        in_flows = 0
        for label, colour in nodes:
            name = label.split(":")[0]
            if name in lines:
                assert _rgb(colour) == _rgb(lines[name]), label
                in_flows += 1
        assert in_flows >= 3
        # each chart keeps its text alternative, shown as its caption too
        for chart in page.locator("svg.gr-chart").all():
            assert chart.get_attribute("role") == "img"
            assert chart.get_attribute("aria-label") in page.locator("main").inner_text()

        # the constraint that changed nothing is stated all the same
        outcomes = page.get_by_role("list", name="Representation constraints")
        assert outcomes.inner_text().strip() == (
            "At least 1 of the seats to women: met without any constraint action "
            "(1 elected from women)"
        )

        # the stage table says it scrolls sideways exactly when it is wider than its box
        table = page.get_by_role("region", name="Votes at each stage: change, then total")
        wide = table.evaluate("b => b.scrollWidth > b.clientWidth + 1")
        hint = page.get_by_text("scroll it sideways to see every stage")
        if size == "phone":
            assert wide
            assert hint.is_visible()
            assert "gr-more-right" in table.get_attribute("class")
            table.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
            page.wait_for_function(
                "() => document.querySelector('.gr-table-scroll')"
                ".classList.contains('gr-more-left')"
            )
        else:
            assert not wide
            assert hint.is_hidden()
        assert no_sideways_scroll(page)
    finally:
        ctx.close()
