"""Fixtures for the election tests: the web tests' organisation plus an election open for voting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from tests.web.conftest import Org, _org
from tests.web.conftest import _fast_passwords as _fast_passwords  # autouse fixture reused

NOW = timezone.now()
DAY = dt.timedelta(days=1)
CANDIDATES = ("Alice Able", "Bea Bold", "Cal Calm", "Dan Deft")


@dataclass
class Setup:
    org: Org
    election: Any
    candidates: dict[str, Any]


def make_election(org: Org, *, open_voting: bool = True, seats: int = 2, **extra: Any) -> Setup:
    """An election over the whole party: four consenting candidates, each nominated by a branch."""
    from grassroots.elections import actions
    from grassroots.members.eligibility import RuleSet

    ro = org.users["returning"]
    kw: dict[str, Any] = {
        "title": "Chair and vice-chair",
        "seats": seats,
        "rule": "scottish",
        "unit": org.national,
        "eligibility": RuleSet(on=NOW.date()),
        "freeze_date": NOW.date() - 20 * DAY,
        "nominations_open": NOW - 10 * DAY,
        "nominations_close": NOW - 2 * DAY,
        "voting_open": NOW - DAY,
        "voting_close": NOW + 5 * DAY,
        "threshold": {"kind": "branch", "count": 1},
        "by": ro,
    }
    kw.update(extra)
    e = actions.create_election(**kw)
    cands = {}
    during = NOW - 5 * DAY
    for name in CANDIDATES:
        groups = ["women"] if name in ("Alice Able", "Bea Bold") else []
        cands[name] = actions.add_candidate(e, name=name, groups=groups, by=ro, now=during)
        actions.consent(
            cands[name],
            statement=f"Vote {name}",
            on_request="signed consent form received by post",
            by=ro,
            now=during,
        )
    for name, body, sec in [
        ("Alice Able", org.hillford, "secretary"),
        ("Bea Bold", org.hillford, "secretary"),
        ("Cal Calm", org.moorside, "moorsec"),
        ("Dan Deft", org.moorside, "moorsec"),
    ]:
        actions.record_nomination(
            e, body=body, candidate=cands[name], by=org.users[sec], now=during
        )
    if open_voting:
        actions.open_voting(e, by=ro)
    e.refresh_from_db()
    return Setup(org, e, cands)


@pytest.fixture
def org(db: None) -> Org:
    return _org()


@pytest.fixture
def live_org(transactional_db: None) -> Org:
    return _org()


@pytest.fixture
def voting(org: Org) -> Setup:
    return make_election(org)


@pytest.fixture
def draft(org: Org) -> Setup:
    return make_election(org, open_voting=False)
