"""The network's JSON API: groups' public profiles, primaries and a published primary's
result, each validated against the OpenAPI document; nothing private in any answer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver
from jsonschema import Draft202012Validator, FormatChecker

from grassroots.elections import actions as elections
from grassroots.elections.voters import voter_for
from grassroots.network.actions import primaries as pa
from tests.network.builders import DAY, NOW, join, network, user
from tests.network.test_primaries import DURING, make_primary
from tests.web.conftest import _fast_passwords as _fast_passwords

pytestmark = pytest.mark.django_db


def valid(path: str, data: Any) -> Any:
    doc = Client().get("/api/openapi.json").json()
    schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(data)
    return data


def test_the_openapi_document_describes_every_network_api_path() -> None:
    doc = Client().get("/api/openapi.json").json()
    (mine,) = [r for r in get_resolver().url_patterns if getattr(r, "app_name", "") == "network"]
    routes = {str(p.pattern) for p in mine.url_patterns if str(p.pattern).startswith("api/")}
    documented = {
        p.lstrip("/").replace("{network}", "<slug:network>").replace("{id}", "<id:pk>")
        for p in doc["paths"]
    }
    assert len(routes) == 3 and routes <= documented


def test_groups_public_profiles_and_a_published_primary_through_the_api() -> None:
    net = network()
    voters = [user(f"v{i}", f"v{i}@example.org") for i in range(4)]
    for i in range(4):
        join(list(net.groups.values())[i % 3], f"Voter {i}", f"v{i}@example.org")
    join(net.groups["Unite Branch 7"], "Voter 0 again", "V0@example.org")
    p = make_primary(net, seats=2, constraints={"minima": {"women": 1}})
    for k, (name, groups) in enumerate((("Al", []), ("Bea", ["women"]), ("Cy", []))):
        c = pa.self_nominate(
            p, by=voters[k], name=name, statement=f"I am {name}", stands_as=groups, now=DURING
        )
        for g in ("Leeds Left", "Women Organise"):
            pa.back_candidate(c, net.groups[g], by=net.admins[g], now=DURING)
    c = Client()
    groups = valid("/api/networks/{network}/groups", c.get("/api/networks/left/groups").json())
    assert [g["name"] for g in groups["groups"]] == sorted(net.groups)
    assert "g0@example.org" not in str(groups)  # the group's contact is never published
    pa.open_primary(p, by=net.organiser)
    for i, u in enumerate(voters):
        elections.cast(
            p.election, voter_for(u, p.election), ["Al", "Cy", "Bea"] if i < 3 else ["Bea"]
        )
    pa.close_primary(p, by=net.organiser, now=NOW + 6 * DAY)
    pa.publish_primary(p, by=net.organiser, digest=pa.count_primary(p, by=net.organiser))
    listed = valid(
        "/api/networks/{network}/primaries", c.get("/api/networks/left/primaries").json()
    )
    assert listed["primaries"][0]["state"] == "published"
    body = valid(
        "/api/networks/{network}/primaries/{id}",
        c.get(f"/api/networks/left/primaries/{p.pk}").json(),
    )
    assert sorted(body["result"]["elected"]) == ["Al", "Bea"]
    assert (body["result"]["members"], body["result"]["groups"], body["result"]["entries"]) == (
        4,
        3,
        5,
    )
    assert {f["group"]: f["found_elsewhere"] for f in body["group_figures"]}["Leeds Left"] == 1
    assert sum(t["voted"] for t in body["turnout_by_group"]) == 5  # Voter 0 counts in two groups
    assert "v0@example.org" not in str(body).lower() and bytes(p.key).hex() not in str(body)
    assert c.get("/api/networks/left/primaries/999999").status_code == 404
    assert c.get("/api/networks/nowhere/groups").status_code == 404
