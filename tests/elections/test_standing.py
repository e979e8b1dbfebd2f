"""A member's standing page lists the elections their branch takes part in, and their place."""

from __future__ import annotations

from django.test import Client

from grassroots import dates
from grassroots.elections import actions
from grassroots.elections.standing import member_elections
from grassroots.members.eligibility import RuleSet
from tests.elections.conftest import DAY, NOW, Setup, make_election
from tests.web.conftest import PASSWORD, Org

PAID_UP_TODAY = RuleSet(on=NOW.date(), paid_up_to=NOW.date())  # Ann is paid up to 30 days ago


def _standing_page(client: Client) -> str:
    assert client.login(username="ann", password=PASSWORD)
    return " ".join(client.get("/me/").content.decode().split())


def test_before_voting_a_member_is_told_they_will_be_on_the_roll(client: Client, org: Org) -> None:
    setup = make_election(org, open_voting=False, voting_open=NOW + DAY)
    page = _standing_page(client)
    assert "<h2>Elections</h2>" in page
    assert setup.election.title in page
    assert "As your record stands, you will be on the roll." in page


def test_before_voting_a_member_in_arrears_is_told_why_and_how_to_put_it_right(
    client: Client, org: Org
) -> None:
    make_election(org, open_voting=False, voting_open=NOW + DAY, eligibility=PAID_UP_TODAY)
    page = _standing_page(client)
    assert "As your record stands, you will not be on the roll." in page
    assert f"must be paid up to {dates.day(NOW.date())}" in page
    assert "How to put it right before voting opens:" in page
    assert f"Pay your arrears up to the day itself, before {dates.day(NOW.date())}" in page


def test_during_voting_a_member_on_the_roll_gets_the_ballot_link_then_their_receipt_check(
    client: Client, voting: Setup
) -> None:
    e = voting.election
    page = _standing_page(client)
    assert "You are on the roll." in page
    assert f'href="/elections/{e.pk}/vote/"' in page
    actions.cast(e, voting.org.ann, ["Bea Bold"])
    page = _standing_page(client)
    assert "You have voted." in page
    assert f'href="/elections/{e.pk}/vote/"' not in page
    assert f'href="/elections/{e.pk}/receipt/"' in page


def test_during_voting_a_member_left_off_the_roll_is_told_it_is_frozen_and_why(
    client: Client, org: Org
) -> None:
    e = make_election(org, eligibility=PAID_UP_TODAY).election
    page = _standing_page(client)
    assert "You are not on the roll" in page
    assert "it cannot change now" in page
    assert f"in arrears: paid up to {dates.day((NOW - 30 * DAY).date())}" in page
    assert f'href="/elections/{e.pk}/vote/"' not in page


def test_elections_of_other_branches_and_closed_elections_are_not_listed(org: Org) -> None:
    other = actions.create_election(
        title="Moorside officers",
        seats=1,
        rule="irv",
        unit=org.moorside,
        eligibility=RuleSet(on=NOW.date()),
        freeze_date=NOW.date() - 20 * DAY,
        nominations_open=NOW - 10 * DAY,
        nominations_close=NOW - 2 * DAY,
        voting_open=NOW + DAY,
        voting_close=NOW + 5 * DAY,
        by=org.users["returning"],
    )
    mine = make_election(org).election
    assert [s.election.pk for s in member_elections(org.ann)] == [mine.pk]  # Hillford
    assert {s.election.pk for s in member_elections(org.bob)} == {mine.pk, other.pk}  # Moorside
    actions.close_voting(mine, by=org.users["returning"], now=NOW + 6 * DAY)
    assert member_elections(org.ann) == []
