"""The network's directory, hub and gatherings in a browser: a person joins two groups, shares
their e-mail address with one and withdraws it, watched by that group's admin; every new page
passes axe and fits a phone (the checks of tests/e2e/test_accessibility.py)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
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


def test_a_person_joins_two_groups_shares_their_email_with_one_and_withdraws_it(
    live_server: Any, transactional_db: None, browser: Any
) -> None:
    w = build()
    User.objects.create_user("cara", "cara@accounts.example.org", PASSWORD)
    base = live_server.url
    cara = new_page(browser, PHONE)
    log_in(cara, base, "cara")
    for group in (w.a, w.b):
        mail.outbox.clear()
        cara.goto(f"{base}/networks/left/groups/{group.slug}/join/")
        cara.get_by_label("Your name").fill("Cara Cedar")
        cara.get_by_label("Your e-mail address").fill("cara.private@example.org")
        cara.get_by_label("Phone (optional)").fill("07700 900333")
        cara.get_by_role("button", name=re.compile("join", re.I)).click()
        cara.get_by_role("heading", name="Check your e-mail").wait_for()  # the link is sent
        (message,) = mail.outbox
        link = re.search(r"https?://\S+", message.body)
        assert link is not None
        cara.goto(link.group(0))
        cara.get_by_role("button", name="Confirm").click()
        cara.get_by_text(f"You are on {group.name}'s list in {w.net.name}.").wait_for()

    cara.goto(f"{base}/networks/left/consent/")
    check_page(cara, "network consent page, nothing shared, phone")
    cara.get_by_label("Which group may see them").select_option(label=w.a.name)
    cara.get_by_label("E-mail address").check()
    cara.get_by_label("What for").select_option(label="The group's news")
    cara.get_by_role("button", name="I agree: share these details").click()
    cara.get_by_text("Your consent is recorded.").wait_for()
    check_page(cara, "network consent page, one shared, phone")

    admin = new_page(browser, DESKTOP)
    log_in(admin, base, w.admin_a.username)
    admin.goto(f"{base}/networks/left/directory/{w.a.slug}/shared/")
    row = admin.get_by_role("row", name=re.compile("Cara Cedar"))
    assert "cara.private@example.org" in row.inner_text()
    assert "07700 900333" not in admin.content()  # the phone was never shared
    check_page(admin, "network details shared with a group, desktop")
    other = new_page(browser, DESKTOP)
    log_in(other, base, w.admin_b.username)
    other.goto(f"{base}/networks/left/directory/{w.b.slug}/shared/")
    assert "cara.private@example.org" not in other.content()

    cara.get_by_role("button", name=re.compile(f"Withdraw consent for {w.a.name}")).click()
    cara.get_by_text(f"You withdrew your consent for {w.a.name}.").wait_for()
    history = cara.locator("table").last.inner_text()
    assert w.a.name in history
    admin.reload()
    assert "cara.private@example.org" not in admin.content()
    assert "Nobody has shared contact details" in admin.content()


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
    (
        "cancel a gathering",
        "organiser",
        "/networks/left/gatherings/{gathering}/cancel-gathering/",
    ),
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
