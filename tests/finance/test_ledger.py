"""The double-entry ledger: exact amounts, transactions that balance (in code, and on
PostgreSQL by a deferred trigger at commit), and the beancount export bean-check accepts."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from grassroots.finance import ledger
from grassroots.finance.actions import ledger as actions
from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.beancount_export import BookAccount, BookTransaction, export
from grassroots.finance.models import Leg, Transaction
from grassroots.finance.queries import beancount_text
from tests.finance.conftest import Books

D = Decimal


def test_amounts_are_exact_in_their_currencys_smallest_unit_and_never_rounded() -> None:
    assert ledger.exact_amount("12.5", "GBP") == D("12.50")
    assert ledger.exact_amount("1,250", "GBP") == D("1250.00")
    with pytest.raises(ledger.LedgerError, match="more than 2 decimal places"):
        ledger.exact_amount("12.505", "GBP")
    with pytest.raises(ledger.LedgerError, match="more than 0 decimal places"):
        ledger.exact_amount("100.5", "JPY")
    with pytest.raises(ledger.LedgerError, match="unknown currency"):
        ledger.exact_amount("1", "XYZ")
    with pytest.raises(ledger.LedgerError, match="not an amount"):
        ledger.exact_amount("twelve", "GBP")
    with pytest.raises(ledger.LedgerError, match="not an amount"):
        ledger.exact_amount("NaN", "GBP")


def test_a_transaction_must_balance_in_each_currency() -> None:
    ledger.check_balanced([ledger.Leg("bank", D("-40"), "GBP"), ledger.Leg("ink", D("40"), "GBP")])
    with pytest.raises(ledger.Unbalanced, match=r"\+0.01 GBP left over"):
        ledger.check_balanced(
            [ledger.Leg("bank", D("-40"), "GBP"), ledger.Leg("ink", D("40.01"), "GBP")]
        )
    with pytest.raises(ledger.Unbalanced, match="two legs"):
        ledger.check_balanced([ledger.Leg("bank", D("0"), "GBP")])
    with pytest.raises(ledger.Unbalanced, match="left over"):
        ledger.check_balanced(
            [ledger.Leg("bank", D("-40"), "GBP"), ledger.Leg("ink", D("40"), "EUR")]
        )


pennies = st.integers(min_value=-(10**9), max_value=10**9).filter(lambda n: n != 0)


@given(st.lists(pennies, min_size=1, max_size=12), st.integers(min_value=-3, max_value=3))
def test_every_transaction_of_legs_summing_to_zero_balances_and_no_other_does(
    amounts: list[int], skew: int
) -> None:
    legs = [ledger.Leg(f"a{i}", D(n).scaleb(-2), "GBP") for i, n in enumerate(amounts)]
    closing = -sum((leg.amount for leg in legs), D(0))
    if closing == 0:
        legs.append(ledger.Leg("x", D("1.00"), "GBP"))
        closing = D("-1.00")
    legs.append(ledger.Leg("close", closing, "GBP"))
    ledger.check_balanced(legs)  # balances
    assert sum(ledger.balances(legs).values(), D(0)) == 0
    if skew:
        off = [*legs[:-1], ledger.Leg("close", closing + D(skew).scaleb(-2), "GBP")]
        if off[-1].amount != 0:
            with pytest.raises(ledger.Unbalanced):
                ledger.check_balanced(off)


@pytest.mark.django_db
def test_posting_an_unbalanced_or_foreign_transaction_is_refused_and_stores_nothing(
    books: Books,
) -> None:
    t = books.org.users["treasurer"]
    with pytest.raises(BooksRefused, match="do not add up to zero"):
        actions.post_transaction(
            books.org.hillford,
            date=dt.date(2026, 1, 5),
            description="Leaflets",
            legs=[(books.leaflets, D("40.00")), (books.bank, D("-39.99"))],
            by=t,
        )
    from grassroots.finance.actions import ledger as la

    moor_books = la.open_books(books.org.moorside, threshold="100", by=None)
    assert moor_books.unit == books.org.moorside
    moor_bank = la.open_account(
        books.org.moorside, code="bank", name="Moorside bank", category="asset", by=None
    )
    with pytest.raises(BooksRefused, match="not an account of Hillford"):
        actions.post_transaction(
            books.org.hillford,
            date=dt.date(2026, 1, 5),
            description="Leaflets",
            legs=[(books.leaflets, D("40.00")), (moor_bank, D("-40.00"))],
            by=t,
        )
    assert not Transaction.objects.exists()
    with pytest.raises(Exception, match="may not keep books for Moorside"):
        actions.post_transaction(
            books.org.moorside,
            date=dt.date(2026, 1, 5),
            description="x",
            legs=[(moor_bank, D("1")), (moor_bank, D("-1"))],
            by=t,
        )


@pytest.mark.django_db
def test_postgresql_refuses_at_commit_a_transaction_whose_legs_do_not_balance(
    books: Books,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the deferred balance trigger is PostgreSQL's; SQLite relies on the action")
    t = actions.post_transaction(
        books.org.hillford,
        date=dt.date(2026, 1, 5),
        description="Leaflets",
        legs=[(books.leaflets, D("40.00")), (books.bank, D("-40.00"))],
        by=None,
    )
    for change in (
        lambda: Leg.objects.filter(transaction=t, account=books.bank).update(amount=D("-39.00")),
        lambda: Leg.objects.filter(transaction=t, account=books.bank).delete(),
        lambda: Leg.objects.create(
            transaction=t, account=books.hall, amount=D("1.00"), currency="GBP"
        ),
        lambda: Transaction.objects.create(
            unit=books.org.hillford,
            date=dt.date(2026, 1, 6),
            description="empty",
            recorded_at=t.recorded_at,
        ),
    ):
        with pytest.raises(IntegrityError, match="ledger transaction"), transaction.atomic():
            change()
            with connection.cursor() as c:
                c.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the balanced one passes
    assert sum(Leg.objects.filter(transaction=t).values_list("amount", flat=True)) == 0


def test_the_beancount_export_names_accounts_and_quotes_text_by_beancounts_rules() -> None:
    accounts = [
        BookAccount("bank", "Current account", "asset", "GBP", dt.date(2025, 1, 1)),
        BookAccount("hall_hire", "Hall hire", "expense", "GBP", dt.date(2025, 1, 1)),
    ]
    text = export(
        "hillford-east",
        "Hillford East",
        accounts,
        [
            BookTransaction(
                1,
                dt.date(2025, 2, 1),
                'The "Hall"',
                "Hire\nfor the AGM",
                [
                    ledger.Leg("hall_hire", D("60.00"), "GBP"),
                    ledger.Leg("bank", D("-60.00"), "GBP"),
                ],
            )
        ],
    )
    assert "2025-01-01 open Assets:Hillford-East:Bank GBP" in text
    assert "Expenses:Hillford-East:Hall-Hire  60.00 GBP" in text
    assert '2025-02-01 * "The \\"Hall\\"" "Hire for the AGM"' in text


@pytest.mark.django_db
def test_bean_check_accepts_a_units_books_exported_from_the_ledger(
    books: Books, tmp_path: Path
) -> None:
    bean_check = shutil.which("bean-check") or str(Path(sys.executable).parent / "bean-check")
    if not Path(bean_check).exists():
        pytest.skip("bean-check (beancount, a dev dependency) is not installed")
    u = books.org.hillford
    actions.post_transaction(
        u,
        date=dt.date(2025, 3, 1),
        description="Opening balance",
        legs=[(books.bank, D("1000.00")), (books.funds, D("-1000.00"))],
        by=None,
    )
    actions.post_transaction(
        u,
        date=dt.date(2025, 3, 2),
        description='Leaflets "A5"',
        payee="Print shop",
        legs=[(books.leaflets, D("40.00")), (books.bank, D("-40.00"))],
        by=None,
    )
    path = tmp_path / "books.beancount"
    path.write_text(beancount_text(u))
    done = subprocess.run([bean_check, str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Expenses:Hillford:Leaflets  40.00 GBP" in path.read_text()
