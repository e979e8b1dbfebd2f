"""The demo's books: last year's accounts published and reconciled to the bank, spends approved
at minuted meetings, a large payment with no approving decision shown as unapproved, and a
statement waiting to be imported whose report names its bad line."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

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


def _whole_demo(today: dt.date) -> None:
    """The demo as ``grassroots demo`` seeds it, at a small size: members, meetings, a year of
    subscriptions and remittances, the home branch's books, then this year's income posted."""
    from grassroots.finance.demo_income import seed as seed_income
    from grassroots.finance.demo_subscriptions import seed as seed_subscriptions
    from grassroots.meetings.demo import seed as seed_meetings
    from grassroots.members.demo import seed as seed_members

    seed_members(members=120)
    seed_meetings()
    seed_subscriptions(today)
    seed(today)
    seed_income(today)


def test_the_demo_treasurer_prepares_this_years_accounts_from_the_bank_statement() -> None:
    """The remittances the books show reaching the bank are on the demo's statement: once the
    treasurer imports it and reconciles what it does not match, this year's accounts (to any
    month's end, or the whole year) agree with the bank and are prepared."""
    from django.contrib.auth import get_user_model

    from grassroots.finance.actions import accounts
    from grassroots.finance.models import Account, Remittance

    today = dt.date.today()
    _whole_demo(today)
    treasurer = get_user_model().objects.get(username="treasurer")
    statement = Statement.objects.get(state="checked")
    home = statement.account.unit
    remitted = Remittance.objects.filter(unit=home, period__year=today.year)
    if today.month > 1:
        assert remitted.exists()
    bank.confirm_statement(statement, sha256=statement.sha256, by=treasurer)
    # every remittance line is matched to its remittance in the books on import
    lines = BankLine.objects.filter(statement=statement)
    for r in remitted:
        line = lines.get(date=r.paid_on, amount=Decimal(r.amount) / 100)
        assert line.transaction is not None and line.transaction.source == "remittance"
    by_name = {"Donation": "donations"}
    for line in BankLine.objects.filter(statement=statement, transaction__isnull=True):
        code = by_name.get(line.description, "subscriptions")
        bank.reconcile_line(line, account=Account.objects.get(unit=home, code=code), by=treasurer)

    start = dt.date(today.year, 1, 1)
    for month in range(1, today.month + 1):
        end = dt.date(today.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        content = accounts.compute(home, start, end)
        assert [b["difference"] for b in content["bank"]] == ["0.00"], (end, content["bank"])
    # the form offers this year, last year's accounts being prepared; sending it prepares them
    c = Client()
    c.force_login(treasurer)
    new = reverse("finance:accounts_new", kwargs={"code": home.code})
    form = c.get(new).content.decode()
    offered = dict(re.findall(r'name="(start|end)" value="([^"]*)"', form))
    assert offered == {"start": f"01/01/{today.year}", "end": f"31/12/{today.year}"}
    response = c.post(new, offered)
    assert response.status_code == 302, response.content.decode()
    prepared = PublishedAccounts.objects.get(start=start, unit=home)
    assert response["Location"] == reverse(
        "finance:accounts", kwargs={"code": home.code, "pk": prepared.pk}
    )
    content = json.loads(prepared.content)
    (held,) = content["bank"]
    assert held["difference"] == "0.00" and held["books"] == held["statement"]
    assert Decimal(held["statement"]) == sum(
        BankLine.objects.filter(account__code="bank", account__unit=home).values_list(
            "amount", flat=True
        ),
        Decimal(0),
    )
