"""The door and the live meeting through their pages: search and check-in, online check-in,
votes opened, counted and cast, and refusals as messages rather than errors."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.meetings import actions
from grassroots.meetings.models import Attendance, Meeting, Vote, VoteCast
from grassroots.members import actions as member_actions
from tests.web.conftest import PASSWORD, Org


@pytest.fixture
def live(org: Org) -> Meeting:
    body = actions.create_body(
        unit=org.hillford,
        kind="branch",
        name="Hillford branch",
        by=None,
        quorum_number=1,
        visitors_admitted=True,
        attend_rules={"paid_up_to": timezone.localdate().isoformat(), "may_pay_on_day": True},
    )
    start = timezone.now() + dt.timedelta(minutes=30)
    return actions.call_meeting(
        body,
        title="Tonight",
        start=start,
        by=None,
        place="Hall",
        join_url="https://meet.example.org/t",
        now=timezone.now() - dt.timedelta(days=20),
    )


def as_user(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def test_a_steward_finds_a_member_sees_the_reasons_and_records_payment_at_the_door(
    org: Org, live: Meeting
) -> None:
    c = as_user("secretary")
    page = c.get(f"/meetings/{live.pk}/door/", {"q": "ann"}).content.decode()
    assert "Ann Arrears" in page and "in arrears" in page and "Paid on the day" in page
    r = c.post(
        f"/meetings/{live.pk}/door/check-in/",
        {"member": "M1", "pay_on_day": "1", "q": "ann"},
        follow=True,
    )
    assert "checked in with a vote (payment on the day recorded)" in r.content.decode()
    r = c.post(f"/meetings/{live.pk}/door/check-in/", {"member": "M1", "q": "ann"}, follow=True)
    assert "already checked in" in r.content.decode()
    assert Attendance.objects.filter(meeting=live).count() == 1
    r = c.post(
        f"/meetings/{live.pk}/door/check-in/", {"member": "../../etc", "q": "x"}, follow=True
    )
    assert r.status_code == 200 and "No member numbered" in r.content.decode()


def test_the_door_is_only_for_stewards(org: Org, live: Meeting) -> None:
    for who in ("ann", "officer", "moorsec"):
        c = as_user(who)
        assert c.get(f"/meetings/{live.pk}/door/").status_code == 403
        assert c.post(f"/meetings/{live.pk}/door/check-in/", {"member": "M1"}).status_code == 403
        assert c.post(f"/meetings/{live.pk}/door/visitor/", {"name": "X"}).status_code == 403
    assert not Attendance.objects.exists()


def test_a_member_checks_in_online_and_votes_once_from_the_live_page(
    org: Org, live: Meeting
) -> None:
    cat = member_actions.create_member(
        by=None,
        number="M3",
        name="Cat",
        branch=org.hillford,
        join_date=dt.date(2019, 1, 1),
        status="full",
        paid_up_to=dt.date(2030, 1, 1),
    )
    member_actions.create_login(username="cat", password=PASSWORD, member=cat, by=None)
    c = as_user("cat")
    assert "Check in online" in c.get(f"/meetings/{live.pk}/live/").content.decode()
    r = c.post(f"/meetings/{live.pk}/live/check-in/", follow=True)
    assert "You are checked in" in r.content.decode() and "meet.example.org/t" in r.content.decode()
    chair = as_user("secretary")
    chair.post(f"/meetings/{live.pk}/live/chair/", {"do": "open_meeting"})
    chair.post(
        f"/meetings/{live.pk}/live/chair/",
        {
            "do": "open_vote",
            "question": "Accept the late item",
            "method": "online",
            "majority": "simple",
        },
    )
    vote = Vote.objects.get()
    r = c.post(f"/meetings/{live.pk}/votes/{vote.pk}/cast/", {"choice": "for"}, follow=True)
    assert "Your vote is recorded" in r.content.decode() and "You voted for" in r.content.decode()
    r = c.post(f"/meetings/{live.pk}/votes/{vote.pk}/cast/", {"choice": "against"}, follow=True)
    assert "already voted" in r.content.decode()
    assert VoteCast.objects.get().choice == "for"
    panel = c.get(f"/meetings/{live.pk}/live/panel/")
    assert panel["Cache-Control"] == "no-store" and "1 vote recorded" in panel.content.decode()
    r = chair.post(
        f"/meetings/{live.pk}/live/chair/", {"do": "close_vote", "vote": vote.pk}, follow=True
    )
    assert "Accept the late item: carried." in r.content.decode()


def test_the_chairs_hostile_or_odd_posts_get_messages_not_errors(org: Org, live: Meeting) -> None:
    chair = as_user("secretary")
    chair.post(f"/meetings/{live.pk}/live/chair/", {"do": "open_meeting"})
    r = chair.post(
        f"/meetings/{live.pk}/live/chair/", {"do": "open_vote", "question": "Q"}, follow=True
    )
    assert "inquorate" in r.content.decode()  # nobody is checked in
    chair.post(
        f"/meetings/{live.pk}/live/chair/",
        {"do": "open_vote", "question": "Q", "inquorate_reason": "standing order 7"},
    )
    vote = Vote.objects.get()
    for counts in (
        {"for": "٣", "against": "0", "abstain": "0"},
        {"for": "-1", "against": "0", "abstain": "0"},
        {"for": "99", "against": "0", "abstain": "0"},
    ):
        r = chair.post(
            f"/meetings/{live.pk}/live/chair/",
            {"do": "hands", "vote": vote.pk, **counts},
            follow=True,
        )
        assert r.status_code == 200
    vote.refresh_from_db()
    assert vote.for_votes == ""
    for bad in (
        {"do": "nonsense"},
        {"do": "close_vote", "vote": "abc"},
        {"do": "open_vote", "motion": "x"},
    ):
        assert chair.post(f"/meetings/{live.pk}/live/chair/", bad).status_code in (302, 404)
    assert (
        as_user("ann").post(f"/meetings/{live.pk}/live/chair/", {"do": "close_meeting"}).status_code
        == 403
    )


def test_anyone_may_watch_the_live_panel(org: Org, live: Meeting, client: Any) -> None:
    r = client.get(f"/meetings/{live.pk}/live/")
    assert r.status_code == 200 and "Who is here" in r.content.decode()
    assert "Check in online" not in r.content.decode()


def test_the_chair_holds_a_secret_ballot_from_the_live_page_and_counts_it_when_due(
    org: Org, live: Meeting
) -> None:
    from grassroots.elections.models import Election
    from grassroots.meetings.models import MeetingBallot

    cats = []
    for i in range(2):
        m = member_actions.create_member(
            by=None,
            number=f"S{i}",
            name=f"Sam {i}",
            branch=org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2030, 1, 1),
        )
        actions.check_in(live, m, by=None, now=timezone.now())
        cats.append(m)
    chair = as_user("secretary")
    chair.post(f"/meetings/{live.pk}/live/chair/", {"do": "open_meeting"})
    r = chair.post(
        f"/meetings/{live.pk}/live/chair/",
        {"do": "ballot", "title": "Officers", "seats": "x", "minutes": "10", "candidates": "A"},
        follow=True,
    )
    assert "whole numbers" in r.content.decode() and not Election.objects.exists()
    r = chair.post(
        f"/meetings/{live.pk}/live/chair/",
        {
            "do": "ballot",
            "title": "Officers",
            "seats": "1",
            "minutes": "1",
            "rule": "scottish",
            "candidates": "Ada\nBen\n",
        },
        follow=True,
    )
    assert "The secret ballot is open" in r.content.decode()
    ballot = MeetingBallot.objects.get()
    assert ballot.election.roll_size == 2 and "Vote in this ballot" in r.content.decode()
    r = chair.post(
        f"/meetings/{live.pk}/live/chair/", {"do": "count_ballot", "ballot": ballot.pk}, follow=True
    )
    assert "the ballot is open until" in r.content.decode()


def test_from_the_live_pages_script_a_vote_is_answered_with_the_panel_in_one_request(
    org: Org, live: Meeting
) -> None:
    cat = member_actions.create_member(
        by=None,
        number="M3",
        name="Cat",
        branch=org.hillford,
        join_date=dt.date(2019, 1, 1),
        status="full",
        paid_up_to=dt.date(2030, 1, 1),
    )
    member_actions.create_login(username="cat", password=PASSWORD, member=cat, by=None)
    c = as_user("cat")
    r = c.post(f"/meetings/{live.pk}/live/check-in/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "You are checked in" in r.content.decode()
    assert r["Cache-Control"] == "no-store" and "<html" not in r.content.decode()
    actions.open_meeting(live, by=None)
    vote = actions.open_vote(live, question="Q", method="online", by=None)
    r = c.post(
        f"/meetings/{live.pk}/votes/{vote.pk}/cast/", {"choice": "for"}, HTTP_HX_REQUEST="true"
    )
    text = r.content.decode()
    assert r.status_code == 200 and "Your vote is recorded." in text and "You voted for." in text
    r = c.post(
        f"/meetings/{live.pk}/votes/{vote.pk}/cast/", {"choice": "for"}, HTTP_HX_REQUEST="true"
    )
    assert 'class="no">you have already voted' in r.content.decode()
    assert VoteCast.objects.count() == 1


def test_the_chair_sets_a_ballots_representation_rule_in_plain_words_on_the_live_page(
    org: Org, live: Meeting
) -> None:
    from grassroots.elections.models import Election

    for i in range(2):
        m = member_actions.create_member(
            by=None,
            number=f"S{i}",
            name=f"Sam {i}",
            branch=org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2030, 1, 1),
        )
        actions.check_in(live, m, by=None, now=timezone.now())
    chair = as_user("secretary")
    chair.post(f"/meetings/{live.pk}/live/chair/", {"do": "open_meeting"})
    page = chair.get(f"/meetings/{live.pk}/live/").content.decode()
    assert "Of those elected," in page and "Candidates in that group, one a line" in page
    ballot = {
        "do": "ballot",
        "title": "Officers",
        "seats": "2",
        "minutes": "10",
        "rule": "scottish",
        "candidates": "Ada\nBen\nCy\nDi\n",
        "bound": "minima",
    }
    for extra, refusal in [
        ({"group_count": "two", "group": "women"}, "how many (a whole number) and the group"),
        ({"group_count": "2", "group": ""}, "how many (a whole number) and the group"),
        ({"in_group": "Ada"}, "name the group those candidates are in"),
        ({"group_count": "2", "group": "women"}, "say which candidates are women"),
        ({"group_count": "2", "group": "women", "bound": "most"}, "“at least” or “at most”"),
        (
            {"group_count": "1", "group": "women", "in_group": "Ada\nZoe"},
            "“Zoe” is given a group but is not among the candidates",
        ),
        (
            {"group_count": "3", "group": "women", "in_group": "Ada\nDi"},
            "at least 3 seats for women, but only 2 to fill",
        ),
    ]:
        r = chair.post(f"/meetings/{live.pk}/live/chair/", {**ballot, **extra}, follow=True)
        assert r.status_code == 200 and refusal in r.content.decode(), extra
    assert not Election.objects.exists()
    r = chair.post(
        f"/meetings/{live.pk}/live/chair/",
        {**ballot, "group_count": "1", "group": "women", "in_group": "Ada\n Di "},
        follow=True,
    )
    assert "The secret ballot is open" in r.content.decode()
    e = Election.objects.get()
    assert e.constraints == {"minima": {"women": 1}}
    assert {c.name: c.groups for c in e.candidates.all()} == {
        "Ada": ["women"],
        "Ben": [],
        "Cy": [],
        "Di": ["women"],
    }
    panel = Client().get(f"/meetings/{live.pk}/live/panel/").content.decode()
    assert "(at least 1 of those elected must be women)" in panel


def test_a_poll_from_a_page_already_current_is_answered_no_change_until_something_changes(
    org: Org, live: Meeting, django_assert_max_num_queries: Any, monkeypatch: Any
) -> None:
    import importlib
    import re

    live_views = importlib.import_module("grassroots.meetings.views.live")
    monkeypatch.setattr(live_views, "SHARE_FOR", 0)  # every redraw computes the counts afresh
    cat = member_actions.create_member(
        by=None,
        number="M3",
        name="Cat",
        branch=org.hillford,
        join_date=dt.date(2019, 1, 1),
        status="full",
        paid_up_to=dt.date(2030, 1, 1),
    )
    page = Client().get(f"/meetings/{live.pk}/live/").content.decode()
    assert 'hx-trigger="every 2s' in page and 'hx-include="#live-version"' in page
    found = re.search(r'id="live-version" name="v" value="([^"]+)"', page)
    assert found is not None
    token = found.group(1)
    url = f"/meetings/{live.pk}/live/panel/"
    with django_assert_max_num_queries(1):  # the meeting's row; no session, no user
        r = Client().get(url, {"v": token})
    assert r.status_code == 204 and r["Cache-Control"] == "no-store"

    # someone arrives: the counts may stand on a member's page for a few polls ...
    actions.check_in(live, cat, by=None, now=timezone.now())
    assert Client().get(url, {"v": token}).status_code == 204
    version = Meeting.objects.get(pk=live.pk).live_version
    assert token.startswith(f"{version}.")  # an arrival is not a change of business
    # ... and once they may no longer, the page is redrawn with them
    counted_until = f"{version}.{int(time.time()) - 1}"
    r = Client().get(url, {"v": counted_until})
    assert r.status_code == 200 and 'id="present-count">1<' in r.content.decode()

    # a change of business (the chair opens a vote) redraws every page at its next poll
    actions.open_meeting(live, by=None)
    actions.open_vote(live, question="Adjourn?", by=None)
    r = Client().get(url, {"v": token})
    assert r.status_code == 200 and "Adjourn?" in r.content.decode()

    # the chair's page always has its counts fresh: its token never stands
    chair_page = as_user("secretary").get(f"/meetings/{live.pk}/live/").content.decode()
    chair_token = re.search(r'id="live-version" name="v" value="([^"]+)"', chair_page)
    assert chair_token is not None and chair_token.group(1).split(".")[1] == "0"
    assert Client().get(url, {"v": chair_token.group(1)}).status_code == 200

    # a ballot the panel showed open that has since fallen due: redrawn (the chair may count it)
    current = Meeting.objects.get(pk=live.pk).live_version
    later = int(time.time()) + 60
    assert Client().get(url, {"v": f"{current}.{later}.{later}"}).status_code == 204
    assert Client().get(url, {"v": f"{current}.{later}.{int(time.time()) - 1}"}).status_code == 200
    for odd in ("", "x", "1.", ".5", "9" * 40, "1.2.3.4", "-1.5", f"{current}.{'9' * 30}"):
        assert Client().get(url, {"v": odd}).status_code == 200, odd


def test_the_live_panels_shared_part_is_shared_for_a_second_per_state_version(
    org: Org, live: Meeting, django_assert_max_num_queries: Any, monkeypatch: Any
) -> None:
    import importlib

    live_views = importlib.import_module("grassroots.meetings.views.live")
    monkeypatch.setattr(live_views, "SHARE_FOR", 3600)  # however slow this machine is
    url = f"/meetings/{live.pk}/live/panel/"
    Client().get(url)  # computes this version's shared part
    with django_assert_max_num_queries(2):  # the meeting; the visitor's nothing else
        r = Client().get(url)
    assert r.status_code == 200 and "No vote is open." in r.content.decode()
    monkeypatch.setattr(live_views, "SHARE_FOR", 0)  # past its second: the counts afresh
    with CaptureQueriesContext(connection) as afresh:
        Client().get(url)
    assert len(afresh) > 2
    # and at once when the business changes, however recent the shared part
    monkeypatch.setattr(live_views, "SHARE_FOR", 3600)
    actions.open_meeting(live, by=None)
    actions.open_vote(
        live, question="Adjourn?", by=None, continue_inquorate_reason="standing orders 4.2"
    )
    assert "Adjourn?" in Client().get(url).content.decode()
    poll = live_views.poll_seconds
    assert [poll(n) for n in (10, 400, 800, 2000, 100_000)] == [2, 2, 4, 10, 15]
    assert live_views.counts_seconds(2000) == 30
