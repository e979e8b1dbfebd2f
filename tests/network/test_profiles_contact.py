"""Groups' public profiles and their contact form: a message reaches the group's contact by
the job queue without either address shown, one sender is limited, bad input is refused."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from grassroots.network.actions import contact
from grassroots.network.models import ContactMessage, GroupProfile
from tests.network.directory_world import PASSWORD, World, build
from tests.network.directory_world import _quick_and_private as _quick_and_private

pytestmark = pytest.mark.django_db

URL = "/networks/left/directory/hillford-tenants/"


@pytest.fixture
def w() -> World:
    world = build()
    GroupProfile.objects.create(
        group=world.a,
        about="Tenants organising for repairs.",
        issues="Repairs\nRents",
        meeting_times="Second Tuesday, 7pm, Hillford library",
    )
    return world


def post(c: Client, **data: str) -> object:
    values = {"sender_name": "Sam Reader", "sender_email": "sam@example.net", "body": "Hello!"}
    values.update(data)
    return c.post(URL, values, REMOTE_ADDR="203.0.113.7")


def test_the_public_profile_shows_area_issues_and_meeting_times_but_no_address(w: World) -> None:
    r = Client().get(URL)
    assert r.status_code == 200
    page = r.content.decode()
    for words in ("Hillford", "Repairs", "Rents", "Second Tuesday, 7pm, Hillford library"):
        assert words in page
    assert w.a.contact not in page
    directory = Client().get("/networks/left/directory/").content.decode()
    assert "Hillford Tenants" in directory and "Climate Hillford" in directory
    assert w.a.contact not in directory


def test_a_message_is_relayed_to_the_groups_contact_with_the_sender_to_reply_to(w: World) -> None:
    r = post(Client(), body="Can I join your next meeting?")
    assert r.status_code == 302
    (m,) = mail.outbox
    assert m.to == [w.a.contact]
    assert m.reply_to == ["sam@example.net"]
    assert "Can I join your next meeting?" in m.body
    (row,) = ContactMessage.objects.all()
    assert row.sent_at is not None
    assert row.sender_key != "203.0.113.7" and "203.0.113.7" not in row.sender_key
    after = Client().get(URL).content.decode()
    assert w.a.contact not in after


def test_one_sender_is_limited_to_a_few_messages_an_hour(w: World) -> None:
    c = Client()
    for _ in range(contact.PER_SENDER_HOUR):
        assert post(c).status_code == 302
    r = post(c)
    assert r.status_code == 400
    assert "please wait an hour" in r.content.decode()
    assert len(mail.outbox) == contact.PER_SENDER_HOUR
    # another sender is not held back by the first
    other = Client().post(
        URL,
        {"sender_name": "Jo", "sender_email": "jo@example.net", "body": "Hi"},
        REMOTE_ADDR="198.51.100.4",
    )
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"sender_email": "not an address"}, "Enter a valid email address"),
        ({"sender_name": "   "}, "This field is required"),
        ({"body": "x" * (contact.MAX_BODY + 1)}, "at most 5000 characters"),
        ({"sender_email": "sam@example.net\nBcc: everyone@example.org"}, "Enter a valid email"),
    ],
)
def test_bad_input_on_the_contact_form_is_refused_in_words_and_nothing_is_sent(
    w: World, data: dict[str, str], words: str
) -> None:
    r = post(Client(), **data)
    assert r.status_code == 400
    assert words in r.content.decode()
    assert mail.outbox == [] and not ContactMessage.objects.exists()


def test_a_group_not_affiliated_has_no_public_profile(w: World) -> None:
    w.c.status = "applied"
    w.c.save()
    assert Client().get("/networks/left/directory/climate-hillford/").status_code == 404


def test_only_the_groups_admin_changes_its_profile(w: World) -> None:
    url = URL + "edit/"
    for user in (w.admin_b, w.organiser, w.alice_user):
        c = Client()
        c.login(username=user.username, password=PASSWORD)
        assert c.post(url, {"about": "hijacked"}).status_code == 403
    c = Client()
    c.login(username=w.admin_a.username, password=PASSWORD)
    r = c.post(url, {"about": "New words", "issues": "Repairs", "meeting_times": "Mondays"})
    assert r.status_code == 302
    assert GroupProfile.objects.get(group=w.a).about == "New words"
