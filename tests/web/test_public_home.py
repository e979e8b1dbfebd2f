"""The signed-out home page leads a visitor to everything public: elections and their results,
every unit's meetings, subscriptions in totals, books and published accounts, the motions a
branch sent, the subscription rules, and each network's groups, primaries, hub and gatherings.
Every link on it answers a visitor, and nothing on it needs signing in but the sign-in."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from grassroots.elections import actions as election_actions
from grassroots.members import actions as member_actions
from grassroots.network.actions.primary_roll import voters_unit
from tests.elections.conftest import DAY, NOW, make_election
from tests.finance.conftest import published_books
from tests.network.builders import network
from tests.web.conftest import Org


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links(html: str) -> list[str]:
    p = _Links()
    p.feed(html)
    return [h.split("#")[0] for h in p.hrefs if not h.startswith("#")]


@pytest.fixture
def public(org: Org, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    published = make_election(org, title="Conference arrangements committee").election
    election_actions.cast(published, org.ann, ["Alice Able", "Cal Calm"])
    election_actions.close_voting(published, by=None, now=NOW + 6 * DAY)
    election_actions.count_votes(published, by=None)
    election_actions.publish_result(published, by=None)
    member_actions.create_unit(
        kind="affiliate", code="union", name="Postal Workers", parent=org.hillford, by=None
    )
    net = network().network
    hidden = voters_unit(net)  # the network's voters: not a unit of the party
    return {
        "election": published,
        "books": published_books(org),
        "network": net,
        "voters": hidden,
    }


def test_every_link_on_the_signed_out_home_page_answers_a_visitor(
    org: Org, public: dict[str, Any]
) -> None:
    visitor = Client()
    home = visitor.get("/")
    assert home.status_code == 200
    hrefs = sorted(set(links(home.content.decode())))
    assert len(hrefs) > 20
    failing = {h: visitor.get(h).status_code for h in hrefs}
    failing = {h: s for h, s in failing.items() if s != 200}
    assert failing == {}


def test_each_public_area_is_reachable_from_the_signed_out_home_page(
    org: Org, public: dict[str, Any]
) -> None:
    visitor = Client()
    hrefs = set(links(visitor.get("/").content.decode()))
    slug = public["network"].slug
    expected = {
        "/accounts/login/",
        "/elections/",
        f"/elections/{public['election'].pk}/results/",
        "/finance/subscriptions/",
        "/audit/checkpoints/",
        f"/networks/{slug}/directory/",
        f"/networks/{slug}/primaries/",
        f"/networks/{slug}/hub/",
        f"/networks/{slug}/gatherings/",
        "/units/hillford-east/motions/",
    }
    for code in ("national", "north", "hillford", "moorside", "hillford-east"):
        expected |= {
            f"/units/{code}/meetings/",
            f"/finance/units/{code}/subscriptions/",
            f"/finance/units/{code}/books/",
        }
    assert expected - hrefs == set()
    # no motions page for a unit that sends none, and nothing of the network's voters' unit
    assert "/units/north/motions/" not in hrefs
    # an affiliated body's record and the motions it sent, but no share of subscriptions
    union = {"/units/union/meetings/", "/finance/units/union/books/", "/units/union/motions/"}
    assert union <= hrefs
    assert "/finance/units/union/subscriptions/" not in hrefs
    assert not any(public["voters"].code in h for h in hrefs)
    # the published accounts, one click on from the unit's books
    books = visitor.get(public["books"]["books"]).content.decode()
    assert public["books"]["accounts"] in links(books)


def test_a_signed_in_member_still_gets_their_own_home_page(org: Org) -> None:
    c = Client()
    assert c.login(username="ann", password="a-test-password")
    page = c.get("/").content.decode()
    assert "Your membership" in page and "Every unit's public record" not in page
