"""Fixtures for the books' tests: the web tests' organisation with a treasurer, two auditors
and a second approver at Hillford, Hillford's books open, and decisions taken at meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.web.conftest import PASSWORD, Org, _org
from tests.web.conftest import _fast_passwords as _fast_passwords  # autouse fixture reused

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@dataclass
class Books:
    org: Org
    bank: Any
    leaflets: Any
    hall: Any
    subs: Any
    donations: Any
    funds: Any


@pytest.fixture
def org(db: None) -> Org:
    from grassroots.members import actions

    o = _org()
    for name, kind in [
        ("treasurer", "treasurer"),
        ("auditor1", "auditor"),
        ("auditor2", "auditor"),
        ("chair", "branch_officer"),
    ]:
        u = actions.create_login(username=name, password=PASSWORD, by=None)
        actions.grant_role(user=u, kind=kind, unit=o.hillford, by=None)
        o.users[name] = u
    actions.grant_role(user=o.users["chair"], kind="executive", unit=o.hillford, by=None)
    return o


@pytest.fixture
def books(org: Org) -> Books:
    from grassroots.finance.actions import ledger

    t = org.users["treasurer"]
    unit = org.hillford
    ledger.open_books(unit, threshold="500", by=t)
    opened = dt.date(2025, 1, 1)
    return Books(
        org,
        bank=ledger.open_account(
            unit,
            code="bank",
            name="Current account",
            category="asset",
            is_bank=True,
            by=t,
            opened=opened,
        ),
        leaflets=ledger.open_account(
            unit, code="leaflets", name="Leaflets", category="expense", by=t, opened=opened
        ),
        hall=ledger.open_account(
            unit, code="hall-hire", name="Hall hire", category="expense", by=t, opened=opened
        ),
        subs=ledger.open_account(
            unit,
            code="subscriptions",
            name="Subscriptions",
            category="income",
            by=t,
            opened=opened,
        ),
        donations=ledger.open_account(
            unit, code="donations", name="Donations", category="income", by=t, opened=opened
        ),
        funds=ledger.open_account(
            unit,
            code="general-fund",
            name="General fund",
            category="funds",
            by=t,
            opened=opened,
        ),
    )


def decision(
    org: Org,
    *,
    kind: str = "branch",
    unit: Any = None,
    carried: bool = True,
    circulate: bool = True,
    title: str = "Buy a banner",
    start: dt.datetime | None = None,
) -> Any:
    """A vote at a held meeting of a body of ``unit`` (Hillford), its minutes circulated."""
    from grassroots.meetings import actions
    from grassroots.members import actions as member_actions

    unit = unit or org.hillford
    start = start or dt.datetime(2026, 3, 12, 19, 30, tzinfo=LONDON)
    body = actions.create_body(unit=unit, kind=kind, name=f"{unit.name} {kind} {title}", by=None)
    people = [
        member_actions.create_member(
            by=None,
            number=f"D{title[:3]}{i}{kind[:2]}{unit.pk}",
            name=f"Voter {i}",
            branch=unit if unit.kind == "branch" else org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2030, 1, 1),
        )
        for i in range(3)
    ]
    if body.seated:
        for p in people:
            actions.appoint(body, p, role="Member", by=None, on=dt.date(2020, 1, 1))
    m = actions.call_meeting(
        body,
        title=title,
        start=start,
        by=None,
        items=["Motions"],
        place="Hall",
        now=start - dt.timedelta(days=16),
    )
    for p in people:
        actions.check_in(m, p, by=None, now=start - dt.timedelta(minutes=5))
    actions.open_meeting(m, by=None, now=start)
    motion = actions.submit_motion(
        m,
        title=title,
        text=f"That we {title.lower()}.",
        by=None,
        mover=people[0],
        seconder=people[1],
        item=m.items.get(position=1),
        now=start - dt.timedelta(days=10),
    )
    vote = actions.open_vote(m, motion=motion, by=None, now=start + dt.timedelta(minutes=10))
    if carried:
        actions.record_hands(vote, for_=2, against=1, abstain=0, by=None)
    else:
        actions.record_hands(vote, for_=1, against=2, abstain=0, by=None)
    actions.close_vote(vote, by=None, now=start + dt.timedelta(minutes=20))
    actions.close_meeting(m, by=None, now=start + dt.timedelta(hours=2))
    minutes = actions.draft_minutes(m, by=None, now=start + dt.timedelta(days=1))
    if circulate:
        actions.circulate_minutes(minutes, by=None)
    vote.refresh_from_db()
    return vote
