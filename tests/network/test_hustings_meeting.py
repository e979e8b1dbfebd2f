"""A primary's hustings held online as a meeting of the meetings app: an organiser chooses a
meeting already called, and the primary's pages link to it (its notice, attendance, record)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from grassroots.audit.models import AuditEntry
from grassroots.network.actions import gatherings
from grassroots.network.models import Primary
from tests.network.builders import PASSWORD, network
from tests.network.meeting_for_gathering import called_meeting
from tests.network.test_primaries import make_primary
from tests.web.conftest import _fast_passwords as _fast_passwords

pytestmark = pytest.mark.django_db


def _as(u: Any) -> Client:
    c = Client()
    assert c.login(username=u.username, password=PASSWORD)
    return c


def _url(p: Primary, tail: str = "") -> str:
    return f"/networks/left/primaries/{p.pk}/hustings/{tail}"


def test_an_organiser_holds_the_hustings_as_a_meeting_and_the_primary_s_pages_link_to_it() -> None:
    net = network()
    m = called_meeting()
    p = make_primary(net)
    c = _as(net.organiser)
    choosing = c.get(_url(p)).content.decode()
    assert f'<option value="{m.pk}">National assembly, spring' in choosing
    r = c.post(_url(p, "meeting/"), {"meeting": m.pk})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.hustings_meeting == m
    for page in (c.get(_url(p)), Client().get(f"/networks/left/primaries/{p.pk}/")):
        text = page.content.decode()
        assert f'href="/meetings/{m.pk}/"' in text
        assert "its record (the minutes)" in text
    assert AuditEntry.objects.filter(action="network.hustings.meeting").count() == 1
    # once chosen it stays: a second choice is refused in words
    other = called_meeting_elsewhere()
    r = c.post(_url(p, "meeting/"), {"meeting": other.pk}, follow=True)
    assert "already held as a meeting" in r.content.decode()
    p.refresh_from_db()
    assert p.hustings_meeting == m


def called_meeting_elsewhere() -> Any:
    from grassroots.meetings.models import Meeting

    first = Meeting.objects.get()
    return Meeting.objects.create(
        body=first.body,
        title="Another meeting",
        start=first.start,
        called_at=first.called_at,
        notice_deadline=first.notice_deadline,
    )


def test_only_an_organiser_holds_the_hustings_as_a_meeting() -> None:
    net = network()
    m = called_meeting()
    p = make_primary(net)
    r = _as(net.admins["Leeds Left"]).post(_url(p, "meeting/"), {"meeting": m.pk})
    assert r.status_code == 403
    assert Client().post(_url(p, "meeting/"), {"meeting": m.pk}).status_code == 302  # sign in
    p.refresh_from_db()
    assert p.hustings_meeting is None


@pytest.mark.parametrize("posted", ["", "abc", "99999999", "1" * 40, "-1"])
def test_a_hostile_or_unknown_meeting_is_refused_in_words_and_nothing_changes(posted: str) -> None:
    net = network()
    called_meeting()
    p = make_primary(net)
    r = _as(net.organiser).post(_url(p, "meeting/"), {"meeting": posted}, follow=True)
    assert r.status_code == 200
    assert "choose one of the meetings listed" in r.content.decode()
    p.refresh_from_db()
    assert p.hustings_meeting is None


def test_a_meeting_already_a_gathering_or_cancelled_cannot_hold_the_hustings() -> None:
    net = network()
    m = called_meeting()
    p = make_primary(net)
    gatherings.create_gathering(
        net.network, by=net.organiser, title="Assembly", starts_at=m.start, meeting=m
    )
    c = _as(net.organiser)
    assert f'value="{m.pk}"' not in c.get(_url(p)).content.decode()
    r = c.post(_url(p, "meeting/"), {"meeting": m.pk}, follow=True)
    assert "is already a gathering" in r.content.decode()
    gone = called_meeting_elsewhere()
    gone.state = "cancelled"
    gone.save(update_fields=["state"])
    r = c.post(_url(p, "meeting/"), {"meeting": gone.pk}, follow=True)
    assert "is not one still to come" in r.content.decode()
    p.refresh_from_db()
    assert p.hustings_meeting is None


def test_the_primary_s_api_names_the_hustings_meeting_and_links_its_page() -> None:
    from tests.network.test_api import valid

    net = network()
    m = called_meeting()
    p = make_primary(net)
    path = "/api/networks/{network}/primaries/{id}"
    url = f"/api/networks/left/primaries/{p.pk}"
    assert valid(path, Client().get(url).json())["hustings_meeting"] is None
    _as(net.organiser).post(_url(p, "meeting/"), {"meeting": m.pk})
    held = valid(path, Client().get(url).json())["hustings_meeting"]
    assert held["title"] == "National assembly, spring" and held["state"] == "called"
    assert held["page"].endswith(f"/meetings/{m.pk}/")
    assert held["api"].endswith(f"/api/meetings/{m.pk}")
