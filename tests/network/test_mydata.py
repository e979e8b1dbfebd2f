"""A person downloads everything held about them and erases themselves from the network."""

from __future__ import annotations

import csv
import io
import json
from unittest import mock

import pytest
from django.db import models
from django.test import Client

from grassroots.audit.models import AuditEntry
from grassroots.network.actions import directory
from grassroots.network.actions.mydata import erase_me, my_data
from grassroots.network.models import (
    Consent,
    ContactMessage,
    Erasure,
    GroupMembership,
    Person,
)
from tests.network.directory_world import ALICE, BOB, PASSWORD, World, build
from tests.network.directory_world import _quick_and_private as _quick_and_private

pytestmark = pytest.mark.django_db


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
    c = directory.give_consent(
        by=world.alice_user,
        network=world.net,
        group=None,
        fields=["phone"],
        purpose="events",
        text_version="1",
    )
    directory.revoke_consent(c, by=world.alice_user)
    ContactMessage.objects.create(
        group=world.c,
        sender_name="Alice",
        sender_email=ALICE["email"].upper(),
        body="Hi",
        sender_key="k",
    )
    return world


def alice(w: World) -> Client:
    c = Client()
    c.login(username="alice", password=PASSWORD)
    return c


def test_the_json_download_holds_entries_memberships_consent_history_and_messages(
    w: World,
) -> None:
    r = alice(w).get("/networks/left/my-data/download.json")
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    data = json.loads(r.content)
    (entry,) = data["entries"]
    assert (entry["email"], entry["phone"], entry["postcode"]) == (
        ALICE["email"],
        ALICE["phone"],
        ALICE["postcode"],
    )
    assert sorted(m["group"] for m in entry["memberships"]) == [
        "Hillford Tenants",
        "Unite Hillford Branch",
    ]
    assert len(data["consents"]) == 2
    withdrawn = [c for c in data["consents"] if c["withdrawn_at"]]
    assert withdrawn[0]["group"] == "every group in the network"
    assert withdrawn[0]["consent_text"].startswith("I agree")
    assert data["messages_sent_to_groups"][0]["group"] == "Climate Hillford"
    assert BOB["email"] not in r.content.decode()


def test_the_csv_download_is_one_file_with_the_same_values(w: World) -> None:
    r = alice(w).get("/networks/left/my-data/download.csv")
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0] == ["section", "item", "field", "value"]
    values = {row[3] for row in rows[1:]}
    assert ALICE["email"] in values and "Hillford Tenants" in values
    assert "'" + "+447" not in values


def test_someone_the_network_holds_nothing_about_has_no_data_page(w: World) -> None:
    c = Client()
    c.login(username="outsider", password=PASSWORD)
    assert c.get("/networks/left/my-data/").status_code == 403
    assert c.get("/networks/left/my-data/download.json").status_code == 403


def test_erasure_needs_the_word_typed_and_then_removes_consents_memberships_and_details(
    w: World,
) -> None:
    c = alice(w)
    page = c.get("/networks/left/my-data/").content.decode()
    assert "What is kept, and why" in page and "audit log" in page
    r = c.post("/networks/left/my-data/", {"confirm": "yes please"})
    assert r.status_code == 400 and "Type ERASE" in r.content.decode()
    assert Consent.objects.filter(person=w.alice).count() == 2
    r = c.post("/networks/left/my-data/", {"confirm": "ERASE"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "You are erased" in text and "Kept, and why" in text
    assert not Person.objects.filter(pk=w.alice.pk).exists()
    assert not Consent.objects.filter(person_id=w.alice.pk).exists()
    assert not GroupMembership.objects.filter(person_id=w.alice.pk).exists()
    assert not ContactMessage.objects.filter(sender_email__iexact=ALICE["email"]).exists()
    (erasure,) = Erasure.objects.all()
    assert erasure.removed["consents"] == 2 and erasure.removed["memberships"] == 2
    # Bob is untouched; the audit log keeps entries that name no detail of Alice's
    assert GroupMembership.objects.filter(person=w.bob).count() == 1
    for e in AuditEntry.objects.all():
        for value in ALICE.values():
            assert value not in f"{e.summary} {e.detail} {e.reason}"
    assert c.get("/networks/left/my-data/").status_code == 403


def test_an_entry_a_published_count_needs_is_kept_anonymised_saying_why(w: World) -> None:
    """An entry that something published refers to (a primary's roll protects it from deletion)
    is kept without its name, contact details or account, and the erasure says what kept it."""
    real_delete = models.QuerySet.delete

    def delete(qs: models.QuerySet, *a: object, **k: object) -> tuple[int, dict[str, int]]:
        if qs.model is Person:
            raise models.ProtectedError("held by a published count", {w.net})
        return real_delete(qs, *a, **k)

    with mock.patch.object(models.QuerySet, "delete", delete):
        erasure = erase_me(w.alice_user, w.net, confirm="ERASE")
    p = Person.objects.get(pk=w.alice.pk)
    assert (p.name, p.email, p.phone, p.postcode, p.user_id) == ("(erased)", "", "", "", None)
    assert any("published count" in why and "network" in why for _what, why in erasure.kept)
    assert not Consent.objects.filter(person_id=w.alice.pk).exists()


def test_erasing_someone_on_a_primarys_roll_keeps_the_roll_and_its_size_without_them() -> None:
    from grassroots.elections.models import RollEntry
    from grassroots.network.actions import primaries as pa
    from grassroots.network.models import PrimaryEntry
    from tests.network.builders import DAY, NOW, join, network, user
    from tests.network.test_primaries import make_primary

    net = network()
    leeds, unite = net.groups["Leeds Left"], net.groups["Unite Branch 7"]
    ann = user("ann", "ann@example.org")
    mine = join(leeds, "Ann Ash", "ann@example.org", account=ann)
    Person.objects.filter(pk=mine.pk).update(email_confirmed_at=NOW)
    join(unite, "Ann A.", "ANN@example.org")  # the union's own list names her too
    join(leeds, "Bob", "bob@example.org")
    p = make_primary(net, constraints={})
    for name in ("Cy", "Di"):
        account = user(name.lower())
        join(leeds, name, f"{name.lower()}@example.org", account=account)
        cand = pa.self_nominate(
            p, by=account, name=name, statement="Vote for me", now=NOW - 5 * DAY
        )
        for g in (leeds, unite):
            pa.back_candidate(cand, g, by=net.admins[g.name], now=NOW - 5 * DAY)
    pa.open_primary(p, by=net.organiser)
    p.refresh_from_db()
    size = p.election.roll_size
    card = PrimaryEntry.objects.filter(person__user=ann).first().card
    assert card.name == "Ann Ash" or card.email == "ann@example.org"

    held = my_data(ann, net.network)["primaries"]
    assert sorted(r["listed_by"] for r in held if r["record"] == "on the roll") == [
        "Leeds Left",
        "Unite Branch 7",
    ]
    erasure = erase_me(ann, net.network, confirm="ERASE")
    card.refresh_from_db()
    assert (card.name, card.email, card.user_id) == ("(erased)", "", None)
    assert RollEntry.objects.filter(election=p.election).count() == size
    assert not PrimaryEntry.objects.filter(person__email__iexact="ann@example.org").exists()
    assert PrimaryEntry.objects.filter(card=card, person__isnull=True).count() == 2  # both lists
    assert not Person.objects.filter(email__iexact="ann@example.org").exists()
    assert any("voter record on the roll of" in what for what, _why in erasure.kept)
