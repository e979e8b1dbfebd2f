"""The server errors the crawl (test_crawl.py) found, each pinned by a direct test."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.members import actions
from grassroots.members.identifiers import row_id
from grassroots.members.models import Unit
from tests.web.conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


def login(who: str) -> Client:
    c = Client(raise_request_exception=False)
    assert c.login(username=who, password=PASSWORD)
    return c


@pytest.mark.parametrize("text", ["7", "0", "123456789012345678"])
def test_a_plain_number_is_a_record_id(text: str) -> None:
    assert row_id(text) == int(text)


@pytest.mark.parametrize("text", ["", " 7", "٧", "7_0", "²", "-1", "1234567890123456789", "7\x00"])
def test_anything_else_is_no_record_id(text: str) -> None:
    assert row_id(text) is None


@pytest.mark.parametrize(
    "url",
    [
        f"/elections/{HUGE}/",
        f"/elections/{HUGE}/candidates/1/photo.jpg",
        f"/elections/1/candidates/{HUGE}/photo.jpg",
        f"/api/elections/{HUGE}",
        f"/occasions/{HUGE}/",
        f"/meetings/{HUGE}/",
        f"/meetings/1/papers/{HUGE}/",
    ],
)
def test_an_id_too_long_for_the_database_is_not_found(org: Org, url: str) -> None:
    assert login("admin").get(url).status_code == 404


@pytest.mark.parametrize("value", ["x", "²", "1.0", HUGE])
def test_revoking_a_role_named_by_a_malformed_id_is_not_found(org: Org, value: str) -> None:
    r = login("admin").post(reverse("members:roles", args=["national"]), {"revoke": value})
    assert r.status_code == 404


def test_a_unit_name_with_a_line_break_is_refused_and_a_stored_one_keeps_the_calendar_whole(
    org: Org,
) -> None:
    c = login("admin")
    r = c.post(reverse("members:unit_edit", args=["hillford"]), {"name": "Hill\r\nford"})
    assert r.status_code == 200 and "must be one line" in r.content.decode()
    Unit.objects.filter(code="hillford").update(name="Hill\r\nford\nX-EVIL: 1")
    r = Client().get("/units/hillford/meetings.ics")
    assert r.status_code == 200
    text = r.content.decode()
    assert "X-WR-CALNAME:Hill ford X-EVIL: 1 meetings\r\n" in text
    assert "\nX-EVIL" not in text


def test_a_receipt_copy_to_an_address_with_a_line_break_is_refused_in_words(
    org: Org, mailoutbox: list
) -> None:
    from grassroots.elections import actions as election_actions
    from grassroots.elections import receipts
    from tests.elections.conftest import make_election

    e = make_election(org).election
    ann = org.ann
    code = election_actions.cast(e, ann, ["Alice Able"], token=receipts.new_token())
    ann.email = "ann@example.org\nBcc: everyone@example.net"
    ann.save()
    with pytest.raises(election_actions.ActionRefused, match="cannot be used"):
        election_actions.email_receipt(e, ann, code)
    assert mailoutbox == []


@pytest.mark.parametrize("name", ["N" * 201, "Hill\nford"])
def test_the_unit_actions_refuse_a_name_no_form_would_take(org: Org, name: str) -> None:
    with pytest.raises(actions.ActionRefused, match="name"):
        actions.rename_unit(org.hillford, name=name, by=None)
    with pytest.raises(actions.ActionRefused, match="name"):
        actions.create_unit(kind="ward", code="w9", name=name, parent=org.hillford, by=None)


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/units/national/", {"q": "Ann\x00"}),
        ("get", "/units/national/", {"q\x00": "x"}),
        ("post", "/units/hillford/rename/", {"name": "Hill\x00ford"}),
        ("post", "/accounts/login/", {"username": "admin\x00", "password": "x"}),
    ],
)
def test_a_nul_character_in_a_query_or_form_field_is_refused_not_a_database_error(
    org: Org, method: str, url: str, data: dict[str, str]
) -> None:
    """PostgreSQL refuses NUL in any text: without this, each was a server error there."""
    r = getattr(login("admin"), method)(url, data)
    assert r.status_code == 400
    assert "NUL character" in r.content.decode()
    assert Unit.objects.get(code="hillford").name == "Hillford"


def test_a_form_posted_to_the_json_api_is_refused_in_json_not_a_server_error(org: Org) -> None:
    from tests.elections.conftest import make_election

    e = make_election(org).election
    r = Client(raise_request_exception=False).post(f"/api/elections/{e.pk}/receipt", {"code": "١٢"})
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")


def test_the_two_factor_pages_render_for_a_member(org: Org) -> None:
    r = login("ann").get("/accounts/2fa/webauthn/")
    assert r.status_code < 500


def test_inviting_an_elections_electorate_before_voting_lists_those_its_rules_admit(
    org: Org,
) -> None:
    from grassroots.signin.actions import invitees_of_election
    from tests.elections.conftest import make_election

    org.bob.email = "bob@example.org"
    org.bob.save()
    e = make_election(org, open_voting=False).election
    assert [m.number for m in invitees_of_election(e)] == ["M2"]
