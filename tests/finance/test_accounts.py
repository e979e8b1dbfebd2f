"""Budgets approved at a meeting with actual against budget; published accounts prepared
(frozen, hashed), signed off by two auditors, approved at the AGM; every published account
reconciles to its transactions and the bank (Hypothesis); CSV and PDF downloads."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.audit.models import AuditEntry
from grassroots.finance import statements
from grassroots.finance.accounts_files import accounts_csv, accounts_pdf
from grassroots.finance.actions import accounts, bank, budgets, spending
from grassroots.finance.actions import ledger as ledger_actions
from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.bank.csvfile import Columns
from grassroots.finance.ledger import Leg
from grassroots.finance.models import BankLine, PublishedAccounts
from grassroots.finance.queries import actual_against_budget
from grassroots.members.permissions import NotAllowed
from tests.finance.conftest import Books, decision

D = Decimal


def post(
    books: Books, day: dt.date, text: str, debit: object, credit: object, amount: str
) -> object:
    return ledger_actions.post_transaction(
        books.org.hillford,
        date=day,
        description=text,
        legs=[(debit, D(amount)), (credit, -D(amount))],
        by=None,
    )


@pytest.mark.django_db
def test_a_budget_is_approved_by_a_minuted_vote_and_shows_actual_against_each_line(
    books: Books,
) -> None:
    t = books.org.users["treasurer"]
    b = budgets.set_budget(
        books.org.hillford,
        year=2026,
        lines={books.subs: "1200", books.leaflets: "300", books.hall: "200"},
        by=t,
    )
    post(books, dt.date(2026, 2, 1), "Subs", books.bank, books.subs, "1000")
    post(books, dt.date(2026, 2, 2), "Leaflets", books.leaflets, books.bank, "340")
    post(books, dt.date(2025, 12, 2), "Last year's leaflets", books.leaflets, books.bank, "99")
    rows = {
        r["account"].code: (r["budget"], r["actual"], r["difference"])
        for r in actual_against_budget(b)
    }
    assert rows == {
        "subscriptions": (D("1200"), D("1000"), D("-200")),
        "leaflets": (D("300"), D("340"), D("40")),
        "hall-hire": (D("200"), D("0"), D("-200")),
    }
    with pytest.raises(BooksRefused, match="was not carried"):
        budgets.approve_budget(b, decision=decision(books.org, carried=False), by=t)
    vote = decision(books.org, title="Adopt the budget")
    budgets.approve_budget(b, decision=vote, by=t)
    with pytest.raises(BooksRefused, match="approved: it is not changed"):
        budgets.set_budget(books.org.hillford, year=2026, lines={books.subs: "1"}, by=t)
    with pytest.raises(NotAllowed):
        budgets.set_budget(books.org.hillford, year=2027, lines={}, by=books.org.users["chair"])


def _year_of_books(books: Books) -> None:
    """A year: opening funds, subscriptions, a spend approved and paid, all on the statement."""
    users = books.org.users
    t = users["treasurer"]
    post(books, dt.date(2025, 1, 1), "Opening balance", books.bank, books.funds, "1000")
    post(books, dt.date(2025, 3, 1), "Subscriptions", books.bank, books.subs, "1120")
    s = spending.propose_spend(
        books.org.hillford,
        payee="Print shop",
        amount="40",
        purpose="Leaflets",
        budget_line=books.leaflets,
        by=t,
    )
    spending.approve_spend(s, by=users["chair"])
    spending.pay_spend(s, bank=books.bank, date=dt.date(2025, 3, 5), by=t)
    mapping = bank.save_mapping(books.org.hillford, bank="Co-op", columns=COLUMNS, by=t)
    data = (
        b"Date,Description,Amount\n01/01/2025,Opening balance,1000.00\n"
        b"01/03/2025,Subscriptions,1120.00\n05/03/2025,Leaflets,-40.00\n"
    )
    st_, _ = bank.check_statement(
        books.bank, format="csv", filename="2025.csv", data=data, mapping=mapping, by=t
    )
    bank.confirm_statement(st_, sha256=st_.sha256, by=t)


def hillford_2025_accounts(books: Books) -> PublishedAccounts:
    """Hillford's accounts for 2025 over ``_year_of_books``, prepared by its treasurer."""
    _year_of_books(books)
    return accounts.prepare_accounts(
        books.org.hillford,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        by=books.org.users["treasurer"],
    )


