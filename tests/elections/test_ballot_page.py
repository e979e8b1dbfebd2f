"""The ballot page as served: the drag-and-drop script is a deferred static file under a strict
Content-Security-Policy, and nothing on the page needs inline script or style."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client

from grassroots.site.csp import STRICT_POLICY
from tests.elections.conftest import Setup
from tests.web.conftest import PASSWORD


def _ballot(client: Client, setup: Setup) -> tuple[str, str | None]:
    assert client.login(username="ann", password=PASSWORD)
    r = client.get(f"/elections/{setup.election.pk}/vote/")
    assert r.status_code == 200
    return r.content.decode(), r.headers.get("Content-Security-Policy")


def test_the_ballot_page_loads_the_ranking_script_deferred_from_a_static_file(
    client: Client, voting: Setup
) -> None:
    page, _ = _ballot(client, voting)
    assert '<script src="/static/elections/ballot.js" defer></script>' in page
    assert finders.find("elections/ballot.js") is not None
    # the script's container is hidden until the script shows it: without JavaScript, no trace
    assert '<div class="ranker" data-ranker hidden></div>' in page


def test_the_ballot_page_forbids_inline_script_and_other_origins(
    client: Client, voting: Setup
) -> None:
    page, policy = _ballot(client, voting)
    assert policy == STRICT_POLICY
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    # so the page itself must have no inline script, style element or style attribute
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None
    assert "<style" not in page and " style=" not in page


def test_a_refused_ballot_keeps_the_policy_and_the_voters_numbers(
    client: Client, voting: Setup
) -> None:
    assert client.login(username="ann", password=PASSWORD)
    field = f"rank-{voting.election.ballot.index('Bea Bold')}"
    r = client.post(f"/elections/{voting.election.pk}/vote/", {field: "2"})
    assert r.status_code == 400
    assert r.headers["Content-Security-Policy"] == STRICT_POLICY
    assert re.search(rf'<input id="{field}"[^>]* value="2"', r.content.decode())


def test_each_ballot_row_escapes_what_it_shows_and_ties_a_problem_to_its_box() -> None:
    from grassroots.elections.templatetags.ballot_rows import ballot_rows

    html = ballot_rows(
        [
            ('Ann "<b>" & Co', "rank-0", "1", '/photo/1?x="y"', None),
            ("Bob", "rank-1", '2"><script>', None, "Not a <number>"),
        ]
    )
    rows = html.split("</p>")
    assert 'src="/photo/1?x=&quot;y&quot;"' in rows[0]
    assert '<label for="rank-0">Ann &quot;&lt;b&gt;&quot; &amp; Co</label>' in rows[0]
    assert 'max="2" value="1" size="3">' in rows[0] and "aria-invalid" not in rows[0]
    assert '<p class="ballot-row invalid"><label for="rank-1">Bob</label>' in rows[1]
    assert '<span class="field-error" id="rank-1-error">Not a &lt;number&gt;</span>' in rows[1]
    assert 'value="2&quot;&gt;&lt;script&gt;"' in rows[1] and "<script>" not in html
    assert 'aria-invalid="true" aria-describedby="rank-1-error"' in rows[1]
