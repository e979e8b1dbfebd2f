"""The directory: consents given and withdrawn by their person only, what a group's admin sees
and exports (consented fields only), and refusals in words."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from grassroots.audit.models import AuditEntry
from grassroots.network.actions import directory
from grassroots.network.actions.access import ActionRefused
from grassroots.network.models import Consent
from tests.network.directory_world import ALICE, BOB, PASSWORD, World, build
from tests.network.directory_world import _quick_and_private as _quick_and_private

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build()


def client_for(user: object) -> Client:
    c = Client()
    c.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return c


def share(w: World, group: object, fields: list[str], purpose: str = "news") -> Consent:
    return directory.give_consent(
        by=w.alice_user,
        network=w.net,
        group=group,  # type: ignore[arg-type]
        fields=fields,
        purpose=purpose,
        text_version="1",
    )


def test_a_person_shares_their_email_with_one_group_on_the_consent_page_and_it_is_recorded(
    w: World,
) -> None:
    c = client_for(w.alice_user)
    page = c.get("/networks/left/consent/")
    assert page.status_code == 200
    assert "You share nothing with any group" in page.content.decode()
    r = c.post(
        "/networks/left/consent/",
        {"group": str(w.a.pk), "details": ["email"], "purpose": "news", "text_version": "1"},
    )
    assert r.status_code == 302
    (consent,) = Consent.objects.filter(person=w.alice)
    assert (consent.group, consent.fields, consent.purpose) == (w.a, ["email"], "news")
    assert (consent.text_version, consent.given_how, consent.revoked_at) == ("1", "web", None)
    assert AuditEntry.objects.filter(action="network.consent.give").count() == 1


def test_a_consent_form_post_for_another_person_is_refused_and_records_nothing(w: World) -> None:
    c = client_for(w.alice_user)
    r = c.post(
        "/networks/left/consent/",
        {
            "group": str(w.a.pk),
            "details": ["email", "phone"],
            "purpose": "news",
            "text_version": "1",
            "person": str(w.bob.pk),
        },
    )
    assert r.status_code == 400
    assert "only for yourself" in r.content.decode()
    assert not Consent.objects.exists()


def test_someone_with_no_entry_in_the_network_cannot_give_consent(w: World) -> None:
    r = client_for(w.outsider).get("/networks/left/consent/")
    assert r.status_code == 403
    with pytest.raises(ActionRefused, match="not one of the people"):
        directory.give_consent(
            by=w.outsider,
            network=w.net,
            group=w.a,
            fields=["email"],
            purpose="news",
            text_version="1",
        )


def test_withdrawing_a_consent_keeps_it_in_the_history_and_the_group_sees_nothing_after(
    w: World,
) -> None:
    consent = share(w, w.a, ["email", "phone"])
    shown = directory.contact_details(by=w.admin_a, group=w.a, purpose="news")
    assert [(p.name, p.shown) for p in shown] == [
        ("Alice Ash", {"email": ALICE["email"], "phone": ALICE["phone"]})
    ]
    c = client_for(w.alice_user)
    assert c.post(f"/networks/left/consent/{consent.pk}/withdraw/").status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None and consent.revoked_how == "web"
    assert directory.contact_details(by=w.admin_a, group=w.a, purpose="news") == []
    page = c.get("/networks/left/consent/").content.decode()
    assert "History" in page and "Hillford Tenants" in page.split("History")[1]


def test_a_person_cannot_withdraw_another_persons_consent(w: World) -> None:
    consent = share(w, w.a, ["email"])
    r = client_for(w.bob_user).post(f"/networks/left/consent/{consent.pk}/withdraw/")
    assert r.status_code in (403, 404)
    consent.refresh_from_db()
    assert consent.revoked_at is None


def test_a_new_choice_for_the_same_group_and_purpose_replaces_the_old_one(w: World) -> None:
    first = share(w, w.a, ["email"])
    second = share(w, w.a, ["phone"])
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    shown = directory.contact_details(by=w.admin_a, group=w.a, purpose="news")
    assert shown[0].shown == {"phone": ALICE["phone"]}


def test_a_group_admin_sees_only_what_was_shared_with_their_group_for_the_purpose(
    w: World,
) -> None:
    share(w, w.b, ["email"])  # with the union branch only
    page_a = client_for(w.admin_a).get("/networks/left/directory/hillford-tenants/shared/")
    assert page_a.status_code == 200
    body_a = page_a.content.decode()
    for value in (*ALICE.values(), *BOB.values()):
        assert value not in body_a
    page_b = client_for(w.admin_b).get("/networks/left/directory/unite-hillford/shared/")
    body_b = page_b.content.decode()
    assert ALICE["email"] in body_b and ALICE["phone"] not in body_b
    events = client_for(w.admin_b).get(
        "/networks/left/directory/unite-hillford/shared/?purpose=events"
    )
    assert ALICE["email"] not in events.content.decode()


def test_a_consent_for_every_group_reaches_a_group_the_person_is_not_in(w: World) -> None:
    share(w, None, ["postcode_area"], "organising")
    (p,) = directory.contact_details(by=w.admin_a, group=w.a, purpose="organising")
    assert p.shown == {"postcode_area": "LS6"}  # the area, never the full postcode
    assert directory.contact_details(by=w.admin_a, group=w.a, purpose="news") == []


@pytest.mark.parametrize("who", ["organiser", "admin_b", "alice_user", "outsider"])
def test_only_the_groups_admins_read_what_was_shared_with_it(w: World, who: str) -> None:
    share(w, w.a, ["email"])
    r = client_for(getattr(w, who)).get("/networks/left/directory/hillford-tenants/shared/")
    assert r.status_code == 403
    assert ALICE["email"] not in r.content.decode()
    with pytest.raises(ActionRefused):
        directory.contact_details(by=getattr(w, who), group=w.a, purpose="news")


def test_an_export_holds_only_consented_fields_and_one_beyond_consent_is_refused(
    w: World,
) -> None:
    share(w, w.a, ["email"])
    c = client_for(w.admin_a)
    url = "/networks/left/directory/hillford-tenants/shared/"
    refused = c.post(url, {"purpose": "news", "wanted": ["email", "phone"]})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Nobody has agreed to share their phone number with Hillford Tenants" in text
    assert "beyond their consent" in text
    assert AuditEntry.objects.filter(action="network.directory.export_refused").count() == 1
    ok = c.post(url, {"purpose": "news", "wanted": ["email"]})
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(ok.content.decode())))
    assert rows == [["E-mail address"], [ALICE["email"]]]
    assert BOB["email"] not in ok.content.decode()


def test_an_export_request_naming_no_real_field_or_purpose_is_refused_in_words(w: World) -> None:
    c = client_for(w.admin_a)
    url = "/networks/left/directory/hillford-tenants/shared/"
    r = c.post(url, {"purpose": "selling", "wanted": ["home_address"]})
    assert r.status_code == 400
    assert "not one of the available choices" in r.content.decode()
    with pytest.raises(directory.ExportRefused, match="not a contact field"):
        directory.export_contacts(by=w.admin_a, group=w.a, purpose="news", wanted=["address"])


def test_each_sight_of_shared_details_is_in_the_audit_log_naming_no_detail(w: World) -> None:
    share(w, w.a, ["email"])
    client_for(w.admin_a).get("/networks/left/directory/hillford-tenants/shared/")
    (e,) = AuditEntry.objects.filter(action="network.directory.view")
    assert e.actor_id == w.admin_a.pk
    assert "1 person shared" in e.summary and ALICE["email"] not in e.summary
