"""The register page (issue 9.12): filters for status and arrears with the members' count for
each choice, sorting by any column, and the ward column."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from grassroots.members import actions
from grassroots.members.listing import list_register
from grassroots.members.models import Member
from tests.web.conftest import PASSWORD, TODAY, Org

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def hillford(org: Org) -> Org:
    """Ann (full, in arrears, ward Hillford East) and three more Hillford members."""
    for number, name, status, paid in [
        ("M3", "Cy Current", "full", TODAY + dt.timedelta(days=20)),
        ("M4", "Di Never", "provisional", None),
        ("M5", "Ed Lapsed", "lapsed", TODAY - dt.timedelta(days=400)),
    ]:
        actions.create_member(
            by=None,
            number=number,
            name=name,
            branch=org.hillford,
            join_date=D(2020, 1, 1),
            status=status,
            paid_up_to=paid,
        )
    return org


def _numbers(params: dict[str, str], org: Org) -> list[str]:
    qs = Member.objects.filter(branch=org.hillford)
    return [m.number for m in list_register(qs, params, TODAY).members]


def test_in_arrears_means_paid_up_to_before_today_or_never_paid(hillford: Org) -> None:
    assert _numbers({"arrears": "in_arrears"}, hillford) == ["M1", "M4", "M5"]
    assert _numbers({"arrears": "paid_up"}, hillford) == ["M3"]


def test_status_and_arrears_filters_combine(hillford: Org) -> None:
    assert _numbers({"arrears": "in_arrears", "status": "full"}, hillford) == ["M1"]


def test_each_filter_choice_counts_the_members_it_would_show_given_the_others(
    hillford: Org,
) -> None:
    qs = Member.objects.filter(branch=hillford.hillford)
    listing = list_register(qs, {"status": "full"}, TODAY)
    assert listing.arrears_counts == {"in_arrears": 1, "paid_up": 1}
    assert listing.any_arrears == 2
    # the status counts follow the arrears choice, not the status chosen
    listing = list_register(qs, {"status": "full", "arrears": "in_arrears"}, TODAY)
    assert listing.status_counts == {
        "provisional": 1, "full": 1, "lapsed": 1, "suspended": 0, "expelled": 0
    }  # fmt: skip
    assert listing.any_status == 3


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["M1", "M3", "M4", "M5"]),
        ("-name", ["M5", "M4", "M3", "M1"]),
        ("paid", ["M5", "M1", "M3", "M4"]),
        ("status", ["M1", "M3", "M5", "M4"]),
    ],
)
def test_the_register_sorts_by_the_column_chosen(
    hillford: Org, sort: str, expected: list[str]
) -> None:
    got = _numbers({"sort": sort}, hillford)
    if sort == "paid":  # where a database puts a member never paid is its own choice
        got = [n for n in got if n != "M4"] + ["M4"]
    assert got == expected


def test_unknown_filter_and_sort_values_are_ignored_not_an_error(hillford: Org) -> None:
    qs = Member.objects.filter(branch=hillford.hillford)
    listing = list_register(qs, {"status": "x'", "arrears": "<b>", "sort": "password"}, TODAY)
    assert (listing.status, listing.arrears, listing.sort) == ("", "", "number")
    assert [m.number for m in listing.members] == ["M1", "M3", "M4", "M5"]


def test_the_register_page_shows_the_ward_the_counts_and_keeps_filters_across_pages(
    hillford: Org,
) -> None:
    c = Client()
    assert c.login(username="secretary", password=PASSWORD)
    r = c.get("/units/hillford/", {"arrears": "in_arrears", "sort": "-name"})
    html = " ".join(r.content.decode().split())
    assert '<td data-label="Ward">Hillford East</td>' in html
    assert '<option value="in_arrears" selected>In arrears (3)</option>' in html
    assert '<option value="full">Full (1)</option>' in html
    assert "3 members match, in arrears." in html
    assert 'aria-sort="descending"' in html
    assert 'href="?arrears=in_arrears&amp;sort=name"' in html  # the heading reverses the sort
    for bad in ({"page": "x"}, {"sort": "-"}):
        assert c.get("/units/hillford/", bad).status_code == 200
    # a NUL is refused before any page reads it (site/uploads.py)
    assert c.get("/units/hillford/", {"status": "\u0000"}).status_code == 400
