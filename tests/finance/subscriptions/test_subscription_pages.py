"""The subscription pages for each role: a member sees where their own subscription went, officers
record and import payments for their own units only, the national office sets rules and records
remittances, and anyone reads the rules, every unit's totals, remittances and the what-if."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from grassroots.finance.actions.subscriptions import record_payment, record_remittance
from grassroots.finance.models import Payment, Remittance, SubscriptionRule

from .conftest import Org

D = dt.date
pytestmark = pytest.mark.django_db


def _year(org: Org) -> None:
    for month in range(1, 13):
        record_payment(org.ann, paid_on=D(2025, month, 1), amount=438, by=None)
        record_payment(org.bob, paid_on=D(2025, month, 1), amount=438, by=None)


def test_a_member_reads_what_they_paid_how_it_was_split_and_what_their_branch_received(
    org: Org, client_as: Any
) -> None:
    _year(org)
    page = client_as("member").get("/me/subscription/?year=2025").content.decode()
    assert "12 payments in 2025, £52.56 in all." in page
    # January to June under the cited rule (21p of 438p to the branch), July on the changed one
    assert "1 January 2025" in page and "Hillford £0.21" in page and "Hillford £0.44" in page
    assert "Hillford East £0.22" in page
    assert "Hillford received <strong>£3.90</strong>" in page  # 6 times 21p and 6 times 44p
    assert "all its 1 paying member" in page
    assert 'href="/finance/units/hillford/books/">Hillford\'s accounts' in page
    assert "Bob" not in page


def test_the_standing_page_says_this_years_subscription_and_links_to_where_it_goes(
    org: Org, client_as: Any
) -> None:
    page = client_as("member").get("/me/").content.decode()
    assert "Your subscription in" in page and 'href="/me/subscription/"' in page


@pytest.mark.parametrize(
    ("who", "ann", "bob"),
    [("secretary", 200, 403), ("officer", 200, 403), ("hilltreasurer", 200, 403),
     ("moorsec", 403, 200), ("executive", 200, 200), ("treasurer", 200, 200),
     ("returning", 403, 403), ("member", 302, 403)],
)  # fmt: skip
def test_who_sees_a_members_subscription_page(
    org: Org, client_as: Any, who: str, ann: int, bob: int
) -> None:
    c = client_as(who)
    assert c.get("/finance/members/M1/subscription/").status_code == ann
    assert c.get("/finance/members/M2/subscription/").status_code == bob


def test_an_anonymous_visitor_is_sent_to_log_in_for_member_pages(org: Org) -> None:
    c = Client()
    for url in [
        "/me/subscription/",
        "/finance/members/M1/subscription/",
        "/finance/members/M1/payments/new/",
        "/finance/units/hillford/payments/import/",
        "/finance/subscriptions/rules/new/",
        "/finance/units/national/remittances/new/",
    ]:
        assert c.get(url).status_code == 302, url


@pytest.mark.parametrize(
    ("who", "status"),
    [("secretary", 200), ("hilltreasurer", 200), ("admin", 200), ("officer", 403),
     ("moorsec", 403), ("executive", 403), ("member", 403)],
)  # fmt: skip
def test_who_may_record_a_payment_and_import_a_file_for_hillford(
    org: Org, client_as: Any, who: str, status: int
) -> None:
    c = client_as(who)
    assert c.get("/finance/members/M1/payments/new/").status_code == status
    assert c.get("/finance/units/hillford/payments/import/").status_code == status
    r = c.post("/finance/members/M1/payments/new/", {"paid_on": "01/03/2025", "amount": "4.38"})
    assert r.status_code == (302 if status == 200 else 403)
    assert Payment.objects.count() == (1 if status == 200 else 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("treasurer", 200), ("hilltreasurer", 403), ("secretary", 403),
     ("executive", 403), ("member", 403)],
)  # fmt: skip
def test_only_the_national_office_sets_rules_and_records_remittances(
    org: Org, client_as: Any, who: str, status: int
) -> None:
    c = client_as(who)
    assert c.get("/finance/subscriptions/rules/new/").status_code == status
    assert c.get("/finance/units/national/remittances/new/").status_code == status


def test_a_rule_set_in_the_form_is_recorded_and_a_bad_one_refused_in_words(
    org: Org, client_as: Any
) -> None:
    c = client_as("treasurer")
    form = {"effective_from": "01/01/2026", "standard_rate": "60.00", "standard_national": "54",
            "standard_branch": "6", "reason": "10% to the branch"}  # fmt: skip
    bad = c.post("/finance/subscriptions/rules/new/", {**form, "standard_branch": "5"})
    assert bad.status_code == 200
    assert (
        "The standard shares add up to £59.00, not to its rate of £60.00." in bad.content.decode()
    )
    assert c.post("/finance/subscriptions/rules/new/", form).status_code == 302
    rule = SubscriptionRule.objects.get(effective_from=D(2026, 1, 1))
    assert rule.bands == {"standard": {"rate": 6000, "shares": {"national": 5400, "branch": 600}}}
    odd = c.post(
        "/finance/subscriptions/rules/new/",
        {**form, "effective_from": "1 Jan", "standard_rate": "£x"},
    )
    assert odd.status_code == 200 and "Enter a valid date." in odd.content.decode()
    assert "&#x27;£x&#x27; is not an amount of money" in odd.content.decode()


def _checked(c: Client, name: str, data: bytes) -> str:
    """The page answering a payments file sent to Hillford's import."""
    kind = "text/plain" if name.endswith(".txt") else "text/csv"  # as a browser labels it
    upload = SimpleUploadedFile(name, data, kind)
    return c.post("/finance/units/hillford/payments/import/", {"file": upload}).content.decode()


