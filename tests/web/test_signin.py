"""Members signing in: invitations by an officer (once per member), single-use expiring links,
asking for a new link, officers made to set up a second factor, and the sign-in lock-out."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.members import actions as member_actions
from grassroots.members.models import Member
from grassroots.signin import actions
from grassroots.signin.models import Invitation
from tests.web.conftest import PASSWORD, D, Org

BASE = "http://testserver"


def login(org: Org, name: str) -> Client:
    c = Client()
    assert c.login(username=name, password=PASSWORD)
    return c


def signed_in(user: Any) -> Client:
    """Signed in without the login form (where django-axes, on, would want the request)."""
    c = Client()
    c.force_login(user)
    return c


def hillford_members(org: Org) -> list[Member]:
    """Three more Hillford members: two with an address, one without."""
    made = []
    for number, name, email in [
        ("H1", "Cat Cole", "cat@example.org"),
        ("H2", "Dan Dee", "dan@example.org"),
        ("H3", "Eve Nomail", ""),
    ]:
        made.append(
            member_actions.create_member(
                by=None,
                number=number,
                name=name,
                email=email,
                branch=org.hillford,
                join_date=D(2020, 1, 1),
                status="full",
                paid_up_to=D(2099, 1, 1),
            )
        )
    return made


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body)
    assert found, message.body
    return found.group(0).removeprefix(BASE)


def test_a_secretary_invites_her_branch_and_a_second_run_sends_nobody_twice(org: Org) -> None:
    hillford_members(org)
    page = login(org, "secretary").get("/units/hillford/invite/")
    assert page.status_code == 200 and "2 have an e-mail address and no" in page.content.decode()
    r = login(org, "secretary").post("/units/hillford/invite/")
    assert r.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["cat@example.org", "dan@example.org"]
    assert Invitation.objects.filter(sent_at__isnull=False).count() == 2
    # again: nobody is sent a second link while the first still works
    job = actions.invite_unit(org.hillford, by=org.users["secretary"], base_url=BASE)
    assert job.kind == "signin.invite" and len(mail.outbox) == 2
    job.refresh_from_db()  # the tests run jobs inline
    assert job.state == "done" and job.outcome == (
        "Sign-in links sent: 0. 2 member(s) already had a link that still works and were not "
        "sent another."
    )
    runs = AuditEntry.objects.filter(action="invite_members")
    assert runs.count() == 2 and runs.order_by("pk").first().detail["new"] == 2


def test_a_mail_out_that_stopped_half_way_is_finished_by_the_next_run(org: Org) -> None:
    hillford_members(org)
    actions.invite_unit(org.hillford, by=None, base_url=BASE)
    # as if the run had stopped before the second message went out
    Invitation.objects.filter(email="dan@example.org").update(sent_at=None)
    mail.outbox.clear()
    job = actions.invite_unit(org.hillford, by=None, base_url=BASE)
    job.refresh_from_db()
    assert job.outcome.startswith("Sign-in links sent: 1.")
    assert [m.to for m in mail.outbox] == [["dan@example.org"]]


def test_a_secretary_may_not_invite_another_branch(org: Org) -> None:
    assert login(org, "moorsec").post("/units/hillford/invite/").status_code == 403
    assert login(org, "ann").get("/units/hillford/invite/").status_code == 403
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_a_member_follows_the_link_and_is_signed_in_to_a_login_made_for_her(org: Org) -> None:
    cat = hillford_members(org)[0]
    actions.invite_unit(org.hillford, by=None, base_url=BASE)
    url = link_in(next(m for m in mail.outbox if m.to == ["cat@example.org"]))
    c = Client()
    shown = c.get(url)  # opening the link (or a mail scanner doing so) spends nothing
    assert shown.status_code == 200 and "Sign in as Cat Cole" in shown.content.decode()
    assert Invitation.objects.get(member=cat).used_at is None
    r = c.post(url)
    assert r.status_code == 302
    cat.refresh_from_db()
    assert cat.user is not None and not cat.user.has_usable_password()
    assert c.get("/me/").status_code == 200  # signed in, her own standing
    again = Client().post(url)
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert "E-mail me a sign-in link" in again.content.decode()


def test_an_expired_link_is_refused_with_a_way_to_get_a_new_one(org: Org) -> None:
    hillford_members(org)
    actions.invite_unit(org.hillford, by=None, base_url=BASE)
    url = link_in(mail.outbox[0])
    Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    r = Client().get(url)
    assert r.status_code == 410 and "has expired" in r.content.decode()
    assert 'action="/accounts/link/"' in r.content.decode()
    tampered = Client().get(url[:-3] + "xx/")
    assert tampered.status_code == 404 and "not one this site sent" in tampered.content.decode()
    assert get_user_model().objects.filter(member__number="H1").count() == 0


def test_a_member_asks_for_a_new_link_and_an_unknown_address_gets_the_same_answer(
    org: Org,
) -> None:
    hillford_members(org)
    known = Client().post("/accounts/link/", {"email": "Cat@Example.org"})
    unknown = Client().post("/accounts/link/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert "a sign-in link is on its way" in unknown.content.decode()
    assert [m.to for m in mail.outbox] == [["cat@example.org"]]
    assert Invitation.objects.get().kind == "requested"
    bad = Client().post("/accounts/link/", {"email": "not an address"})
    assert "Enter a valid email address" in bad.content.decode()


@pytest.mark.sign_in_guards
def test_an_officer_without_a_second_factor_is_sent_to_set_one_up(org: Org) -> None:
    secretary = signed_in(org.users["secretary"])
    for url in ("/units/hillford/", "/members/M1/", "/"):
        r = secretary.get(url)
        assert r.status_code == 302 and r["Location"] == "/accounts/2fa/totp/activate/", url
    member = signed_in(org.users["member"])  # members are never asked
    assert member.get("/me/").status_code == 200 and member.get("/").status_code == 200


@pytest.mark.sign_in_guards
def test_an_officer_with_an_authenticator_app_sees_the_register(org: Org) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=org.users["secretary"], type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert signed_in(org.users["secretary"]).get("/units/hillford/").status_code == 200


def test_an_authenticator_code_of_the_30_seconds_just_gone_is_accepted_but_not_older() -> None:
    """A code read in the last seconds of its step reaches the server in the next one."""
    from types import SimpleNamespace
    from unittest import mock

    import pyotp
    from allauth.mfa.totp.internal import auth

    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = 1_800_000_015  # the middle of a 30-second step: the check's clock is held there
    with mock.patch.object(auth, "time", SimpleNamespace(time=lambda: now)):
        assert auth.validate_totp_code(secret, totp.at(now))
        assert auth.validate_totp_code(secret, totp.at(now - 30))
        assert not auth.validate_totp_code(secret, totp.at(now - 60))


@pytest.mark.sign_in_guards
def test_repeated_wrong_passwords_lock_the_account_and_the_page_says_why(
    org: Org, settings: Any
) -> None:
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        r = c.post("/accounts/login/", {"login": "ann", "password": "wrong"})
        assert r.status_code == 200
    r = c.post("/accounts/login/", {"login": "ann", "password": "wrong"})
    assert r.status_code == 429
    text = r.content.decode()
    assert "Signing in is paused" in text and "15 minutes" in text
    # even the right password is refused during the pause, with the same explanation
    r = Client().post("/accounts/login/", {"login": "ann", "password": PASSWORD})
    assert r.status_code == 429 and "Signing in is paused" in r.content.decode()


def test_behind_a_proxy_the_lock_out_counts_the_address_the_proxy_forwarded(
    settings: Any,
) -> None:
    from django.test import RequestFactory

    from grassroots.signin.lockout import client_address

    request = RequestFactory().post(
        "/accounts/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.GRASSROOTS_BEHIND_PROXY = False
    assert client_address(request) == "10.0.0.1"  # a header the client wrote counts for nothing
    settings.GRASSROOTS_BEHIND_PROXY = True
    assert client_address(request) == "203.0.113.9"  # the one the proxy added, not the forged one


def test_without_a_mail_server_invitations_stay_unsent_and_go_at_the_next_run(
    org: Org, settings: Any
) -> None:
    hillford_members(org)
    settings.EMAIL_BACKEND = "grassroots.site.mail.UnconfiguredBackend"
    job = actions.invite_unit(org.hillford, by=None, base_url=BASE)
    job.refresh_from_db()
    assert job.outcome.startswith("Sign-in links sent: 0.")
    assert Invitation.objects.filter(sent_at__isnull=True).count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    job = actions.invite_unit(org.hillford, by=None, base_url=BASE)
    job.refresh_from_db()
    assert job.outcome.startswith("Sign-in links sent: 2.") and len(mail.outbox) == 2


def test_an_administrator_invites_an_open_elections_roll_and_a_branch_secretary_may_not(
    org: Org,
) -> None:
    from tests.elections.conftest import make_election

    hillford_members(org)  # on the roll when voting opens
    e = make_election(org).election
    member_actions.create_member(
        by=None,
        number="H9",
        name="Fay Late",
        email="fay@example.org",
        branch=org.hillford,
        join_date=D(2020, 1, 1),
        status="full",
    )  # joined the register after the roll was frozen: not invited for this election
    assert login(org, "secretary").post(f"/elections/{e.pk}/invite/").status_code == 403
    admin = login(org, "admin")
    assert "Invite the electorate to sign in" in admin.get(f"/elections/{e.pk}/").content.decode()
    assert "2 have an e-mail address" in admin.get(f"/elections/{e.pk}/invite/").content.decode()
    assert admin.post(f"/elections/{e.pk}/invite/").status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["cat@example.org", "dan@example.org"]
    assert AuditEntry.objects.filter(action="invite_members", subject=f"election:{e.pk}").exists()


def test_a_failed_invitation_job_is_retried_and_sends_only_what_it_had_not(org: Org) -> None:
    from grassroots.jobs import actions as jobs

    hillford_members(org)
    job = actions.invite_unit(org.hillford, by=org.users["secretary"], base_url=BASE)
    # as if the worker had died after the first message: the job failed, one row unsent
    Invitation.objects.filter(email="dan@example.org").update(sent_at=None)
    job.refresh_from_db()
    job.state = "failed"
    job.save(update_fields=["state"])
    mail.outbox.clear()
    jobs.retry(job, by=org.users["secretary"])
    job.refresh_from_db()
    assert job.state == "done" and [m.to for m in mail.outbox] == [["dan@example.org"]]
    assert Invitation.objects.filter(sent_at__isnull=True).count() == 0


def test_a_member_signed_in_by_link_may_set_a_password_and_then_log_in_with_it(
    org: Org,
) -> None:
    hillford_members(org)
    actions.request_link("cat@example.org", base_url=BASE)
    c = Client()
    c.post(link_in(mail.outbox[0]))
    assert "Set a password" in c.get("/me/").content.decode()  # optional, offered
    new = "a-long-new-passphrase-7"
    r = c.post("/accounts/password/set/", {"password1": new, "password2": new})
    assert r.status_code == 302
    again = Client()
    r = again.post("/accounts/login/", {"login": "h1", "password": new})
    assert r.status_code == 302
    assert "Change your password" in again.get("/me/").content.decode()
    # the address works in place of the username
    r = Client().post("/accounts/login/", {"login": "cat@example.org", "password": new})
    assert r.status_code == 302


def test_a_member_with_a_login_signs_in_by_a_one_time_code_from_the_login_page(
    org: Org,
) -> None:
    hillford_members(org)
    actions.request_link("cat@example.org", base_url=BASE)
    Client().post(link_in(mail.outbox[0]))  # her login is made; the address proved
    mail.outbox.clear()
    c = Client()
    r = c.post("/accounts/login/code/", {"email": "cat@example.org"})
    assert r.status_code == 302
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", mail.outbox[0].body, re.M)
    assert code, mail.outbox[0].body
    r = c.post("/accounts/login/code/confirm/", {"code": code.group(1)})
    assert r.status_code == 302
    assert "Cat Cole" in c.get("/me/").content.decode()
