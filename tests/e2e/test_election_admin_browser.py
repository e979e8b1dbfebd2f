"""In a real browser, at desktop and phone sizes: a returning officer sets up an election in
plain words (issue 9.7), corrects, announces and withdraws (9.2), and confirms reminders and
the count before publishing (9.10); members see only what has been announced."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.elections import actions
from grassroots.elections.models import Election
from grassroots.members.eligibility import RuleSet
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.elections.conftest import DAY, NOW, make_election
from tests.web.conftest import Org

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SIZES))
def sized(request: Any, browser: Any) -> Iterator[Any]:
    """A page at desktop or phone size."""
    ctx = browser.new_context(viewport=SIZES[request.param])
    pg = ctx.new_page()
    pg.set_default_timeout(60000)
    yield pg
    ctx.close()


def _local(t: dt.datetime) -> str:
    return f"{timezone.localtime(t):%Y-%m-%dT%H:%M}"


def _draft_with_candidates(org: Org) -> Election:
    e = actions.create_election(
        title="Treasurer",
        seats=1,
        rule="irv",
        unit=org.national,
        eligibility=RuleSet(on=(NOW + 20 * DAY).date()),
        freeze_date=NOW.date(),
        nominations_open=NOW + 5 * DAY,
        nominations_close=NOW + 10 * DAY,
        voting_open=NOW + 20 * DAY,
        voting_close=NOW + 25 * DAY,
        threshold={},
        announced=False,
        by=None,
    )
    for name in ("Cal Calm", "Tess Tally"):
        c = actions.add_candidate(e, name=name, by=None)
        actions.consent(c, statement=f"{name} stands.", by=None)
    return e


def _log_out(page: Any, base: str) -> None:
    page.goto(f"{base}/")
    page.get_by_role("button", name="Log out").click()
    # signed out only once the answer is in: a page loaded sooner would abandon the log-out
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").wait_for()


def test_a_returning_officer_corrects_announces_and_withdraws_and_members_see_only_the_announced(
    live_server: Any, live_org: Org, sized: Any
) -> None:
    page, base = sized, live_server.url
    e = _draft_with_candidates(live_org)
    # a member never meets the draft
    log_in(page, base, "ann")
    page.goto(f"{base}/elections/")
    assert "Treasurer" not in page.locator("main").inner_text()
    assert page.goto(f"{base}/elections/{e.pk}/").status == 404
    _log_out(page, base)

    log_in(page, base, "returning")
    page.goto(f"{base}/elections/{e.pk}/")
    assert "draft: only those who manage it see it" in page.locator("main").inner_text()
    page.get_by_role("link", name="Change the set-up").click()
    page.get_by_label("Posts to fill").fill("2")
    page.get_by_role("button", name="Check the set-up").click()
    summary = page.locator("#summary").inner_text()
    assert "2 posts to fill" in summary
    assert "Nothing is saved yet." in page.locator("main").inner_text()
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Save the changes").click()
    # the check page has a status line too ("Nothing is saved yet."): wait for the saved one
    expect(page.get_by_role("status").first).to_contain_text(
        "Changed posts to fill.", use_inner_text=True
    )

    page.get_by_role("link", name="Announce to members").click()
    assert (
        "Members, branch secretaries and the public will see"
        in page.locator("#effects").inner_text()
    )
    page.get_by_role("button", name="Announce to members").click()
    assert "The election is announced" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Withdraw Cal Calm").click()
    assert "Cal Calm leaves the ballot" in page.locator("#effects").inner_text()
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Withdraw Cal Calm").click()  # no reason yet
    assert page.get_by_label("Reason").evaluate("el => el.validity.valueMissing")
    page.get_by_label("Reason").fill("Moved abroad")
    page.get_by_role("button", name="Withdraw Cal Calm").click()
    assert "withdrew before voting opened" in page.locator("#withdrawn + ul").inner_text()
    _log_out(page, base)

    log_in(page, base, "ann")
    page.goto(f"{base}/elections/")
    page.get_by_role("link", name="Treasurer").click()
    assert "2 posts to fill" in page.locator("#about").inner_text()
    assert "Cal Calm: withdrew before voting opened" in page.locator("main").inner_text()
    assert no_sideways_scroll(page)


def test_members_are_told_voting_is_overdue_and_the_officer_opens_it_early_only_with_a_reason(
    live_server: Any, live_org: Org, sized: Any
) -> None:
    page, base = sized, live_server.url
    overdue = make_election(live_org, open_voting=False, title="Overdue ballot").election
    early = make_election(
        live_org,
        open_voting=False,
        title="Early ballot",
        nominations_close=NOW - DAY,
        voting_open=NOW + 3 * DAY,
        voting_close=NOW + 9 * DAY,
    ).election
    log_in(page, base, "ann")
    page.goto(f"{base}/elections/{overdue.pk}/")
    notice = page.locator("#overdue").inner_text()
    assert "Voting has not opened." in notice and "has not opened it yet" in notice
    _log_out(page, base)

    log_in(page, base, "returning")
    page.goto(f"{base}/elections/{early.pk}/")
    page.get_by_role("link", name="Open voting early").click()
    assert "Voting opens now instead of at" in page.locator("#effects").inner_text()
    page.get_by_label("Reason").fill("Conference moved forward a week")
    page.get_by_role("button", name="Open voting now").click()
    assert "Voting is open; the roll is drawn up." in page.locator(".messages").inner_text()
    early.refresh_from_db()
    assert early.state == "voting"
    # once a member has voted, closing early is neither offered nor allowed
    actions.cast(early, live_org.ann, ["Bea Bold"])
    page.reload()
    assert page.get_by_role("link", name="Close voting early").count() == 0
    page.goto(f"{base}/elections/{early.pk}/close-early/")
    page.get_by_label("Reason").fill("Enough votes")
    page.get_by_role("button", name="Close voting now").click()
    assert "1 member has voted" in page.get_by_role("alert").inner_text()
    assert no_sideways_scroll(page)


def _pick(page: Any, row: int, field: str, value: str) -> None:
    page.locator(f"[name='condition-{row}-{field}']").select_option(value)


def test_a_returning_officer_sets_up_an_election_in_plain_words_without_javascript(
    live_server: Any, live_org: Org, browser: Any
) -> None:
    from grassroots.members import actions as member_actions

    member_actions.create_unit(
        kind="affiliate", code="unite", name="Unite", parent=live_org.national, by=None
    )
    base = live_server.url
    for size, viewport in SIZES.items():
        ctx = browser.new_context(viewport=viewport, java_script_enabled=False)
        page = ctx.new_page()
        page.set_default_timeout(60000)
        try:
            log_in(page, base, "returning")
            page.goto(f"{base}/elections/")
            page.get_by_role("link", name="Set up a new election").click()
            form = page.locator("form.setup").inner_text()
            assert "{" not in form and "code=kind" not in form
            title = f"National executive ({size})"
            page.get_by_label("Title").fill(title)
            page.get_by_label("Posts to fill").fill("3")
            page.get_by_label("How the votes are counted").select_option("ers97")
            page.get_by_label("North", exact=True).check()  # the region, from the tree
            page.get_by_label("Days a new member is provisional").fill("56")
            page.get_by_label("affiliated bodies").check()
            # "at least [2] nominations from [branches], or [3] from [affiliated bodies] of
            # which at least [1] are [union]"
            page.get_by_label("At least (condition 1)", exact=True).fill("2")
            _pick(page, 0, "kind", "branch")
            _pick(page, 1, "join", "or")
            page.get_by_label("at least (condition 2)", exact=True).fill("3")
            _pick(page, 1, "kind", "affiliate")
            page.get_by_label(", of which at least (condition 2)").fill("1")
            page.get_by_label("are of the kind (condition 2)").fill("union")
            page.get_by_label("Kind of body: Unite").fill("union")
            page.get_by_label("Roll freeze date").fill(f"{NOW.date():%Y-%m-%d}")
            page.get_by_label("Nominations open").fill(_local(NOW + DAY))
            page.get_by_label("Nominations close").fill(_local(NOW + 8 * DAY))
            page.get_by_label("Voting opens").fill(_local(NOW + 10 * DAY))
            page.get_by_label("Voting closes").fill(_local(NOW + 17 * DAY))
            page.locator("[name='bound-0-bound']").select_option("minima")
            page.get_by_label("Line 1: number of posts").fill("1")
            page.get_by_label("for the group (line 1)").fill("women")
            assert no_sideways_scroll(page)
            page.get_by_role("button", name="Check the set-up").click()

            summary = page.locator("#summary").inner_text()
            for words in (
                "3 posts to fill",
                "Counted by ERS97 STV",
                "Members of North and every unit below it, if they are:",
                "past the provisional period (56 days after joining)",
                "Nominated by branches, affiliated bodies",
                "(2 branch nominations or 3 affiliate nominations of which 1 union)",
                "Unite counts as a union",
                "at least 1 post for women",
            ):
                assert words in summary, words
            assert not Election.objects.filter(title=title).exists()
            assert no_sideways_scroll(page)
            page.get_by_role("button", name="Save as a draft").click()
            page.wait_for_url(re.compile(r"/elections/\d+/$"))  # saved: its page, not the check

            e = Election.objects.get(title=title)
            assert e.unit == live_org.north and e.rule == "ers97"
            assert e.threshold == {
                "any": [
                    {"kind": "branch", "count": 2},
                    {"kind": "affiliate", "count": 3, "subkind": "union", "subcount": 1},
                ]
            }
            assert e.constraints == {"minima": {"women": 1}}
            about = page.locator("#about").inner_text()
            assert "Members of North and every unit below it" in about
            assert "at least 1 post for women" in about
            assert "{" not in page.locator("main").inner_text()
        finally:
            ctx.close()


def test_reminders_and_the_count_are_confirmed_before_they_go_out(
    live_server: Any, live_org: Org, sized: Any
) -> None:
    page, base = sized, live_server.url
    live_org.bob.email = "bob@example.org"
    live_org.bob.save()
    e = make_election(live_org).election
    log_in(page, base, "returning")
    page.goto(f"{base}/elections/{e.pk}/")
    page.get_by_role("link", name="Remind those who have not voted").click()
    assert "1 member on the roll who has not voted will get this e-mail" in (
        page.locator("#reminder-count").inner_text()
    )
    preview = page.locator("#reminder-preview").inner_text()
    assert "Reminder: vote in Chair and vice-chair" in preview
    assert f"/elections/{e.pk}/vote/" in preview
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Send 1 reminder").click()
    assert "Sent 1 reminder." in page.locator(".messages").inner_text()

    actions.cast(e, live_org.bob, ["Cal Calm", "Bea Bold"])
    Election.objects.filter(pk=e.pk).update(voting_close=timezone.now() - dt.timedelta(hours=1))
    page.reload()
    page.get_by_role("link", name="Close voting").click()
    assert "1 member has voted" in page.locator("#effects").inner_text()
    page.get_by_role("button", name="Close voting").click()
    page.get_by_role("button", name="Count the votes").click()
    assert "Not published yet." in page.locator("#not-published").inner_text()
    page.locator("svg.gr-chart").first.wait_for()  # the count's charts
    assert "Cal Calm" in page.locator("main").inner_text()
    assert Election.objects.get(pk=e.pk).state == "counted"
    # nobody else sees it yet
    other = page.context.new_page()
    assert other.goto(f"{base}/elections/{e.pk}/results/").status == 404
    other.close()
    page.get_by_role("button", name="Publish this result").click()
    page.wait_for_url(re.compile(rf"/elections/{e.pk}/results/$"))
    assert Election.objects.get(pk=e.pk).state == "published"


def test_a_returning_officer_deletes_a_draft_and_cancels_an_announced_election_with_a_reason(
    live_server: Any, live_org: Org, sized: Any
) -> None:
    page, base = sized, live_server.url
    draft = _draft_with_candidates(live_org)
    announced = make_election(live_org, open_voting=False, title="Auditors").election
    log_in(page, base, "returning")
    page.goto(f"{base}/elections/{draft.pk}/")
    page.get_by_role("link", name="Delete this draft").click()
    assert "deleted for good, with its 2 candidates" in page.locator("#effects").inner_text()
    assert Election.objects.filter(pk=draft.pk).exists()  # nothing happens before the button
    page.get_by_role("button", name="Delete the draft").click()
    assert "The draft Treasurer is deleted." in page.locator(".messages").inner_text()
    assert not Election.objects.filter(pk=draft.pk).exists()

    page.goto(f"{base}/elections/{announced.pk}/")
    assert page.get_by_role("link", name="Delete this draft").count() == 0  # members saw it
    page.get_by_role("link", name="Cancel the election").click()
    page.locator("#effects").wait_for()  # the confirmation, not the election's page
    assert no_sideways_scroll(page)
    page.get_by_role("link", name="Go back without changing anything").click()
    assert Election.objects.get(pk=announced.pk).state == "draft"
    page.get_by_role("link", name="Cancel the election").click()
    page.get_by_label("Reason").fill("Conference abolished the post")
    page.get_by_role("button", name="Cancel the election").click()
    assert "The election is cancelled." in page.locator(".messages").inner_text()
    _log_out(page, base)

    log_in(page, base, "ann")
    page.goto(f"{base}/elections/{announced.pk}/")
    notice = page.locator("#cancelled").inner_text()
    assert "This election was cancelled." in notice
    assert "Conference abolished the post" in notice
    assert no_sideways_scroll(page)
