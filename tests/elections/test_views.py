"""The pages: ballot without JavaScript (validated server-side), receipt, results, API."""

from __future__ import annotations

import json
import re

from django.test import Client

from grassroots.elections import actions, receipts
from grassroots.elections.models import Ballot, VoterRecord
from tests.elections.conftest import CANDIDATES, DAY, NOW, Setup
from tests.web.conftest import PASSWORD, Org


def _login(client: Client, username: str) -> None:
    assert client.login(username=username, password=PASSWORD)


def _field(setup: Setup, name: str) -> str:
    return f"rank-{setup.election.ballot.index(name)}"


def test_the_ballot_page_lists_every_candidate_with_a_labelled_number_box(
    client: Client, voting: Setup
) -> None:
    _login(client, "ann")
    page = client.get(f"/elections/{voting.election.pk}/vote/").content.decode()
    for name in CANDIDATES:
        assert f'<label for="{_field(voting, name)}">{name}</label>' in page


def test_candidate_order_is_randomised_per_voter_but_stable_for_one_voter() -> None:
    from grassroots.elections.ranking import ballot_order

    orders = {tuple(ballot_order(CANDIDATES, f"1:{m}:7")) for m in range(40)}
    assert len(orders) > 5
    assert ballot_order(CANDIDATES, "1:3:7") == ballot_order(CANDIDATES, "1:3:7")


def test_a_duplicate_rank_is_refused_with_a_clear_error_and_nothing_is_stored(
    client: Client, voting: Setup
) -> None:
    _login(client, "ann")
    data = {_field(voting, "Alice Able"): "1", _field(voting, "Bea Bold"): "1", "step": "cast"}
    r = client.post(f"/elections/{voting.election.pk}/vote/", data)
    assert r.status_code == 400
    assert "rank 1 is given to more than one candidate" in r.content.decode()
    assert not VoterRecord.objects.exists()


def test_a_skipped_rank_is_refused_with_a_clear_error(client: Client, voting: Setup) -> None:
    _login(client, "ann")
    data = {_field(voting, "Alice Able"): "1", _field(voting, "Bea Bold"): "3"}
    r = client.post(f"/elections/{voting.election.pk}/vote/", data)
    assert r.status_code == 400
    assert "rank 2 is skipped" in r.content.decode()


def test_review_then_cast_shows_the_receipt_once_and_a_resubmission_stores_nothing(
    client: Client, voting: Setup
) -> None:
    _login(client, "ann")
    url = f"/elections/{voting.election.pk}/vote/"
    data = {_field(voting, "Cal Calm"): "1", _field(voting, "Alice Able"): "2"}
    review = client.post(url, data).content.decode()
    assert re.search(r"<li>Cal Calm</li>\s*<li>Alice Able</li>", review)
    assert not Ballot.objects.exists()
    r = client.post(url, {**data, "step": "cast"})
    code = re.search(r'id="receipt-code">([0-9A-Z-]+)<', r.content.decode()).group(1)
    assert "no-store" in r["Cache-Control"]
    again = client.post(url, {**data, "step": "cast"})  # a retried request or a second tab
    assert again.status_code == 302
    assert Ballot.objects.count() == 1
    assert Ballot.objects.get().ranking == ["Cal Calm", "Alice Able"]
    check = client.post(f"/elections/{voting.election.pk}/receipt/", {"code": code.lower()})
    assert "Your ballot is recorded" in check.content.decode()
    assert re.search(r"<li>Cal Calm</li>\s*<li>Alice Able</li>", check.content.decode())
    assert "no-store" in check["Cache-Control"]


def test_a_wrong_receipt_code_is_not_found(client: Client, voting: Setup) -> None:
    r = client.post(f"/elections/{voting.election.pk}/receipt/", {"code": "0000-0000-0000-0000"})
    assert "No ballot has this receipt" in r.content.decode()


def test_every_page_of_the_ballot_and_the_receipt_check_is_never_stored(
    client: Client, voting: Setup
) -> None:
    _login(client, "ann")
    url = f"/elections/{voting.election.pk}/vote/"
    data = {_field(voting, "Cal Calm"): "1", _field(voting, "Alice Able"): "2"}
    pages = {
        "ballot": client.get(url),
        "refused ballot": client.post(url, {_field(voting, "Cal Calm"): "2"}),
        "review": client.post(url, data),
        "changing": client.post(url, {**data, "step": "change"}),
        "receipt": client.post(url, {**data, "step": "cast"}),
        "check": client.post(f"/elections/{voting.election.pk}/receipt/", {"code": "x"}),
    }
    for name, r in pages.items():
        assert "no-store" in r.get("Cache-Control", ""), name