def _confirmed(c: Client, page: str) -> Any:
    """The answer to "Record" pressed on a checked file's ``page``."""
    token = page.split('name="token" value="')[1].split('"')[0]
    return c.post("/finance/units/hillford/payments/import/confirm/", {"token": token})


def test_a_payments_file_with_a_bad_row_records_nothing_and_a_good_one_is_confirmed(
    org: Org, client_as: Any
) -> None:
    c = client_as("secretary")
    page = _checked(c, "feb.csv", b"number,date,amount\nM1,01/02/2025,4.38\nM2,01/02/2025,4.38\n")
    assert "M2 is not a member you keep" in page and "nothing in it can be recorded" in page
    assert "Record 1 payment" not in page
    page = _checked(c, "feb.csv", b"number,date,amount\nM1,01/02/2025,4.38\nM1,01/03/2025,4.38\n")
    assert "2 payments totalling £8.76 to record" in page and not Payment.objects.exists()
    assert _confirmed(c, page).status_code == 302 and Payment.objects.count() == 2
    again = _confirmed(c, page)
    assert again.status_code == 302 and Payment.objects.count() == 2  # spent token: nothing twice


def test_a_file_that_is_not_text_is_refused_in_words(org: Org, client_as: Any) -> None:
    page = _checked(client_as("secretary"), "x.csv", b"\xff\xfe\x00bad\xff")
    assert "The file is neither UTF-8 nor UTF-16 text" in page


# Excel's "Unicode text": UTF-16 with its byte-order mark, tab-separated, Windows line ends
UNICODE_TEXT = "number\tdate\tamount\r\nM1\t01/02/2025\t4.38\r\nM1\t01/03/2025\t4.38\r\n"


@pytest.mark.parametrize(
    "data",
    [
        UNICODE_TEXT.encode("utf-16"),  # little-endian with its mark, as Windows writes it
        codecs.BOM_UTF16_LE + UNICODE_TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + UNICODE_TEXT.encode("utf-16-be"),
        codecs.BOM_UTF16_LE + UNICODE_TEXT.replace("\t", ",").encode("utf-16-le"),
    ],
    ids=["utf-16", "utf-16-le", "utf-16-be", "utf-16-commas"],
)
def test_a_payments_file_saved_as_utf16_unicode_text_is_read_and_recorded(
    org: Org, client_as: Any, data: bytes
) -> None:
    c = client_as("secretary")
    page = _checked(c, "feb.txt", data)
    assert "2 payments totalling £8.76 to record" in page and not Payment.objects.exists()
    assert _confirmed(c, page).status_code == 302
    assert sorted(Payment.objects.values_list("paid_on", flat=True)) == [
        D(2025, 2, 1),
        D(2025, 3, 1),
    ]


