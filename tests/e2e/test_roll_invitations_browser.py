"""In a browser, on a phone: an organiser opens a primary's voting; a person whom only a
group's imported list knows gets a sign-in link by e-mail (the test mail backend), follows it,
votes and checks the receipt; a used link is refused with a way to a new one. The organiser's
"invite everyone on the roll who has no account" page and the sign-in link's page pass axe
and fit a phone."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core import mail

from grassroots.network.actions import primaries as pa
from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.e2e.test_browser import log_in, rank_and_cast_in_primary
from tests.network.builders import join, network, user
from tests.network.test_primaries import DURING, make_primary


def _page(browser: Any, size: dict[str, int]) -> Any:
    pg = browser.new_context(viewport=size).new_page()
    pg.set_default_timeout(60000)
    return pg


def _link(to: str) -> str:
    message = [m for m in mail.outbox if m.to == [to]][-1]
    found = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body)
    assert found, message.body
    return found.group(0)


def test_a_list_only_person_signs_in_from_the_e_mailed_link_votes_and_checks_the_receipt(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    net = network()
    join(net.groups["Leeds Left"], "Lia Park", "lia@example.org")  # imported: no account
    p = make_primary(net, constraints={}, backing_threshold={})
    for name in ("Al", "Bea"):
        join(net.groups["Unite Branch 7"], name, f"{name.lower()}@example.org")
        pa.self_nominate(p, by=user(name.lower()), name=name, statement=f"I am {name}", now=DURING)
    base = live_server.url
    org = _page(browser, PHONE)
    log_in(org, base, "organiser")
    org.goto(f"{base}/networks/left/primaries/{p.pk}/open/")
    org.get_by_role("button", name="Open voting").click()
    org.get_by_text("Voting is open: 3 people on the roll").wait_for()
    assert org.get_by_text("no account are being sent a sign-in link").is_visible()
    assert [m.to for m in mail.outbox] == [["lia@example.org"]]  # Al and Bea have accounts
    assert "Left Network" in mail.outbox[0].subject
    org.get_by_role("link", name="Invite everyone on the roll who has no account").click()
    org.get_by_text("1 person on the roll has an e-mail address").wait_for()
    check_page(org, "invite the roll phone")
    org.set_viewport_size(DESKTOP)
    check_page(org, "invite the roll desktop")

    page = _page(browser, PHONE)
    link = _link("lia@example.org")
    page.goto(link)
    assert page.get_by_text("Executive slate").first.is_visible()
    check_page(page, "primary sign-in link phone")
    page.get_by_role("button", name="Sign in as Lia Park").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/networks/left/primaries/{p.pk}/")
    page.get_by_role("link", name="Vote in this primary").click()
    rank_and_cast_in_primary(page, ["Bea", "Al"])
    assert get_user_model().objects.filter(email="lia@example.org").count() == 1

    # the link again, in another browser: refused, with a way to a new one
    again = _page(browser, PHONE)
    again.goto(link)
    assert again.get_by_text("already been used").is_visible()
    again.get_by_label(re.compile("e-mail", re.I)).first.fill("lia@example.org")
    again.get_by_role("button", name="E-mail me a sign-in link").click()
    again.get_by_role("heading", name="Check your e-mail").wait_for()
    assert _link("lia@example.org") != link
