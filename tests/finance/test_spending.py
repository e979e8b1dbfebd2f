"""Spending: proposed, approved and paid, each audited; above the unit's threshold approval
cites the carried, minuted decision (a meeting's or the executive's); nobody approves their
own spend; money out without approval is shown as unapproved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from grassroots.audit.models import AuditEntry
from grassroots.finance.actions import spending
from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.models import Spend
from grassroots.members.permissions import NotAllowed
from tests.finance.conftest import Books, decision

pytestmark = pytest.mark.django_db
D = Decimal


def propose(books: Books, amount: str, who: str = "treasurer") -> Spend:
    return spending.propose_spend(
        books.org.hillford,
        payee="Print shop",
        amount=amount,
        purpose="Leaflets for the library campaign",
        budget_line=books.leaflets,
        by=books.org.users[who],
    )


def test_a_spend_at_or_under_the_threshold_is_approved_and_paid_by_different_officers(
    books: Books,
) -> None:
    users = books.org.users
    spend = propose(books, "500.00")
    spending.approve_spend(spend, by=users["chair"])
    paid = spending.pay_spend(
        spend, bank=books.bank, date=dt.date(2026, 4, 1), by=users["treasurer"]
    )
    assert paid.state == "paid"
    legs = {leg.account.code: leg.amount for leg in paid.transaction.legs.all()}
    assert legs == {"leaflets": D("500.00"), "bank": D("-500.00")}
    actions = list(
        AuditEntry.objects.filter(subject=f"spend:{spend.pk}").values_list("action", flat=True)
    )
    assert actions == ["finance.spend.propose", "finance.spend.approve", "finance.spend.pay"]


def test_the_author_of_a_spend_may_not_approve_it_in_the_action_or_the_database(
    books: Books,
) -> None:
    users = books.org.users
    spend = propose(books, "20.00", who="chair")
    with pytest.raises(BooksRefused, match="you proposed this spend"):
        spending.approve_spend(spend, by=users["chair"])
    assert Spend.objects.get(pk=spend.pk).state == "proposed"
    with pytest.raises(IntegrityError), transaction.atomic():
        Spend.objects.filter(pk=spend.pk).update(state="approved", approved_by=users["chair"])


def test_over_the_threshold_a_spend_is_refused_without_a_decision_and_approved_with_one(
    books: Books,
) -> None:
    users = books.org.users
    spend = propose(books, "500.01")
    with pytest.raises(BooksRefused, match=r"above Hillford's threshold of £500.00: cite"):
        spending.approve_spend(spend, by=users["chair"])
    assert Spend.objects.get(pk=spend.pk).state == "proposed"
    vote = decision(books.org)
    approved = spending.approve_spend(spend, by=users["chair"], decision=vote)
    assert approved.state == "approved"
    assert approved.decision == vote
    assert approved.threshold_at_approval == D("500.00")
    entry = AuditEntry.objects.get(action="finance.spend.approve")
    assert "citing “Buy a banner”" in entry.summary


def test_the_executives_minuted_decision_may_approve_a_spend_too(books: Books) -> None:
    spend = propose(books, "900")
    vote = decision(books.org, kind="executive", title="Hire the hall")
    assert (
        spending.approve_spend(spend, by=books.org.users["chair"], decision=vote).decision == vote
    )


@pytest.mark.parametrize(
    ("kw", "problem"),
    [
        ({"carried": False}, "was not carried"),
        ({"circulate": False}, "minutes of Buy a banner are not yet circulated"),
        ({"unit": "moorside"}, "a body of Moorside, not of Hillford"),
    ],
)
def test_a_decision_that_was_lost_unminuted_or_another_units_cannot_be_cited(
    books: Books, kw: dict[str, object], problem: str
) -> None:
    if kw.get("unit") == "moorside":
        kw = {"unit": books.org.moorside}
    vote = decision(books.org, **kw)  # type: ignore[arg-type]
    spend = propose(books, "900")
    with pytest.raises(BooksRefused, match=problem):
        spending.approve_spend(spend, by=books.org.users["chair"], decision=vote)
    assert Spend.objects.get(pk=spend.pk).state == "proposed"


def test_a_decision_of_the_region_above_the_branch_may_be_cited(books: Books) -> None:
    vote = decision(books.org, unit=books.org.north, kind="all_member", title="Fund branches")
    spend = propose(books, "900")
    assert spending.approve_spend(spend, by=books.org.users["chair"], decision=vote).decision


@pytest.mark.parametrize("who", ["member", "auditor1", "moorsec", "officer"])
def test_roles_without_approve_spending_at_hillford_cannot_approve(books: Books, who: str) -> None:
    spend = propose(books, "10")
    with pytest.raises(NotAllowed):
        spending.approve_spend(spend, by=books.org.users[who])


def test_only_the_treasurer_pays_and_only_an_approved_spend(books: Books) -> None:
    users = books.org.users
    spend = propose(books, "10")
    with pytest.raises(BooksRefused, match="only an approved spend is paid"):
        spending.pay_spend(spend, bank=books.bank, date=dt.date(2026, 4, 1), by=users["treasurer"])
    spending.approve_spend(spend, by=users["chair"])
    with pytest.raises(NotAllowed):
        spending.pay_spend(spend, bank=books.bank, date=dt.date(2026, 4, 1), by=users["chair"])
    with pytest.raises(BooksRefused, match="not a bank account"):
        spending.pay_spend(spend, bank=books.hall, date=dt.date(2026, 4, 1), by=users["treasurer"])
    assert Spend.objects.get(pk=spend.pk).transaction is None


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        ("0", "more than nothing"),
        ("-5", "more than nothing"),
        ("3.333", "decimal places"),
        ("lots", "not an amount"),
    ],
)
def test_a_spend_for_a_bad_amount_is_refused_naming_the_problem(
    books: Books, amount: str, problem: str
) -> None:
    with pytest.raises(BooksRefused, match=problem):
        propose(books, amount)
    assert not Spend.objects.exists()
