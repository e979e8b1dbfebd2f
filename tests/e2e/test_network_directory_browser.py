"""The network's directory, hub and gatherings in a browser: a person joins two groups, shares
their e-mail address with one and withdraws it, watched by that group's admin; every new page
passes axe and fits a phone (the checks of tests/e2e/test_accessibility.py)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from grassroots.network.actions import directory, gatherings, hub
from grassroots.network.models import GroupProfile, Resource
from tests.e2e.test_accessibility import DESKTOP, PHONE, check_page
from tests.network.directory_world import ALICE, PASSWORD, World, build


@pytest.fixture(autouse=True)
def _mail_and_media(settings: Any, tmp_path: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def new_page(browser: Any, size: dict[str, int]) -> Any:
    ctx = browser.new_context(viewport=size)
    pg = ctx.new_page()
    pg.set_default_timeout(60000)
    return pg


def _rich(w: World) -> dict[str, str]:
    """Profiles, a consent, resources and a gathering, and the address of each new page."""
    GroupProfile.objects.create(
        group=w.a, about="Tenants together.", issues="Repairs\nRents", meeting_times="Tuesdays"
    )
    directory.give_consent(
        by=w.alice_user,
        network=w.net,
        group=w.a,
        fields=["email", "phone"],
        purpose="news",
        text_version="1",
    )
    c = directory.give_consent(
        by=w.alice_user,
        network=w.net,
        group=None,
        fields=["postcode_area"],
        purpose="events",
        text_version="1",
    )
    directory.revoke_consent(c, by=w.alice_user)
    guide = hub.publish_resource(
        w.net,
        by=w.organiser,
        kind="guide",
        title="Running a public meeting",
        body="Book a room.\n\nChoose a chair.",
        tags=["meetings", "how-to"],
        audience="public",
        summary="The basics.",
    )
    hub.publish_resource(
        w.net,
        by=w.admin_a,
        kind="link",
        title="Housing law explained",
        url="https://example.org/a/very/long/address/that/must/wrap/on/a/phone/screen/" * 3,
        tags=["housing"],
        audience="network",
    )
    g = gatherings.create_gathering(
        w.net,
        by=w.organiser,
        title="National gathering",
        starts_at=timezone.now() + dt.timedelta(days=9),
        place="Hillford Town Hall",
        join_url="https://video.example.org/gathering",
        capacity=200,
    )
    gatherings.register(g, by=w.alice_user)
    assert Resource.objects.count() == 2
    return {"guide": str(guide.pk), "gathering": str(g.pk)}


PAGES = [
    # (name, login, address with {guide} and {gathering})
    ("groups directory", None, "/networks/left/directory/"),
    ("group profile and contact form", None, "/networks/left/directory/hillford-tenants/"),
    ("change a group's profile", "admin_a", "/networks/left/directory/hillford-tenants/edit/"),
    ("details shared with a group", "admin_a", "/networks/left/directory/hillford-tenants/shared/"),
    ("my consents with history", "alice", "/networks/left/consent/"),
    ("my data and erasure", "alice", "/networks/left/my-data/"),
    ("hub", "alice", "/networks/left/hub/"),
    ("hub search", None, "/networks/left/hub/?q=meeting"),
    ("hub resource", None, "/networks/left/hub/{guide}/"),
    ("publish in the hub", "organiser", "/networks/left/hub/new/"),
    ("withdraw a resource", "organiser", "/networks/left/hub/{guide}/withdraw/"),
    ("gatherings", "organiser", "/networks/left/gatherings/"),
    ("gathering, registered", "alice", "/networks/left/gatherings/{gathering}/"),
    ("gathering, for its organiser", "organiser", "/networks/left/gatherings/{gathering}/"),
    ("set up a gathering", "organiser", "/networks/left/gatherings/new/"),
]


def test_every_directory_hub_and_gathering_page_passes_axe_on_desktop_and_phone(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    w = build()
    ids = _rich(w)
    base = live_server.url
    pages: dict[str | None, Any] = {}
    for name, login, address in PAGES:
        if login not in pages:
            pages[login] = new_page(browser, DESKTOP)
            if login is not None:
                log_in(pages[login], base, login)
        pg = pages[login]
        pg.set_viewport_size(DESKTOP)
        pg.goto(base + address.format(**ids))
        assert pg.title() and "Page not found" not in pg.title(), address
        check_page(pg, f"network {name} desktop")
        pg.set_viewport_size(PHONE)
        check_page(pg, f"network {name} phone")
    # the erasure's answer page, and a contact form refused for bad input
    alice = pages["alice"]
    alice.goto(base + "/networks/left/my-data/")
    alice.get_by_label("Type ERASE to confirm").fill("ERASE")
    alice.get_by_role("button", name=re.compile("Erase me")).click()
    alice.get_by_text("You are erased").wait_for()
    check_page(alice, "network erased phone")
    anon = pages[None]
    anon.goto(base + "/networks/left/directory/hillford-tenants/")
    anon.get_by_label("Your name").fill("Sam")
    anon.get_by_label("Your e-mail address").fill("not-an-address")
    anon.get_by_label("Your message").fill("Hello")
    anon.get_by_role("button", name="Send the message").click()
    anon.get_by_text("Enter a valid email address").wait_for()
    check_page(anon, "network contact form refused phone")
    assert ALICE["email"] not in anon.content()
