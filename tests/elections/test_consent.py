"""Candidates act for themselves (issue 9.4): a candidate with a login gives their own consent,
statement and photo; an official may only on the candidate's documented request, which is kept
with the candidacy and audited; nobody else sees or uses another person's consent page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from grassroots.audit.models import AuditEntry
from grassroots.elections import actions
from grassroots.elections.models import Candidate
from grassroots.members import actions as member_actions
from grassroots.members.eligibility import RuleSet
from tests.elections.conftest import DAY, NOW
from tests.web.conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db


def _election(org: Org) -> object:
    return actions.create_election(
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


@pytest.fixture
def ann_stands(org: Org) -> Candidate:
    """Ann (a member with a login) and Bob (no login) are candidates."""
    e = _election(org)
    ro = org.users["returning"]
    actions.add_candidate(e, name="Bob Moor", member=org.bob, by=ro)
    return actions.add_candidate(e, name="Ann Arrears", member=org.ann, by=ro)


def _login(who: str) -> Client:
    c = Client()
    assert c.login(username=who, password=PASSWORD)
    return c


def _url(c: Candidate) -> str:
    return f"/elections/{c.election_id}/candidates/{c.pk}/consent/"


def test_a_candidate_with_a_login_gives_their_own_consent_and_statement(
    ann_stands: Candidate, org: Org
) -> None:
    r = _login("ann").post(_url(ann_stands), {"statement": "I will listen."})
    assert r.status_code == 302
    ann_stands.refresh_from_db()
    assert (ann_stands.consented, ann_stands.statement, ann_stands.consent_request) == (
        True,
        "I will listen.",
        "",
    )
    e = AuditEntry.objects.filter(action="election.consent").latest("id")
    assert e.actor_name == "ann"
    assert e.detail["by_candidate"] is True


def test_an_official_without_the_candidates_documented_request_is_refused(
    ann_stands: Candidate, org: Org
) -> None:
    with pytest.raises(actions.ActionRefused, match="only on their documented request"):
        actions.consent(ann_stands, statement="words put in her mouth", by=org.users["returning"])
    ann_stands.refresh_from_db()
    assert not ann_stands.consented and ann_stands.statement == ""
    r = _login("returning").post(_url(ann_stands), {"statement": "words put in her mouth"})
    assert r.status_code == 400
    assert "Say how and when Ann Arrears asked you to do this" in r.content.decode()
    ann_stands.refresh_from_db()
    assert not ann_stands.consented


def test_an_official_acting_on_a_documented_request_records_it_with_the_candidacy_and_audit(
    org: Org, ann_stands: Candidate
) -> None:
    bob = Candidate.objects.get(name="Bob Moor")
    r = _login("returning").post(
        _url(bob),
        {"statement": "Bob's words", "on_request": "signed form received by post on 3 May"},
    )
    assert r.status_code == 302
    bob.refresh_from_db()
    assert bob.consented and bob.consent_request == "signed form received by post on 3 May"
    e = AuditEntry.objects.filter(action="election.consent").latest("id")
    assert e.actor_name == "returning"
    assert e.detail == {
        "candidate": bob.pk,
        "by_candidate": False,
        "on_request": "signed form received by post on 3 May",
    }
    assert "on their request: signed form received by post on 3 May" in e.summary


def test_another_member_can_neither_open_nor_post_a_candidates_consent_page(
    org: Org, ann_stands: Candidate
) -> None:
    bob = Candidate.objects.get(name="Bob Moor")
    c = _login("ann")
    assert c.get(_url(bob)).status_code == 403
    junk = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    r = c.post(_url(bob), {"statement": "hijack", "on_request": "x", "photo": junk})
    assert r.status_code == 403  # refused before the upload is even looked at
    bob.refresh_from_db()
    assert not bob.consented and bob.statement == ""
    assert _login("secretary").get(_url(bob)).status_code == 403


def test_members_see_only_their_own_consent_link_and_officials_see_each_on_request(
    org: Org, ann_stands: Candidate
) -> None:
    bob = Candidate.objects.get(name="Bob Moor")
    page = _login("ann").get(f"/elections/{ann_stands.election_id}/").content.decode()
    assert _url(ann_stands) in page and _url(bob) not in page
    assert "You are a candidate" in page
    assert (
        _url(bob) not in _login("secretary").get(f"/elections/{bob.election_id}/").content.decode()
    )
    assert _url(bob) not in Client().get(f"/elections/{bob.election_id}/").content.decode()
    officer = _login("returning").get(f"/elections/{bob.election_id}/").content.decode()
    assert _url(bob) in officer and "for them, on their request" in officer


def test_the_returning_officer_links_a_new_candidate_to_their_membership_record(org: Org) -> None:
    e = _election(org)
    c = _login("returning")
    c.post(f"/elections/{e.pk}/candidates/add/", {"name": "Ann Arrears", "number": "M1"})
    assert Candidate.objects.get(election=e, name="Ann Arrears").member == org.ann
    r = c.post(
        f"/elections/{e.pk}/candidates/add/", {"name": "Nobody", "number": "X9"}, follow=True
    )
    assert "No member has the membership number X9." in r.content.decode()
    assert not Candidate.objects.filter(election=e, name="Nobody").exists()


def test_a_member_cannot_stand_twice_in_one_election(org: Org, ann_stands: Candidate) -> None:
    with pytest.raises(actions.ActionRefused, match="already a candidate"):
        actions.add_candidate(
            ann_stands.election, name="Ann A.", member=org.ann, by=org.users["returning"]
        )


def test_a_login_linked_to_another_member_does_not_act_for_the_candidate(
    org: Org, ann_stands: Candidate
) -> None:
    other = member_actions.create_login(
        username="bobby", password=PASSWORD, member=org.bob, by=None
    )
    assert not actions.acts_for_self(ann_stands, other)
    assert actions.acts_for_self(ann_stands, org.users["member"])