COLUMNS = Columns(date="Date", date_format="%d/%m/%Y", description="Description", amount="Amount")


@pytest.mark.django_db
def test_accounts_are_prepared_signed_off_by_two_auditors_and_approved_at_the_agm(
    books: Books,
) -> None:
    users = books.org.users
    t = users["treasurer"]
    acc = hillford_2025_accounts(books)
    assert not BankLine.objects.filter(transaction__isnull=True).exists()
    content = json.loads(acc.content)
    assert (content["total_income"], content["total_expenditure"], content["surplus"]) == (
        "1120.00",
        "40.00",
        "1080.00",
    )
    assert content["bank"][0]["difference"] == "0.00"
    leaflets = next(x for x in content["expenditure"] if x["code"] == "leaflets")
    paid = next(x for x in content["transactions"] if x["id"] == leaflets["transactions"][0])
    assert paid["approval"] == "approved under the spending threshold"
    with pytest.raises(BooksRefused, match="approves accounts signed off by two auditors"):
        accounts.approve_accounts(acc, decision=decision(books.org, kind="agm"), by=t)
    with pytest.raises(NotAllowed):
        accounts.sign_off(acc, sha256=acc.sha256, by=t)
    accounts.sign_off(acc, sha256=acc.sha256, by=users["auditor1"], note="Checked vouchers")
    with pytest.raises(BooksRefused, match="already signed off"):
        accounts.sign_off(acc, sha256=acc.sha256, by=users["auditor1"])
    assert PublishedAccounts.objects.get().state == "prepared"
    accounts.sign_off(acc, sha256=acc.sha256, by=users["auditor2"])
    assert PublishedAccounts.objects.get().state == "signed"
    with pytest.raises(BooksRefused, match="not by Hillford's AGM"):
        accounts.approve_accounts(acc, decision=decision(books.org, title="Other"), by=t)
    agm = decision(books.org, kind="agm", title="Adopt the accounts")
    published = accounts.approve_accounts(acc, decision=agm, by=t)
    assert (published.state, published.decision) == ("published", agm)
    assert published.content == acc.content  # frozen
    assert [e.action for e in AuditEntry.objects.filter(subject=f"accounts:{acc.pk}")] == [
        "finance.accounts.prepare",
        "finance.accounts.sign_off",
        "finance.accounts.sign_off",
        "finance.accounts.approve",
    ]


@pytest.mark.django_db
def test_accounts_are_not_prepared_over_unreconciled_lines_nor_signed_after_the_books_change(
    books: Books,
) -> None:
    users = books.org.users
    t = users["treasurer"]
    _year_of_books(books)
    mapping = bank.save_mapping(books.org.hillford, bank="Co-op", columns=COLUMNS, by=t)
    extra, _ = bank.check_statement(
        books.bank,
        format="csv",
        filename="more.csv",
        mapping=mapping,
        by=t,
        data=b"Date,Description,Amount\n09/09/2025,Cash donation,15.00\n",
    )
    bank.confirm_statement(extra, sha256=extra.sha256, by=t)
    period = {"start": dt.date(2025, 1, 1), "end": dt.date(2025, 12, 31)}
    with pytest.raises(BooksRefused, match="1 bank line of the period is not reconciled"):
        accounts.prepare_accounts(books.org.hillford, by=t, **period)
    bank.reconcile_line(BankLine.objects.get(amount=D("15")), account=books.donations, by=t)
    acc = accounts.prepare_accounts(books.org.hillford, by=t, **period)
    post(books, dt.date(2025, 6, 1), "A late entry", books.hall, books.bank, "10")
    with pytest.raises(BooksRefused, match="books have changed since"):
        accounts.sign_off(acc, sha256=acc.sha256, by=users["auditor1"])


