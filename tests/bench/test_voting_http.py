"""The HTTP voting benchmark's voter, against the real pages (Django's test client, no gunicorn)."""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import urlencode

import pytest
from bench.bench_voting import open_bench_election
from bench.bench_voting_http import RECEIPT, KeptAliveClient, cast_form, log_in_every_voter
from django.conf import settings
from django.test import Client

from grassroots.elections.models import Ballot, VoterRecord

pytestmark = pytest.mark.django_db


def _voter(session_key: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def test_sessions_written_in_bulk_log_every_voter_in_to_their_ballot() -> None:
    e, names = open_bench_election(3, 1, logins=True)
    keys = log_in_every_voter()
    assert len(set(keys)) == 3
    for key in keys:
        page = _voter(key).get(f"/elections/{e.pk}/vote/")
        assert page.status_code == 200
        assert all(n in page.content.decode() for n in names)


def test_the_form_read_from_the_ballot_page_casts_and_a_retry_gets_the_same_receipt() -> None:
    e, _ = open_bench_election(2, 1, logins=True)
    key = log_in_every_voter()[0]
    url = f"/elections/{e.pk}/vote/"
    voter = _voter(key)
    form = cast_form(voter.get(url).content.decode(), random.Random(3))
    assert form is not None
    assert form["step"] == "cast"
    ranks = sorted(int(v) for f, v in form.items() if f.startswith("rank-") and v)
    assert ranks == list(range(1, len(ranks) + 1))

    first = voter.post(url, form)
    code = RECEIPT.search(first.content.decode())
    assert first.status_code == 200 and code is not None
    again = voter.post(url, form)
    assert RECEIPT.search(again.content.decode()).group(1) == code.group(1)
    assert VoterRecord.objects.filter(election=e).count() == 1
    assert Ballot.objects.filter(election=e).count() == 1


def test_a_page_without_a_ballot_form_gives_no_form() -> None:
    assert cast_form("<h1>You have already voted</h1>", random.Random(1)) is None


@pytest.mark.django_db(transaction=True)
def test_the_kept_alive_client_votes_over_http_and_a_retry_is_shown_the_same_receipt(
    live_server: Any,
) -> None:
    e, _ = open_bench_election(3, 1, logins=True)
    keys = log_in_every_voter()
    http = KeptAliveClient(f"{live_server.url}/elections/{e.pk}/vote/")
    rng = random.Random(4)
    codes = []
    try:
        for key in keys:  # one connection for all three voters, as a client thread does
            cookies = {settings.SESSION_COOKIE_NAME: key}
            status, set_cookies, page = http.request("GET", cookies)
            assert status == 200
            form = cast_form(page, rng)
            assert form is not None and settings.CSRF_COOKIE_NAME in set_cookies
            cookies.update(set_cookies)
            body = urlencode(form).encode()
            status, _, sent = http.request("POST", cookies, body)
            found = RECEIPT.search(sent)
            assert status == 200 and found is not None
            status, _, again = http.request("POST", cookies, body)
            shown = RECEIPT.search(again)
            assert status == 200 and shown is not None and shown.group(1) == found.group(1)
            codes.append(found.group(1))
    finally:
        http.close()
    assert len(set(codes)) == 3
    assert VoterRecord.objects.filter(election=e).count() == 3
    assert Ballot.objects.filter(election=e).count() == 3


def test_the_kept_alive_client_without_the_csrf_cookie_is_refused_and_nothing_is_stored(
    live_server: Any,
) -> None:
    e, _ = open_bench_election(1, 1, logins=True)
    key = log_in_every_voter()[0]
    http = KeptAliveClient(f"{live_server.url}/elections/{e.pk}/vote/")
    try:
        cookies = {settings.SESSION_COOKIE_NAME: key}
        form = cast_form(http.request("GET", cookies)[2], random.Random(5))
        assert form is not None
        status, _, _ = http.request("POST", cookies, urlencode(form).encode())
    finally:
        http.close()
    assert status == 403  # the harness is held to the same CSRF check as a browser
    assert Ballot.objects.filter(election=e).count() == 0
