"""Bank statements: each reader's lines and bad lines (where, and the problem named), nothing
imported until the report is confirmed, duplicates found on re-import, and each line
reconciled to a ledger transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from grassroots.finance.actions import bank, spending
from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.bank import StatementLine, fingerprints
from grassroots.finance.bank.camt import read_camt053
from grassroots.finance.bank.csvfile import Columns, read_csv
from grassroots.finance.bank.ofx import read_ofx
from grassroots.finance.models import BankLine, Spend, Statement, Transaction
from grassroots.members.permissions import NotAllowed
from tests.finance.conftest import Books

DATA = Path(__file__).parent / "data"
D = Decimal
COLUMNS = Columns(
    date="Date",
    date_format="%d/%m/%Y",
    description="Description",
    payee="Payee",
    paid_in="Paid in",
    paid_out="Paid out",
)


def test_the_csv_reader_reads_paid_in_and_out_and_names_each_bad_row() -> None:
    parsed = read_csv((DATA / "hillford-jan.csv").read_bytes(), COLUMNS, "GBP")
    assert [(x.position, x.amount) for x in parsed.lines] == [
        (2, D("1120.00")),
        (3, D("-40.00")),
        (5, D("25.50")),
        (6, D("25.50")),
    ]
    assert [str(p) for p in parsed.problems] == [
        "row 4: Date '31/02/2026' is not a date written like 31/01/2026",
        "row 7: 'twelve' is not an amount of money",
    ]


@pytest.mark.parametrize(
    ("data", "columns", "problem"),
    [
        (
            b"When,What,Amount\n",
            COLUMNS,
            "row 1: no column 'Date', 'Description', 'Payee', "
            "'Paid in', 'Paid out' in the heading (it has 'When', 'What', 'Amount')",
        ),
        (b"", COLUMNS, "the file: it is empty"),
        (
            b"Date,Description,Amount\n01/01/2026,x,1\n",
            Columns(date="Date", date_format="%d/%m/%Y", description="Description"),
            "the column mapping: name either one amount column, or the paid in and paid out",
        ),
        (
            b"Date,Description,Amount\n01/01/2026,x\n",
            Columns(
                date="Date", date_format="%d/%m/%Y", description="Description", amount="Amount"
            ),
            "row 2: it has 2 columns where the heading has 3",
        ),
        (
            b"Date,Description,Amount\n01/01/2026,x,1.005\n",
            Columns(
                date="Date", date_format="%d/%m/%Y", description="Description", amount="Amount"
            ),
            "row 2: 1.005 GBP has more than 2 decimal places",
        ),
        (
            b"Date,Description,Paid in,Paid out\n01/01/2026,x,1,2\n",
            Columns(
                date="Date",
                date_format="%d/%m/%Y",
                description="Description",
                paid_in="Paid in",
                paid_out="Paid out",
            ),
            "row 2: give an amount in exactly one of Paid in and Paid out",
        ),
    ],
)
def test_a_bad_csv_is_reported_naming_the_row_and_the_problem(
    data: bytes, columns: Columns, problem: str
) -> None:
    parsed = read_csv(data, columns, "GBP")
    assert parsed.lines == []
    assert str(parsed.problems[0]).startswith(problem)


def test_a_csv_with_one_signed_amount_column_and_decimal_commas_reads() -> None:
    data = "Datum;Text;Betrag\n02.01.2026;Beiträge;1.120,00\n05.01.2026;Druck;-40,00\n".encode()
    cols = Columns(
        date="Datum",
        date_format="%d.%m.%Y",
        description="Text",
        amount="Betrag",
        decimal_comma=True,
    )
    parsed = read_csv(data, cols, "EUR")
    assert [x.amount for x in parsed.lines] == [D("1120.00"), D("-40.00")]
    assert parsed.problems == []


def test_the_ofx_reader_reads_each_transaction_and_names_the_bad_ones_line() -> None:
    parsed = read_ofx((DATA / "hillford-jan.ofx").read_bytes(), "GBP")
    assert [(x.date, x.amount, x.reference, x.payee) for x in parsed.lines] == [
        (dt.date(2026, 1, 2), D("1120.00"), "202601020001", "Members"),
        (dt.date(2026, 1, 5), D("-40.00"), "202601050003", "Print shop"),
    ]
    assert len(parsed.problems) == 1
    assert parsed.problems[0].where == "line 24"
    assert "DTPOSTED 20260199" in parsed.problems[0].problem


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"this is not OFX", "the file: it is not an OFX statement"),
        (
            (DATA / "hillford-jan.ofx").read_bytes().replace(b"<CURDEF>GBP", b"<CURDEF>EUR"),
            "the file: the statement is in EUR, the account in GBP",
        ),
    ],
)
def test_a_bad_ofx_file_is_reported_and_nothing_read(data: bytes, problem: str) -> None:
    parsed = read_ofx(data, "GBP")
    assert parsed.lines == []
    assert str(parsed.problems[0]).startswith(problem)


def test_the_camt053_reader_reads_entries_and_names_the_bad_ones_line() -> None:
    parsed = read_camt053((DATA / "hillford-jan.camt053.xml").read_bytes(), "GBP")
    assert [(x.amount, x.payee, x.description, x.reference) for x in parsed.lines] == [
        (D("1120.00"), "Members", "Standing orders January", "C-0001"),
        (D("-40.00"), "Print shop", "Leaflets A5", "C-0002"),
    ]
    assert [str(p) for p in parsed.problems] == [
        "line 37: CdtDbtInd is 'SIDEWAYS', not CRDT or DBIT"
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"<Document><BkToCstmrStmt><Stmt>", "line 1: not well-formed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document>&a;</Document>',
            "the file: it declares a DTD or entities",
        ),
        (b"<Document><Other/></Document>", "the file: it is not a CAMT.053 statement"),
        (
            b"<Document><BkToCstmrStmt><Stmt><Ntry>\n<Amt Ccy='GBP'>1.5</Amt>"
            b"<CdtDbtInd>CRDT</CdtDbtInd></Ntry></Stmt></BkToCstmrStmt></Document>",
            "line 1: no booking date",
        ),
    ],
)
def test_a_bad_camt053_file_is_reported_naming_where_and_what(data: bytes, problem: str) -> None:
    parsed = read_camt053(data, "GBP")
    assert parsed.lines == []
    assert str(parsed.problems[0]).startswith(problem)


def test_identical_lines_in_one_file_get_different_fingerprints_stable_across_reads() -> None:
    line = StatementLine(1, dt.date(2026, 1, 12), D("25.50"), "GBP", "Donation")
    first = fingerprints([line, line])
    assert first[0] != first[1]
    assert fingerprints([line, line]) == first


@pytest.mark.django_db
def test_nothing_is_imported_until_the_report_is_confirmed_and_a_reimport_finds_duplicates(
    books: Books,
) -> None:
    t = books.org.users["treasurer"]
    mapping = bank.save_mapping(books.org.hillford, bank="Co-op", columns=COLUMNS, by=t)
    data = (DATA / "hillford-jan.csv").read_bytes()
    statement, report = bank.check_statement(
        books.bank, format="csv", filename="jan.csv", data=data, mapping=mapping, by=t
    )
    assert len(report.new) == 4 and len(report.problems) == 2
    assert not BankLine.objects.exists()  # nothing imported yet
    with pytest.raises(BooksRefused, match="not the statement whose report you saw"):
        bank.confirm_statement(statement, sha256="0" * 64, by=t)
    assert not BankLine.objects.exists()
    bank.confirm_statement(statement, sha256=statement.sha256, by=t)
    assert BankLine.objects.count() == 4
    again, report2 = bank.check_statement(
        books.bank, format="csv", filename="jan-again.csv", data=data, mapping=mapping, by=t
    )
    assert (len(report2.new), len(report2.duplicates)) == (0, 4)
    bank.confirm_statement(again, sha256=again.sha256, by=t)
    assert BankLine.objects.count() == 4
    with pytest.raises(BooksRefused, match="already imported"):
        bank.confirm_statement(again, sha256=again.sha256, by=t)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "fmt"), [("hillford-jan.ofx", "ofx"), ("hillford-jan.camt053.xml", "camt053")]
)
def test_ofx_and_camt053_statements_import_their_good_lines_once(
    books: Books, name: str, fmt: str
) -> None:
    t = books.org.users["treasurer"]
    data = (DATA / name).read_bytes()
    statement, report = bank.check_statement(books.bank, format=fmt, filename=name, data=data, by=t)
    assert (len(report.new), len(report.problems)) == (2, 1)
    bank.confirm_statement(statement, sha256=statement.sha256, by=t)
    _, again = bank.check_statement(books.bank, format=fmt, filename=name, data=data, by=t)
    assert (len(again.new), len(again.duplicates)) == (0, 2)


@pytest.mark.django_db
def test_each_line_is_reconciled_to_a_paid_spend_or_a_new_transaction(books: Books) -> None:
    users = books.org.users
    t = users["treasurer"]
    spend = spending.propose_spend(
        books.org.hillford,
        payee="Print shop",
        amount="40",
        purpose="Leaflets A5",
        budget_line=books.leaflets,
        by=t,
    )
    spending.approve_spend(spend, by=users["chair"])
    spending.pay_spend(spend, bank=books.bank, date=dt.date(2026, 1, 4), by=t)
    data = (DATA / "hillford-jan.camt053.xml").read_bytes()
    statement, _ = bank.check_statement(
        books.bank, format="camt053", filename="jan.xml", data=data, by=t
    )
    bank.confirm_statement(statement, sha256=statement.sha256, by=t)
    paid_in, paid_out = BankLine.objects.order_by("date")
    spend.refresh_from_db()
    assert paid_out.transaction == spend.transaction  # matched on import
    assert paid_in.transaction is None
    with pytest.raises(BooksRefused, match="is not this line"):
        bank.reconcile_line(paid_in, transaction_to=spend.transaction, by=t)
    with pytest.raises(NotAllowed):
        bank.reconcile_line(paid_in, account=books.subs, by=users["chair"])
    bank.reconcile_line(paid_in, account=books.subs, by=t)
    paid_in.refresh_from_db()
    legs = {leg.account.code: leg.amount for leg in paid_in.transaction.legs.all()}
    assert legs == {"bank": D("1120.00"), "subscriptions": D("-1120.00")}
    with pytest.raises(BooksRefused, match="already reconciled"):
        bank.reconcile_line(paid_in, account=books.subs, by=t)
    assert not Spend.objects.filter(state="unapproved").exists()


@pytest.mark.django_db
def test_money_out_reconciled_to_expenditure_without_a_spend_is_shown_unapproved(
    books: Books,
) -> None:
    t = books.org.users["treasurer"]
    data = (DATA / "hillford-jan.ofx").read_bytes()
    statement, _ = bank.check_statement(books.bank, format="ofx", filename="j.ofx", data=data, by=t)
    bank.confirm_statement(statement, sha256=statement.sha256, by=t)
    out = BankLine.objects.get(amount=D("-40.00"))
    bank.reconcile_line(out, account=books.leaflets, by=t)
    spend = Spend.objects.get()
    assert (spend.state, spend.amount, spend.payee) == ("unapproved", D("40.00"), "Print shop")
    assert spend.transaction == Transaction.objects.get(bank_lines=out)
    assert Statement.objects.get().state == "imported"


def test_ofx_and_camt053_give_the_banks_closing_balance() -> None:
    ofx = read_ofx((DATA / "hillford-jan.ofx").read_bytes(), "GBP")
    camt = read_camt053((DATA / "hillford-jan.camt053.xml").read_bytes(), "GBP")
    assert (ofx.closing.date, ofx.closing.amount) == (dt.date(2026, 1, 31), D("2080.00"))
    assert (camt.closing.date, camt.closing.amount) == (dt.date(2026, 1, 31), D("1020.00"))


@pytest.mark.django_db
def test_the_report_sets_the_banks_balance_against_the_lines_so_a_missing_line_shows(
    books: Books,
) -> None:
    t = books.org.users["treasurer"]
    data = (DATA / "hillford-jan.camt053.xml").read_bytes()
    _, report = bank.check_statement(
        books.bank, format="camt053", filename="c.xml", data=data, by=t
    )
    assert (report.lines_total, report.difference) == (D("1080.00"), D("60.00"))
    data = (DATA / "hillford-jan.ofx").read_bytes().replace(b"<BALAMT>2080.00", b"<BALAMT>1080.00")
    statement, report = bank.check_statement(
        books.bank, format="ofx", filename="o.ofx", data=data, by=t
    )
    assert report.difference == 0
    from django.test import Client

    from tests.web.conftest import PASSWORD

    c = Client()
    c.login(username="treasurer", password=PASSWORD)
    page = c.get(f"/finance/units/hillford/books/statements/{statement.pk}/").content.decode()
    assert "closing balance of £1,080.00 on 31 January 2026" in page and "they agree" in page
