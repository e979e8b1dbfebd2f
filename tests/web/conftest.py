"""Fixtures for the web tests: a small organisation, users in each role, and members."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

D = dt.date
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, tmp_path: Any) -> None:
    """Cheap password hashing and a private staging folder for uploads."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


@dataclass
class Org:
    national: Any
    north: Any
    hillford: Any
    moorside: Any
    hillford_east: Any
    users: dict[str, Any]
    ann: Any  # member of Hillford with a login
    bob: Any  # member of Moorside


PASSWORD = "a-test-password"


def _org() -> Org:
    from grassroots.members import actions

    nat = actions.create_unit(
        kind="national", code="national", name="Test Party", parent=None, by=None
    )
    north = actions.create_unit(kind="region", code="north", name="North", parent=nat, by=None)
    hill = actions.create_unit(
        kind="branch", code="hillford", name="Hillford", parent=north, by=None
    )
    moor = actions.create_unit(
        kind="branch", code="moorside", name="Moorside", parent=north, by=None
    )
    east = actions.create_unit(
        kind="ward", code="hillford-east", name="Hillford East", parent=hill, by=None
    )
    ann = actions.create_member(
        by=None,
        number="M1",
        name="Ann Arrears",
        branch=hill,
        ward=east,
        join_date=D(2019, 1, 1),
        status="full",
        paid_up_to=TODAY - dt.timedelta(days=30),
        gender="woman",
    )
    bob = actions.create_member(
        by=None,
        number="M2",
        name="Bob Moor",
        branch=moor,
        join_date=D(2019, 1, 1),
        status="full",
        paid_up_to=TODAY + dt.timedelta(days=300),
    )
    users = {}
    for name, kind, unit in [
        ("secretary", "branch_secretary", hill),
        ("officer", "branch_officer", hill),
        ("returning", "returning_officer", nat),
        ("executive", "executive", nat),
        ("admin", "administrator", nat),
        ("moorsec", "branch_secretary", moor),
    ]:
        u = actions.create_login(username=name, password=PASSWORD, by=None)
        actions.grant_role(user=u, kind=kind, unit=unit, by=None)
        users[name] = u
    users["member"] = actions.create_login(username="ann", password=PASSWORD, member=ann, by=None)
    return Org(nat, north, hill, moor, east, users, ann, bob)


@pytest.fixture
def org(db: None) -> Org:
    return _org()


@pytest.fixture
def live_org(transactional_db: None) -> Org:
    return _org()
