"""The hub: resources published by organisers and group admins, open to the network or the
public per item, with author, date and tags, found by full-text search (PostgreSQL) or its
fallback (SQLite)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from grassroots.audit.models import AuditEntry
from grassroots.network.actions import hub
from grassroots.network.actions.access import ActionRefused
from grassroots.network.models import Resource
from tests.network.directory_world import PASSWORD, World, build
from tests.network.directory_world import _quick_and_private as _quick_and_private

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    world = build()
    hub.publish_resource(
        world.net,
        by=world.organiser,
        kind="guide",
        title="Running a tenants' meeting",
        body="Book a room, send the notice, choose a chair.",
        tags=["meetings", "how-to"],
        audience="public",
    )
    hub.publish_resource(
        world.net,
        by=world.admin_a,
        kind="link",
        title="Housing law explained",
        url="https://example.org/housing",
        summary="Repairs and evictions",
        tags=["housing"],
        audience="network",
    )
    return world


def as_user(user: object) -> Client:
    c = Client()
    c.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return c


def test_anyone_reads_public_items_and_only_the_networks_people_read_the_others(
    w: World,
) -> None:
    anon = Client().get("/networks/left/hub/").content.decode()
    assert "Running a tenants&#x27; meeting" in anon and "Housing law explained" not in anon
    outsider = as_user(w.outsider).get("/networks/left/hub/").content.decode()
    assert "Housing law explained" not in outsider
    alice = as_user(w.alice_user).get("/networks/left/hub/").content.decode()
    assert "Housing law explained" in alice and "Running a tenants" in alice
    link = Resource.objects.get(kind="link")
    assert Client().get(f"/networks/left/hub/{link.pk}/").status_code == 404
    page = as_user(w.alice_user).get(f"/networks/left/hub/{link.pk}/").content.decode()
    assert "admin_a" in page and "https://example.org/housing" in page


def test_search_finds_by_title_tag_summary_and_text_and_ranks_on_postgresql(w: World) -> None:
    qs = Resource.objects.filter(network=w.net)
    assert [r.title for r in qs.search("chair")] == ["Running a tenants' meeting"]
    assert [r.title for r in qs.search("housing")] == ["Housing law explained"]
    assert [r.title for r in qs.search("evictions")] == ["Housing law explained"]
    assert list(qs.search("nothing-like-this")) == []
    if connection.vendor == "postgresql":
        # English stemming: "meetings" finds "meeting"; websearch syntax excludes with "-"
        assert [r.title for r in qs.search("meetings -housing")] == ["Running a tenants' meeting"]


def test_the_search_page_says_how_many_were_found_and_filters_by_tag(w: World) -> None:
    c = as_user(w.alice_user)
    r = c.get("/networks/left/hub/", {"q": "evictions"}).content.decode()
    assert "1 resource matching" in r and "Housing law explained" in r
    r = c.get("/networks/left/hub/", {"tag": "how-to"}).content.decode()
    assert "Running a tenants" in r and "Housing law explained" not in r
    # hostile query strings are read as words, never a server error
    for q in ("'; drop table x; --", "&|!:*()", "a" * 5000, "\u202e"):
        assert c.get("/networks/left/hub/", {"q": q}).status_code == 200


def test_a_document_is_published_with_its_hash_and_a_bad_file_is_refused_naming_it(
    w: World,
) -> None:
    c = as_user(w.admin_a)
    pdf = b"%PDF-1.4 a small guide"
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = c.post(
        "/networks/left/hub/new/",
        {
            "kind": "document",
            "title": "Rent strike handbook",
            "tags": "housing, rents",
            "audience": "network",
            "file": SimpleUploadedFile("handbook.pdf", pdf),
        },
    )
    assert r.status_code == 302
    doc = Resource.objects.get(title="Rent strike handbook")
    assert doc.sha256 and doc.filename == "handbook.pdf"
    assert sorted(doc.tags.values_list("name", flat=True)) == ["housing", "rents"]
    got = c.get(f"/networks/left/hub/{doc.pk}/file")
    assert b"".join(got.streaming_content) == pdf
    assert got["X-Content-Type-Options"] == "nosniff"
    bad = c.post(
        "/networks/left/hub/new/",
        {
            "kind": "document",
            "title": "Fake",
            "audience": "public",
            "file": SimpleUploadedFile("fake.pdf", b"MZ not a pdf"),
        },
    )
    assert bad.status_code == 400
    assert "fake.pdf: the contents are not a PDF file" in bad.content.decode()
    assert not Resource.objects.filter(title="Fake").exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"kind": "link", "title": "No address"}, "A link needs its address"),
        ({"kind": "guide", "title": "Empty"}, "A guide needs its text"),
        ({"kind": "guide", "title": "T", "body": "x", "tags": "ok, <script>"}, "The tag"),
        ({"kind": "guide", "title": "   ", "body": "x"}, "This field is required"),
    ],
)
def test_bad_input_when_publishing_is_refused_in_words(
    w: World, data: dict[str, str], words: str
) -> None:
    r = as_user(w.organiser).post("/networks/left/hub/new/", {"audience": "public", **data})
    assert r.status_code == 400
    assert words in r.content.decode()


@pytest.mark.parametrize("who", ["alice_user", "outsider"])
def test_people_who_are_neither_organisers_nor_group_admins_cannot_publish(
    w: World, who: str
) -> None:
    r = as_user(getattr(w, who)).post(
        "/networks/left/hub/new/",
        {"kind": "guide", "title": "Mine", "body": "x", "audience": "public"},
    )
    assert r.status_code == 403
    with pytest.raises(ActionRefused):
        hub.publish_resource(w.net, by=getattr(w, who), kind="guide", title="x", body="y")


def test_a_withdrawn_resource_leaves_the_lists_and_search_with_its_reason_kept(w: World) -> None:
    guide = Resource.objects.get(kind="guide")
    c = as_user(w.organiser)
    assert c.post(f"/networks/left/hub/{guide.pk}/withdraw/", {"reason": ""}).status_code == 400
    r = c.post(f"/networks/left/hub/{guide.pk}/withdraw/", {"reason": "Out of date"})
    assert r.status_code == 302
    assert "Running a tenants" not in Client().get("/networks/left/hub/").content.decode()
    page = Client().get(f"/networks/left/hub/{guide.pk}/").content.decode()
    assert "Out of date" in page and "Book a room" not in page
    assert AuditEntry.objects.filter(action="network.hub.withdraw").count() == 1
