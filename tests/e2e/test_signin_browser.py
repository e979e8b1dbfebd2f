"""In a real browser: a member invited by her branch secretary signs in from the e-mailed link
and votes; used and expired links are refused with a way to get a new one; an officer is made
to set up an authenticator app before seeing the register; a locked-out sign-in says why.
Each new page passes axe and fits a phone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyotp
import pytest
from django.core import mail
from django.utils import timezone

from grassroots.members import actions as member_actions
from grassroots.signin import actions
from grassroots.signin.models import Invitation
from tests.e2e.test_accessibility import DESKTOP, PHONE, axe_violations, sideways_scroll
from tests.e2e.test_browser import log_in
from tests.elections.conftest import make_election
from tests.web.conftest import PASSWORD, D, Org


def checked(page: Any) -> None:
    """axe finds nothing serious at desktop and phone widths, and the phone never scrolls
    sideways."""
    size = page.viewport_size
    page.set_viewport_size(DESKTOP)
    problems = [f"desktop: {v}" for v in axe_violations(page)]
    page.set_viewport_size(PHONE)
    problems += [f"phone: {v}" for v in axe_violations(page)]
    wide = sideways_scroll(page)
    if wide:
        problems.append(f"phone: {wide}")
    page.set_viewport_size(size)
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


def cat(org: Org) -> Any:
    return member_actions.create_member(
        by=None,
        number="H7",
        name="Cat Cole",
        email="cat@example.org",
        branch=org.hillford,
        join_date=D(2019, 6, 1),
        status="full",
        paid_up_to=D(2099, 1, 1),
    )


def the_link(to: str) -> str:
    message = [m for m in mail.outbox if m.to == [to]][-1]
    found = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body)
    assert found, message.body
    return found.group(0)


def test_a_member_invited_by_her_secretary_signs_in_from_the_link_and_votes(
    live_server: Any, live_org: Org, browser: Any, page: Any
) -> None:
    base = live_server.url
    cat(live_org)
    e = make_election(live_org).election  # voting open; Cat is on the roll
    # the secretary invites the branch, at a desktop
    desk = browser.new_context(viewport=DESKTOP).new_page()
    log_in(desk, base, "secretary")
    desk.goto(f"{base}/units/hillford/")
    desk.get_by_role("link", name="Invite members to sign in").click()
    desk.get_by_role("heading", name="Invite members to sign in").wait_for()
    assert "1 has an e-mail address and no" in desk.locator("main").inner_text()
    checked(desk)
    desk.get_by_role("button", name="Send 1 sign-in link").click()
    assert "Sign-in links sent: 1." in desk.locator(".messages").inner_text()
    desk.context.close()
    assert [m.to for m in mail.outbox] == [["cat@example.org"]]

    # Cat, on her phone, follows the link: no password
    page.goto(the_link("cat@example.org"))
    page.get_by_role("heading", name="Sign in to grassroots").wait_for()
    checked(page)
    page.get_by_role("button", name="Sign in as Cat Cole").click()
    page.wait_for_url(f"{base}/")
    assert "Welcome, Cat Cole" in page.locator(".messages").inner_text()
    page.goto(f"{base}/elections/{e.pk}/")
    page.get_by_role("link", name="Vote now").click()
    page.get_by_label("Bea Bold").fill("1")
    page.get_by_role("button", name="Review my ballot").click()
    page.get_by_role("button", name="Cast my vote").click()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", page.locator("#receipt-code").inner_text())


def test_a_used_or_expired_link_is_refused_and_the_member_gets_a_new_one(
    live_server: Any, live_org: Org, browser: Any, page: Any
) -> None:
    base = live_server.url
    cat(live_org)
    actions.invite_unit(live_org.hillford, by=None, base_url=base)
    link = the_link("cat@example.org")
    page.goto(link)
    page.get_by_role("button", name="Sign in as Cat Cole").click()
    page.wait_for_url(f"{base}/")
    # the same link again, in another browser: spent
    other = browser.new_context(viewport=PHONE).new_page()
    other.goto(link)
    assert "already been used" in other.locator("main").inner_text()
    checked(other)
    # an expired one, and from its page a new link
    actions.request_link("cat@example.org", base_url=base)
    Invitation.objects.filter(used_at__isnull=True).update(
        expires_at=timezone.now() - dt.timedelta(hours=1)
    )
    other.goto(the_link("cat@example.org"))
    assert "has expired" in other.locator("main").inner_text()
    other.get_by_label("Your e-mail address").fill("cat@example.org")
    other.get_by_role("button", name="E-mail me a sign-in link").click()
    other.get_by_role("heading", name="Check your e-mail").wait_for()
    checked(other)
    other.goto(the_link("cat@example.org"))
    other.get_by_role("button", name="Sign in as Cat Cole").click()
    other.wait_for_url(f"{base}/")
    assert "Signed in as h7" in other.locator("header").inner_text()
    # the login page offers both ways without a password
    other.context.close()
    fresh = browser.new_context(viewport=PHONE).new_page()
    fresh.goto(f"{base}/accounts/login/")
    fresh.get_by_role("link", name="E-mail me a sign-in link").click()
    fresh.get_by_role("heading", name="E-mail me a sign-in link").wait_for()
    checked(fresh)
    fresh.context.close()


@pytest.mark.sign_in_guards
def test_an_officer_is_made_to_set_up_an_authenticator_app_before_seeing_the_register(
    live_server: Any, live_org: Org, page: Any
) -> None:
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("secretary")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # sent to the set-up with the reason; first the password again (allauth's rule for
    # changing how an account signs in)
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    explained = "Your role lets you see members' personal details"
    assert explained in page.locator("main").inner_text()
    checked(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert explained in page.locator("main").inner_text()
    checked(page)
    page.goto(f"{base}/units/hillford/")  # not yet: back to the set-up
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activate").click()
    # off the activation page (whose address also starts /accounts/2fa/): the app is set up
    page.wait_for_url(lambda url: not url.endswith("/accounts/2fa/totp/activate/"))
    page.goto(f"{base}/units/hillford/")
    page.get_by_role("heading", name="Hillford: register").wait_for()

    # next time, signing in asks for the app's code
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill("secretary")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    checked(page)
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/units/hillford/")
    page.get_by_role("heading", name="Hillford: register").wait_for()


@pytest.mark.sign_in_guards
def test_a_locked_out_sign_in_says_why_and_offers_a_link_instead(
    live_server: Any, live_org: Org, page: Any, settings: Any
) -> None:
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill("ann")
        page.get_by_label("Password").fill("not-her-password")
        # the refusal is the same page at the same address each time: wait for this answer,
        # or the next attempt is typed into the page before and lost
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
    heading = page.get_by_role("heading", name="Signing in is paused for a while")
    heading.wait_for()
    text = page.locator("main").inner_text()
    assert "5 unsuccessful attempts" in text and "15 minutes" in text
    checked(page)
    page.get_by_role("link", name="e-mail you a sign-in link").click()
    page.get_by_role("heading", name="E-mail me a sign-in link").wait_for()


@pytest.mark.sign_in_guards
def test_an_officer_may_set_up_a_passkey_instead_of_an_authenticator_app(
    live_server: Any, live_org: Org, page: Any
) -> None:
    base = live_server.url
    # Chromium's virtual authenticator stands in for the officer's phone or security key
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    log_in_page = f"{base}/accounts/login/"
    page.goto(log_in_page)
    page.get_by_label("Username").fill("secretary")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    page.goto(f"{base}/accounts/2fa/webauthn/add/")
    checked(page)
    page.get_by_label("Name").fill("My phone")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    page.goto(f"{base}/units/hillford/")
    page.get_by_role("heading", name="Hillford: register").wait_for()
