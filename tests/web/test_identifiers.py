"""Membership numbers and unit codes: refused on every way in, shown and linked when stored."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grassroots.members import actions, csvio
from grassroots.members.forms import MemberForm, UnitForm
from grassroots.members.identifiers import AnyIdentifierConverter, code_problem, number_problem
from grassroots.members.models import Member, Unit
from tests.web.conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db

# what a register kept elsewhere, or typed by hand, may hold
BAD_NUMBERS = ["A/1", "B 2", "..", ".", "%41", "C?d#e", "x\\y", "ñ1", "-5", "=1+1", "a" * 33]
BAD_CODES = ["bad code", "a/b", "..", "%2F", "ward?x", "ñu", "-x", "a" * 41]


def login(org: Org, who: str) -> Client:
    c = Client()
    assert c.login(username=org.users[who].username, password=PASSWORD)
    return c


# --- the rule


@pytest.mark.parametrize("number", ["M1", "1001", "LP-000123", "ab_12"])
def test_ordinary_membership_numbers_pass_the_rule(number: str) -> None:
    assert number_problem(number) is None


@pytest.mark.parametrize("number", ["", *BAD_NUMBERS])
def test_a_number_a_url_or_a_spreadsheet_would_read_specially_is_refused(number: str) -> None:
    problem = number_problem(number)
    assert problem is not None and "membership number" in problem


@pytest.mark.parametrize("code", BAD_CODES)
def test_a_unit_code_outside_the_rule_is_refused(code: str) -> None:
    assert code_problem(code) is not None


@pytest.mark.parametrize("value", ["", "M1", *BAD_NUMBERS, "%00", "%2500", "a%2Fb", "\u00e9/.."])
def test_any_stored_identifier_goes_through_an_address_and_back(value: str) -> None:
    from urllib.parse import quote, unquote

    conv = AnyIdentifierConverter()
    part = conv.to_url(value)
    assert re.fullmatch(conv.regex, part)
    # reverse() quotes what to_url gives; the server decodes the path once before matching
    served = unquote(quote(part, safe="!$&'()*+,;=/~:@"))
    assert "/" not in served and served not in (".", "..")
    assert conv.to_python(served) == value


def test_valid_identifiers_keep_the_addresses_they_had() -> None:
    assert reverse("members:member", kwargs={"number": "LP-1_2"}) == "/members/LP-1_2/"
    assert reverse("members:register", kwargs={"code": "hillford-east"}) == (
        "/units/hillford-east/"
    )


# --- every way in refuses them


@pytest.mark.parametrize("number", BAD_NUMBERS)
def test_the_member_form_refuses_a_bad_number_saying_why(org: Org, number: str) -> None:
    form = MemberForm(
        {
            "number": number,
            "name": "Nat",
            "branch": org.hillford.pk,
            "join_date": "2020-01-01",
            "status": "full",
            "rate_band": "standard",
        },
        units=Unit.objects.all(),
    )
    assert not form.is_valid()
    assert any("membership number" in e or "at most 32" in e for e in form.errors["number"])


def test_adding_a_member_with_a_slash_in_the_number_is_refused_on_the_page(org: Org) -> None:
    r = login(org, "secretary").post(
        reverse("members:member_new", kwargs={"code": "hillford"}),
        {
            "number": "A/1",
            "name": "Nat",
            "branch": org.hillford.pk,
            "join_date": "2020-01-01",
            "status": "full",
            "rate_band": "standard",
        },
    )
    assert r.status_code == 200
    assert "may hold only letters, digits" in unescape(r.content.decode())
    assert not Member.objects.filter(name="Nat").exists()


@pytest.mark.parametrize("number", BAD_NUMBERS)
def test_the_create_member_action_refuses_a_bad_number(org: Org, number: str) -> None:
    with pytest.raises(actions.ActionRefused, match="membership number"):
        actions.create_member(
            by=None, number=number, name="Nat", branch=org.hillford, join_date=dt.date(2020, 1, 1)
        )
    assert not Member.objects.filter(name="Nat").exists()


@pytest.mark.parametrize("code", BAD_CODES)
def test_the_unit_form_and_action_refuse_a_bad_code(org: Org, code: str) -> None:
    assert not UnitForm({"kind": "ward", "code": code, "name": "W"}, parent=org.hillford).is_valid()
    with pytest.raises(actions.ActionRefused, match="unit code"):
        actions.create_unit(kind="ward", code=code, name="W", parent=org.hillford, by=None)


def test_the_import_reports_each_bad_number_by_row_and_column() -> None:
    units = {"hillford": csvio.UnitRef(3, "branch", 2)}
    text = "number,name,branch,join_date,status\n" + "".join(
        f'"{n}",N{i},hillford,2020-01-01,full\n' for i, n in enumerate(BAD_NUMBERS)
    )
    parsed = csvio.parse(text, units)
    assert parsed.rows == []
    assert [(e.row, e.column) for e in parsed.errors] == [
        (i + 2, "number") for i in range(len(BAD_NUMBERS))
    ]
    assert "'A/1' may hold only letters" in str(parsed.errors[0])


def test_a_register_upload_with_a_bad_number_imports_nothing_and_says_where(org: Org) -> None:
    upload = SimpleUploadedFile(
        "reg.csv", b"number,name,branch,join_date,status\nA/1,Nat,hillford,2020-01-01,full\n"
    )
    r = login(org, "secretary").post(
        reverse("members:import", kwargs={"code": "hillford"}), {"file": upload}
    )
    html = unescape(r.content.decode())
    assert r.status_code == 200 and "may hold only letters" in html and "A/1" in html
    assert not Member.objects.filter(name="Nat").exists()


# --- records stored by other means still show


def _bad_records(org: Org) -> tuple[list[Unit], list[Member]]:
    """Units and members written straight to the database, as an old import might have."""
    units = []
    for code in BAD_CODES[:6]:
        u = Unit.objects.create(kind="branch", code=code, name=f"Odd {code}", parent=org.north)
        u.path = f"{org.north.path}{u.pk}/"
        u.save()
        units.append(u)
    members = []
    for i, number in enumerate(["", *BAD_NUMBERS[:-1]]):
        members.append(
            Member.objects.create(
                number=number,
                name=f"Odd Member {i}",
                branch=units[i % len(units)] if i % 2 else org.hillford,
                join_date=dt.date(2020, 1, 1),
                status="full",
            )
        )
    return units, members


def _links(html: str) -> list[str]:
    return [
        unescape(h) for h in re.findall(r'(?:href|action)="([^"]*)"', html) if h.startswith("/")
    ]


def test_every_page_shows_and_links_units_and_members_with_odd_stored_identifiers(
    org: Org,
) -> None:
    """A crawl from the home page as the administrator reaches every odd record, with no 500."""
    units, members = _bad_records(org)
    c = login(org, "admin")
    seen: dict[str, int] = {}
    queue = ["/", reverse("members:units"), reverse("audit:log")]
    while queue:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or "logout" in path or path.endswith((".csv", ".zip")):
            continue
        r = c.get(url)
        seen[path] = r.status_code
        assert r.status_code < 500, url
        if r.status_code == 200 and r.get("Content-Type", "").startswith("text/html"):
            queue.extend(h for h in _links(r.content.decode()) if h.startswith(("/units", "/me")))
    from urllib.parse import unquote

    reached = {unquote(p) for p, status in seen.items() if status == 200}
    for m in members:
        page = reverse("members:member", kwargs={"number": m.number})
        assert unquote(page) in reached, m.number
        assert m.name in c.get(page).content.decode()
    for u in units:
        assert unquote(reverse("members:register", kwargs={"code": u.code})) in reached, u.code


def test_a_status_change_and_a_payment_for_an_odd_number_come_back_to_its_page(org: Org) -> None:
    _, members = _bad_records(org)
    m = next(m for m in members if m.number == "A/1")
    c = login(org, "admin")
    r = c.post(
        reverse("members:member_payment", kwargs={"number": m.number}),
        {"paid_up_to": "2030-01-01"},
        follow=True,
    )
    assert r.status_code == 200 and "Payment recorded." in r.content.decode()
    m.refresh_from_db()
    assert m.paid_up_to == dt.date(2030, 1, 1)
    r = c.post(
        reverse("members:member_status", kwargs={"number": m.number}),
        {"transition": "lapse"},
        follow=True,
    )
    assert r.status_code == 200 and "Status changed." in r.content.decode()


def test_exporting_a_unit_with_an_odd_code_gives_a_plain_file_name(org: Org) -> None:
    units, _ = _bad_records(org)
    c = login(org, "admin")
    for u in units:
        r = c.get(reverse("members:export", kwargs={"code": u.code}))
        assert r.status_code == 200
        assert r["Content-Disposition"] == 'attachment; filename="unit-register.csv"'
