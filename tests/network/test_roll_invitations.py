"""People whom only a group's imported list knows: a sign-in link when the primary's voting
opens (or when an organiser asks), once per person; following it makes their account and gives
them their ballot; a used or expired link is refused with a way to a new one; "e-mail me a
sign-in link" reaches them too, with the same answer as for an unknown address."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.elections import actions as elections
from grassroots.elections.voters import voter_for
from grassroots.jobs.models import Job
from grassroots.network.actions import primaries as pa
from grassroots.network.actions import roll_invitations as ri
from grassroots.network.models import Person
from grassroots.signin.models import Invitation
from tests.network.builders import join, network, user
from tests.network.test_primaries import DURING, make_primary
from tests.web.conftest import _fast_passwords as _fast_passwords

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def link_in(message: Any) -> str:
    found = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body)
    assert found, message.body
    return found.group(0).removeprefix(BASE)


def world() -> tuple[Any, Any]:
    """A network whose primary's roll holds two list-only people (Lia in two groups, Max),
    one with an account under her address (Ned) and one whose entry is her account's (Ola)."""
    net = network()
    join(net.groups["Leeds Left"], "Lia Park", "lia@example.org")
    join(net.groups["Women Organise"], "Lia P.", "LIA@example.org")
    join(net.groups["Unite Branch 7"], "Max Orr", "max@example.org")
    join(net.groups["Leeds Left"], "Ned Hale", "ned@example.org")
    user("ned", "ned@example.org")
    join(
        net.groups["Unite Branch 7"], "Ola Berg", "ola@example.org", account=user("ola", "o@x.org")
    )
    p = make_primary(net, constraints={}, backing_threshold={})
    for name in ("Al", "Bea"):  # candidates with accounts: on the roll, not invited
        join(net.groups["Unite Branch 7"], name, f"{name.lower()}@example.org")
        pa.self_nominate(p, by=user(name.lower()), name=name, statement="s", now=DURING)
    return net, p


def since(n: int) -> list[str]:
    """The audit log's entries after the first ``n``, as text."""
    rows = AuditEntry.objects.order_by("pk")[n:]
    return [f"{e.subject} {e.summary} {json.dumps(e.detail)}" for e in rows]


def open_and_invite(net: Any, p: Any, capture: Any) -> None:
    with capture(execute=True):
        pa.open_primary(p, by=net.organiser, base_url=BASE)


def test_opening_voting_sends_one_link_to_each_list_only_person_and_none_twice_on_retry(
    django_capture_on_commit_callbacks: Any,
) -> None:
    net, p = world()
    logged = AuditEntry.objects.count()
    open_and_invite(net, p, django_capture_on_commit_callbacks)
    # Lia once (two groups list her), Max; not Ned (an account has his address) nor Ola
    assert sorted(m.to[0] for m in mail.outbox) == ["lia@example.org", "max@example.org"]
    lia = next(m for m in mail.outbox if m.to == ["lia@example.org"])
    assert "Executive slate" in lia.subject and "Left Network" in lia.subject
    assert "Executive slate" in lia.body and "Left Network" in lia.body
    # nothing about which groups listed her, in the message, the link or the log
    for text in (lia.subject, lia.body, *since(logged)):
        assert not any(g in text for g in net.groups), text
    job = Job.objects.get(kind="network.invite_roll")
    assert job.state == "done" and job.outcome == "Sign-in links sent: 2."
    assert not any(g in job.title + json.dumps(job.params) for g in net.groups)
    # asked again (a retry, the organiser's button): nobody is sent a second link
    again = ri.invite_roll(p, by=net.organiser, base_url=BASE)
    again.refresh_from_db()
    assert len(mail.outbox) == 2
    assert again.outcome == (
        "Sign-in links sent: 0. 2 person(s) already had a link that still works and were not "
        "sent another."
    )


def test_a_list_only_person_follows_the_link_gets_their_ballot_votes_and_checks_the_receipt(
    django_capture_on_commit_callbacks: Any,
) -> None:
    net, p = world()
    open_and_invite(net, p, django_capture_on_commit_callbacks)
    url = link_in(next(m for m in mail.outbox if m.to == ["lia@example.org"]))
    c = Client()
    shown = c.get(url)  # opening it (or a mail scanner) spends nothing and makes nothing
    page = shown.content.decode()
    assert shown.status_code == 200 and "Executive slate" in page and "Left Network" in page
    assert not any(g in page for g in net.groups)
    assert not get_user_model().objects.filter(email="lia@example.org").exists()
    assert c.post(url).status_code == 302
    lia = get_user_model().objects.get(email="lia@example.org")
    assert not lia.has_usable_password()
    # her groups' entries under that address are her account's, the address confirmed
    entries = Person.objects.filter(email__iexact="lia@example.org")
    assert {e.user_id for e in entries} == {lia.pk}
    assert all(e.email_confirmed_at is not None for e in entries)
    card = voter_for(lia, p.election)
    assert card is not None and card.user_id is None  # the voter record stays unlinked
    ballot = c.get(f"/elections/{p.election.pk}/vote/")
    assert ballot.status_code == 200 and "Bea" in ballot.content.decode()
    code = elections.cast(p.election, card, ["Bea", "Al"])
    checked = c.post(
        f"/api/elections/{p.election.pk}/receipt",
        json.dumps({"code": code}),
        content_type="application/json",
    ).json()
    assert checked["ranking"] == ["Bea", "Al"]
    # she is not invited again: she has an account now
    assert not ri.uninvited(p).filter(pk=card.pk).exists()


