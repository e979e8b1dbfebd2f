"""A branch's motions through its pages: its officer sends one citing its meeting's decision,
anyone reads what it sent and what became of it, and the receiving meeting's page and API
show who moved it and when they decided to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.meetings.models import Motion
from tests.meetings.branch_setup import Ward, ward_and_gc
from tests.meetings.test_api import valid
from tests.web.conftest import PASSWORD, Org

ORIGIN = "moved by Hillford East (decision of its meeting on 20 November 2026)"


@pytest.fixture
def ward(org: Org) -> Ward:
    now = timezone.now()
    return ward_and_gc(org, gc_start=now + dt.timedelta(days=20), gc_called=now)


def signed_in(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_a_ward_secretary_sends_a_motion_and_the_meeting_shows_the_ward_and_its_decision(
    org: Org, ward: Ward
) -> None:
    c = signed_in("eastsec")
    page = c.get("/units/hillford-east/motions/send/").content.decode()
    assert "December General Committee of the Hillford General Committee" in page
    assert "November ward meeting on 20 November 2026" in page  # its decisions to cite
    r = c.post(
        "/units/hillford-east/motions/send/",
        {
            "meeting": ward.gc.pk,
            "title": "Evening buses",
            "text": "This General Committee backs the ward's bus campaign.",
            "decision": ward.vote.pk,
        },
        follow=True,
    )
    page = r.content.decode()
    assert r.redirect_chain[-1][0] == "/units/hillford-east/motions/"
    assert f"“Evening buses” sent to December General Committee, {ORIGIN}." in page
    assert "to be debated at the meeting on" in page
    sent = Motion.objects.get(meeting=ward.gc)
    detail = Client().get(f"/meetings/{ward.gc.pk}/").content.decode()
    assert f"Motion, {ORIGIN}" in detail
    assert (
        f'The decision: <a href="/meetings/{ward.meeting.pk}/#votes">{ward.vote.question}</a>'
        in detail
    )
    api = valid("/api/meetings/{id}", Client().get(f"/api/meetings/{ward.gc.pk}").json())
    (m,) = [x for x in api["motions"] if x["id"] == sent.pk]
    assert m["mover"] == ORIGIN.removeprefix("moved by ")
    assert m["moved_by_body"]["code"] == "hillford-east"
    assert m["moved_by_body"]["decided_on"] == "2026-11-20"
    assert m["moved_by_body"]["decision_vote_meeting"] == ward.meeting.pk


def test_a_ward_forwards_a_motion_it_carried_from_its_page(org: Org, ward: Ward) -> None:
    c = signed_in("eastsec")
    r = c.post(
        "/units/hillford-east/motions/send/",
        {"meeting": ward.gc.pk, "forwards": ward.carried.pk},
        follow=True,
    )
    assert "“Save the 42 bus” sent to December General Committee" in r.content.decode()
    sent = Motion.objects.get(meeting=ward.gc)
    assert sent.origin == ward.carried
    page = Client().get("/units/hillford-east/motions/").content.decode()
    assert "Forwarded from" in page and "November ward meeting" in page


def test_an_officer_of_another_ward_is_refused_and_stores_nothing(org: Org, ward: Ward) -> None:
    c = signed_in("westsec")
    assert c.get("/units/hillford-east/motions/send/").status_code == 403
    r = c.post(
        "/units/hillford-east/motions/send/",
        {"meeting": ward.gc.pk, "forwards": ward.carried.pk},
    )
    assert r.status_code == 403
    anonymous = Client().get("/units/hillford-east/motions/send/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert not Motion.objects.filter(meeting=ward.gc).exists()
    # the ward's page of motions is public, without the button to send one
    page = Client().get("/units/hillford-east/motions/").content.decode()
    assert "has sent no motion yet" in page and "Send a motion" not in page


def test_a_hostile_or_incomplete_post_is_refused_in_words(org: Org, ward: Ward) -> None:
    c = signed_in("eastsec")
    for bad in (
        {"meeting": "99999", "forwards": ward.carried.pk},  # a meeting it does not send to
        {"meeting": ward.gc.pk, "title": "X", "text": "Y", "decision": ward.lost_vote.pk},
        {"meeting": "not a number", "title": "X", "text": "Y"},
    ):
        r = c.post("/units/hillford-east/motions/send/", bad)
        assert r.status_code == 200
        assert "Select a valid choice" in r.content.decode()
    r = c.post(
        "/units/hillford-east/motions/send/",
        {"meeting": ward.gc.pk, "title": "X", "text": "Y"},
    )
    assert "cite the decision of Hillford East&#x27;s meeting" in r.content.decode()
    r = c.post(
        "/units/hillford-east/motions/send/",
        {"meeting": ward.gc.pk, "title": "X", "text": "Y", "decided_on": "31/31/2026"},
    )
    assert "Enter a valid date" in r.content.decode()
    assert not Motion.objects.filter(meeting=ward.gc).exists()


def test_only_a_branch_ward_or_affiliate_has_a_page_of_motions_sent(org: Org) -> None:
    assert Client().get("/units/national/motions/").status_code == 404
    assert Client().get("/units/north/motions/").status_code == 404
    assert Client().get("/units/no-such-unit/motions/").status_code == 404
    page = Client().get("/units/hillford-east/meetings/").content.decode()
    assert "/units/hillford-east/motions/" in page


def test_the_chair_putting_a_wards_motion_sees_on_the_live_page_who_moved_it(
    org: Org, ward: Ward
) -> None:
    from grassroots.meetings import actions

    actions.send_branch_motion(
        ward.gc, branch=org.hillford_east, by=ward.eastsec, forwards=ward.carried
    )
    actions.open_meeting(ward.gc, by=None, now=ward.gc.start)
    page = signed_in("secretary").get(f"/meetings/{ward.gc.pk}/live/").content.decode()
    assert f"Save the 42 bus (motion, {ORIGIN})" in page
