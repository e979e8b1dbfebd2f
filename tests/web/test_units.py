"""The organisation tree from the web: administrators add units where the kind fits, and rename."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.audit.models import AuditEntry
from grassroots.members import actions
from grassroots.members.forms import UnitForm
from grassroots.members.models import Unit
from grassroots.members.permissions import NotAllowed
from tests.web.conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db


def login(org: Org, who: str) -> Client:
    c = Client()
    assert c.login(username=org.users[who].username, password=PASSWORD)
    return c


def _last() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()  # type: ignore[return-value]


# --- actions


def test_an_administrator_adds_a_branch_under_a_region_and_it_is_audited(org: Org) -> None:
    admin = org.users["admin"]
    u = actions.create_unit(
        kind="branch", code="dale", name="Dale", parent=org.north, by=admin, reason="new town"
    )
    assert u.path == f"{org.north.path}{u.pk}/" and u.parent == org.north
    e = _last()
    assert (e.actor, e.action, e.subject, e.reason) == (
        admin,
        "create_unit",
        f"unit:{u.pk}",
        "new town",
    )
    assert e.summary == "created branch Dale (dale) under North"


@pytest.mark.parametrize(
    ("kind", "parent", "problem"),
    [
        ("ward", "north", "a ward cannot sit under region: it goes under branch"),
        ("region", "hillford", "a region cannot sit under branch: it goes under national"),
        (
            "branch",
            "hillford_east",
            "a branch cannot sit under ward: it goes under region or national",
        ),
        (
            "affiliate",
            "hillford_east",
            "an affiliate cannot sit under ward: it goes under national or region or branch",
        ),
        ("national", "national", "a national cannot sit under national: it goes under nothing"),
        ("county", "north", "unknown unit kind 'county'"),
    ],
)
def test_a_unit_whose_kind_does_not_fit_its_parent_is_refused(
    org: Org, kind: str, parent: str, problem: str
) -> None:
    before = (Unit.objects.count(), AuditEntry.objects.count())
    with pytest.raises(actions.ActionRefused, match=problem):
        actions.create_unit(
            kind=kind, code="x", name="X", parent=getattr(org, parent), by=org.users["admin"]
        )
    assert (Unit.objects.count(), AuditEntry.objects.count()) == before


def test_each_kind_may_be_added_only_where_the_tree_allows() -> None:
    assert actions.child_kinds("national") == ("region", "branch", "affiliate")
    assert actions.child_kinds("region") == ("branch", "affiliate")
    assert actions.child_kinds("branch") == ("ward", "affiliate")
    assert actions.child_kinds("ward") == ()
    assert actions.child_kinds("affiliate") == ()


def test_a_unit_code_must_be_unique_and_slug_safe(org: Org) -> None:
    admin = org.users["admin"]
    with pytest.raises(actions.ActionRefused, match="a unit with code 'hillford' already exists"):
        actions.create_unit(kind="branch", code="hillford", name="H", parent=org.north, by=admin)
    with pytest.raises(actions.ActionRefused, match="only letters, digits, hyphens"):
        actions.create_unit(kind="branch", code="dale town", name="D", parent=org.north, by=admin)
    with pytest.raises(actions.ActionRefused, match="a unit needs a name"):
        actions.create_unit(kind="branch", code="dale", name="  ", parent=org.north, by=admin)


def test_renaming_keeps_the_code_and_records_old_and_new_names(org: Org) -> None:
    admin = org.users["admin"]
    actions.rename_unit(org.hillford, name=" Hillford and Dale ", by=admin, reason="merger")
    u = Unit.objects.get(pk=org.hillford.pk)
    assert (u.name, u.code) == ("Hillford and Dale", "hillford")
    e = _last()
    assert e.action == "rename_unit" and e.reason == "merger"
    assert e.summary == "renamed branch Hillford (hillford) to Hillford and Dale"
    assert e.detail == {"from": "Hillford", "to": "Hillford and Dale"}
    with pytest.raises(actions.ActionRefused, match="already has that name"):
        actions.rename_unit(u, name="Hillford and Dale", by=admin)
    with pytest.raises(actions.ActionRefused, match="needs a name"):
        actions.rename_unit(u, name="", by=admin)


# --- permissions: only administrators manage units, within their own unit


@pytest.mark.parametrize("who", ["secretary", "officer", "returning", "executive", "member"])
def test_only_an_administrator_may_add_or_rename_units(org: Org, who: str) -> None:
    user = org.users[who]
    with pytest.raises(NotAllowed, match=f"{user.username} may not manage units for"):
        actions.create_unit(kind="ward", code="w2", name="W", parent=org.hillford, by=user)
    with pytest.raises(NotAllowed):
        actions.rename_unit(org.hillford, name="Renamed", by=user)
    assert not Unit.objects.filter(code="w2").exists()
    assert Unit.objects.get(pk=org.hillford.pk).name == "Hillford"


def test_an_administrator_of_a_branch_manages_that_branch_and_nothing_beside_or_above(
    org: Org,
) -> None:
    local = actions.create_login(username="localadmin", password=PASSWORD, by=None)
    actions.grant_role(user=local, kind="administrator", unit=org.hillford, by=None)
    actions.create_unit(kind="ward", code="hillford-west", name="HW", parent=org.hillford, by=local)
    with pytest.raises(NotAllowed):
        actions.create_unit(kind="ward", code="moor-1", name="M1", parent=org.moorside, by=local)
    with pytest.raises(NotAllowed):
        actions.rename_unit(org.north, name="The North", by=local)
    with pytest.raises(NotAllowed):
        actions.create_unit(kind="branch", code="dale", name="Dale", parent=org.north, by=local)


@pytest.mark.parametrize("who", ["secretary", "executive", "officer"])
@pytest.mark.parametrize(
    ("name", "code", "method"),
    [
        ("members:unit_tree", "national", "get"),
        ("members:unit_tree", "hillford", "get"),
        ("members:unit_new", "hillford", "get"),
        ("members:unit_new", "hillford", "post"),
        ("members:unit_edit", "hillford", "post"),
    ],
)
def test_the_unit_pages_refuse_everyone_but_administrators(
    org: Org, who: str, name: str, code: str, method: str
) -> None:
    c = login(org, who)
    url = reverse(name, kwargs={"code": code})
    data = {"kind": "ward", "code": "sneaky", "name": "Hacked"}
    r = c.post(url, data) if method == "post" else c.get(url)
    assert r.status_code == 403
    assert not Unit.objects.filter(code="sneaky").exists()
    assert not Unit.objects.filter(name="Hacked").exists()


# --- pages


def test_the_tree_page_shows_every_unit_nested_under_its_parent(org: Org) -> None:
    html = login(org, "admin").get(reverse("members:unit_tree", kwargs={"code": "national"}))
    text = html.content.decode()
    assert html.status_code == 200 and "5 units." in text
    # Hillford East is listed inside Hillford's list, which is inside North's
    north = text.index("<strong>North</strong>")
    hill = text.index("<strong>Hillford</strong>")
    east = text.index("<strong>Hillford East</strong>")
    assert north < hill < east
    assert text[hill:east].count("<ul>") == 1
    assert 'aria-label="Add a unit under Hillford East"' not in text  # a ward holds no units
    assert 'aria-label="Add a unit under Hillford"' in text


def test_administrators_find_the_tree_from_their_registers_page(org: Org) -> None:
    html = login(org, "admin").get(reverse("members:units")).content.decode()
    assert f'href="{reverse("members:unit_tree", kwargs={"code": "national"})}"' in html
    assert html.count("Units in ") == 1  # only the top of what they manage
    assert "Units in " not in login(org, "secretary").get(reverse("members:units")).content.decode()


def test_adding_a_ward_through_the_form_puts_it_under_the_branch(org: Org) -> None:
    c = login(org, "admin")
    url = reverse("members:unit_new", kwargs={"code": "hillford"})
    page = c.get(url).content.decode()
    assert '<option value="ward">Ward</option>' in page
    assert '<option value="region">' not in page  # only kinds that fit are offered
    r = c.post(url, {"kind": "ward", "code": "hillford-west", "name": "Hillford West"}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("members:unit_tree", kwargs={"code": "national"})
    assert "Added ward Hillford West (hillford-west)." in r.content.decode()
    w = Unit.objects.get(code="hillford-west")
    assert (w.kind, w.parent_id, w.path) == ("ward", org.hillford.pk, f"{org.hillford.path}{w.pk}/")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "region", "code": "r2", "name": "R"},
            "kind",
            "A region cannot sit under a branch",
        ),
        ({"kind": "ward", "code": "moorside", "name": "W"}, "code", "already used by another unit"),
        ({"kind": "ward", "code": "hill west", "name": "W"}, "code", "no spaces"),
        ({"kind": "ward", "code": "w", "name": ""}, "name", "This field is required."),
    ],
)
def test_the_unit_form_explains_what_is_wrong(
    org: Org, data: dict[str, str], field: str, message: str
) -> None:
    form = UnitForm(data, parent=org.hillford)
    assert not form.is_valid()
    assert any(message in e for e in form.errors[field])
    r = login(org, "admin").post(reverse("members:unit_new", kwargs={"code": "hillford"}), data)
    assert r.status_code == 200 and Unit.objects.count() == 5


def test_renaming_through_the_page_changes_the_name_everywhere(org: Org) -> None:
    c = login(org, "admin")
    url = reverse("members:unit_edit", kwargs={"code": "moorside"})
    assert 'value="Moorside"' in c.get(url).content.decode()
    r = c.post(url, {"name": "Moorside and Fell", "reason": "boundary review"}, follow=True)
    assert "Renamed to Moorside and Fell." in r.content.decode()
    assert Unit.objects.get(code="moorside").name == "Moorside and Fell"
    assert _last().reason == "boundary review"
    r = c.post(url, {"name": "Moorside and Fell"})
    assert r.status_code == 200 and "already has that name" in r.content.decode()