def test_a_code_in_the_address_is_never_read_and_the_page_says_to_type_it(
    client: Client, voting: Setup
) -> None:
    code = actions.cast(voting.election, voting.org.ann, ["Bea Bold"])
    r = client.get(f"/elections/{voting.election.pk}/receipt/", {"code": code})
    page = r.content.decode()
    assert "never read from a web address" in page
    assert "Bea Bold" not in page and "check-result" not in page


def test_the_api_checks_a_receipt_posted_in_the_body_and_only_a_code_shows_the_ranking(
    client: Client, voting: Setup
) -> None:
    e = voting.election
    code = actions.cast(e, voting.org.ann, ["Bea Bold", "Dan Deft"])
    url = f"/api/elections/{e.pk}/receipt"
    refused = client.get(url, {"code": code})
    assert refused.status_code == 405 and "never read from a URL" in refused.json()["error"]
    mine = client.post(url, {"code": code.lower()}, content_type="application/json").json()
    assert mine["recorded"] is True and mine["counted"] is False
    assert mine["ranking"] == ["Bea Bold", "Dan Deft"]
    public = client.post(url, {"hash": mine["hash"]}, content_type="application/json").json()
    assert public == {"hash": mine["hash"], "recorded": True, "counted": False}
    actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    actions.count_votes(e, by=None)
    actions.publish_result(e, by=None)
    after = client.post(url, {"code": code}, content_type="application/json")
    assert after.json()["counted"] is True and after.json()["ranking"] == ["Bea Bold", "Dan Deft"]
    assert "no-store" in after["Cache-Control"]
    bad = client.post(url, "[1]", content_type="application/json")
    assert bad.status_code == 400


def test_a_second_cast_from_the_same_page_with_another_ranking_says_the_first_ballot_stands(
    client: Client, voting: Setup
) -> None:
    _login(client, "ann")
    url = f"/elections/{voting.election.pk}/vote/"
    token = "ab" * 16
    first = {_field(voting, "Cal Calm"): "1", "token": token, "step": "cast"}
    r = client.post(url, first)
    code = re.search(r'id="receipt-code">([0-9A-Z-]+)<', r.content.decode()).group(1)
    changed = {**first, _field(voting, "Cal Calm"): "2", _field(voting, "Bea Bold"): "1"}
    again = client.post(url, changed).content.decode()
    assert f'id="receipt-code">{code}<' in again
    assert "Your first ballot stands" in again and "not recorded" in again
    assert re.search(r'id="recorded">\s*<li>Cal Calm</li>\s*</ol>', again)
    assert Ballot.objects.get().ranking == ["Cal Calm"]
    # the same ranking again is a plain retry: the receipt, no warning
    assert "first ballot stands" not in client.post(url, first).content.decode()


def test_nomination_tally_page_shows_who_met_the_threshold(client: Client, draft: Setup) -> None:
    page = client.get(f"/elections/{draft.election.pk}/").content.decode()
    assert "1 branch nomination: 1 met" in page
    assert "Hillford" in page


def test_a_nomination_after_the_close_is_refused_with_the_reason(draft: Setup) -> None:
    import pytest

    with pytest.raises(actions.ActionRefused, match="nominations closed at"):
        actions.record_nomination(
            draft.election,
            body=draft.org.hillford,
            candidate=None,
            by=draft.org.users["secretary"],
        )


def test_results_page_files_and_api_after_publication(client: Client, voting: Setup) -> None:
    e = voting.election
    actions.cast(e, voting.org.ann, ["Alice Able", "Bea Bold"])
    actions.cast(e, voting.org.bob, ["Dan Deft"])
    assert client.get(f"/elections/{e.pk}/results/").status_code == 404
    actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    actions.count_votes(e, by=None)
    actions.publish_result(e, by=None)
    page = client.get(f"/elections/{e.pk}/results/").content.decode()
    assert e.roll_fingerprint in page
    assert "ballots.blt" in page
    blt = client.get(f"/elections/{e.pk}/files/ballots.blt").content.decode()
    assert blt.startswith("4 2\n")
    api = client.get(f"/api/elections/{e.pk}").json()
    assert api["state"] == "published"
    assert api["roll"]["fingerprint"] == e.roll_fingerprint
    assert set(api["result"]["elected"]) <= set(CANDIDATES)
    assert api["turnout"]["voted"] == 2
    listing = client.get("/api/elections").json()
    assert [x["id"] for x in listing["elections"]] == [e.pk]


