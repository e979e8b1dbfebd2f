"""Gatherings: organisers set them up (or hold one as a meeting with its record), the
network's people register, the join link is theirs alone, reminders go out once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from grassroots.network.actions import gatherings
from grassroots.network.actions.access import ActionRefused
from grassroots.network.models import Gathering, Registration
from tests.network.directory_world import BOB, PASSWORD, World, build
from tests.network.directory_world import _quick_and_private as _quick_and_private

pytestmark = pytest.mark.django_db

JOIN = "https://video.example.org/national-gathering"


@pytest.fixture
def w() -> World:
    return build()


def as_user(user: object) -> Client:
    c = Client()
    c.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return c


def soon(days: int = 7) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def gathering(w: World, **kw: object) -> Gathering:
    values: dict[str, object] = {
        "title": "National gathering",
        "starts_at": soon(),
        "join_url": JOIN,
    }
    values.update(kw)
    return gatherings.create_gathering(w.net, by=w.organiser, **values)  # type: ignore[arg-type]


def test_an_organiser_sets_up_a_gathering_from_the_form(w: World) -> None:
    day = soon(10).astimezone(dt.UTC)
    r = as_user(w.organiser).post(
        "/networks/left/gatherings/new/",
        {
            "title": "Spring assembly",
            "date": day.strftime("%d/%m/%Y"),
            "time": "18:30",
            "place": "Hillford Hall",
            "join_url": JOIN,
            "capacity": "100",
        },
    )
    assert r.status_code == 302, r.content.decode()
    g = Gathering.objects.get(title="Spring assembly")
    assert (g.place, g.join_url, g.capacity) == ("Hillford Hall", JOIN, 100)
    assert g.local_start().strftime("%H:%M") == "18:30"


@pytest.mark.parametrize("who", ["admin_a", "alice_user", "outsider"])
def test_only_organisers_set_up_gatherings(w: World, who: str) -> None:
    r = as_user(getattr(w, who)).get("/networks/left/gatherings/new/")
    assert r.status_code == 403
    with pytest.raises(ActionRefused, match="organisers"):
        gatherings.create_gathering(
            w.net, by=getattr(w, who), title="x", starts_at=soon(), place="here"
        )


def test_the_join_link_is_shown_only_to_those_registered(w: World) -> None:
    g = gathering(w)
    url = f"/networks/left/gatherings/{g.pk}/"
    assert JOIN not in Client().get(url).content.decode()
    alice = as_user(w.alice_user)
    assert JOIN not in alice.get(url).content.decode()
    assert alice.post(url + "register/").status_code == 302
    assert JOIN in alice.get(url).content.decode()
    alice.post(url + "cancel/")
    assert JOIN not in alice.get(url).content.decode()
    assert Registration.objects.get(gathering=g).cancelled_at is not None


def test_someone_outside_the_networks_groups_cannot_register(w: World) -> None:
    g = gathering(w)
    r = as_user(w.outsider).post(f"/networks/left/gatherings/{g.pk}/register/", follow=True)
    assert "join one of its groups first" in r.content.decode()
    assert not Registration.objects.exists()


def test_a_full_gathering_refuses_another_registration(w: World) -> None:
    g = gathering(w, capacity=1)
    gatherings.register(g, by=w.alice_user)
    with pytest.raises(ActionRefused, match="is full"):
        gatherings.register(g, by=w.bob_user)


def test_reminders_go_once_to_each_registered_person_through_the_queue(w: World) -> None:
    g = gathering(w, place="Hillford Hall")
    gatherings.register(g, by=w.alice_user)
    gatherings.register(g, by=w.bob_user)
    gatherings.cancel_registration(g, by=w.bob_user)
    c = as_user(w.organiser)
    assert c.post(f"/networks/left/gatherings/{g.pk}/remind/").status_code == 302
    (m,) = mail.outbox
    assert m.to == ["alice.secret@example.org"] and "National gathering" in m.subject
    assert JOIN in m.body and "Hillford Hall" in m.body
    c.post(f"/networks/left/gatherings/{g.pk}/remind/")
    assert len(mail.outbox) == 1  # nobody is reminded twice
    assert BOB["email"] not in [a for m in mail.outbox for a in m.to]
    assert (
        as_user(w.alice_user).post(f"/networks/left/gatherings/{g.pk}/remind/").status_code == 302
    )
    assert len(mail.outbox) == 1


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_on_the_database_queue_the_reminders_wait_until_their_time(w: World) -> None:
    from django_tasks_db.models import DBTaskResult

    g = gathering(w, remind_hours=24)
    (queued,) = DBTaskResult.objects.all()
    assert queued.run_after == g.starts_at - dt.timedelta(hours=24)
    assert queued.args_kwargs["args"] == [g.pk]


def test_a_gathering_can_be_held_as_a_meeting_with_its_record(w: World) -> None:
    from tests.network.meeting_for_gathering import called_meeting

    m = called_meeting()
    g = gathering(w, join_url="", meeting=m)
    assert g.meeting == m and g.place == m.place
    page = Client().get(f"/networks/left/gatherings/{g.pk}/").content.decode()
    assert f"/meetings/{m.pk}/" in page
    with pytest.raises(ActionRefused, match="already a gathering"):
        gathering(w, meeting=m)


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({"starts_at": timezone.now() - dt.timedelta(hours=1)}, "start in the future"),
        ({"join_url": "", "place": ""}, "Say where"),
        ({"time_zone": "Mars/Olympus"}, "is not a time zone"),
        ({"capacity": 0}, "at least 1"),
    ],
)
def test_a_gathering_with_bad_details_is_refused_in_words(
    w: World, kw: dict[str, object], words: str
) -> None:
    with pytest.raises(ActionRefused, match=words):
        gathering(w, **kw)
    assert not Gathering.objects.exists()


def test_an_organiser_cancels_a_gathering_with_a_reason_and_no_reminder_goes(w: World) -> None:
    g = gathering(w)
    gatherings.register(g, by=w.alice_user)
    url = f"/networks/left/gatherings/{g.pk}/cancel-gathering/"
    assert as_user(w.alice_user).post(url, {"reason": "mine"}).status_code == 403
    c = as_user(w.organiser)
    assert c.post(url, {"reason": ""}).status_code == 400
    assert c.post(url, {"reason": "The hall flooded"}).status_code == 302
    page = Client().get(f"/networks/left/gatherings/{g.pk}/").content.decode()
    assert "Cancelled: The hall flooded" in page
    assert gatherings.deliver_reminders(g.pk) == 0 and mail.outbox == []
    with pytest.raises(ActionRefused, match="was cancelled"):
        gatherings.register(g, by=w.bob_user)
