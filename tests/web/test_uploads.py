"""Uploads: size refused unread, permission and state before decoding, phone photos accepted,
staged register files removed when confirmed or abandoned."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from PIL import Image

from grassroots.elections.photos import MAX_BYTES, prepare_photo
from grassroots.members.models import Member
from tests.elections.conftest import DAY, NOW, Setup, make_election
from tests.web.conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db


def login(who: str, **kw: Any) -> Client:
    c = Client(**kw)
    assert c.login(username=who, password=PASSWORD)
    return c


@pytest.fixture
def before_voting(org: Org) -> Setup:
    return make_election(org, open_voting=False, voting_open=NOW + DAY, voting_close=NOW + 5 * DAY)


def _consent_url(setup: Setup, name: str) -> str:
    return reverse("elections:consent", args=[setup.election.pk, setup.candidates[name].pk])


def _phone_photo() -> bytes:
    """A 50-megapixel JPEG as a phone writes it: about 10 MB, stored sideways with EXIF."""
    grain = Image.effect_noise((1020, 765), 60).convert("RGB")
    big = grain.resize((8160, 6120), Image.Resampling.BILINEAR)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° to display
    out = io.BytesIO()
    big.save(out, format="JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


def _mpo() -> bytes:
    """A multi-picture JPEG (a phone's photo with a second, smaller picture) in green."""
    first = Image.new("RGB", (4032, 3024), (10, 200, 10))
    second = Image.new("RGB", (640, 480), (200, 10, 10))
    out = io.BytesIO()
    first.save(out, format="MPO", save_all=True, append_images=[second])
    return out.getvalue()


def _png_bomb(side: int = 60_000) -> bytes:
    """A PNG whose header claims side by side pixels: a few bytes that would decode to gigabytes."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)


# --- photos


def test_a_full_size_phone_photo_is_accepted_through_the_consent_page_and_stored_upright(
    before_voting: Setup,
) -> None:
    data = _phone_photo()
    assert 5 * 1024 * 1024 < len(data) <= MAX_BYTES  # over the old 5 MB limit, under the new
    r = login("returning").post(
        _consent_url(before_voting, "Alice Able"),
        {
            "statement": "hi",
            "on_request": "consent form by post",
            "photo": SimpleUploadedFile("IMG_0001.JPG", data, "image/jpeg"),
        },
    )
    assert r.status_code == 302
    c = before_voting.candidates["Alice Able"]
    c.refresh_from_db()
    stored = Image.open(io.BytesIO(bytes(c.photo)))
    assert stored.size == (450, 600)  # turned upright, at most 600 a side


def test_a_multi_picture_phone_jpeg_is_accepted_and_its_first_picture_kept() -> None:
    photo = prepare_photo(_mpo(), filename="IMG_0002.JPG")
    stored = Image.open(io.BytesIO(photo.data))
    assert stored.format == "JPEG" and (photo.width, photo.height) == (600, 450)
    r, g, b = stored.getpixel((10, 10))
    assert g > 180 and r < 40 and b < 40  # the green first picture, not the red second


def test_a_decompression_bomb_is_refused_in_milliseconds() -> None:
    from grassroots.elections.photos import PhotoError

    bomb = _png_bomb()
    assert len(bomb) < 200
    start = time.perf_counter()
    with pytest.raises(PhotoError, match="million pixels"):
        prepare_photo(bomb)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("who", ["ann", "secretary"])
def test_someone_who_may_not_consent_never_has_their_upload_decoded(
    before_voting: Setup, who: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grassroots.elections.views import candidates

    decoded: list[str] = []
    monkeypatch.setattr(candidates, "prepare_photo", lambda *a, **k: decoded.append("x"))
    r = login(who).post(
        _consent_url(before_voting, "Dan Deft"),
        {"statement": "hijack", "photo": SimpleUploadedFile("b.png", _png_bomb(), "image/png")},
        follow=True,
    )
    assert decoded == [] and r.status_code in (200, 403)
    c = before_voting.candidates["Dan Deft"]
    c.refresh_from_db()
    assert c.statement != "hijack"


def test_after_voting_opens_an_upload_is_refused_before_it_is_decoded(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grassroots.elections.views import candidates

    voting = make_election(org)
    decoded: list[str] = []
    monkeypatch.setattr(candidates, "prepare_photo", lambda *a, **k: decoded.append("x"))
    r = login("returning").post(
        _consent_url(voting, "Dan Deft"),
        {
            "statement": "late",
            "on_request": "by phone",
            "photo": SimpleUploadedFile("b.png", _png_bomb(), "image/png"),
        },
    )
    assert decoded == [] and "voting has opened" in r.content.decode()


# --- request bodies refused unread


def _declared(client: Client, url: str, length: int) -> Any:
    """A POST declaring ``length`` bytes but sending a few: reading it would fail loudly."""
    return client.generic(
        "POST",
        url,
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
    )


def test_a_photo_body_over_the_limit_is_refused_before_the_csrf_check_reads_it(
    before_voting: Setup,
) -> None:
    c = login("returning", enforce_csrf_checks=True)
    r = _declared(c, _consent_url(before_voting, "Alice Able"), MAX_BYTES + 2 * 1_048_576)
    assert r.status_code == 413
    assert "this page takes at most 16 MB" in r.content.decode()


def test_a_register_file_over_the_cap_is_refused_unread_and_nothing_is_staged(
    org: Org, settings: Any
) -> None:
    settings.IMPORT_MAX_BYTES = 100_000
    url = reverse("members:import", kwargs={"code": "hillford"})
    r = _declared(login("secretary", enforce_csrf_checks=True), url, 5_000_000)
    assert r.status_code == 413 and "Nothing was saved" in r.content.decode()
    # a file just over the cap inside a small enough body is refused by the form, by size
    settings.IMPORT_MAX_BYTES = 1_000
    body = b"number,name,branch,join_date,status\n" + b"N1,Nat,hillford,2020-01-01,full\n" * 40
    r = login("secretary").post(url, {"file": SimpleUploadedFile("r.csv", body)})
    assert r.status_code == 200 and "a register file may be at most" in r.content.decode()
    assert not Member.objects.filter(number="N1").exists()
    staged = Path(settings.IMPORT_STAGING_DIR)
    assert not staged.exists() or not list(staged.iterdir())


def test_a_page_without_uploads_refuses_a_large_body_unread(voting_org: Setup) -> None:
    url = reverse("elections:vote", args=[voting_org.election.pk])
    r = _declared(login("ann", enforce_csrf_checks=True), url, 50 * 1_048_576)
    assert r.status_code == 413


@pytest.fixture
def voting_org(org: Org) -> Setup:
    return make_election(org)


# --- staged register files

WITH_ERRORS = (
    b"number,name,branch,join_date,status\n"
    b"N1,Nat,hillford,2020-01-01,full\nN2,Ned,hillford,2020-02-30,full\n"
)


def _upload(c: Client) -> str:
    r = c.post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("r.csv", WITH_ERRORS)},
    )
    assert r.status_code == 200
    import re

    return re.search(r'name="token" value="([0-9a-f]+)"', r.content.decode()).group(1)  # type: ignore[union-attr]


def _staged() -> set[str]:
    d = Path(settings.IMPORT_STAGING_DIR)
    return {p.stem for p in d.glob("*.csv")} if d.exists() else set()


def test_a_confirmed_import_removes_its_staged_file(org: Org) -> None:
    c = login("secretary")
    token = _upload(c)
    assert _staged() == {token}
    r = c.post(reverse("members:import_confirm", kwargs={"code": "hillford"}), {"token": token})
    assert r.status_code == 302 and Member.objects.filter(number="N1").exists()
    assert _staged() == set()


def test_an_abandoned_upload_is_swept_by_the_next_one(org: Org) -> None:
    c = login("secretary")
    old = _upload(c)
    day_old = time.time() - (settings.IMPORT_STAGING_MAX_AGE_HOURS + 1) * 3600
    os.utime(Path(settings.IMPORT_STAGING_DIR) / f"{old}.csv", (day_old, day_old))
    new = _upload(c)
    assert _staged() == {new}
    # the abandoned token now says it expired, and imports nothing
    r = c.post(
        reverse("members:import_confirm", kwargs={"code": "hillford"}),
        {"token": old},
        follow=True,
    )
    assert "That upload has expired" in r.content.decode()
    assert not Member.objects.filter(number="N1").exists()


def test_the_sweep_command_removes_only_abandoned_uploads(org: Org) -> None:
    c = login("secretary")
    old, fresh = _upload(c), _upload(c)
    day_old = time.time() - (settings.IMPORT_STAGING_MAX_AGE_HOURS + 1) * 3600
    os.utime(Path(settings.IMPORT_STAGING_DIR) / f"{old}.csv", (day_old, day_old))
    out = io.StringIO()
    call_command("sweep_imports", stdout=out)
    assert _staged() == {fresh}
    assert "removed 1 staged upload(s)" in out.getvalue()


def test_a_token_that_is_a_path_never_reads_a_file(org: Org) -> None:
    r = login("secretary").post(
        reverse("members:import_confirm", kwargs={"code": "hillford"}),
        {"token": "../../etc/passwd"},
        follow=True,
    )
    assert "That upload has expired" in r.content.decode()
