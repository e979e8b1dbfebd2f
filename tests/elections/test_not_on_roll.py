"""A member who cannot vote is told so, with the reasons, before any ballot (issue 9.3)."""

from __future__ import annotations

from django.test import Client

from grassroots import dates
from grassroots.elections import actions
from grassroots.elections.models import Ballot, VoterRecord
from grassroots.members.eligibility import RuleSet
from tests.elections.conftest import DAY, NOW, make_election
from tests.web.conftest import PASSWORD, Org

PAID_UP_TODAY = RuleSet(on=NOW.date(), paid_up_to=NOW.date())  # Ann is paid up to 30 days ago


def _ann(client: Client) -> Client:
    assert client.login(username="ann", password=PASSWORD)
    return client


def _text(response: object) -> str:
    return " ".join(response.content.decode().split())  # type: ignore[attr-defined]


def test_the_election_page_tells_a_member_off_the_roll_why_and_offers_no_ballot(
    client: Client, org: Org
) -> None:
    e = make_election(org, eligibility=PAID_UP_TODAY).election
    page = _text(_ann(client).get(f"/elections/{e.pk}/"))
    assert "You are not on the roll" in page
    assert f"in arrears: paid up to {dates.day((NOW - 30 * DAY).date())}" in page
    assert "Vote now" not in page
    assert f'href="/elections/{e.pk}/vote/"' not in page


def test_the_election_page_offers_the_ballot_to_a_member_on_the_roll(
    client: Client, org: Org
) -> None:
    e = make_election(org).election
    page = _text(_ann(client).get(f"/elections/{e.pk}/"))
    assert "You are on the roll." in page
    assert f'href="/elections/{e.pk}/vote/"' in page


def test_the_ballot_address_shows_no_ballot_to_a_member_off_the_roll_but_the_reasons(
    client: Client, org: Org
) -> None:
    e = make_election(org, eligibility=PAID_UP_TODAY).election
    r = _ann(client).get(f"/elections/{e.pk}/vote/")
    assert r.status_code == 403
    page = _text(r)
    assert "You cannot vote in Chair and vice-chair" in page
    assert f"in arrears: paid up to {dates.day((NOW - 30 * DAY).date())}" in page
    assert "Bea Bold" not in page and 'name="rank-' not in page


def test_a_ballot_posted_by_a_member_off_the_roll_is_refused_and_nothing_is_stored(
    client: Client, org: Org
) -> None:
    e = make_election(org, eligibility=PAID_UP_TODAY).election
    r = _ann(client).post(
        f"/elections/{e.pk}/vote/", {"rank-0": "1", "step": "cast", "token": "x" * 43}
    )
    assert r.status_code == 403
    assert not Ballot.objects.filter(election=e).exists()
    assert not VoterRecord.objects.filter(election=e).exists()


def test_a_member_outside_the_electorate_is_told_whose_election_it_is(
    client: Client, org: Org
) -> None:
    e = actions.create_election(
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
    c = _ann(client)
    page = _text(c.get(f"/elections/{e.pk}/"))
    assert "You do not vote in this election" in page
    assert "members of Moorside, and you are a member of Hillford" in page
    assert "Vote now" not in page


def test_before_voting_the_election_page_says_whether_the_member_will_be_on_the_roll(
    client: Client, org: Org
) -> None:
    e = make_election(
        org, open_voting=False, voting_open=NOW + DAY, eligibility=PAID_UP_TODAY
    ).election
    page = _text(_ann(client).get(f"/elections/{e.pk}/"))
    assert "As your record stands, you will not be on the roll." in page
    assert "How to put it right before voting opens:" in page
