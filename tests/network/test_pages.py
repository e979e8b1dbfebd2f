"""The groups' and primaries' pages: who sees what (an admin their own list only, organisers
counts only), bad input answered in words with nothing stored, sign-ups confirmed by the
e-mailed link, and the primary's published page saying how the slate was chosen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from grassroots.network.models import GroupMembership, Person, Primary
from tests.network.builders import PASSWORD, join, network, user
from tests.network.test_primaries import DURING, make_primary
from tests.web.conftest import _fast_passwords as _fast_passwords

pytestmark = pytest.mark.django_db


def client_for(u: Any) -> Client:
    c = Client()
    assert c.login(username=u.username, password=PASSWORD)
    return c


def test_a_group_admin_sees_their_list_and_is_refused_another_group_s() -> None:
    net = network()
    join(net.groups["Leeds Left"], "Ann Leeds", "ann@example.org")
    join(net.groups["Unite Branch 7"], "Bob Unite", "bob@example.org")
    c = client_for(net.admins["Leeds Left"])
    own = c.get(reverse("network:group_members", args=["left", "leeds-left"]))
    assert own.status_code == 200 and "Ann Leeds" in own.text and "Bob Unite" not in own.text
    assert "ann@example.org" not in own.text  # contact details are the directory's, by consent
    other = c.get(reverse("network:group_members", args=["left", "unite-branch-7"]))
    assert other.status_code == 403 and "Bob Unite" not in other.text


def test_an_organiser_sees_counts_and_no_names() -> None:
    net = network()
    join(net.groups["Leeds Left"], "Ann Leeds", "ann@example.org")
    join(net.groups["Leeds Left"], "Cy Leeds", "cy@example.org")
    c = client_for(net.organiser)
    page = c.get(reverse("network:organise", args=["left"]))
    assert page.status_code == 200
    assert "Ann Leeds" not in page.text and "Cy Leeds" not in page.text
    assert re.search(r"Leeds Left</th><td[^>]*>Local group</td><td[^>]*>2</td>", page.text)
    assert c.get(reverse("network:group_members", args=["left", "leeds-left"])).status_code == 403
    assert (
        client_for(net.admins["Leeds Left"])
        .get(reverse("network:organise", args=["left"]))
        .status_code
        == 403
    )


def test_a_csv_with_bad_rows_is_refused_on_the_page_naming_each_row_and_stores_nothing() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    net = network()
    c = client_for(net.admins["Leeds Left"])
    url = reverse("network:group_import", args=["left", "leeds-left"])
    bad = SimpleUploadedFile("list.csv", b"name,email\nAnn,ann@example.org\nBob,bob@\n")
    page = c.post(url, {"file": bad})
    assert page.status_code == 400
    assert "Nothing was imported" in page.text and "Row 3, column email" in page.text
    assert not Person.objects.exists()
    binary = SimpleUploadedFile("list.csv", b"\xff\xfe\x00garbage")
    refused = c.post(url, {"file": binary})
    assert "The file is not UTF-8 text" in refused.text and "CSV UTF-8" in refused.text
    assert not Person.objects.exists()
    good = SimpleUploadedFile("list.csv", b"name,email\nAnn,ann@example.org\n")
    assert c.post(url, {"file": good}).status_code == 302
    assert GroupMembership.objects.filter(group=net.groups["Leeds Left"]).count() == 1


def test_signing_up_sends_a_link_and_the_membership_counts_once_it_is_confirmed() -> None:
    network()
    c = Client()
    url = reverse("network:group_join", args=["left", "women-organise"])
    page = c.post(url, {"name": "Fay", "email": "fay@example.org"})
    assert "Check your e-mail" in page.text
    (message,) = mail.outbox
    link = next(w for w in message.body.split() if "/join/" in w)
    m = GroupMembership.objects.get()
    assert not m.confirmed
    path = link.split("testserver", 1)[1]
    assert c.get(path).status_code == 200 and not GroupMembership.objects.get().confirmed
    c.post(path)
    assert GroupMembership.objects.get().confirmed
    assert c.post(path[:-3] + "xyz/").status_code == 400


def test_the_primary_page_publishes_candidates_hustings_and_never_the_key() -> None:
    from grassroots.network.actions import primaries as pa

    net = network()
    join(net.groups["Leeds Left"], "Ida", "ida@example.org")
    p: Primary = make_primary(net)
    ida = user("ida")
    cand = pa.self_nominate(p, by=ida, name="Ida", statement="Homes for all", now=DURING)
    theme = pa.start_theme(p, "Housing", by=net.organiser)
    pa.answer_theme(cand, theme, "Build council homes", by=ida)
    page = Client().get(reverse("network:primary", args=["left", p.pk]))
    assert page.status_code == 200
    for text in ("Ida", "Homes for all", "Housing", "Build council homes", "2 groups backing"):
        assert text in page.text
    assert bytes(p.key).hex() not in page.text


def test_an_organiser_step_is_confirmed_on_its_own_page_and_refusals_are_in_words() -> None:
    net = network()
    p = make_primary(net, constraints={})
    c = client_for(net.organiser)
    url = reverse("network:primary_step", args=["left", p.pk, "open"])
    page = c.get(url)
    assert page.status_code == 200 and "each person once" in page.text
    refused = c.post(url)
    assert refused.status_code == 400 and "Not done:" in refused.text
    assert Primary.objects.get().election.state == "draft"
    assert client_for(net.admins["Leeds Left"]).post(url).status_code == 403


def test_a_group_admin_adds_another_admin_who_then_reads_the_list() -> None:
    net = network()
    join(net.groups["Leeds Left"], "Ann Leeds", "ann@example.org")
    kay = user("kay")
    url = reverse("network:group_members", args=["left", "leeds-left"])
    assert client_for(kay).get(url).status_code == 403
    add = reverse("network:group_add_admin", args=["left", "leeds-left"])
    assert client_for(kay).post(add, {"username": "kay"}).status_code == 403
    c = client_for(net.admins["Leeds Left"])
    page = c.post(add, {"username": "nobody-here"}, follow=True)
    assert "Nobody has the username" in page.text
    c.post(add, {"username": "kay"})
    assert "Ann Leeds" in client_for(kay).get(url).text


def test_a_voter_who_does_not_tick_the_declaration_is_told_and_gets_no_ballot() -> None:
    from grassroots.network.actions import primaries as pa

    net = network()
    join(net.groups["Leeds Left"], "Dee", "dee@example.org")
    dee = user("dee", "dee@example.org")
    p = make_primary(net, constraints={}, backing_threshold={}, requires_party_membership=True)
    pa.self_nominate(p, by=dee, name="Dee", statement="s", now=DURING)
    pa.open_primary(p, by=net.organiser)
    url = reverse("network:primary_vote", args=["left", p.pk])
    c = client_for(dee)
    page = c.post(url, {})
    assert page.status_code == 400 and "Tick the declaration" in page.text
    assert c.get(reverse("elections:vote", args=[p.election_id])).status_code == 302
    assert c.post(url, {"declare": "yes"}).url == reverse("elections:vote", args=[p.election_id])
    assert c.get(reverse("elections:vote", args=[p.election_id])).status_code == 200