def test_a_used_or_expired_link_is_refused_with_a_way_to_a_new_one(
    django_capture_on_commit_callbacks: Any,
) -> None:
    net, p = world()
    open_and_invite(net, p, django_capture_on_commit_callbacks)
    lia_url = link_in(next(m for m in mail.outbox if m.to == ["lia@example.org"]))
    max_url = link_in(next(m for m in mail.outbox if m.to == ["max@example.org"]))
    assert Client().post(lia_url).status_code == 302
    used = Client().post(lia_url)
    assert used.status_code == 410 and "already been used" in used.content.decode()
    assert 'action="/accounts/link/"' in used.content.decode()  # ask for a new link there
    Invitation.objects.filter(email="max@example.org").update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = Client().get(max_url)
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert 'action="/accounts/link/"' in expired.content.decode()
    assert not get_user_model().objects.filter(email="max@example.org").exists()
    # the new link asked for there works
    mail.outbox.clear()
    Client().post("/accounts/link/", {"email": "max@example.org"})
    assert [m.to for m in mail.outbox] == [["max@example.org"]]
    assert Client().post(link_in(mail.outbox[0])).status_code == 302
    assert voter_for(get_user_model().objects.get(email="max@example.org"), p.election)


def test_e_mail_me_a_link_reaches_a_list_only_address_and_answers_an_unknown_one_alike(
    django_capture_on_commit_callbacks: Any,
) -> None:
    net, p = world()
    before = Client().post("/accounts/link/", {"email": "max@example.org"})
    assert before.status_code == 200 and mail.outbox == []  # not voting yet: nothing to vote
    pa.open_primary(p, by=net.organiser)  # no links sent at the opening here
    known = Client().post("/accounts/link/", {"email": "Max@Example.org"})
    assert [m.to for m in mail.outbox] == [["max@example.org"]]
    assert "Executive slate" in mail.outbox[0].body
    unknown = Client().post("/accounts/link/", {"email": "nobody@example.org"})
    assert len(mail.outbox) == 1
    assert known.status_code == unknown.status_code == 200

    def answer(r: Any, address: str) -> str:
        body = r.content.decode().replace(address, "ADDRESS")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)

    assert answer(known, "max@example.org") == answer(unknown, "nobody@example.org")
    c = Client()
    assert c.post(link_in(mail.outbox[0])).status_code == 302
    max_ = get_user_model().objects.get(email="max@example.org")
    assert voter_for(max_, p.election) is not None
    # asked again once signed up, the link finds the account rather than making another
    mail.outbox.clear()
    Client().post("/accounts/link/", {"email": "max@example.org"})
    assert Client().post(link_in(mail.outbox[0])).status_code == 302
    assert get_user_model().objects.filter(email__iexact="max@example.org").count() == 1


def test_an_organiser_sees_how_many_will_be_written_to_and_confirms(
    django_capture_on_commit_callbacks: Any,
) -> None:
    net, p = world()
    pa.open_primary(p, by=net.organiser)
    address = f"/networks/left/primaries/{p.pk}/invite/"
    org = Client()
    org.force_login(net.organiser)
    assert (
        "Invite everyone on the roll"
        in org.get(f"/networks/left/primaries/{p.pk}/").content.decode()
    )
    page = org.get(address).content.decode()
    assert "2 people on the roll have an e-mail address" in page
    assert "Send 2 sign-in links" in page and mail.outbox == []
    admin = Client()
    admin.force_login(net.admins["Leeds Left"])
    assert admin.get(address).status_code == 403 and admin.post(address).status_code == 403
    assert mail.outbox == []
    assert org.post(address).status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["lia@example.org", "max@example.org"]
    assert "Send 0 sign-in links" in org.get(address).content.decode()


def test_no_links_go_to_a_primary_that_is_not_voting() -> None:
    net, p = world()
    with pytest.raises(pa.NetworkRefused, match="only while it is voting"):
        ri.invite_roll(p, by=net.organiser, base_url=BASE)
    org = Client()
    org.force_login(net.organiser)
    r = org.post(f"/networks/left/primaries/{p.pk}/invite/")
    assert r.status_code == 400 and "only while it is voting" in r.content.decode()
    assert mail.outbox == []


def test_a_mail_out_to_the_roll_that_stopped_half_way_is_finished_and_sends_nobody_twice(
    django_capture_on_commit_callbacks: Any,
) -> None:
    net, p = world()
    open_and_invite(net, p, django_capture_on_commit_callbacks)
    # as if the run had stopped before Max's message went out
    Invitation.objects.filter(email="max@example.org").update(sent_at=None)
    mail.outbox.clear()
    job = ri.invite_roll(p, by=net.organiser, base_url=BASE)
    job.refresh_from_db()
    assert [m.to for m in mail.outbox] == [["max@example.org"]]
    assert job.outcome == (
        "Sign-in links sent: 1. 1 person(s) already had a link that still works and were not "
        "sent another."
    )
    assert Invitation.objects.filter(email="max@example.org").count() == 1
