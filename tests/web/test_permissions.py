"""Roles are scoped to a unit: each role tries what it must not do and is refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.members import actions
from grassroots.members.models import Member
from grassroots.members.permissions import NotAllowed, can
from tests.web.conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db


def client_for(org: Org, who: str) -> Client:
    c = Client()
    assert c.login(username=org.users[who].username, password=PASSWORD)
    return c


# (role, url name, kwargs maker, method) that must be refused with 403
REFUSED = [
    ("secretary", "members:register", lambda o: {"code": "moorside"}, "get"),
    ("secretary", "members:member", lambda o: {"number": o.bob.number}, "get"),
    ("secretary", "members:member", lambda o: {"number": o.bob.number}, "post"),
    ("secretary", "members:member_status", lambda o: {"number": o.bob.number}, "post"),
    ("secretary", "members:member_payment", lambda o: {"number": o.bob.number}, "post"),
    ("secretary", "members:import", lambda o: {"code": "moorside"}, "get"),
    ("secretary", "members:export", lambda o: {"code": "moorside"}, "get"),
    ("secretary", "members:register", lambda o: {"code": "north"}, "get"),
    ("secretary", "members:delegates", lambda o: {"code": "national"}, "get"),
    ("moorsec", "members:register", lambda o: {"code": "hillford"}, "get"),
    ("officer", "members:member_new", lambda o: {"code": "hillford"}, "get"),
    ("officer", "members:member_status", lambda o: {"number": o.ann.number}, "post"),
    ("officer", "members:member", lambda o: {"number": o.ann.number}, "post"),
    ("officer", "members:import", lambda o: {"code": "hillford"}, "get"),
    ("officer", "members:export", lambda o: {"code": "hillford"}, "get"),
    ("member", "members:register", lambda o: {"code": "hillford"}, "get"),
    ("member", "members:member", lambda o: {"number": o.ann.number}, "get"),
    ("member", "members:delegates", lambda o: {"code": "hillford"}, "get"),
    ("returning", "members:register", lambda o: {"code": "hillford"}, "get"),
    ("returning", "members:member_status", lambda o: {"number": o.ann.number}, "post"),
    ("executive", "members:member_status", lambda o: {"number": o.ann.number}, "post"),
    ("executive", "members:import", lambda o: {"code": "national"}, "get"),
]


@pytest.mark.parametrize(("who", "name", "kwargs", "method"), REFUSED)
def test_each_role_is_refused_what_it_may_not_do(
    org: Org, who: str, name: str, kwargs, method: str
) -> None:  # type: ignore[no-untyped-def]
    c = client_for(org, who)
    url = reverse(name, kwargs=kwargs(org))
    data = {"transition": "suspend", "reason": "x", "paid_up_to": "2099-01-01", "name": "Hacked"}
    r = c.post(url, data) if method == "post" else c.get(url)
    assert r.status_code == 403
    assert Member.objects.get(number=org.bob.number).status == "full"
    assert Member.objects.get(number=org.ann.number).status == "full"
    assert not Member.objects.filter(name="Hacked").exists()


@pytest.mark.parametrize(
    ("who", "name", "kwargs"),
    [
        ("secretary", "members:register", {"code": "hillford"}),
        ("secretary", "members:import", {"code": "hillford"}),
        ("secretary", "members:member", {"number": "M1"}),
        ("officer", "members:register", {"code": "hillford"}),
        ("officer", "members:member", {"number": "M1"}),
        ("executive", "members:register", {"code": "moorside"}),
        ("admin", "members:import", {"code": "moorside"}),
        ("returning", "members:delegates", {"code": "national"}),
        ("member", "members:standing", {}),
    ],
)
def test_each_role_may_do_what_its_scope_allows(
    org: Org, who: str, name: str, kwargs: dict[str, str]
) -> None:
    assert client_for(org, who).get(reverse(name, kwargs=kwargs)).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(org: Org) -> None:
    r = Client().get(reverse("members:register", kwargs={"code": "hillford"}))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_a_branch_secretary_cannot_act_on_another_branch_through_the_actions_either(
    org: Org,
) -> None:
    sec = org.users["secretary"]
    with pytest.raises(NotAllowed, match="secretary may not edit register for Moorside"):
        actions.change_status(org.bob, "suspend", by=sec, reason="x")
    with pytest.raises(NotAllowed):
        actions.update_member(org.ann, by=sec, changes={"branch": org.moorside})
    with pytest.raises(NotAllowed):
        actions.create_member(
            by=sec, number="Z", name="Z", branch=org.moorside, join_date=org.ann.join_date
        )


def test_only_an_administrator_may_grant_roles(org: Org) -> None:
    for who in ("secretary", "executive", "returning"):
        with pytest.raises(NotAllowed):
            actions.grant_role(
                user=org.users["member"],
                kind="branch_officer",
                unit=org.hillford,
                by=org.users[who],
            )
    actions.grant_role(
        user=org.users["member"], kind="branch_officer", unit=org.hillford, by=org.users["admin"]
    )
    assert can(org.users["member"], "view_register", org.hillford)


def test_a_role_covers_the_units_below_its_own_but_not_beside_or_above(org: Org) -> None:
    sec = org.users["secretary"]
    assert can(sec, "edit_register", org.hillford) and can(sec, "edit_register", org.hillford_east)
    assert not can(sec, "edit_register", org.moorside)
    assert not can(sec, "edit_register", org.north)
    assert can(org.users["admin"], "edit_register", org.moorside)


def test_an_inactive_account_has_no_powers(org: Org) -> None:
    admin = org.users["admin"]
    admin.is_active = False
    assert not can(admin, "view_register", org.hillford)
