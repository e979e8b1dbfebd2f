"""The HTTP voting benchmark's voter, against the real pages (Django's test client, no gunicorn)."""

from __future__ import annotations

import random

import pytest
from bench.bench_voting import open_bench_election
from bench.bench_voting_http import RECEIPT, cast_form, log_in_every_voter
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