def test_the_openapi_document_describes_every_api_path(client: Client) -> None:
    from django.urls import get_resolver

    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    (mine,) = [r for r in get_resolver().url_patterns if getattr(r, "app_name", "") == "elections"]
    api_routes = {
        str(p.pattern) for p in mine.url_patterns if str(p.pattern).startswith("api/elections")
    }
    documented = {p.lstrip("/").replace("{id}", "<id:pk>") for p in doc["paths"]}
    assert api_routes <= documented
    json.dumps(doc)  # serialisable


def test_the_publish_and_verify_code_imports_without_django() -> None:
    import subprocess
    import sys

    code = "import sys, grassroots.elections.publish; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_secretary_records_that_the_branch_decided_not_to_nominate(
    client: Client, org: object
) -> None:
    from tests.elections.conftest import make_election

    s = make_election(
        org,  # type: ignore[arg-type]
        open_voting=False,
        nominations_close=NOW + DAY,
        voting_open=NOW + 2 * DAY,
        voting_close=NOW + 9 * DAY,
    )
    _login(client, "secretary")
    page = client.get(f"/elections/{s.election.pk}/").content.decode()
    assert "Decided not to nominate" in page
    r = client.post(
        f"/elections/{s.election.pk}/nominate/",
        {"body": s.org.hillford.pk, "candidate": "none"},
        follow=True,
    )
    assert "Recorded Hillford" in r.content.decode()
    from grassroots.elections.models import Nomination

    (n,) = Nomination.objects.filter(election=s.election, body=s.org.hillford)
    assert n.candidate is None
    # the secretary of Hillford cannot speak for Moorside
    r = client.post(
        f"/elections/{s.election.pk}/nominate/",
        {"body": s.org.moorside.pk, "candidate": "none"},
    )
    assert r.status_code == 403


def test_the_returning_officer_closes_and_publishes_from_the_election_page(
    client: Client, voting: Setup
) -> None:
    e = voting.election
    _login(client, "returning")
    r = client.post(f"/elections/{e.pk}/close/", follow=True)
    assert "voting is open until" in r.content.decode()  # not yet: the timetable says so
    e.voting_close = NOW - DAY / 2
    e.save()
    client.post(f"/elections/{e.pk}/close/")
    r = client.post(f"/elections/{e.pk}/count/", follow=True)
    assert "Not published yet." in r.content.decode()
    e.refresh_from_db()
    assert e.state == "counted"
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', r.content.decode()).group(1)
    r = client.post(f"/elections/{e.pk}/publish/", {"digest": digest}, follow=True)
    assert "The result is published." in r.content.decode()
    e.refresh_from_db()
    assert e.state == "published"


def test_a_member_without_an_officer_role_cannot_close_voting(
    client: Client, voting: Setup
) -> None:
    _login(client, "ann")
    r = client.post(f"/elections/{voting.election.pk}/close/")
    assert r.status_code == 403


def test_a_returning_officer_sets_up_an_election_and_adds_a_candidate_through_the_pages(
    client: Client, org: object
) -> None:
    from grassroots.elections.models import Election
    from tests.elections.test_setup import setup_data

    _login(client, "returning")
    data = setup_data(
        org,  # type: ignore[arg-type]
        title="Treasurer",
        seats="1",
        rule="irv",
        nominating_kinds=["branch"],
        conditions=[{"count": "2", "measure": "count", "kind": "branch"}],
    )
    bad = client.post("/elections/new/", {**data, "condition-0-count": "two"})
    assert "Nomination condition 1: Enter a whole number." in bad.content.decode()
    r = client.post("/elections/new/", data)
    e = Election.objects.get(title="Treasurer")
    assert r.status_code == 302
    assert e.threshold == {"kind": "branch", "count": 2}
    client.post(f"/elections/{e.pk}/candidates/add/", {"name": "Tess Treasurer", "groups": ""})
    assert [c.name for c in e.candidates.all()] == ["Tess Treasurer"]
    _login(client, "ann")
    assert client.get("/elections/new/").status_code == 403


def test_only_those_who_may_set_up_an_election_are_offered_the_link(
    client: Client, org: Org
) -> None:
    link = 'href="/elections/new/"'
    assert link not in client.get("/elections/").content.decode()
    for username in ("ann", "secretary"):
        _login(client, username)
        assert link not in client.get("/elections/").content.decode()
    for username in ("returning", "admin"):
        _login(client, username)
        assert link in client.get("/elections/").content.decode()


