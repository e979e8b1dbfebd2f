"""Subscription income in the units' ledgers: each month's share posted as income owed by the
national office, each remittance as money through both banks, posting again writing nothing
twice, and the accounts reconciling to the apportionment and the remittances."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.finance import subscription_figures as figures
from grassroots.finance.actions.accounts import compute
from grassroots.finance.actions.ledger import open_account, open_books
from grassroots.finance.actions.postings import post_subscription_income
from grassroots.finance.actions.refunds import refund_payment
from grassroots.finance.actions.subscriptions import record_payment, record_remittance
from grassroots.finance.models import SubscriptionPosting, Transaction
from grassroots.members.actions import ActionRefused
from grassroots.members.permissions import NotAllowed

from .conftest import Org

D = dt.date
pytestmark = pytest.mark.django_db
AUG = D(2025, 8, 1)


def _books(*units: object) -> None:
    for unit in units:
        open_books(unit, threshold="250", by=None)  # type: ignore[arg-type]
        open_account(unit, code="bank", name="Current account", category="asset",  # type: ignore[arg-type]
                     is_bank=True, by=None, opened=D(2025, 1, 1))  # fmt: skip


def _legs(t: Transaction) -> dict[str, Decimal]:
    return {leg.account.code: leg.amount for leg in t.legs.all()}


@pytest.fixture
def august(org: Org) -> Org:
    _books(org.national, org.hillford)
    for day in (1, 15):
        record_payment(org.ann, paid_on=D(2025, 8, day), amount=438, by=None)
    record_payment(org.bob, paid_on=AUG, amount=438, by=None)
    return org


def test_a_months_share_is_posted_as_income_in_the_unit_and_owed_in_the_national_books(
    august: Org,
) -> None:
    org = august
    share = figures.remittances(org.hillford, 2025)[7].owed  # Ann's two payments' branch share
    assert share == 88
    out = post_subscription_income(AUG, by=org.users["treasurer"])
    [posting] = out.posted
    assert posting.unit == org.hillford and posting.pence == 88 and posting.kind == "share"
    ours, theirs = posting.unit_transaction, posting.national_transaction
    assert ours.unit == org.hillford and ours.date == D(2025, 8, 31)
    assert _legs(ours) == {"subscriptions-due": Decimal("0.88"), "subscriptions": Decimal("-0.88")}
    assert theirs.unit == org.national
    assert _legs(theirs) == {"units-shares": Decimal("0.88"), "owed-to-units": Decimal("-0.88")}
    # the region, the ward and Moorside have no books yet: named, posted when they open them
    assert sorted(out.skipped) == [
        "Hillford East's books are not open",
        "Moorside's books are not open",
        "North's books are not open",
    ]
    entry = AuditEntry.objects.filter(action="post_subscription_income").get()
    assert entry.actor_name == "treasurer" and "Hillford £0.88" in entry.summary


def test_posting_again_writes_nothing_twice_and_then_only_what_changed(august: Org) -> None:
    org = august
    by = org.users["treasurer"]
    post_subscription_income(AUG, by=by)
    count = Transaction.objects.count()
    assert post_subscription_income(AUG, by=by).posted == []
    assert Transaction.objects.count() == count
    # Moorside opens its books: its share is posted at the next run, Hillford's not again
    _books(org.moorside)
    again = post_subscription_income(AUG, by=by)
    moorside = figures.remittances(org.moorside, 2025)[7].owed
    assert [(p.unit.code, p.pence) for p in again.posted] == [("moorside", moorside)]
    # a refund made in August takes the unit's share of it back at the next run
    payment = org.ann.subscription_payments.order_by("pk").first()
    refund_payment(payment, amount=438, reason="paid twice", refunded_on=D(2025, 8, 20), by=by)
    back = post_subscription_income(AUG, by=by)
    [p] = back.posted
    assert p.unit == org.hillford and p.pence == -44
    total = sum(
        SubscriptionPosting.objects.filter(unit=org.hillford).values_list("pence", flat=True)
    )
    assert total == figures.remittances(org.hillford, 2025)[7].owed == 44


def test_a_remittance_goes_through_both_banks_and_the_accounts_reconcile(august: Org) -> None:
    org = august
    by = org.users["treasurer"]
    [share] = post_subscription_income(AUG, by=by).posted
    remittance = record_remittance(
        org.hillford, period=AUG, paid_on=D(2025, 9, 8), amount=80, by=by
    )
    posting = SubscriptionPosting.objects.get(remittance=remittance)
    assert _legs(posting.unit_transaction) == {
        "bank": Decimal("0.80"),
        "subscriptions-due": Decimal("-0.80"),
    }
    assert _legs(posting.national_transaction) == {
        "owed-to-units": Decimal("0.80"),
        "bank": Decimal("-0.80"),
    }
    entry = AuditEntry.objects.filter(action="record_remittance").last()
    assert entry is not None and "written into both ledgers" in entry.summary
    # posting the month again does not post the remittance twice
    assert post_subscription_income(AUG, by=by).posted == []
    accounts = compute(org.hillford, D(2025, 1, 1), D(2025, 12, 31))
    income = {line["code"]: line for line in accounts["income"]}
    assert income["subscriptions"]["amount"] == "0.88"  # the apportionment's share
    assert income["subscriptions"]["transactions"] == [share.unit_transaction_id]
    balances = {b["code"]: b for b in accounts["balances"]}
    row = figures.remittances(org.hillford, 2025)[7]
    assert Decimal(balances["subscriptions-due"]["closing"]) == Decimal(row.difference) / 100
    assert Decimal(balances["bank"]["closing"]) == Decimal(row.paid) / 100


def test_a_remittance_to_a_unit_without_books_is_posted_once_they_are_open(august: Org) -> None:
    org = august
    by = org.users["treasurer"]
    remittance = record_remittance(
        org.moorside, period=AUG, paid_on=D(2025, 9, 8), amount=88, by=by
    )
    entry = AuditEntry.objects.filter(action="record_remittance").last()
    assert (
        entry is not None and "not written into the ledgers yet: Moorside's books" in entry.summary
    )
    assert not SubscriptionPosting.objects.filter(remittance=remittance).exists()
    _books(org.moorside)
    out = post_subscription_income(AUG, by=by)
    assert {(p.unit.code, p.kind) for p in out.posted} == {
        ("hillford", "share"), ("moorside", "share"), ("moorside", "remittance"),
    }  # fmt: skip


def test_only_the_national_office_posts_and_not_a_month_to_come(august: Org) -> None:
    org = august
    for who in ("hilltreasurer", "secretary", "executive"):
        with pytest.raises(NotAllowed):
            post_subscription_income(AUG, by=org.users[who])
    with pytest.raises(ActionRefused, match="has not begun"):
        post_subscription_income(D(2999, 1, 1), by=org.users["treasurer"])
    assert not SubscriptionPosting.objects.exists()


def test_without_the_national_books_nothing_is_posted(org: Org) -> None:
    record_payment(org.ann, paid_on=AUG, amount=438, by=None)
    with pytest.raises(ActionRefused, match="Test Party's books are not open"):
        post_subscription_income(AUG, by=None)
    assert not Transaction.objects.exists()


def test_the_national_treasurer_posts_a_month_from_its_page_and_the_member_reads_the_income(
    august: Org, client_as: Any
) -> None:
    client = client_as("treasurer")
    page = client.get("/finance/units/national/remittances/?year=2025").content.decode()
    assert 'href="/finance/units/national/remittances/post/"' in page
    r = client.post("/finance/units/national/remittances/post/", {"period": "2025-08-01"})
    assert "Tick the box to confirm the posting." in r.content.decode()
    assert not SubscriptionPosting.objects.exists()
    r = client.post(
        "/finance/units/national/remittances/post/", {"period": "2025-08-01", "confirm": "on"}
    )
    assert r.status_code == 302 and SubscriptionPosting.objects.count() == 1
    mine = client_as("member").get("/me/subscription/?year=2025").content.decode()
    assert "Hillford's ledger holds <strong>£0.88</strong> of subscription income" in mine
    branch = client.get("/finance/units/hillford/remittances/?year=2025").content.decode()
    assert "August 2025" in branch and "income (share due)" in branch


@pytest.mark.parametrize("who", ["hilltreasurer", "secretary", "executive", "member"])
def test_nobody_but_the_national_office_may_post(august: Org, client_as: Any, who: str) -> None:
    client = client_as(who)
    assert client.get("/finance/units/national/remittances/post/").status_code == 403
    r = client.post(
        "/finance/units/national/remittances/post/", {"period": "2025-08-01", "confirm": "on"}
    )
    assert r.status_code == 403 and not SubscriptionPosting.objects.exists()


def test_a_hostile_month_is_named_and_nothing_is_posted(august: Org, client_as: Any) -> None:
    client = client_as("treasurer")
    r = client.post(
        "/finance/units/national/remittances/post/", {"period": "1999-13-01", "confirm": "on"}
    )
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    assert client.get("/finance/units/hillford/remittances/post/").status_code == 302
    assert not SubscriptionPosting.objects.exists()


def test_each_posting_on_the_members_page_leads_to_its_row_in_the_accounts_or_says_not_yet(
    august: Org, client_as: Any
) -> None:
    """The member reads where each posting of her branch's income can be seen: its row in the
    published accounts, or in words that no published accounts hold it yet; never a bare
    transaction number. Whoever may see the books is led to accounts not yet published too."""
    from grassroots.finance.actions.accounts import prepare_accounts
    from grassroots.finance.models import PublishedAccounts

    org = august
    post_subscription_income(AUG, by=org.users["treasurer"])
    record_remittance(org.hillford, period=AUG, paid_on=D(2025, 9, 10), amount=88, by=None)
    share = SubscriptionPosting.objects.get(unit=org.hillford, kind="share").unit_transaction_id
    cash = SubscriptionPosting.objects.get(unit=org.hillford, kind="remittance").unit_transaction_id
    later = "not yet: shown once Hillford's accounts for 2025 are published"

    def rows(who: str, address: str = "/me/subscription/?year=2025") -> str:
        page = client_as(who).get(address).content.decode()
        return page[
            page.index('id="books-postings"') : page.index("</table>", page.index("books-postings"))
        ]

    mine = rows("member")
    assert mine.count(later) == 2 and "no. " not in mine and "<a " not in mine
    acc = prepare_accounts(
        org.hillford, start=D(2025, 1, 1), end=D(2025, 12, 31), by=org.users["hilltreasurer"]
    )
    at = f"/finance/units/hillford/books/accounts/{acc.pk}/"
    assert rows("member").count(later) == 2  # prepared, not published: not the member's to read
    theirs = rows("hilltreasurer", "/finance/units/hillford/remittances/?year=2025")
    assert f'href="{at}#line-subscriptions-txn-{share}"' in theirs
    assert f'href="{at}#line-subscriptions-due-txn-{cash}"' in theirs
    assert "1 January 2025 to 31 December 2025 (not yet published)" in theirs

    PublishedAccounts.objects.filter(pk=acc.pk).update(state="published")
    mine = rows("member")
    assert later not in mine and "(not yet published)" not in mine
    assert (
        f'<a href="{at}#line-subscriptions-txn-{share}">1 January 2025 to 31 December 2025</a>'
        in mine
    )
    page = client_as("member").get(at).content.decode()
    row = page[page.index(f'id="line-subscriptions-txn-{share}"') :]
    assert "Share of members&#x27; subscriptions for August 2025" in row[: row.index("</tr>")]
    assert f'id="line-subscriptions-due-txn-{cash}"' in page
