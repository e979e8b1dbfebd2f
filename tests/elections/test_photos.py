"""Candidate photos: uploads are checked, re-encoded without metadata, shown and served."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from grassroots.audit.models import AuditEntry
from grassroots.elections import actions
from grassroots.elections.photos import MAX_BYTES, MAX_SIDE, PhotoError, prepare_photo
from tests.elections.conftest import DAY, NOW, Setup, make_election
from tests.web.conftest import PASSWORD, Org


def _image(
    fmt: str, size: tuple[int, int] = (800, 400), mode: str = "RGB", **save: object
) -> bytes:
    out = io.BytesIO()
    colour = (200, 30, 30, 0) if mode == "RGBA" else (200, 30, 30)
    Image.new(mode, size, colour).save(out, format=fmt, **save)
    return out.getvalue()


def _jpeg_with_gps_and_rotation() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS IFD: where the photo was taken
    return _image("JPEG", (400, 200), exif=exif.tobytes())


# --- the pure module -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_each_accepted_format_is_re_encoded_as_a_jpeg_at_most_max_side_a_side(fmt: str) -> None:
    photo = prepare_photo(_image(fmt), filename="me.img")
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.format == "JPEG"
    assert stored.size == (photo.width, photo.height) == (MAX_SIDE, MAX_SIDE // 2)


def test_a_small_photo_is_not_enlarged() -> None:
    photo = prepare_photo(_image("PNG", (90, 120)))
    assert (photo.width, photo.height) == (90, 120)


def test_metadata_is_dropped_after_the_rotation_it_asks_for_is_applied() -> None:
    source = _jpeg_with_gps_and_rotation()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)  # the GPS is there
    photo = prepare_photo(source)
    stored = Image.open(io.BytesIO(photo.data))
    assert (stored.width, stored.height) == (200, 400)  # turned upright
    assert not stored.getexif()
    assert b"Exif" not in photo.data


def test_transparency_is_laid_on_white() -> None:
    photo = prepare_photo(_image("PNG", (10, 10), mode="RGBA"))
    r, g, b = Image.open(io.BytesIO(photo.data)).getpixel((5, 5))
    assert min(r, g, b) > 240


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "me.png is empty"),
        (b"%PDF-1.4 not a picture", "me.png is not an image"),
        (b"\x00" * (MAX_BYTES + 1), "me.png is larger than 15 MB"),
        (_image("PNG")[:200], "me.png is a damaged image"),
        (_image("BMP", (4, 4)), "me.png is a BMP image; use JPEG, PNG, WebP or GIF"),
    ],
    ids=["empty", "not-an-image", "too-large", "truncated", "bmp"],
)
def test_bad_uploads_are_refused_with_the_file_and_the_problem(data: bytes, problem: str) -> None:
    with pytest.raises(PhotoError, match=problem):
        prepare_photo(data, filename="me.png")


def _png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG that claims a huge size: decoding it would take gigabytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    bomb = _png_header_claiming(60_000, 60_000)
    assert len(bomb) < 200
    with pytest.raises(PhotoError, match=r"bomb\.png claims far more than 52 million pixels"):
        prepare_photo(bomb, filename="bomb.png")


def test_a_large_but_not_absurd_claim_is_refused_by_the_pixel_limit() -> None:
    with pytest.raises(PhotoError, match=r"bomb.png is 8000×8000 pixels; at most 52 million"):
        prepare_photo(_png_header_claiming(8000, 8000), filename="bomb.png")


# --- the pages -------------------------------------------------------------------------


@pytest.fixture
def before_voting(org: Org) -> Setup:
    """Nominations closed, voting opens tomorrow: candidates may still give statement and photo."""
    return make_election(org, open_voting=False, voting_open=NOW + DAY, voting_close=NOW + 5 * DAY)


def _consent_url(setup: Setup, name: str) -> str:
    c = setup.candidates[name]
    return f"/elections/{setup.election.pk}/candidates/{c.pk}/consent/"


# the returning officer acts for a candidate only on their documented request
ON_REQUEST = {"on_request": "photo and statement sent by e-mail"}


def _as_returning_officer(client: Client) -> None:
    assert client.login(username="returning", password=PASSWORD)


def test_a_photo_given_with_consent_is_stored_served_and_shown(
    client: Client, before_voting: Setup
) -> None:
    _as_returning_officer(client)
    upload = SimpleUploadedFile("alice.png", _image("PNG"), content_type="image/png")
    r = client.post(
        _consent_url(before_voting, "Alice Able"),
        {**ON_REQUEST, "statement": "Fair rules", "photo": upload},
    )
    assert r.status_code == 302
    c = before_voting.candidates["Alice Able"]
    c.refresh_from_db()
    assert c.statement == "Fair rules"
    assert Image.open(io.BytesIO(bytes(c.photo))).format == "JPEG"
    assert (
        "photo 600×300 saved" in AuditEntry.objects.filter(action="election.consent").last().summary
    )

    url = f"/elections/{before_voting.election.pk}/candidates/{c.pk}/photo.jpg"
    served = client.get(url)
    assert served["Content-Type"] == "image/jpeg"
    assert served.content == bytes(c.photo)
    assert client.get(url, HTTP_IF_NONE_MATCH=served["ETag"]).status_code == 304

    page = Client().get(f"/elections/{before_voting.election.pk}/").content.decode()  # public
    assert f'src="{url}" alt="Photo of Alice Able"' in page
    # a candidate without a photo has no image and no photo address
    bea = before_voting.candidates["Bea Bold"]
    assert f"/candidates/{bea.pk}/photo.jpg" not in page
    assert (
        client.get(
            f"/elections/{before_voting.election.pk}/candidates/{bea.pk}/photo.jpg"
        ).status_code
        == 404
    )


def test_a_bad_photo_is_refused_naming_the_file_and_nothing_is_lost(
    client: Client, before_voting: Setup
) -> None:
    _as_returning_officer(client)
    good = SimpleUploadedFile("first.png", _image("PNG"), content_type="image/png")
    client.post(
        _consent_url(before_voting, "Alice Able"),
        {**ON_REQUEST, "statement": "First", "photo": good},
    )
    c = before_voting.candidates["Alice Able"]
    c.refresh_from_db()
    before = bytes(c.photo)

    bad = SimpleUploadedFile("cv.pdf", b"%PDF-1.4 a document", content_type="image/png")
    r = client.post(
        _consent_url(before_voting, "Alice Able"),
        {**ON_REQUEST, "statement": "Second draft", "photo": bad},
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "cv.pdf is not an image (use JPEG, PNG, WebP or GIF)" in page
    assert "Second draft" in page  # what they typed is still in the form
    c.refresh_from_db()
    assert (c.statement, bytes(c.photo)) == ("First", before)  # nothing stored changed


def test_the_photo_can_be_removed_and_is_kept_when_no_new_file_is_sent(
    client: Client, before_voting: Setup
) -> None:
    _as_returning_officer(client)
    url = _consent_url(before_voting, "Cal Calm")
    png = SimpleUploadedFile("cal.png", _image("PNG"), content_type="image/png")
    client.post(url, {**ON_REQUEST, "statement": "One", "photo": png})
    client.post(url, {**ON_REQUEST, "statement": "Two"})
    c = before_voting.candidates["Cal Calm"]
    c.refresh_from_db()
    assert c.photo is not None and c.statement == "Two"
    client.post(url, {**ON_REQUEST, "statement": "Three", "remove_photo": "1"})
    c.refresh_from_db()
    assert c.photo is None and c.statement == "Three"


def test_the_photo_cannot_change_once_voting_has_opened(voting: Setup) -> None:
    c = voting.candidates["Dan Deft"]
    with pytest.raises(actions.ActionRefused, match="voting has opened"):
        actions.consent(
            c,
            statement=c.statement,
            photo=prepare_photo(_image("PNG")),
            on_request="by e-mail",
            by=voting.org.users["returning"],
        )
    c.refresh_from_db()
    assert c.photo is None


def test_another_member_cannot_set_a_candidates_photo(client: Client, before_voting: Setup) -> None:
    assert client.login(username="ann", password=PASSWORD)  # a member, not the candidate
    png = SimpleUploadedFile("x.png", _image("PNG"), content_type="image/png")
    client.post(
        _consent_url(before_voting, "Dan Deft"), {**ON_REQUEST, "statement": "hijack", "photo": png}
    )
    c = before_voting.candidates["Dan Deft"]
    c.refresh_from_db()
    assert c.photo is None and c.statement != "hijack"


def test_the_api_gives_each_standing_candidates_statement_and_photo_address(
    client: Client, before_voting: Setup
) -> None:
    _as_returning_officer(client)
    png = SimpleUploadedFile("bea.png", _image("PNG"), content_type="image/png")
    client.post(
        _consent_url(before_voting, "Bea Bold"), {**ON_REQUEST, "statement": "Bea!", "photo": png}
    )
    e = before_voting.election
    profiles = {p["name"]: p for p in Client().get(f"/api/elections/{e.pk}").json()["profiles"]}
    bea = before_voting.candidates["Bea Bold"]
    assert profiles["Bea Bold"] == {
        "name": "Bea Bold",
        "statement": "Bea!",
        "photo": f"http://testserver/elections/{e.pk}/candidates/{bea.pk}/photo.jpg",
    }
    assert profiles["Cal Calm"]["photo"] is None
    assert profiles["Cal Calm"]["statement"] == "Vote Cal Calm"


def test_the_ballot_shows_each_photo_beside_its_name_and_links_to_the_statements(
    client: Client, before_voting: Setup
) -> None:
    _as_returning_officer(client)
    png = SimpleUploadedFile("dan.png", _image("PNG"), content_type="image/png")
    client.post(
        _consent_url(before_voting, "Dan Deft"), {**ON_REQUEST, "statement": "Dan!", "photo": png}
    )
    e = before_voting.election
    actions.open_voting(e, by=before_voting.org.users["returning"], now=NOW + 2 * DAY)
    e.refresh_from_db()
    assert client.login(username="ann", password=PASSWORD)
    page = client.get(f"/elections/{e.pk}/vote/").content.decode()
    dan = before_voting.candidates["Dan Deft"]
    field = f"rank-{e.ballot.index('Dan Deft')}"
    assert (
        f'<img class="ballot-photo" src="/elections/{e.pk}/candidates/{dan.pk}/photo.jpg" '
        f'alt="" width="48" height="48"><label for="{field}">Dan Deft</label>'
    ) in page
    assert page.count('class="ballot-photo"') == 1  # the others gave no photo
    assert f'href="/elections/{e.pk}/#statements"' in page


def test_an_upload_far_over_the_limit_is_refused_before_the_body_is_read(
    client: Client, before_voting: Setup
) -> None:
    _as_returning_officer(client)
    huge = SimpleUploadedFile(
        "huge.jpg", b"\xff" * (MAX_BYTES + 2_000_000), content_type="image/jpeg"
    )
    r = client.post(
        _consent_url(before_voting, "Alice Able"), {**ON_REQUEST, "statement": "x", "photo": huge}
    )
    assert r.status_code == 413
    assert "The file sent is 17 MB; this page takes at most 16 MB." in r.content.decode()
    c = before_voting.candidates["Alice Able"]
    c.refresh_from_db()
    assert c.photo is None and c.statement == "Vote Alice Able"
