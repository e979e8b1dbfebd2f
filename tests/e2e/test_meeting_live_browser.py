"""The meeting itself in a real browser: a steward checks a member in at the door on a phone
(payment on the day), a member checks in online and votes from their own device, and the chair
takes a show-of-hands vote and an online vote; the live panel updates without a reload."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from grassroots.meetings import actions
from grassroots.meetings.models import Vote
from grassroots.members import actions as member_actions
from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.e2e.test_browser import log_in
from tests.web.conftest import PASSWORD, Org


@pytest.fixture
def tonight(live_org: Org) -> Any:
    body = actions.create_body(
        unit=live_org.hillford,
        kind="all_member",
        name="Hillford all-member meeting",
        by=None,
        quorum_number=2,
        visitors_admitted=True,
        attend_rules={"paid_up_to": timezone.localdate().isoformat(), "may_pay_on_day": True},
    )
    cat = member_actions.create_member(
        by=None,
        number="M3",
        name="Cat Online",
        branch=live_org.hillford,
        join_date=dt.date(2019, 1, 1),
        status="full",
        paid_up_to=dt.date(2030, 1, 1),
    )
    member_actions.create_login(username="cat", password=PASSWORD, member=cat, by=None)
    steward = member_actions.create_login(username="steward", password=PASSWORD, by=None)
    member_actions.grant_role(user=steward, kind="steward", unit=live_org.hillford, by=None)
    return actions.call_meeting(
        body,
        title="Emergency all-member meeting",
        start=timezone.now() + dt.timedelta(minutes=20),
        by=None,
        items=["The library closure"],
        place="Hillford Library",
        join_url="https://meet.example.org/hillford",
        now=timezone.now() - dt.timedelta(days=10),
    )


def test_a_steward_checks_in_at_the_door_a_member_votes_online_and_the_chair_counts(
    live_server: Any, live_org: Org, tonight: Any, browser: Any
) -> None:
    base = live_server.url
    # The steward, on a phone: Ann is in arrears, pays on the day and is checked in.
    steward_ctx = browser.new_context(viewport=PHONE)
    door = steward_ctx.new_page()
    door.set_default_timeout(60000)
    log_in(door, base, "steward")
    door.goto(f"{base}/meetings/{tonight.pk}/door/")
    door.get_by_label("Find a member by name or membership number").fill("arrears")
    door.get_by_role("button", name="Find").click()
    assert "in arrears" in door.locator(".door-results").inner_text()
    check_page(door, "meeting live door search phone")
    door.get_by_role("button", name="Paid on the day: check in Ann Arrears").click()
    door.get_by_text("Ann Arrears checked in with a vote (payment on the day recorded).").wait_for()
    # the search again, at the same address as the check-in's answer: wait for its own page
    with door.expect_navigation():
        door.get_by_role("button", name="Find").click()
    assert "Already checked in." in door.locator(".door-results").inner_text()

    # Cat, on her own phone: checks in online; the chair, on a desktop, opens the meeting.
    cat_ctx = browser.new_context(viewport=PHONE)
    cat = cat_ctx.new_page()
    cat.set_default_timeout(60000)
    log_in(cat, base, "cat")
    cat.goto(f"{base}/meetings/{tonight.pk}/live/")
    cat.get_by_role("button", name="Check in online").click()
    cat.get_by_role("link", name="Join the call").wait_for()
    check_page(cat, "meeting live live as a member phone")

    chair_ctx = browser.new_context(viewport=DESKTOP)
    chair = chair_ctx.new_page()
    chair.set_default_timeout(60000)
    log_in(chair, base, "secretary")
    chair.goto(f"{base}/meetings/{tonight.pk}/live/")
    chair.get_by_role("button", name="Open the meeting").click()
    chair.get_by_text("The meeting is open.").wait_for()  # quorate already before it opened
    chair.locator("#quorum").get_by_text("Quorate", exact=True).wait_for()  # not "Inquorate"

    # A show of hands: the chair types the count and declares it.
    chair.get_by_label("Question").fill("That the late item be taken")
    chair.get_by_label("How").select_option(label="Show of hands")
    chair.get_by_role("button", name="Open the vote").click()
    chair.get_by_label("For", exact=True).fill("2")
    chair.get_by_label("Against").fill("0")
    chair.get_by_label("Abstaining").fill("0")
    chair.get_by_role("button", name="Record the count").click()
    # the close button is on the page before too: closing sooner would abandon the count
    chair.get_by_text("Count recorded; close the vote to declare it.").wait_for()
    chair.get_by_role("button", name="Close the vote and declare the result").click()
    chair.get_by_text("That the late item be taken: carried.").wait_for()

    # An online vote: Cat's page shows it without a reload, she votes; the chair sees it.
    chair.get_by_label("Question").fill("That the branch opposes the closure")
    chair.get_by_label("How").select_option(label="Online")
    chair.get_by_role("button", name="Open the vote").click()
    cat.get_by_role("button", name="For", exact=True).wait_for()  # arrived by htmx polling
    check_page(cat, "meeting live live vote open phone")
    cat.get_by_role("button", name="For", exact=True).click()
    cat.get_by_text("You voted for.").wait_for()
    chair.get_by_text("1 vote recorded so far.").wait_for()  # the chair's panel refreshed itself
    check_page(chair, "meeting live live as the chair desktop")
    chair.get_by_role("button", name="Close the vote and declare the result").click()
    cat.locator("#decided-h").wait_for()
    cat.get_by_text("That the branch opposes the closure: carried").wait_for()
    vote = Vote.objects.get(question="That the branch opposes the closure")
    assert (vote.for_votes, vote.against_votes, vote.carried) == ("1", "0", True)
    for ctx in (steward_ctx, cat_ctx, chair_ctx):
        ctx.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_chair_holds_an_agm_ballot_with_at_least_two_women_elected_and_counts_it(
    live_server: Any, live_org: Org, tonight: Any, browser: Any, size: str
) -> None:
    from grassroots.elections import actions as election_actions
    from grassroots.meetings.models import MeetingBallot

    people = [
        member_actions.create_member(
            by=None,
            number=f"V{i}",
            name=f"Voter {i}",
            branch=live_org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2030, 1, 1),
        )
        for i in range(9)
    ]
    for p in people:
        actions.check_in(tonight, p, by=None)
    actions.open_meeting(tonight, by=None)
    base = live_server.url
    ctx = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP)
    chair = ctx.new_page()
    chair.set_default_timeout(60000)
    log_in(chair, base, "secretary")
    chair.goto(f"{base}/meetings/{tonight.pk}/live/")
    chair.get_by_label("What it elects").fill("Branch officers")
    chair.get_by_label("Posts to fill").fill("3")
    chair.get_by_label("Candidates nominated from the floor, one a line").fill(
        "Ada Ames\nBen Bray\nCy Cole\nDi Dunn"
    )
    chair.get_by_label("Of those elected,").select_option(label="at least")
    chair.get_by_label("Number of those elected").fill("2")
    chair.get_by_label("must be").fill("women")
    chair.get_by_label("Candidates in that group, one a line, named as above").fill(
        "Ada Ames\nDi Dunn"
    )
    chair.get_by_role("button", name="Open the secret ballot").click()
    chair.get_by_text("The secret ballot is open to those present with a vote.").wait_for()
    ballots = chair.locator("#live-panel").get_by_role("region", name="Secret ballots")
    assert "(at least 2 of those elected must be women)" in ballots.inner_text()
    check_page(chair, f"meeting live ballot with a representation rule {size}")

    e = MeetingBallot.objects.get().election
    first = ["Ben Bray"] * 3 + ["Cy Cole"] * 3 + ["Ada Ames"] * 2 + ["Di Dunn"]
    for p, name in zip(people, first, strict=True):
        election_actions.cast(e, p, [name])
    # its minutes are up: the test moves its close to now, which the live page sees at its
    # next state version (the ballot's votes are the elections app's, secret, and move none)
    type(e).objects.filter(pk=e.pk).update(voting_close=timezone.now())
    from grassroots.meetings.live import touch

    touch(tonight.pk)
    chair.get_by_role("button", name="Close, count and publish").click()
    chair.get_by_text("counted and published.").wait_for()
    chair.get_by_role("link", name="the result, every stage of the count").click()
    chair.wait_for_url(f"**/elections/{e.pk}/**")
    chair.get_by_text("Di Dunn").first.wait_for()
    text = chair.locator("main").inner_text()
    assert "Ada Ames" in text and "Di Dunn" in text
    e.refresh_from_db()
    import json

    elected = set(json.loads(e.publication.files["result.json"])["elected"])
    assert {"Ada Ames", "Di Dunn"} <= elected and len(elected) == 3
    ctx.close()
