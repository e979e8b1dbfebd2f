"""Motions, amendments, minutes and the speakers' list through their pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.meetings import actions
from grassroots.meetings.models import Meeting, Minutes, Motion, SpeakerRequest
from grassroots.members import actions as member_actions
from tests.web.conftest import PASSWORD, Org


@pytest.fixture
def soon(org: Org) -> Meeting:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    start = timezone.now() + dt.timedelta(days=20)
    return actions.call_meeting(body, title="January", start=start, by=None, place="Hall")


def member_client(org: Org, number: str, username: str) -> tuple[Client, object]:
    m = member_actions.create_member(
        by=None,
        number=number,
        name=f"Member {number}",
        branch=org.hillford,
        join_date=dt.date(2019, 1, 1),
        status="full",
        paid_up_to=dt.date(2030, 1, 1),
    )
    member_actions.create_login(username=username, password=PASSWORD, member=m, by=None)
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c, m


def test_a_member_submits_a_motion_and_another_moves_an_amendment_shown_as_a_change(
    org: Org, soon: Meeting
) -> None:
    cat, cat_m = member_client(org, "M3", "cat")
    dan, _ = member_client(org, "M4", "dan")
    r = cat.post(
        f"/meetings/{soon.pk}/motions/new/",
        {"title": "Libraries", "text": "We oppose all closures.", "seconder": "M4"},
        follow=True,
    )
    assert "Motion “Libraries” submitted." in r.content.decode()
    motion = Motion.objects.get()
    assert motion.mover == cat_m
    r = dan.post(
        f"/meetings/{soon.pk}/motions/{motion.pk}/amend/",
        {"text": "We oppose closures in Hillford.", "seconder": "M3"},
        follow=True,
    )
    page = r.content.decode()
    assert "Amendment to “Libraries” submitted." in page
    assert "We oppose <del>all closures.</del><ins>closures in Hillford.</ins>" in page


def test_bad_motion_posts_are_refused_plainly_and_store_nothing(org: Org, soon: Meeting) -> None:
    cat, _ = member_client(org, "M3", "cat")
    r = cat.post(f"/meetings/{soon.pk}/motions/new/", {"title": "T", "text": "x", "seconder": "M3"})
    assert "the seconder must be someone other than the mover" in r.content.decode()
    r = cat.post(f"/meetings/{soon.pk}/motions/new/", {"title": "T", "text": "x", "seconder": "ZZ"})
    assert "no member numbered “ZZ”" in r.content.decode()
    r = cat.post(f"/meetings/{soon.pk}/motions/new/", {"title": "T", "text": "x", "item": "99x"})
    assert r.status_code == 200
    other = Client()
    assert other.login(username="secretary", password=PASSWORD)  # no membership of their own
    assert other.get(f"/meetings/{soon.pk}/motions/new/").status_code == 403
    assert not Motion.objects.exists()


def test_the_secretary_drafts_circulates_and_puts_minutes_to_the_next_meeting(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    start = timezone.now() - dt.timedelta(hours=3)
    past = actions.call_meeting(
        body,
        title="December",
        start=start,
        by=None,
        place="Hall",
        now=start - dt.timedelta(days=20),
    )
    actions.open_meeting(past, by=None, now=start)
    actions.close_meeting(past, by=None, now=start + dt.timedelta(hours=1))
    later = actions.call_meeting(
        body, title="January", start=timezone.now() + dt.timedelta(days=20), by=None, place="Hall"
    )
    c = Client()
    assert c.login(username="secretary", password=PASSWORD)
    c.post(f"/meetings/{past.pk}/minutes/", {"do": "draft"})
    minutes = Minutes.objects.get()
    assert "Minutes of December" in minutes.text
    c.post(f"/meetings/{past.pk}/minutes/", {"do": "edit", "text": minutes.text + "\nAll agreed."})
    c.post(f"/meetings/{past.pk}/minutes/", {"do": "circulate"})
    public = Client().get(f"/meetings/{past.pk}/").content.decode()
    assert "not yet approved" in public and "All agreed." in public
    r = c.post(f"/meetings/{past.pk}/minutes/", {"do": "propose", "meeting": "abc"}, follow=True)
    assert "choose a later meeting" in r.content.decode()
    c.post(f"/meetings/{past.pk}/minutes/", {"do": "propose", "meeting": str(later.pk)})
    assert Motion.objects.get(meeting=later).approves == minutes
    ann = Client()
    assert ann.login(username="ann", password=PASSWORD)
    assert ann.get(f"/meetings/{past.pk}/minutes/").status_code == 403


def test_a_member_asks_to_speak_from_the_live_page_and_the_chair_calls_them(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    start = timezone.now() + dt.timedelta(minutes=10)
    m = actions.call_meeting(
        body,
        title="Tonight",
        start=start,
        by=None,
        place="Hall",
        join_url="https://meet.example.org/x",
        now=start - dt.timedelta(days=20),
    )
    cat, cat_m = member_client(org, "M3", "cat")
    cat.post(f"/meetings/{m.pk}/live/check-in/")
    chair = Client()
    assert chair.login(username="secretary", password=PASSWORD)
    chair.post(f"/meetings/{m.pk}/live/chair/", {"do": "open_meeting"})
    r = cat.post(f"/meetings/{m.pk}/live/speak/", {"side": "against"}, follow=True)
    assert "You are on the speakers" in r.content.decode()
    r = chair.post(f"/meetings/{m.pk}/live/chair/", {"do": "call_next"}, follow=True)
    assert "Member M3 has the floor." in r.content.decode()
    assert SpeakerRequest.objects.get(member=cat_m).called_at is not None
    r = cat.post(f"/meetings/{m.pk}/live/speak/", {"side": "sideways"}, follow=True)
    assert "neither for nor against" in r.content.decode()


def test_a_member_seconds_a_motion_from_its_page_and_the_chair_records_one_from_the_floor(
    org: Org, soon: Meeting
) -> None:
    cat, cat_m = member_client(org, "M3", "cat")
    dan, _ = member_client(org, "M4", "dan")
    actions.submit_motion(soon, title="Libraries", text="x", by=None, mover=cat_m)
    actions.submit_motion(soon, title="Parks", text="y", by=None, mover=cat_m)
    libraries, parks = Motion.objects.order_by("pk")
    page = cat.get(f"/meetings/{soon.pk}/").content.decode()
    assert page.count("Awaiting a seconder") == 2
    assert "Second “Libraries”" not in page  # not for its own mover
    r = dan.post(f"/meetings/{soon.pk}/motions/{libraries.pk}/second/", follow=True)
    page = r.content.decode()
    assert "You second “Libraries”." in page and "seconded by Member M4" in page
    assert page.count("Awaiting a seconder") == 1
    r = dan.post(f"/meetings/{soon.pk}/motions/{libraries.pk}/second/", follow=True)
    assert "already seconded by Member M4" in r.content.decode()
    chair = Client()
    assert chair.login(username="secretary", password=PASSWORD)
    live = chair.get(f"/meetings/{soon.pk}/live/").content.decode()
    assert f'<option value="{parks.pk}">Parks</option>' in live
    assert "Record a seconder from the floor" in live
    r = chair.post(
        f"/meetings/{soon.pk}/live/chair/",
        {"do": "second", "motion": str(parks.pk), "number": "NOPE"},
        follow=True,
    )
    assert "no member has the membership number “NOPE”" in r.content.decode()
    r = chair.post(
        f"/meetings/{soon.pk}/live/chair/",
        {"do": "second", "motion": str(parks.pk), "number": "M4"},
        follow=True,
    )
    assert "“Parks” seconded by Member M4." in r.content.decode()
    parks.refresh_from_db()
    assert parks.seconder is not None and parks.seconder.number == "M4"