def _token(page: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)


def _code(page: str) -> str:
    return re.search(r'id="receipt-code">([0-9A-Z-]+)<', page).group(1)


def _every_row() -> dict[str, list[str]]:
    from django.db import connection

    rows = {}
    with connection.cursor() as cur:
        for t in connection.introspection.table_names():
            cur.execute(f'SELECT * FROM "{t}"')
            rows[t] = sorted(repr(r) for r in cur.fetchall())
    return rows


def test_a_retried_cast_from_the_same_ballot_page_shows_the_same_receipt_and_stores_nothing(
    client: Client, voting: Setup
) -> None:
    _login(client, "ann")
    url = f"/elections/{voting.election.pk}/vote/"
    token = _token(client.get(url).content.decode())
    data = {_field(voting, "Bea Bold"): "1", "token": token}
    assert _token(client.post(url, data).content.decode()) == token  # the review page keeps it
    first = client.post(url, {**data, "step": "cast"})
    code = _code(first.content.decode())
    before = _every_row()
    retry = client.post(url, {**data, "step": "cast"})  # the first response was lost
    assert retry.status_code == 200
    assert "no-store" in retry["Cache-Control"]
    assert _code(retry.content.decode()) == code
    assert _every_row() == before
    assert Ballot.objects.count() == 1


def test_a_cast_from_another_ballot_page_after_voting_reveals_no_receipt(
    client: Client, voting: Setup
) -> None:
    _login(client, "ann")
    url = f"/elections/{voting.election.pk}/vote/"
    data = {_field(voting, "Bea Bold"): "1"}
    tab1 = _token(client.get(url).content.decode())
    tab2 = _token(client.get(url).content.decode())
    assert tab1 != tab2  # every rendering of the page has its own token
    code = _code(client.post(url, {**data, "token": tab1, "step": "cast"}).content.decode())
    other = client.post(url, {**data, "token": tab2, "step": "cast"})
    assert other.status_code == 302
    assert "receipt-code" not in other.content.decode()
    again = client.post(url, {**data, "step": "cast"})  # no token at all
    assert again.status_code == 302
    assert Ballot.objects.count() == 1
    assert code not in repr(_every_row())


def test_a_malformed_token_is_replaced_by_a_fresh_one(client: Client, voting: Setup) -> None:
    _login(client, "ann")
    url = f"/elections/{voting.election.pk}/vote/"
    data = {_field(voting, "Bea Bold"): "1", "token": "' OR 1=1 --"}
    assert receipts.is_token(_token(client.post(url, data).content.decode()))


def test_a_cast_retried_after_voting_closed_still_gets_its_receipt_and_nothing_else_does(
    client: Client, voting: Setup
) -> None:
    _login(client, "ann")
    url = f"/elections/{voting.election.pk}/vote/"
    token = _token(client.get(url).content.decode())
    data = {_field(voting, "Cal Calm"): "1", "token": token, "step": "cast"}
    code = _code(client.post(url, data).content.decode())
    # voting closes before the voter's retry (the first answer was lost) reaches the server
    actions.close_voting(voting.election, by=voting.org.users["returning"], now=NOW + 6 * DAY)
    before = _every_row()
    retry = client.post(url, data)
    assert retry.status_code == 200
    assert _code(retry.content.decode()) == code
    # another page's token, or none, gets no receipt and no ballot
    other = client.post(url, {**data, "token": receipts.new_token()})
    assert other.status_code == 302 and "receipt-code" not in other.content.decode()
    assert client.post(url, {k: v for k, v in data.items() if k != "token"}).status_code == 302
    assert _every_row() == before


def test_a_member_who_did_not_vote_cannot_cast_after_voting_closed(
    client: Client, voting: Setup
) -> None:
    _login(client, "ann")
    url = f"/elections/{voting.election.pk}/vote/"
    token = _token(client.get(url).content.decode())
    actions.close_voting(voting.election, by=voting.org.users["returning"], now=NOW + 6 * DAY)
    r = client.post(url, {_field(voting, "Cal Calm"): "1", "token": token, "step": "cast"})
    assert r.status_code == 302
    assert not Ballot.objects.exists() and not VoterRecord.objects.exists()
    page = client.get(r["Location"]).content.decode()
    assert "Voting in this election is not open." in page
