"""The register import applies the member form's rules, naming row and column; nothing crashes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grassroots.members import csvio
from grassroots.members.fieldrules import email_problem, line_problem
from grassroots.members.forms import MemberForm
from grassroots.members.models import Member, Unit
from tests.web.conftest import PASSWORD, Org

UNITS = {"hillford": csvio.UnitRef(3, "branch", 2)}
GOOD = {
    "number": "N1",
    "name": "Nat",
    "email": "",
    "branch": "hillford",
    "join_date": "2020-01-01",
    "status": "full",
    "rate_band": "standard",
    "gender": "",
    "birth_date": "",
    "paid_up_to": "",
}

# (column, value): each refused by the member form
HOSTILE = [
    ("email", "ann@example.org\nBcc: everyone@example.net"),
    ("email", "ann@example.org\r\nSubject: hi"),
    ("email", "ann@example.org, bob@example.org"),
    ("email", "ann @example.org"),
    ("email", "ann@"),
    ("email", "ann@exa mple.org"),
    ("email", "a" * 250 + "@example.org"),
    ("email", "ann@example.org\x00"),
    ("name", "N" * 201),
    ("name", "Nat\nBcc: x@example.org"),
    ("name", "Nat\rX"),
    ("name", "Nat\u2028X"),
    ("gender", "g" * 41),
    ("gender", "a\nb"),
    ("number", "A/1"),
    ("number", "n" * 33),
    ("join_date", "0001-01-01"),
    ("birth_date", "0001-01-01"),
    ("paid_up_to", "9999-12-31"),
]
FINE = [
    ("email", "o'neil+tag@mail.example.co.uk"),
    ("email", "ann@bücher.de"),
    ("name", "Zoë O'Neil-Smith"),
    ("gender", "non-binary"),
    ("paid_up_to", "2999-12-31"),
    ("birth_date", "1901-02-03"),
]


def _form(org: Org, column: str, value: str) -> MemberForm:
    data = {**GOOD, column: value, "branch": org.hillford.pk}
    return MemberForm(data, units=Unit.objects.all())


def _csv(column: str, value: str) -> csvio.ParseResult:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    cols = [c for c in GOOD if c != "rate_band"]
    w.writerow(cols)
    w.writerow([{**GOOD, column: value}[c] for c in cols])
    return csvio.parse(buf.getvalue(), UNITS, today=dt.date(2026, 1, 1))


@pytest.mark.django_db
@pytest.mark.parametrize(("column", "value"), HOSTILE)
def test_the_import_refuses_what_the_member_form_refuses_naming_row_and_column(
    org: Org, column: str, value: str
) -> None:
    form = _form(org, column, value)
    assert not form.is_valid() and column in form.errors
    parsed = _csv(column, value)
    assert parsed.rows == []
    assert [(e.row, e.column) for e in parsed.errors] == [(2, column)], parsed.errors


@pytest.mark.django_db
@pytest.mark.parametrize(("column", "value"), FINE)
def test_the_import_and_the_form_both_take_an_ordinary_value(
    org: Org, column: str, value: str
) -> None:
    form = _form(org, column, value)
    assert form.is_valid(), form.errors
    parsed = _csv(column, value)
    assert parsed.errors == [] and len(parsed.rows) == 1


def test_an_address_with_a_line_break_is_refused_for_the_header_it_would_add() -> None:
    assert "a line break" in (email_problem("ann@example.org\nBcc: x@example.net") or "")
    assert line_problem("name", "a\tb", 200) is not None
    assert email_problem("ann@example.org") is None


def test_a_field_larger_than_csv_reads_is_a_row_error_and_the_other_rows_still_count() -> None:
    text = (
        "number,name,branch,join_date,status\n"
        f'N1,"{"x" * 200_000}",hillford,2020-01-01,full\n'
        "N2,Nat,hillford,2020-01-01,full\n"
    )
    parsed = csvio.parse(text, UNITS, today=dt.date(2026, 1, 1))
    assert parsed.errors and parsed.errors[0].row == 2
    assert "cannot be read as CSV" in parsed.errors[0].problem
    assert [r.number for r in parsed.rows] == ["N2"]


def test_a_nul_byte_in_a_row_is_reported_not_raised() -> None:
    text = "number,name,branch,join_date,status\nN1,Na\x00t,hillford,2020-01-01,full\n"
    parsed = csvio.parse(text, UNITS, today=dt.date(2026, 1, 1))
    assert parsed.rows == [] and parsed.errors[0].row == 2


@pytest.mark.django_db
def test_an_upload_with_an_overlong_name_is_reported_and_nothing_is_stored(org: Org) -> None:
    """On PostgreSQL the name would not fit its column: the report, not a server error."""
    c = Client()
    assert c.login(username="secretary", password=PASSWORD)
    body = f"number,name,branch,join_date,status\nN1,{'N' * 300},hillford,2020-01-01,full\n"
    r = c.post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("r.csv", body.encode()), "import_valid": "on"},
    )
    assert r.status_code == 200
    assert "at most 200" in r.content.decode()
    assert not Member.objects.filter(number="N1").exists()
