"""Who may do what in the directory, hub and gatherings: each role tries each page and action,
and what it may not do is refused (403, or a redirect to log in) with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.network.actions import directory, gatherings, hub
from tests.network.directory_world import PASSWORD, World, build
from tests.network.directory_world import _quick_and_private as _quick_and_private

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "alice_user", "admin_b", "admin_a", "organiser")
A = "/networks/left/directory/hillford-tenants"

# (what, method, address, data, the roles allowed)
CASES = [
    ("change group A's profile", "post", f"{A}/edit/", {"about": "x"}, {"admin_a"}),
    ("read what was shared with group A", "get", f"{A}/shared/", None, {"admin_a"}),
    (
        "export what was shared with group A",
        "post",
        f"{A}/shared/",
        {"purpose": "news", "wanted": ["email"]},
        {"admin_a"},
    ),
    ("open the consent page", "get", "/networks/left/consent/", None, {"alice_user"}),
    ("download one's data", "get", "/networks/left/my-data/download.json", None, {"alice_user"}),
    (
        "publish in the hub",
        "post",
        "/networks/left/hub/new/",
        {"kind": "guide", "title": "T", "body": "B", "audience": "public"},
        {"admin_a", "admin_b", "organiser"},
    ),
    ("open the gathering form", "get", "/networks/left/gatherings/new/", None, {"organiser"}),
    (
        "read a network-only resource",
        "get",
        "/networks/left/hub/{resource}/",
        None,
        {"alice_user", "admin_a", "admin_b", "organiser"},
    ),
]


@pytest.fixture
def w() -> World:
    world = build()
    directory.give_consent(
        by=world.alice_user,
        network=world.net,
        group=world.a,
        fields=["email"],
        purpose="news",
        text_version="1",
    )
    hub.publish_resource(
        world.net,
        by=world.organiser,
        kind="guide",
        title="Members only",
        body="x",
        audience="network",
    )
    return world


def client(w: World, role: str) -> Client:
    c = Client()
    if role != "anonymous":
        c.login(username=getattr(w, role).username, password=PASSWORD)
    return c


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c[0].replace(" ", "-") for c in CASES])
def test_each_role_may_do_only_what_its_role_allows(
    w: World, role: str, case: tuple[str, str, str, object, set[str]]
) -> None:
    what, method, address, data, allowed = case
    from grassroots.network.models import Resource

    address = address.format(resource=Resource.objects.get().pk)
    before = AuditEntry.objects.count()
    r = getattr(client(w, role), method)(address, data) if data else client(w, role).get(address)
    if role in allowed:
        assert r.status_code in (200, 302), f"{role} may {what}: {r.status_code}"
        if r.status_code == 302:
            assert "/accounts/login/" not in r["Location"]
    else:
        refused = r.status_code in (403, 404) or (
            r.status_code == 302 and "/accounts/login/" in r["Location"]
        )
        assert refused, f"{role} may not {what}, got {r.status_code}"
        assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("role", ["anonymous", "outsider", "admin_a", "organiser"])
def test_registering_for_a_gathering_is_for_the_networks_people_and_reminders_for_organisers(
    w: World, role: str
) -> None:
    g = gatherings.create_gathering(
        w.net,
        by=w.organiser,
        title="G",
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="Hall",
    )
    c = client(w, role)
    r = c.post(f"/networks/left/gatherings/{g.pk}/register/")
    registered = g.registrations.filter(cancelled_at__isnull=True).count()
    # the organiser and the admin have no entry of their own as people in this world
    assert registered == 0
    if role == "anonymous":
        assert "/accounts/login/" in r["Location"]
    r = c.post(f"/networks/left/gatherings/{g.pk}/remind/", follow=True)
    sent = AuditEntry.objects.filter(action="network.gathering.remind").count()
    assert sent == (1 if role == "organiser" else 0)