def test_a_utf16_payments_file_with_bad_rows_names_each_row_column_and_problem(
    org: Org, client_as: Any
) -> None:
    text = "number\tdate\tamount\r\nM1\t01/02/2025\t4.38\r\nM2\t01/02/2025\t4.38\r\n"
    text += "M1\t31/02/2025\t4.38\r\nM1\t01/03/2025\tfour\r\nM1\t01/04/2025\r\n"
    page = _checked(client_as("secretary"), "bad.txt", text.encode("utf-16"))
    cells = re.findall(r'data-label="(?:Row|Column|Problem)">([^<]*)<', page)
    found = [tuple(cells[i : i + 3]) for i in range(0, len(cells), 3)]
    assert found[:4] == [
        ("3", "number", "M2 is not a member you keep"),
        ("4", "date", "&#x27;31/02/2025&#x27; is not a date; write it as 2025-03-01 or 01/03/2025"),
        ("5", "amount", found[2][2]),
        ("6", "", "2 values where the header has 3"),
    ]
    assert "four" in found[2][2] and "nothing in it can be recorded" in page
    assert not Payment.objects.exists()


def test_anyone_reads_the_rules_unit_totals_remittances_and_what_if(org: Org) -> None:
    _year(org)
    record_remittance(org.hillford, period=D(2025, 1, 1), paid_on=D(2025, 2, 1), amount=10, by=None)
    c = Client()
    rules = c.get("/finance/subscriptions/").content.decode()
    assert "From 1 January 2025 to 30 June 2025" in rules and "£52.56" in rules and "£2.50" in rules
    unit = c.get("/finance/units/hillford/subscriptions/?year=2025").content.decode()
    assert "Hillford's share was <strong>£3.90</strong>" in unit
    north = c.get("/finance/units/north/subscriptions/?year=2025").content.decode()
    assert "Moorside" in north and "£0.00" in north
    rem = c.get("/finance/units/hillford/remittances/?year=2025").content.decode()
    assert "is owed £3.90; the national office has paid it £0.10, so <strong>£3.80</strong>" in rem
    nat = c.get("/finance/units/national/remittances/?year=2025").content.decode()
    assert "Hillford" in nat and "£3.80" in nat
    wi = c.get("/finance/units/hillford/what-if/?percent=10&year=2025").content.decode()
    assert "It would have received</dt><dd>£5.28" in wi  # 12 times 44p
    assert "£1.38 more" in wi
    this_year = c.get("/finance/units/hillford/what-if/?percent=10").content.decode()
    assert "This field is required" not in this_year and 'id="what-if-result"' in this_year
    assert f"{timezone.localdate().year} with 10% to Hillford" in this_year
    bad = c.get("/finance/units/hillford/what-if/?percent=abc&year=1")
    assert bad.status_code == 200 and "Enter a number." in bad.content.decode()


def test_odd_addresses_are_not_found_and_odd_years_fall_back(org: Org) -> None:
    c = Client()
    assert c.get("/finance/units/nowhere/subscriptions/").status_code == 404
    assert c.get("/finance/units/hillford/subscriptions/?year=99999999999").status_code == 200
    assert c.get("/api/subscription-rules/99999999999999999999999").status_code == 404


def _schema(path: str) -> dict[str, Any]:
    doc = Client().get("/api/openapi.json").json()
    return doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def test_the_split_rules_api_matches_its_openapi_description(org: Org) -> None:
    data = Client().get("/api/subscription-rules").json()
    Draft202012Validator(
        _schema("/api/subscription-rules"), format_checker=FormatChecker()
    ).validate(data)
    first, second = data["rules"][1], data["rules"][0]
    assert first["effective_from"] == "2025-01-01" and first["effective_until"] == "2025-06-30"
    assert first["bands"]["standard"] == {"rate": 5256, "shares": {"national": 5006, "branch": 250}}
    assert second["effective_until"] is None
    pk = SubscriptionRule.objects.get(effective_from=D(2025, 1, 1)).pk
    one = Client().get(f"/api/subscription-rules/{pk}").json()
    Draft202012Validator(
        _schema("/api/subscription-rules/{id}"), format_checker=FormatChecker()
    ).validate(one)
    assert one == first
    assert not Remittance.objects.exists()


def test_remittances_are_recorded_from_the_national_unit_only(org: Org, client_as: Any) -> None:
    c = client_as("admin")
    r = c.get("/finance/units/hillford/remittances/new/")
    assert r.status_code == 302 and r["Location"] == "/finance/units/hillford/remittances/"
    bad = c.post(
        "/finance/units/national/remittances/new/",
        {"unit": "nowhere", "period": "1999-01-01", "paid_on": "x", "amount": "1"},
    )
    assert bad.status_code == 200 and "Select a valid choice." in bad.content.decode()
    assert not Remittance.objects.exists()
