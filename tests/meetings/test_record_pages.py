"""Requisitions and decisions not to meet as people meet them: the public pages, signing and
withdrawing from the page, a branch secretary's signature, calling the meeting, recording a
decision; hostile posts get a clear error and store nothing."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from grassroots.meetings import actions
from grassroots.meetings.models import DecisionNotToMeet, Meeting, Requisition, Signature
from tests.meetings.test_pages import client_for, soon
from tests.meetings.test_requisitions import branch_body, member, officers
from tests.web.conftest import PASSWORD, Org

DAY = dt.timedelta(days=1)


def started(org: Org, **rule: object) -> Requisition:
    body = branch_body(org, **rule) if rule else branch_body(org, requisition_members=2)
    return actions.start_requisition(
        body,
        purpose="Reconsider the office move",
        text="We ask for a special meeting to reconsider the move.",
        by=org.users["member"],
        member=org.ann,
    )


def test_a_visitor_reads_the_requisition_with_its_count_against_the_threshold(org: Org) -> None:
    r = started(org)
    page = Client().get(f"/requisitions/{r.pk}/").content.decode()
    assert "Reconsider the office move" in page and "started by Ann Arrears" in page
    assert "1 of 2 members&#x27; signatures needed" in page
    assert "Not yet" in page
    assert "Ann Arrears (M1)" not in page  # members' names are for the secretary
    unit = Client().get("/units/hillford/meetings/").content.decode()
    assert "Reconsider the office move" in unit and "collecting signatures" in unit


def test_a_member_signs_from_the_page_and_the_requisition_is_met(org: Org) -> None:
    r = started(org)
    cy = member(org, "M3", "Cy Cole")
    c = Client()
    assert c.login(username="m3", password=PASSWORD)
    assert "Sign this requisition as Cy Cole" in c.get(f"/requisitions/{r.pk}/").content.decode()
    page = c.post(f"/requisitions/{r.pk}/sign/", follow=True).content.decode()
    assert "You have signed this requisition" in page
    r.refresh_from_db()
    assert r.met_at is not None and r.signatures.get(member=cy)
    assert f"{r.call_by:%-d %B %Y}" in page and "Must be called by" in page


def test_signing_twice_or_for_someone_else_from_the_page_stores_nothing_more(org: Org) -> None:
    r = started(org, requisition_members=5)
    c = client_for(org, "member")
    page = c.post(f"/requisitions/{r.pk}/sign/", follow=True).content.decode()
    assert "Not signed: Ann Arrears has already signed this requisition" in page
    cy = member(org, "M3", "Cy Cole")
    c.post(f"/requisitions/{r.pk}/sign/", {"member": cy.pk, "branch": org.hillford.pk})
    assert list(Signature.objects.values_list("member__name", flat=True)) == ["Ann Arrears"]


def test_the_public_and_accounts_without_membership_cannot_sign(org: Org) -> None:
    r = started(org)
    anon = Client().post(f"/requisitions/{r.pk}/sign/")
    assert anon.status_code == 302 and "/accounts/login/" in anon["Location"]
    assert client_for(org, "secretary").post(f"/requisitions/{r.pk}/sign/").status_code == 403
    assert client_for(org, "member").get(f"/requisitions/{r.pk}/sign/").status_code == 405
    assert Client().get("/requisitions/999/").status_code == 404
    assert Signature.objects.count() == 1


def test_a_member_who_may_not_sign_is_told_why(org: Org) -> None:
    from grassroots.members import actions as members

    r = started(org)
    members.create_login(username="bob", password=PASSWORD, member=org.bob, by=None)
    c = Client()
    assert c.login(username="bob", password=PASSWORD)
    assert "not a member in Hillford" in c.get(f"/requisitions/{r.pk}/").content.decode()
    page = c.post(f"/requisitions/{r.pk}/sign/", follow=True).content.decode()
    assert "Not signed: Bob Moor may not sign" in page
    assert Signature.objects.count() == 1


def test_a_member_withdraws_their_signature_before_it_is_met(org: Org) -> None:
    r = started(org)
    c = client_for(org, "member")
    page = c.post(f"/requisitions/{r.pk}/withdraw/", follow=True).content.decode()
    assert "Your signature is withdrawn" in page
    assert Signature.objects.get().withdrawn_at is not None
    page = c.post(f"/requisitions/{r.pk}/withdraw/", follow=True).content.decode()
    assert "no signature on this requisition to withdraw" in page


def test_a_branch_secretary_signs_for_their_own_branch_only(org: Org) -> None:
    gc = actions.create_body(
        unit=org.north,
        kind="general_committee",
        name="North committee",
        by=None,
        requisition_branches_fraction="1/1",
    )
    r = actions.start_requisition(
        gc, purpose="Budget", by=org.users["secretary"], branch=org.hillford, decision="agreed"
    )
    c = client_for(org, "moorsec")
    form = c.get(f"/requisitions/{r.pk}/branch/").content.decode()
    assert "Moorside" in form and ">Hillford<" not in form
    hostile = c.post(
        f"/requisitions/{r.pk}/branch/", {"branch": org.hillford.pk, "decision": "forged"}
    )
    assert "Select a valid choice" in hostile.content.decode()
    empty = c.post(f"/requisitions/{r.pk}/branch/", {"branch": org.moorside.pk})
    assert "This field is required" in empty.content.decode()
    assert Signature.objects.count() == 1
    page = c.post(
        f"/requisitions/{r.pk}/branch/",
        {"branch": org.moorside.pk, "decision": "Branch meeting 2 May: 9 for, 1 against"},
        follow=True,
    ).content.decode()
    assert "Moorside&#x27;s signature is recorded" in page
    assert "Branch meeting 2 May: 9 for, 1 against" in page  # branch decisions are public
    r.refresh_from_db()
    assert r.met_at is not None
    assert client_for(org, "member").get(f"/requisitions/{r.pk}/branch/").status_code == 403


def test_a_member_starts_a_requisition_from_the_unit_page(org: Org) -> None:
    body = branch_body(org, requisition_members=3)
    c = client_for(org, "member")
    assert "Request a special meeting" in c.get("/units/hillford/meetings/").content.decode()
    bad = c.post(
        "/units/hillford/requisitions/new/", {"body": body.pk, "purpose": "", "signer": "me"}
    )
    assert "This field is required" in bad.content.decode()
    other = actions.create_body(
        unit=org.moorside, kind="branch", name="Moorside", by=None, requisition_members=1
    )
    hostile = c.post(
        "/units/hillford/requisitions/new/",
        {"body": other.pk, "purpose": "x", "signer": f"branch:{org.hillford.pk}"},
    )
    assert "Select a valid choice" in hostile.content.decode()
    assert not Requisition.objects.exists()
    r = c.post(
        "/units/hillford/requisitions/new/",
        {"body": body.pk, "purpose": "A vote on the rules", "signer": "me"},
        follow=True,
    )
    assert "Requisition started" in r.content.decode()
    (req,) = Requisition.objects.all()
    assert req.started_by == "Ann Arrears" and req.signatures.get().member == org.ann


def test_the_secretary_calls_the_special_meeting_from_a_met_requisition(org: Org) -> None:
    r = started(org, requisition_members=1)
    assert client_for(org, "member").get(f"/requisitions/{r.pk}/call/").status_code == 403
    assert client_for(org, "moorsec").get(f"/requisitions/{r.pk}/call/").status_code == 403
    c = client_for(org, "secretary")
    assert "Call the special meeting" in c.get(f"/requisitions/{r.pk}/").content.decode()
    day = soon(25).date()
    page = c.post(
        f"/requisitions/{r.pk}/call/",
        {
            "body": r.body.pk,
            "title": "Special meeting: office move",
            "purpose": "ordinary",  # ignored: a requisitioned meeting is special
            "date": day.isoformat(),
            "time": "19:00",
            "place": "Library",
            "agenda": "The office move",
        },
        follow=True,
    ).content.decode()
    assert "Special meeting called" in page
    m = Meeting.objects.get()
    assert m.purpose == "special"
    shown = Client().get(f"/requisitions/{r.pk}/").content.decode()
    assert f'href="/meetings/{m.pk}/"' in shown and "Special meeting: office move" in shown


def test_an_overdue_requisition_says_so_plainly(org: Org) -> None:
    body = branch_body(org, requisition_members=1, requisition_call_within_days=7)
    r = actions.start_requisition(
        body,
        purpose="Office move",
        by=org.users["member"],
        member=org.ann,
        now=timezone.now() - 20 * DAY,
    )
    page = Client().get(f"/requisitions/{r.pk}/").content.decode()
    assert "Overdue." in page and "It has not been called." in page
    unit = Client().get("/units/hillford/meetings/").content.decode()
    assert "overdue" in unit


def _decision_post(org: Org, body_pk: int, **change: object) -> dict[str, object]:
    data: dict[str, object] = {
        "body": body_pk,
        "purpose": "nominating",
        "what": "a nominating meeting for the national executive",
        "decided_on": (timezone.localdate() - DAY).isoformat(),
        "present": "M1\nM3\nM4\n",
        "votes_for": 2,
        "votes_against": 1,
        "abstentions": 0,
        "reason": "the hall is not available",
        "election": "",
        "confirm": "on",
    }
    data.update(change)
    return data


def test_the_secretary_records_a_decision_not_to_meet_and_a_visitor_reads_it(org: Org) -> None:
    body, _ = officers(org)
    c = client_for(org, "secretary")
    page = c.post(
        "/units/hillford/decisions/new/", _decision_post(org, body.pk), follow=True
    ).content.decode()
    assert "The decision is recorded and published" in page
    d = DecisionNotToMeet.objects.get()
    public = Client().get(f"/decisions/{d.pk}/").content.decode()
    assert "Ann Arrears, Cy Cole, Di Dunn" in public
    assert "2 for, 1 against, 0 abstaining" in public and "the hall is not available" in public
    unit = Client().get("/units/hillford/meetings/").content.decode()
    assert "decided not to hold a nominating meeting for the national executive" in unit


def test_hostile_or_wrong_decision_posts_get_a_clear_error_and_store_nothing(org: Org) -> None:
    body, _ = officers(org)
    c = client_for(org, "secretary")
    cases = [
        ({"present": "M1\nM77"}, "No member has the number M77"),
        ({"votes_for": 1, "votes_against": 1}, "not carried"),
        ({"votes_for": -3}, "greater than or equal to 0"),
        ({"votes_for": "many"}, "Enter a whole number"),
        ({"confirm": ""}, "This field is required"),
        ({"present": "\n \n"}, "This field is required"),
        ({"decided_on": "31/02/2026"}, "Enter a valid date"),
        ({"body": 9999}, "Select a valid choice"),
        ({"election": 9999}, "Select a valid choice"),
    ]
    for change, message in cases:
        r = c.post("/units/hillford/decisions/new/", _decision_post(org, body.pk, **change))
        assert r.status_code == 200 and message in r.content.decode(), message
    assert not DecisionNotToMeet.objects.exists()


def test_only_the_unit_s_secretary_reaches_the_decision_form(org: Org) -> None:
    body, _ = officers(org)
    for who in ("moorsec", "member", "officer"):
        c = client_for(org, who)
        assert c.get("/units/hillford/decisions/new/").status_code == 403
        r = c.post("/units/hillford/decisions/new/", _decision_post(org, body.pk))
        assert r.status_code == 403
    anon = Client().post("/units/hillford/decisions/new/", _decision_post(org, body.pk))
    assert anon.status_code == 302
    assert not DecisionNotToMeet.objects.exists()


def test_anonymous_posts_to_every_requisition_form_store_nothing(org: Org) -> None:
    r = started(org, requisition_members=1)
    anon = Client()
    for url in (
        f"/requisitions/{r.pk}/withdraw/",
        f"/requisitions/{r.pk}/branch/",
        f"/requisitions/{r.pk}/call/",
        "/units/hillford/requisitions/new/",
    ):
        got = anon.post(url, {"branch": org.hillford.pk, "decision": "x", "purpose": "x"})
        assert got.status_code == 302 and "/accounts/login/" in got["Location"], url
    assert Signature.objects.count() == 1 and Requisition.objects.count() == 1
    assert not Meeting.objects.exists()
    assert client_for(org, "member").get(f"/requisitions/{r.pk}/withdraw/").status_code == 405


def test_a_decision_not_to_hold_a_nominating_meeting_records_it_for_the_election(
    org: Org,
) -> None:
    from grassroots.elections.models import Nomination
    from tests.elections.conftest import NOW, make_election

    s = make_election(
        org,
        open_voting=False,
        nominations_close=NOW + DAY,
        voting_open=NOW + 2 * DAY,
        voting_close=NOW + 9 * DAY,
    )
    body, _ = officers(org)
    c = client_for(org, "secretary")
    form = c.get("/units/hillford/decisions/new/").content.decode()
    assert s.election.title in form
    page = c.post(
        "/units/hillford/decisions/new/",
        _decision_post(org, body.pk, election=s.election.pk),
        follow=True,
    ).content.decode()
    assert "Hillford's decision not to nominate in" in page
    assert f'href="/elections/{s.election.pk}/"' in page
    (n,) = Nomination.objects.filter(election=s.election, body=org.hillford)
    assert n.candidate is None and DecisionNotToMeet.objects.get().nomination == n
