"""The books' pages per role: who sees and does what, refusals (403) for the others, bad
input answered in words (never a 500), unapproved spending shown publicly, looks logged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.audit.models import AuditEntry
from grassroots.finance.actions import accounts, bank, spending
from grassroots.finance.models import BankLine, CsvMapping, Spend, Statement
from tests.finance.conftest import Books, decision
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db
D = Decimal


def client(books: Books, who: str | None) -> Client:
    c = Client()
    if who:
        assert c.login(username=books.org.users[who].username, password=PASSWORD)
    return c


def url(name: str, **kw: object) -> str:
    return reverse(f"finance:{name}", kwargs={"code": "hillford", **kw})


KEEP_ONLY = ["books_settings", "mapping_new", "statement_new", "reconcile", "accounts_new"]


@pytest.mark.parametrize("name", KEEP_ONLY)
@pytest.mark.parametrize("who", ["member", "chair", "auditor1", "moorsec", "secretary"])
def test_only_the_treasurer_reaches_the_book_keeping_pages(
    books: Books, name: str, who: str
) -> None:
    assert client(books, who).get(url(name)).status_code == 403
    assert client(books, "treasurer").get(url(name)).status_code == 200
    assert client(books, "admin").get(url(name)).status_code == 200


@pytest.mark.parametrize(
    ("who", "sees_balances"),
    [
        (None, False),
        ("member", False),
        ("chair", True),
        ("auditor1", True),
        ("treasurer", True),
        ("executive", True),
        ("moorsec", False),
    ],
)
def test_anyone_reads_the_spending_and_officers_see_the_balances(
    books: Books, who: str | None, sees_balances: bool
) -> None:
    r = client(books, who).get(url("books"))
    assert r.status_code == 200
    assert ("Balances today" in r.content.decode()) is sees_balances
    beancount = client(books, who).get(url("beancount")).status_code
    assert (beancount == 200) is sees_balances


def test_a_spend_is_proposed_refused_above_the_threshold_and_approved_with_a_decision(
    books: Books,
) -> None:
    t = client(books, "treasurer")
    r = t.post(
        url("spend_new"),
        {
            "payee": "Sign makers",
            "amount": "750",
            "purpose": "Banner",
            "budget_line": books.leaflets.pk,
        },
    )
    spend = Spend.objects.get()
    assert r.status_code == 302 and r["Location"] == url("spend", pk=spend.pk)
    chair = client(books, "chair")
    r = chair.post(url("spend", pk=spend.pk), {"approve": "1", "decision": ""})
    assert "above Hillford&#x27;s threshold of £500.00: cite" in r.content.decode()
    assert Spend.objects.get().state == "proposed"
    vote = decision(books.org)
    page = chair.get(url("spend", pk=spend.pk)).content.decode()
    assert "Buy a banner" in page
    r = chair.post(url("spend", pk=spend.pk), {"approve": "1", "decision": str(vote.pk)})
    assert r.status_code == 302
    assert Spend.objects.get().decision == vote
    page = client(books, None).get(url("spend", pk=spend.pk)).content.decode()
    assert "carried at" in page and reverse("meetings:minutes", args=[vote.meeting_id]) in page


def test_the_treasurer_cannot_approve_their_own_spend_from_its_page(books: Books) -> None:
    s = spending.propose_spend(
        books.org.hillford,
        payee="X",
        amount="10",
        purpose="Y",
        budget_line=books.leaflets,
        by=books.org.users["treasurer"],
    )
    r = client(books, "treasurer").post(url("spend", pk=s.pk), {"approve": "1", "decision": ""})
    assert "you proposed this spend" in r.content.decode()
    assert Spend.objects.get().state == "proposed"
    r = client(books, "member").post(url("spend", pk=s.pk), {"approve": "1", "decision": ""})
    assert r.status_code == 403


def test_an_unapproved_spend_is_shown_publicly_with_its_amount(books: Books) -> None:
    t = books.org.users["treasurer"]
    data = b"Date,Description,Payee,Amount\n03/02/2026,Legal settlement,Solicitors,-60000.00\n"
    m = bank.save_mapping(
        books.org.hillford,
        bank="Co-op",
        by=t,
        columns=bank.Columns(
            date="Date",
            date_format="%d/%m/%Y",
            description="Description",
            payee="Payee",
            amount="Amount",
        ),
    )
    st, _ = bank.check_statement(
        books.bank, format="csv", filename="f.csv", data=data, mapping=m, by=t
    )
    bank.confirm_statement(st, sha256=st.sha256, by=t)
    bank.reconcile_line(BankLine.objects.get(), account=books.hall, by=t)
    page = client(books, None).get(url("books")).content.decode()
    assert "Unapproved spending" in page
    assert "Solicitors: £60,000.00" in page


def test_the_statement_upload_shows_the_report_and_imports_only_on_confirmation(
    books: Books,
) -> None:
    t = client(books, "treasurer")
    r = t.post(
        url("mapping_new"),
        {
            "bank": "Co-op",
            "date_column": "Date",
            "date_format": "%d/%m/%Y",
            "description_column": "Description",
            "paid_in_column": "Paid in",
            "paid_out_column": "Paid out",
            "payee_column": "Payee",
        },
    )
    assert r.status_code == 302
    mapping = CsvMapping.objects.get()
    from tests.finance.test_bank import DATA

    with open(DATA / "hillford-jan.csv", "rb") as f:
        r = t.post(
            url("statement_new"),
            {"account": books.bank.pk, "format": "csv", "mapping": mapping.pk, "file": f},
        )
    statement = Statement.objects.get()
    assert r["Location"] == url("statement", pk=statement.pk)
    page = t.get(r["Location"]).content.decode()
    assert "row 4</strong>: Date &#x27;31/02/2026&#x27; is not a date" in page
    assert "4 new lines to import" in page
    assert not BankLine.objects.exists()
    r = t.post(url("statement_confirm", pk=statement.pk), {"sha256": statement.sha256})
    assert r["Location"] == url("reconcile")
    assert BankLine.objects.count() == 4
    page = t.get(url("reconcile")).content.decode()
    line = BankLine.objects.get(amount=D("1120"))
    r = t.post(url("reconcile"), {"line": line.pk, f"line{line.pk}-target": f"a{books.subs.pk}"})
    assert r.status_code == 302
    assert BankLine.objects.get(pk=line.pk).transaction is not None


@pytest.mark.parametrize(
    "data",
    [
        {"account": "999999999999999999999", "format": "csv", "mapping": "x"},
        {"account": "1", "format": "zip"},
        {"account": "", "format": "ofx", "file": ""},
    ],
)
def test_hostile_statement_uploads_are_refused_in_words(books: Books, data: dict[str, str]) -> None:
    r = client(books, "treasurer").post(url("statement_new"), data)
    assert r.status_code == 200
    assert "errorlist" in r.content.decode()
    assert not Statement.objects.exists()


def test_a_statement_uploaded_as_the_wrong_format_is_reported_not_imported(books: Books) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    t = client(books, "treasurer")
    r = t.post(
        url("statement_new"),
        {
            "account": books.bank.pk,
            "format": "camt053",
            "file": SimpleUploadedFile("x.xml", b"\x00\x01garbage"),
        },
    )
    page = t.get(r["Location"]).content.decode()
    assert "not well-formed XML" in page
    assert "0 new lines to import" in page


def test_an_executive_members_look_at_the_books_is_logged(books: Books) -> None:
    r = client(books, "executive").get(url("look"))
    assert r.status_code == 200
    assert "Members by unit and status" in r.content.decode()
    entry = AuditEntry.objects.filter(action="finance.look").get()
    assert entry.actor == books.org.users["executive"]
    assert client(books, "member").get(url("look")).status_code == 403
    assert AuditEntry.objects.filter(action="finance.look").count() == 1
    client(books, "executive").get(url("books"))
    client(books, "executive").get(url("beancount"))
    client(books, "treasurer").get(url("books"))
    client(books, None).get(url("books"))
    looks = AuditEntry.objects.filter(action="finance.look").order_by("pk")
    assert [e.summary for e in looks] == [
        "Looked at Hillford's budgets, accounts and membership figures",
        "Looked at Hillford's balances",
        "Looked at Hillford's ledger (beancount download)",
    ]


def test_an_auditor_signs_off_from_the_accounts_page_and_unpublished_accounts_are_not_public(
    books: Books,
) -> None:
    from tests.finance.test_accounts import hillford_2025_accounts

    acc = hillford_2025_accounts(books)
    assert client(books, None).get(url("accounts", pk=acc.pk)).status_code == 403
    a1 = client(books, "auditor1")
    page = a1.get(url("accounts", pk=acc.pk)).content.decode()
    assert "Sign off as auditor" in page and 'id="line-leaflets"' in page
    r = a1.post(url("accounts", pk=acc.pk), {"sign": "1", "sha256": acc.sha256, "note": "ok"})
    assert r.status_code == 302
    assert acc.signoffs.count() == 1
    r = a1.post(url("accounts", pk=acc.pk), {"sign": "1", "sha256": "0" * 64})
    assert acc.signoffs.count() == 1
    accounts.sign_off(acc, sha256=acc.sha256, by=books.org.users["auditor2"])
    agm = decision(books.org, kind="agm", title="Adopt the accounts")
    r = client(books, "treasurer").post(
        url("accounts", pk=acc.pk), {"approve": "1", "decision": str(agm.pk)}
    )
    assert r.status_code == 302
    public = client(books, None)
    assert public.get(url("accounts", pk=acc.pk)).status_code == 200
    pdf = public.get(url("accounts_pdf", pk=acc.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert acc.sha256 in public.get(url("accounts_csv", pk=acc.pk)).content.decode()


def test_a_budget_page_shows_a_table_and_an_accessible_chart(books: Books) -> None:
    t = client(books, "treasurer")
    r = t.post(
        url("budget", year=2026),
        {"lines": "1", f"line{books.leaflets.pk}": "300", f"line{books.subs.pk}": "1,200"},
    )
    assert r.status_code == 302
    assert client(books, None).get(url("budget", year=2026)).status_code == 403  # a draft
    vote = decision(books.org, title="Adopt the budget")
    t.post(url("budget", year=2026), {"approve": "1", "decision": str(vote.pk)})
    page = client(books, None).get(url("budget", year=2026)).content.decode()
    assert "Approved by “Adopt the budget”" in page
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in page
    assert "Leaflets: budget £300.00, actual £0.00." in page
    assert client(books, None).get(url("budget", year=1999)).status_code == 404


HOSTILE = ["", "0", "-1", "abc", "1e9", "99999999999999999999", "<script>", "£1,0.0.0", "1.005"]


@pytest.mark.parametrize("who", [None, "member", "treasurer", "chair", "auditor1", "admin"])
def test_no_books_page_answers_a_server_error_to_hostile_posts(
    books: Books, who: str | None
) -> None:
    from tests.finance.test_accounts import _year_of_books

    _year_of_books(books)
    spend = spending.propose_spend(
        books.org.hillford,
        payee="X",
        amount="10",
        purpose="Y",
        budget_line=books.leaflets,
        by=books.org.users["chair"],
    )
    acc = accounts.prepare_accounts(
        books.org.hillford,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        by=books.org.users["treasurer"],
    )
    st = Statement.objects.get()
    c = client(books, who)
    pages = [url(n) for n in ["books", *KEEP_ONLY, "spend_new", "look", "beancount"]]
    pages += [
        url("spend", pk=spend.pk),
        url("accounts", pk=acc.pk),
        url("budget", year=2025),
        url("statement", pk=st.pk),
        url("statement_confirm", pk=st.pk),
        url("accounts_csv", pk=acc.pk),
        url("accounts_pdf", pk=acc.pk),
    ]
    fields = [
        "threshold",
        "code",
        "name",
        "category",
        "bank",
        "date_column",
        "account",
        "format",
        "mapping",
        "payee",
        "amount",
        "purpose",
        "budget_line",
        "decision",
        "approve",
        "pay",
        "date",
        "line",
        "lines",
        "start",
        "end",
        "sign",
        "sha256",
        "discard",
        f"line{books.leaflets.pk}",
        "target",
    ]
    for page in pages:
        assert c.get(page).status_code < 500, page
        for value in HOSTILE:
            r = c.post(page, {f: value for f in fields})
            assert r.status_code < 500, (page, value)
    assert Spend.objects.get(pk=spend.pk).state in ("proposed", "approved")


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("member", ["Hillford's spending and accounts"]),
        ("treasurer", ["Hillford's books"]),
        ("executive", ["Test Party's books", "North's books"]),
        ("returning", []),
    ],
)
def test_the_home_page_leads_to_the_books_one_may_see(
    books: Books, who: str, links: list[str]
) -> None:
    page = client(books, who).get("/").content.decode()
    for text in links:
        assert text in page
    assert ("home-books" in page) is bool(links)
