"""In a real browser, at desktop and phone sizes: a candidate with a login gives their own
consent, statement and photo; the returning officer gives another candidate's only on their
documented request; members see no consent link but their own (issue 9.4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from grassroots.audit.models import AuditEntry
from grassroots.elections import actions
from grassroots.elections.models import Candidate
from grassroots.members.eligibility import RuleSet
from tests.e2e.test_accessibility import axe_violations
from tests.e2e.test_browser import log_in, no_sideways_scroll
from tests.e2e.test_register_browser import screen as screen  # the desktop and phone fixture
from tests.elections.conftest import DAY, NOW
from tests.web.conftest import Org


def _election(org: Org) -> Any:
    e = actions.create_election(
        title="Branch chair",
        seats=1,
        rule="scottish",
        unit=org.north,
        eligibility=RuleSet(on=NOW.date()),
        freeze_date=NOW.date() - 20 * DAY,
        nominations_open=NOW - 10 * DAY,
        nominations_close=NOW + 2 * DAY,
        voting_open=NOW + 3 * DAY,
        voting_close=NOW + 5 * DAY,
        threshold={"kind": "branch", "count": 1},
        by=org.users["returning"],
    )
    actions.add_candidate(e, name="Ann Arrears", member=org.ann, by=org.users["returning"])
    actions.add_candidate(e, name="Bob Moor", member=org.bob, by=org.users["returning"])
    return e


def test_a_candidate_gives_their_own_consent_statement_and_photo(
    live_server: Any, live_org: Org, screen: Any, tmp_path: Path
) -> None:
    page, base = screen, live_server.url
    e = _election(live_org)
    photo = tmp_path / "ann.png"
    Image.new("RGB", (300, 400), (200, 60, 60)).save(photo)
    log_in(page, base, "ann")
    page.goto(f"{base}/elections/{e.pk}/")
    mine = page.get_by_role("region", name="You are a candidate")
    assert "You have not yet consented to stand" in mine.inner_text()
    # no consent link for anyone else
    assert page.get_by_role("link", name="for them, on their request").count() == 0
    assert page.locator(f'a[href$="/candidates/{_bob(e).pk}/consent/"]').count() == 0
    mine.get_by_role("link", name="Give your consent and statement").click()
    page.get_by_label("Your statement to voters").fill("I will publish every decision.")
    page.get_by_label("Your photo").set_input_files(str(photo))
    assert page.get_by_label("how and when they asked").count() == 0
    assert axe_violations(page) == []
    page.get_by_role("button", name="I consent to stand").click()
    page.get_by_text("Ann Arrears consents to stand").wait_for()
    page.get_by_role("img", name="Photo of Ann Arrears").wait_for()
    assert (
        "You have consented to stand."
        in page.get_by_role("region", name="You are a candidate").inner_text()
    )
    ann = Candidate.objects.get(election=e, name="Ann Arrears")
    assert ann.consented and ann.photo is not None and ann.consent_request == ""
    assert no_sideways_scroll(page)


def test_the_returning_officer_acts_for_a_candidate_only_on_their_documented_request(
    live_server: Any, live_org: Org, screen: Any
) -> None:
    page, base = screen, live_server.url
    e = _election(live_org)
    log_in(page, base, "returning")
    page.goto(f"{base}/elections/{e.pk}/")
    page.get_by_role("link", name="Consent and statement for Bob Moor, on their request").click()
    page.locator("#for-candidate").wait_for()  # the consent page, not the election's
    assert "Do this only when they have asked you to" in page.inner_text("main")
    page.get_by_label("Bob Moor's statement to voters").fill("Bob's own words, sent by post.")
    # the request is required: the browser will not send the form without it
    page.get_by_role("button", name="Save Bob Moor's consent, on their request").click()
    assert page.get_by_label("Bob Moor's request: how and when they asked").evaluate(
        "el => !el.validity.valid"
    )
    assert not Candidate.objects.get(election=e, name="Bob Moor").consented
    page.get_by_label("Bob Moor's request: how and when they asked").fill(
        "signed consent form received by post on 3 May"
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save Bob Moor's consent, on their request").click()
    page.get_by_text("Bob Moor consents to stand").wait_for()
    bob = Candidate.objects.get(election=e, name="Bob Moor")
    assert bob.consent_request == "signed consent form received by post on 3 May"
    entry = AuditEntry.objects.filter(action="election.consent").latest("id")
    assert "on their request: signed consent form received by post on 3 May" in entry.summary
    assert no_sideways_scroll(page)


def _bob(e: Any) -> Candidate:
    return Candidate.objects.get(election=e, name="Bob Moor")
