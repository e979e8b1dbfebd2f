"""The demo's books: last year's accounts published and reconciled to the bank, spends approved
at minuted meetings, a large payment with no approving decision shown as unapproved, and a
statement waiting to be imported whose report names its bad line."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client

from grassroots.finance.actions import bank
from grassroots.finance.demo_books import seed
from grassroots.finance.models import BankLine, PublishedAccounts, Spend, Statement

pytestmark = pytest.mark.django_db


def test_the_demo_books_hold_a_published_year_an_unapproved_spend_and_a_statement_to_import() -> (
    None
):
    from grassroots.meetings.demo import seed as seed_meetings
    from grassroots.members.demo import seed as seed_members

    today = dt.date.today()
    seed_members(members=120)
    seed_meetings()
    logins = seed(today)
    assert {x.username for x in logins} == {"treasurer", "auditor1", "auditor2", "chair"}

    acc = PublishedAccounts.objects.get()
    assert acc.state == "published" and acc.decision.meeting.body.kind == "agm"
    content = json.loads(acc.content)
    assert content["start"] == f"{today.year - 1}-01-01"
    assert all(b["difference"] == "0.00" for b in content["bank"])
    assert not BankLine.objects.filter(
        transaction__isnull=True, statement__state="imported"
    ).exists()

    approved = Spend.objects.filter(decision__isnull=False)
    assert approved.count() == 2
    assert all(s.amount > Decimal("250") and s.state == "paid" for s in approved)
    (bypassed,) = Spend.objects.filter(state="unapproved")
    assert bypassed.amount == Decimal("6000.00")
    code = acc.unit.code
    page = Client().get(f"/finance/units/{code}/books/").content.decode()
    assert "Dunn &amp; Partners Solicitors: £6,000.00</a> — unapproved" in page

    waiting = Statement.objects.get(state="checked")
    report = bank.report(waiting)
    assert report.new and not report.duplicates
    if today >= dt.date(today.year, 2, 10):
        assert [p.where for p in report.problems] == ["row 4"]


def test_the_demo_books_are_dated_in_the_order_things_happened() -> None:
    """A visitor reading the demo's spends and accounts sees each step after the one before:
    a spend proposed after the meeting that voted it, approved after it was proposed and
    before it was paid; the accounts prepared and signed off before the AGM approved them."""
    from grassroots.finance.models import SignOff
    from grassroots.meetings.demo import seed as seed_meetings
    from grassroots.members.demo import seed as seed_members

    seed_members(members=120)
    seed_meetings()
    seed(dt.date.today())
    for s in Spend.objects.filter(state="paid"):
        assert s.approved_at is not None and s.paid_at is not None
        assert s.proposed_at <= s.approved_at <= s.paid_at, s
        assert s.transaction is not None and s.approved_at.date() <= s.transaction.date, s
        if s.decision is not None:
            assert s.decision.meeting.start < s.proposed_at, s
    acc = PublishedAccounts.objects.get()
    agm = acc.decision.meeting.start
    assert acc.prepared_at < agm
    assert all(x.signed_at < agm for x in SignOff.objects.filter(accounts=acc))