@pytest.mark.django_db
def test_accounts_that_disagree_with_the_bank_are_not_prepared(books: Books) -> None:
    t = books.org.users["treasurer"]
    _year_of_books(books)
    post(books, dt.date(2025, 7, 1), "Cash not banked", books.bank, books.donations, "5")
    with pytest.raises(BooksRefused, match=r"holds £2,085\.00 in the books but £2,080\.00 on"):
        accounts.prepare_accounts(
            books.org.hillford, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), by=t
        )


CATS = ["asset", "funds", "income", "expense", "liability"]
ACCOUNTS = [
    statements.AccountInfo("bank", "Bank", "asset", is_bank=True),
    statements.AccountInfo("cash", "Cash", "asset"),
    statements.AccountInfo("fund", "Fund", "funds"),
    statements.AccountInfo("subs", "Subs", "income"),
    statements.AccountInfo("gifts", "Gifts", "income"),
    statements.AccountInfo("print", "Print", "expense"),
    statements.AccountInfo("owed", "Owed", "liability"),
]
transaction_legs = st.lists(
    st.tuples(st.sampled_from([a.code for a in ACCOUNTS]), st.integers(1, 10**7)),
    min_size=1,
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 364), transaction_legs, st.sampled_from(["bank", "cash"])),
        max_size=30,
    ),
    st.dictionaries(st.sampled_from(["bank", "cash", "fund"]), st.integers(-(10**6), 10**6)),
)
def test_every_published_account_reconciles_to_its_transactions_and_the_bank(
    drawn: list[tuple[int, list[tuple[str, int]], str]], opening_pence: dict[str, int]
) -> None:
    start = dt.date(2025, 1, 1)
    txns = []
    bank_total = D(0)
    for n, (day, legs, closing_account) in enumerate(drawn):
        legs_ = [
            Leg(code, D(p).scaleb(-2) * (1 if i % 2 else -1), "GBP")
            for i, (code, p) in enumerate(legs)
        ]
        rest = -sum((x.amount for x in legs_), D(0))
        if rest:
            legs_.append(Leg(closing_account, rest, "GBP"))
        if len(legs_) < 2:
            legs_ = [*legs_, Leg(closing_account, D("0.01"), "GBP"), Leg("fund", D("-0.01"), "GBP")]
        txns.append(
            statements.PeriodTransaction(n, start + dt.timedelta(days=day), f"t{n}", "", legs_)
        )
        bank_total += sum((x.amount for x in legs_ if x.account == "bank"), D(0))
    # an opening balance must be balanced too: put its other side in the fund
    opening = {k: D(v).scaleb(-2) for k, v in opening_pence.items() if k != "fund"}
    opening["fund"] = -sum(opening.values(), D(0))
    valid = [t for t in txns if _balanced(t)]
    content = statements.prepare(
        unit="Test",
        currency="GBP",
        start=start,
        end=dt.date(2025, 12, 31),
        accounts=ACCOUNTS,
        opening=opening,
        transactions=valid,
        bank_statement={
            "bank": opening.get("bank", D(0))
            + sum((x.amount for t in valid for x in t.legs if x.account == "bank"), D(0))
        },
    )
    by_id = {t.id: t for t in valid}
    for section, sign in (("income", -1), ("expenditure", 1)):
        for line in content[section]:
            total = sum(
                (
                    x.amount
                    for i in line["transactions"]
                    for x in by_id[i].legs
                    if x.account == line["code"]
                ),
                D(0),
            )
            assert D(line["amount"]) == sign * total
    for b in content["balances"]:
        moved = sum((x.amount for t in valid for x in t.legs if x.account == b["code"]), D(0))
        assert D(b["closing"]) == D(b["opening"]) + moved
    assert D(content["surplus"]) == D(content["total_income"]) - D(content["total_expenditure"])
    # the funds at the end are what the unit holds less what it owes, balance by balance
    held = sum((D(b["closing"]) for b in content["balances"] if b["category"] != "funds"), D(0))
    funds = content["funds"]
    assert D(funds["closing"]) == held
    assert D(funds["closing"]) == D(funds["opening"]) + D(funds["put_in"]) + D(funds["surplus"])
    assert content["bank"][0]["difference"] == "0.00"
    assert len(content["transactions"]) == len(valid)
    assert statements.canonical(content) == statements.canonical(json.loads(json.dumps(content)))


