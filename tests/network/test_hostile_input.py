"""No groups or primaries address answers a server error: every URL pattern of those pages and
the API, with real and hostile path values, by GET and POST with hostile form values, as each
role (anonymous, organiser, a group's admin, a member of the network, an outsider)."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from django.urls import get_resolver

from grassroots.network.actions import primaries as pa
from tests.network.builders import PASSWORD, join, network, user
from tests.network.test_primaries import DURING, make_primary
from tests.web.conftest import _fast_passwords as _fast_passwords

pytestmark = pytest.mark.django_db

MINE = ("group", "organise", "join", "primar", "api_")
HOSTILE_FORM = {
    "name": "x" * 300,
    "email": "a@b\nBcc: c@d",
    "text": "\x00",
    "username": "'; drop table",
    "candidacy": "99999999999999999999",
    "group": "-1",
    "question": "abc",
    "theme": "1e9",
    "decision": "maybe",
    "declare": "yes",
    "digest": "0" * 64,
    "seats": "-3",
    "freeze_date": "31/02/2026",
}


def _patterns() -> list[tuple[str, str]]:
    (net,) = [r for r in get_resolver().url_patterns if getattr(r, "app_name", "") == "network"]
    return [
        (p.name or "", str(p.pattern))
        for p in net.url_patterns
        if p.name and p.name.startswith(MINE)
    ]


def test_every_groups_and_primaries_address_answers_without_a_server_error() -> None:
    net = network()
    join(net.groups["Leeds Left"], "Ann", "ann@example.org")
    ann = user("ann", "ann@example.org")
    p = make_primary(net, constraints={}, backing_threshold={})
    pa.self_nominate(p, by=ann, name="Ann", statement="s", now=DURING)
    theme = pa.start_theme(p, "Housing", by=net.organiser)
    user("outsider")
    values = {
        "network": ["left", "nowhere", "x" * 80],
        "group": ["leeds-left", "unite-branch-7", "no-such-group"],
        "pk": [str(p.pk), "0", "99999999999999999999"],
        "theme": [str(theme.pk), "0"],
        "token": ["not-a-token", "a" * 300],
        "name": ["open", "publish", "delete"],
    }
    routes = _patterns()
    assert len(routes) >= 20
    clients = {"anonymous": Client()}
    for who in ("organiser", "admin0", "ann", "outsider"):
        c = Client()
        assert c.login(username=who, password=PASSWORD)
        clients[who] = c
    problems = []
    for _, route in routes:
        params = [part.split(":")[1].rstrip(">").split(">")[0] for part in route.split("<")[1:]]
        for combo in itertools.product(*(values.get(n, ["1"]) for n in params)):
            address = "/" + route
            for n, v in zip(params, combo, strict=True):
                address = address.replace(
                    f"<{route.split('<')[1 + params.index(n)].split('>')[0]}>", v, 1
                )
            for who, c in clients.items():
                for method in ("get", "post"):
                    r = getattr(c, method)(address, HOSTILE_FORM if method == "post" else {})
                    if r.status_code >= 500:
                        problems.append(f"{who} {method.upper()} {address}: {r.status_code}")
    assert problems == []
