"""The demo organisation's meetings: bodies with seats, a past and an upcoming General Committee
(one paper published after the notice deadline), an executive with private papers, an AGM."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.meetings.demo import seed, text_pdf
from grassroots.meetings.models import Body, Meeting, Paper
from grassroots.meetings.papers import check_paper
from grassroots.members.demo import DEMO_PASSWORD
from grassroots.members.demo import seed as seed_members


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Any) -> list[Meeting]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_members(members=300)
    return seed()


def test_the_demo_has_every_kind_of_body_and_a_history_of_meetings(demo: list[Meeting]) -> None:
    assert set(Body.objects.values_list("kind", flat=True)) == {
        "all_member",
        "general_committee",
        "executive",
        "branch",  # a ward's own meeting
    }
    gc = Body.objects.get(kind="general_committee")
    assert gc.seats.count() == 8 and gc.seats.filter(represents__kind="affiliate").exists()
    past, upcoming, executive, agm, _live = demo
    assert past.start < timezone.now() < upcoming.start
    late = Paper.objects.filter(late=True).get()
    assert late.item.meeting == upcoming and "bank statement" in late.late_reason
    assert not executive.body.papers_public
    assert agm.join_url and agm.place


def test_the_demo_papers_are_real_pdfs(demo: list[Meeting]) -> None:
    data = text_pdf("Minutes", ["Line (one)", "Line two"])
    assert check_paper("minutes.pdf", data).content_type == "application/pdf"
    assert data.rstrip().endswith(b"%%EOF")


def test_the_demo_member_sees_why_they_may_not_attend_and_the_secretary_may_call(
    demo: list[Meeting],
) -> None:
    newcomer = Client()
    assert newcomer.login(username="newmember", password=DEMO_PASSWORD)
    text = newcomer.get("/me/").content.decode()
    assert "Annual general meeting" in text and "You may not attend" in text
    secretary = Client()
    assert secretary.login(username="secretary", password=DEMO_PASSWORD)
    code = demo[0].body.unit.code
    assert "Call a meeting" in secretary.get(f"/units/{code}/meetings/").content.decode()
    assert secretary.get(f"/meetings/{demo[2].pk}/").status_code == 200


def test_the_demo_has_an_open_requisition_the_demo_member_can_sign(demo: list[Meeting]) -> None:
    from grassroots.meetings.models import Requisition
    from grassroots.meetings.signing import standing_of

    (r,) = Requisition.objects.all()
    count = standing_of(r)
    assert r.met_at is None and r.meeting is None
    assert 1 < count.member_signatures < 20 and count.lines[0].endswith(
        "of 20 members' signatures needed"
    )
    member = Client()
    assert member.login(username="member", password=DEMO_PASSWORD)
    page = member.get(f"/requisitions/{r.pk}/").content.decode()
    assert "Sign this requisition as Mel Member" in page
    newcomer = Client()
    assert newcomer.login(username="newmember", password=DEMO_PASSWORD)
    assert "You may not sign" in newcomer.get(f"/requisitions/{r.pk}/").content.decode()


def test_the_demo_has_a_recorded_decision_not_to_hold_a_nominating_meeting(
    demo: list[Meeting],
) -> None:
    from grassroots.meetings.models import DecisionNotToMeet

    (d,) = DecisionNotToMeet.objects.all()
    assert d.purpose == "nominating" and d.body.kind == "executive"
    assert d.present.count() == d.body.seats.count() == 4
    assert d.votes_for > d.votes_against and "hall" in d.reason
    page = Client().get(f"/units/{d.body.unit.code}/meetings/").content.decode()
    assert "decided not to hold an all-member nominating meeting" in page
    assert "Reverse the decision to close the branch office" in page


def test_the_demo_has_a_history_of_minutes_and_an_online_meeting_in_progress(
    demo: list[Meeting],
) -> None:
    from grassroots.meetings.models import Minutes, Vote

    past, upcoming, _, _, live = demo
    past.refresh_from_db()
    assert past.state == "held"
    approved = Minutes.objects.get(state="approved")
    assert approved.meeting.title == "General Committee, two months ago"
    assert approved.approved_by_vote.meeting == past and approved.sha256
    circulated = Minutes.objects.get(meeting=past)
    assert circulated.state == "circulated"
    assert upcoming.motions.filter(approves=circulated).exists()
    assert live.state == "open" and live.join_url
    vote = Vote.objects.get(meeting=live, closed_at__isnull=True)
    assert vote.method == "online" and vote.casts.count() > 0
    member = Client()
    assert member.login(username="member", password=DEMO_PASSWORD)
    page = member.get(f"/meetings/{live.pk}/live/").content.decode()
    assert "Check in online" in page and "Save our libraries" in page


def test_the_demo_gc_to_come_has_a_motion_moved_by_a_ward_from_its_minuted_decision(
    demo: list[Meeting],
) -> None:
    _past, upcoming, *_ = demo
    sent = upcoming.motions.get(from_unit__kind="ward")
    assert sent.origin is not None and sent.origin.state == "carried"
    assert sent.decision is not None and sent.decision.meeting == sent.origin.meeting
    assert sent.origin.meeting.minutes.filter(state="circulated").exists()
    day = sent.origin.meeting.local_start().date()
    assert sent.moved_by() == (
        f"{sent.from_unit.name} (decision of its meeting on {day.day} {day:%B %Y})"
    )
    page = Client().get(f"/meetings/{upcoming.pk}/").content.decode()
    assert f"moved by {sent.moved_by()}" in page
    ward_page = Client().get(f"/units/{sent.from_unit.code}/motions/").content.decode()
    assert sent.title in ward_page
    c = Client()
    assert c.login(username="wardsec", password=DEMO_PASSWORD)
    assert c.get(f"/units/{sent.from_unit.code}/motions/send/").status_code == 200