def _balanced(t: statements.PeriodTransaction) -> bool:
    from grassroots.finance.ledger import LedgerError, check_balanced

    try:
        check_balanced(t.legs)
    except LedgerError:
        return False
    return True


def leaflets_accounts(
    unit: str = "Hillford", description: str = "Leaflets", approval: str = ""
) -> dict[str, Any]:
    """A year's accounts holding one spend: £40 of leaflets from the print shop, paid from the
    bank (transaction 7)."""
    return statements.prepare(
        unit=unit,
        currency="GBP",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        accounts=ACCOUNTS,
        opening={},
        transactions=[
            statements.PeriodTransaction(
                7,
                dt.date(2025, 2, 1),
                description,
                "Print shop",
                [Leg("print", D("40"), "GBP"), Leg("bank", D("-40"), "GBP")],
                approval,
            )
        ],
        bank_statement={},
    )


def test_the_csv_and_pdf_downloads_carry_the_figures_and_the_hash() -> None:
    content = leaflets_accounts(
        "Hillford “Branch”", "Leaflets — A5", "UNAPPROVED: paid without an approved spend"
    )
    text = accounts_csv(content, "ab" * 32)
    assert "expenditure,print,Print,40.00,,,7" in text
    assert "funds,,put into the funds,0.00,0.00,-40.00," in text
    assert "UNAPPROVED" in text and "ab" * 32 in text
    pdf = accounts_pdf(content, "ab" * 32, "Published")
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000


def _year(
    year: int, opening: dict[str, Decimal], transactions: list[statements.PeriodTransaction]
) -> dict[str, Any]:
    """A test unit's accounts for ``year`` over ``ACCOUNTS``, with no bank statement."""
    return statements.prepare(
        unit="Test",
        currency="GBP",
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        accounts=ACCOUNTS,
        opening=opening,
        transactions=transactions,
        bank_statement={},
    )


def test_a_years_surplus_is_in_the_next_years_funds_at_the_start() -> None:
    """Income and spending are never closed into a fund account, so the funds at the start of a
    period carry every surplus before it; they and the balances then add up."""
    gift = [Leg("bank", D("500"), "GBP"), Leg("gifts", D("-500"), "GBP")]
    leaflets = [Leg("print", D("120"), "GBP"), Leg("bank", D("-120"), "GBP")]
    put_in = [Leg("bank", D("1000"), "GBP"), Leg("fund", D("-1000"), "GBP")]
    first = _year(2025, {}, [
        statements.PeriodTransaction(1, dt.date(2025, 1, 2), "opening sum", "", put_in),
        statements.PeriodTransaction(2, dt.date(2025, 3, 1), "a gift", "", gift),
        statements.PeriodTransaction(3, dt.date(2025, 4, 1), "leaflets", "", leaflets),
    ])  # fmt: skip
    assert first["funds"] == {
        "opening": "0.00", "put_in": "1000.00", "surplus": "380.00", "closing": "1380.00"
    }  # fmt: skip
    # the next year opens with every account's balance at the end of the first
    opening = {"bank": D("1380"), "fund": D("-1000"), "gifts": D("-500"), "print": D("120")}
    second = _year(2026, opening, [
        statements.PeriodTransaction(4, dt.date(2026, 5, 1), "leaflets", "", leaflets),
    ])  # fmt: skip
    assert second["funds"] == {
        "opening": "1380.00", "put_in": "0.00", "surplus": "-120.00", "closing": "1260.00"
    }  # fmt: skip
    text = accounts_csv(second, "cd" * 32)
    assert "funds,,put into the funds,0.00,1380.00,1260.00," in text
