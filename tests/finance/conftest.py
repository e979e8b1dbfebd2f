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
    return with_officers(_org())


def with_officers(o: Org) -> Org:
    """Hillford's treasurer, two auditors and an officer (also on its executive)."""
    from grassroots.members import actions

    if "treasurer" in o.users:
        return o
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
    return open_books(org)


def open_books(org: Org) -> Books:
    """Hillford's books open (threshold £500) with a bank account and a few lines."""
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


def published_books(org: Org) -> dict[str, Any]:
    """Hillford's books with last year's accounts published, a 2026 budget approved and an
    unapproved spend from the bank: what the public pages show. Returns their addresses."""
    from decimal import Decimal

    from grassroots.finance.actions import accounts, bank, budgets, spending
    from grassroots.finance.bank.csvfile import Columns
    from grassroots.finance.models import BankLine

    with_officers(org)
    b = open_books(org)
    users = org.users
    t = users["treasurer"]
    u = org.hillford
    mapping = bank.save_mapping(
        u,
        bank="Co-op",
        by=t,
        columns=Columns(
            date="Date",
            date_format="%d/%m/%Y",
            description="Description",
            payee="Payee",
            amount="Amount",
        ),
    )
    data = (
        b"Date,Description,Payee,Amount\n01/01/2025,Opening balance,,1000.00\n"
        b"01/03/2025,Subscriptions,Members,1120.00\n05/03/2025,Leaflets,Print shop,-40.00\n"
        b"09/09/2025,Legal settlement,Solicitors,-900.00\n"
    )
    leaflets = spending.propose_spend(
        u, payee="Print shop", amount="40", purpose="Leaflets", budget_line=b.leaflets, by=t
    )
    spending.approve_spend(leaflets, by=users["chair"])
    spending.pay_spend(leaflets, bank=b.bank, date=dt.date(2025, 3, 4), by=t)
    st, _ = bank.check_statement(
        b.bank, format="csv", filename="2025.csv", data=data, mapping=mapping, by=t
    )
    bank.confirm_statement(st, sha256=st.sha256, by=t)  # the leaflets' payment matches
    for line, account in zip(
        BankLine.objects.filter(transaction__isnull=True).order_by("date"),
        [b.funds, b.subs, b.hall],
        strict=True,
    ):
        bank.reconcile_line(line, account=account, by=t)
    acc = accounts.prepare_accounts(u, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), by=t)
    accounts.sign_off(acc, sha256=acc.sha256, by=users["auditor1"])
    accounts.sign_off(acc, sha256=acc.sha256, by=users["auditor2"])
    agm = decision(org, kind="agm", title="Adopt the accounts")
    accounts.approve_accounts(acc, decision=agm, by=t)
    budget = budgets.set_budget(
        u, year=2025, lines={b.subs: Decimal("1200"), b.leaflets: Decimal("300")}, by=t
    )
    budgets.approve_budget(budget, decision=decision(org, title="Adopt the budget"), by=t)
    base = "/finance/units/hillford/books/"
    return {
        "books": base,
        "accounts": f"{base}accounts/{acc.pk}/",
        "budget": f"{base}budgets/2025/",
    }
