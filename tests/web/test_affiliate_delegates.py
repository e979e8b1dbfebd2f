"""Delegates of affiliated bodies (issue 9.6): an affiliate's page shows its own entitlement,
worked out from its recorded affiliated membership with every step shown, as for branches."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from grassroots import dates
from grassroots.audit.models import AuditEntry
from grassroots.members import actions, queries
from grassroots.members.delegates import CONFERENCE, Figures, entitlement, gc_formula
from grassroots.members.models import Unit
from tests.web.conftest import PASSWORD, TODAY, Org

pytestmark = pytest.mark.django_db

SNAPSHOT = dt.date(TODAY.year - 1, 12, 31)


@pytest.fixture
def union(org: Org) -> Unit:
    return actions.create_unit(
        kind="affiliate", code="union-hill", name="Hillford Posties", parent=org.hillford, by=None
    )


def _login(who: str) -> Client:
    c = Client()
    assert c.login(username=who, password=PASSWORD)
    return c


def test_a_group_not_recorded_is_said_so_in_the_working_not_counted_as_none() -> None:
    r = entitlement(CONFERENCE, Figures(800, {}))
    assert "no women's delegate: women members not recorded" in r.steps
    assert "no youth delegate: young members not recorded" in r.steps


def test_an_affiliates_entitlement_comes_from_its_latest_affiliated_membership(
    org: Org, union: Unit
) -> None:
    actions.record_affiliation(union, members=100, as_of=SNAPSHOT.replace(year=2000), by=None)
    actions.record_affiliation(union, members=1000, as_of=SNAPSHOT, by=None)
    actions.record_affiliation(union, members=5, as_of=SNAPSHOT + dt.timedelta(days=1), by=None)
    [row] = queries.delegate_table(Unit.objects.filter(pk=union.pk), CONFERENCE, SNAPSHOT)
    assert row.basis == f"1000 affiliated members, as recorded at {dates.day(SNAPSHOT)}"
    assert row.result.delegates == 3
    assert row.result.steps[:2] == (
        "1 delegate for the first 749 members",
        "2 more for the further 251 members (1 per 250 or part thereof)",
    )
    [row] = queries.delegate_table(Unit.objects.filter(pk=union.pk), gc_formula(25), SNAPSHOT)
    assert row.result.steps == ("40 for 1000 members (1 per 25 or part thereof)",)


def test_an_affiliate_without_a_figure_has_no_delegates_and_the_working_says_why(
    org: Org, union: Unit
) -> None:
    [row] = queries.delegate_table(Unit.objects.filter(pk=union.pk), CONFERENCE, SNAPSHOT)
    assert row.basis == f"no affiliated membership recorded on or before {dates.day(SNAPSHOT)}"
    assert row.result.delegates == 0


def test_a_branch_table_lists_its_affiliates_beside_its_branches(org: Org, union: Unit) -> None:
    actions.record_affiliation(union, members=60, as_of=SNAPSHOT, by=None)
    rows = queries.delegate_table(
        Unit.objects.filter(path__startswith=org.north.path), gc_formula(25), SNAPSHOT
    )
    assert [r.body.name for r in rows] == ["Hillford", "Hillford Posties", "Moorside"]
    assert rows[1].result.delegates == 3


def test_the_affiliates_delegate_page_shows_its_row_and_working_not_no_branches(
    org: Org, union: Unit
) -> None:
    actions.record_affiliation(union, members=312, as_of=SNAPSHOT, by=None)
    html = " ".join(
        _login("secretary").get("/units/union-hill/delegates/").content.decode().split()
    )
    assert "No branches" not in html
    assert "Hillford Posties" in html
    assert f"312 affiliated members, as recorded at {dates.day(SNAPSHOT)}" in html
    assert "1 delegate for the first 749 members" in html
    assert "no women&#x27;s delegate: women members not recorded" in html


def test_the_secretary_records_affiliated_membership_and_it_is_audited(
    org: Org, union: Unit
) -> None:
    r = _login("secretary").post(
        "/units/union-hill/affiliation/",
        {"members": "312", "as_of": str(SNAPSHOT), "reason": "2025 return"},
    )
    assert r.status_code == 302
    assert union.affiliations.get().members == 312
    e = AuditEntry.objects.filter(action="record_affiliation").latest("id")
    assert (e.actor_name, e.reason) == ("secretary", "2025 return")


def test_only_an_affiliate_has_affiliated_membership_and_only_its_register_keepers_record_it(
    org: Org, union: Unit
) -> None:
    with pytest.raises(actions.ActionRefused, match="Hillford is a branch, not an affiliated"):
        actions.record_affiliation(org.hillford, members=5, as_of=SNAPSHOT, by=None)
    assert (
        _login("moorsec")
        .post("/units/union-hill/affiliation/", {"members": "9", "as_of": str(SNAPSHOT)})
        .status_code
        == 403
    )
    r = _login("secretary").post(
        "/units/union-hill/affiliation/", {"members": "-3", "as_of": str(SNAPSHOT)}, follow=True
    )
    assert "Nothing recorded." in r.content.decode()
    assert not union.affiliations.exists()
