"""Fixtures for the subscription tests: the web tests' organisation with the rule members cite
(£52.56 a year at the standard rate, £2.50 of it to the branch) from the start of 2025, a
changed rule from the middle of 2025, and a treasurer at the national office."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, Org, _org
from tests.web.conftest import _fast_passwords as _fast_passwords  # autouse fixture reused

__all__ = ["CHANGED", "CITED", "PASSWORD", "Org"]

D = dt.date
CITED = {
    "standard": {"rate": 5256, "shares": {"national": 5006, "branch": 250}},
    "reduced": {"rate": 2628, "shares": {"national": 2503, "branch": 125}},
}
CHANGED = {
    "standard": {
        "rate": 5256,
        "shares": {"national": 4205, "region": 263, "branch": 526, "ward": 262},
    },
    "reduced": {
        "rate": 2628,
        "shares": {"national": 2103, "region": 131, "branch": 263, "ward": 131},
    },
}


def _subs(org: Org) -> Org:
    from grassroots.finance.actions.subscriptions import create_rule
    from grassroots.members import actions

    create_rule(effective_from=D(2025, 1, 1), bands=CITED, reason="the rule members cite", by=None)
    create_rule(effective_from=D(2025, 7, 1), bands=CHANGED, reason="conference", by=None)
    for name, kind, unit in [
        ("treasurer", "treasurer", org.national),
        ("hilltreasurer", "treasurer", org.hillford),
    ]:
        u = actions.create_login(username=name, password=PASSWORD, by=None)
        actions.grant_role(user=u, kind=kind, unit=unit, by=None)
        org.users[name] = u
    return org


@pytest.fixture
def org(db: None) -> Org:
    return _subs(_org())


@pytest.fixture
def live_org(transactional_db: None) -> Org:
    return _subs(_org())


@pytest.fixture
def client_as(client: Any, org: Org) -> Any:
    def login(name: str) -> Any:
        client.force_login(org.users[name])
        return client

    return login
