"""The network's groups and primaries in a browser: a candidate puts themself forward and
answers a hustings question; a member of two groups declares, votes in the primary and checks
the receipt, on a phone; every new page passes axe and fits a phone (the checks of
tests/e2e/test_accessibility.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from grassroots.network.actions import primaries as pa
from grassroots.network.models import Candidacy, HustingsAnswer
from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.e2e.test_browser import log_in, rank_and_cast_in_primary
from tests.network.builders import DAY, NOW, join, network, user
from tests.network.test_primaries import DURING, make_primary


def _page(browser: Any, size: dict[str, int]) -> Any:
    pg = browser.new_context(viewport=size).new_page()
    pg.set_default_timeout(60000)
    return pg


def test_a_candidate_puts_themself_forward_and_answers_a_hustings_question(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    net = network()
    join(net.groups["Leeds Left"], "Ida Walsh", "ida@example.org")
    join(net.groups["Unite Branch 7"], "Hal Moor", "hal@example.org")
    user("ida", "ida@example.org")
    hal = user("hal", "hal@example.org")
    p = make_primary(
        net,
        nominations_open=NOW - DAY,
        nominations_close=NOW + 5 * DAY,
        voting_open=NOW + 6 * DAY,
        voting_close=NOW + 9 * DAY,
    )
    theme = pa.start_theme(p, "Housing", by=net.organiser)
    q = pa.ask_question(p, "What would you do about rents?", by=hal)
    pa.group_question(q, theme, by=net.organiser)
    base = live_server.url
    page = _page(browser, DESKTOP)
    log_in(page, base, "ida")
    page.goto(f"{base}/networks/left/primaries/{p.pk}/")
    page.get_by_role("link", name="Put yourself forward").click()
    page.get_by_role("heading", name=re.compile("^Stand in ")).wait_for()
    check_page(page, "primary nominate desktop")
    page.get_by_label("Your name as it goes on the ballot").fill("Ida Walsh")
    page.get_by_label("Your statement").fill("Rents capped, homes built.")
    page.get_by_label("I stand as a woman").check()
    page.get_by_role("button", name="Put myself forward").click()
    page.get_by_text("You are a candidate").wait_for()
    assert Candidacy.objects.get().candidate.groups == ["women"]
    page.get_by_role("link", name="Answer “Housing”").click()
    page.get_by_role("heading", name="Answer “Housing”").wait_for()
    check_page(page, "primary answer desktop")
    page.get_by_label("Your answer").fill("Cap rents at a third of income.")
    page.get_by_role("button", name="Publish my answer").click()
    page.get_by_text("Your answer is published").wait_for()
    assert page.get_by_text("Cap rents at a third of income.").is_visible()
    assert HustingsAnswer.objects.get().text == "Cap rents at a third of income."
    # the published hustings, read by anyone, on a phone
    anon = _page(browser, PHONE)
    anon.goto(f"{base}/networks/left/primaries/{p.pk}/")
    assert anon.get_by_text("What would you do about rents?").is_visible()
    assert anon.get_by_text("Cap rents at a third of income.").is_visible()
    check_page(anon, "primary in hustings phone")


def test_a_member_declares_votes_in_the_primary_and_checks_the_receipt_on_a_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    net = network()
    join(net.groups["Leeds Left"], "Vic Stone", "vic@example.org")
    join(net.groups["Women Organise"], "Vic S.", "VIC@example.org ")
    user("vic", "vic@example.org")
    p = make_primary(net, constraints={}, backing_threshold={}, requires_party_membership=True)
    for name in ("Al", "Bea"):
        join(net.groups["Unite Branch 7"], name, f"{name.lower()}@example.org")
        pa.self_nominate(
            p,
            by=user(name.lower(), f"{name.lower()}@example.org"),
            name=name,
            statement=f"I am {name}",
            now=DURING,
        )
    pa.open_primary(p, by=net.organiser)
    assert p.election.roll_size == 3  # Vic once, though two groups list her
    base = live_server.url
    page = _page(browser, PHONE)
    log_in(page, base, "vic")
    page.goto(f"{base}/networks/left/primaries/{p.pk}/")
    page.get_by_role("link", name="Vote in this primary").click()
    page.get_by_role("heading", name="Before your ballot: your declaration").wait_for()
    check_page(page, "primary declaration phone")
    page.get_by_label(re.compile("I declare that I am a member")).check()
    page.get_by_role("button", name="Declare and go to my ballot").click()
    rank_and_cast_in_primary(page, ["Bea", "Al"])
    # turnout per group, counts only: Vic counts in both her groups
    page.goto(f"{base}/networks/left/primaries/{p.pk}/")
    rows = page.locator("#turnout ~ .table-wrap tbody tr").all_inner_texts()
    assert any(r.startswith("Leeds Left") and r.rstrip().endswith("1") for r in rows)
    assert any(r.startswith("Women Organise") and r.rstrip().endswith("1") for r in rows)
    check_page(page, "primary voting phone")


PAGES = [
    ("apply for a group", "admin0", "/networks/left/groups/apply/"),
    ("organisers' groups page", "organiser", "/networks/left/groups/"),
    ("a group's details", "admin0", "/networks/left/groups/leeds-left/settings/"),
    ("a group's list", "admin0", "/networks/left/groups/leeds-left/members/"),
    ("import a list", "admin0", "/networks/left/groups/leeds-left/import/"),
    ("join a group", None, "/networks/left/groups/leeds-left/join/"),
    ("primaries", None, "/networks/left/primaries/"),
    ("set up a primary", "organiser", "/networks/left/primaries/new/"),
    ("primary for its organiser", "organiser", "/networks/left/primaries/{p}/"),
    ("group the questions", "organiser", "/networks/left/primaries/{p}/hustings/"),
    ("confirm opening voting", "organiser", "/networks/left/primaries/{p}/open/"),
    ("published primary", None, "/networks/left/primaries/{done}/"),
]


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_groups_and_primaries_page_passes_axe(
    live_server: Any, transactional_db: None, browser: Any, size: str
) -> None:
    from grassroots.elections import actions as elections
    from grassroots.elections.voters import voter_for

    net = network()
    join(net.groups["Leeds Left"], "Ann Lee", "ann@example.org")
    join(net.groups["Unite Branch 7"], "Bob Ray", "bob@example.org")
    ann, bob = user("ann", "ann@example.org"), user("bob", "bob@example.org")
    p = make_primary(net)
    pa.ask_question(p, "Where do you stand on rents?", by=ann)
    done = make_primary(
        net,
        title="Last year's slate",
        constraints={"minima": {"women": 1}},
        seats=1,
        backing_threshold={},
    )
    pa.self_nominate(done, by=ann, name="Ann Lee", statement="Me", stands_as=["women"], now=DURING)
    pa.self_nominate(done, by=bob, name="Bob Ray", statement="Me", now=DURING)
    pa.open_primary(done, by=net.organiser)
    for u in (ann, bob):
        elections.cast(done.election, voter_for(u, done.election), ["Bob Ray", "Ann Lee"])
    pa.close_primary(done, by=net.organiser, now=NOW + 6 * DAY)
    pa.publish_primary(done, by=net.organiser, digest=pa.count_primary(done, by=net.organiser))
    base = live_server.url
    sizes = {"desktop": DESKTOP, "phone": PHONE}
    pages: dict[str | None, Any] = {}
    for name, login, address in PAGES:
        if login not in pages:
            pages[login] = _page(browser, sizes[size])
            if login is not None:
                log_in(pages[login], base, login)
        pg = pages[login]
        pg.goto(base + address.format(p=p.pk, done=done.pk))
        assert pg.title() and "Page not found" not in pg.title(), address
        check_page(pg, f"network {name} {size}")
    published = pages[None]
    published.goto(f"{base}/networks/left/primaries/{done.pk}/")
    assert (
        "Chosen by 2 ballots from 2 members of 2 groups"
        in published.locator("#how-chosen").inner_text()
    )
