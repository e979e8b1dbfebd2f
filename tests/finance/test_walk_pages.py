"""What a walk through the books as each person found stranding or confusing them: a
statement checked but not yet imported is found again from the books; the budget chart's
caption names the colours it is drawn in; the accounts' transactions name the accounts moved
between in plain words and money."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.finance.actions import bank
from grassroots.finance.models import Statement
from tests.finance.conftest import Books
from tests.finance.test_pages import client, url

pytestmark = pytest.mark.django_db


def _checked_statement(books: Books) -> Statement:
    t = books.org.users["treasurer"]
    m = bank.save_mapping(
        books.org.hillford,
        bank="Co-op",
        by=t,
        columns=bank.Columns(
            date="Date", date_format="%d/%m/%Y", description="Description", amount="Amount"
        ),
    )
    st, _ = bank.check_statement(
        books.bank,
        format="csv",
        filename="co-op-q1.csv",
        data=b"Date,Description,Amount\n03/02/2026,Donation,25.00\n",
        mapping=m,
        by=t,
    )
    return st


def test_a_statement_checked_but_not_imported_is_listed_on_the_books_for_the_treasurer(
    books: Books,
) -> None:
    st = _checked_statement(books)
    page = client(books, "treasurer").get(url("books")).content.decode()
    assert "Statements waiting to be imported" in page
    assert f'href="{url("statement", pk=st.pk)}"' in page
    assert "co-op-q1.csv" in page
    # nobody else is shown the uploaded file
    assert "co-op-q1.csv" not in client(books, "member").get(url("books")).content.decode()
    assert "co-op-q1.csv" not in client(books, None).get(url("books")).content.decode()
    bank.confirm_statement(st, sha256=st.sha256, by=books.org.users["treasurer"])
    page = client(books, "treasurer").get(url("books")).content.decode()
    assert "co-op-q1.csv" not in page


def test_the_budget_charts_caption_names_the_colour_its_actual_bars_are_drawn_in(
    books: Books,
) -> None:
    t = client(books, "treasurer")
    t.post(url("budget", year=2026), {"lines": "1", f"line{books.leaflets.pk}": "300"})
    page = t.get(url("budget", year=2026)).content.decode()
    assert 'fill="#0b5d1e"' in page  # the actual bars are the site's green
    assert "actual (green, lower bar)" in page
    assert "blue" not in page


def test_a_spend_with_an_amount_in_words_is_refused_in_plain_words_keeping_what_was_typed(
    books: Books,
) -> None:
    r = client(books, "treasurer").post(
        url("spend_new"),
        {
            "payee": "Town Printers",
            "amount": "four hundred",
            "purpose": "Leaflets for the by-election",
            "budget_line": str(books.leaflets.pk),
        },
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert "The amount: &#x27;four hundred&#x27; is not an amount of money, such as 400" in page
    assert "amount: &#x27;four" not in page.replace("The amount: &#x27;four", "")
    assert 'value="Town Printers"' in page and 'value="Leaflets for the by-election"' in page


def test_the_accounts_transactions_name_the_accounts_and_the_money_not_codes(
    books: Books,
) -> None:

    from tests.finance.test_accounts import hillford_2025_accounts

    acc = hillford_2025_accounts(books)
    page = client(books, "auditor1").get(url("accounts", pk=acc.pk)).content.decode()
    assert "Current account £1,120.00; Subscriptions −£1,120.00" in page
    assert "Leaflets £40.00; Current account −£40.00" in page
    assert "General fund −£1,000.00" in page
    assert "bank 1120.00" not in page and "general-fund -1000.00" not in page


def test_accounts_that_do_not_agree_with_the_bank_are_refused_with_the_sums_in_pounds(
    books: Books,
) -> None:
    import datetime as dt

    from tests.finance.test_accounts import _year_of_books, post

    _year_of_books(books)
    post(books, dt.date(2025, 6, 1), "Cash paid in", books.bank, books.donations, "1205.50")
    r = client(books, "treasurer").post(
        url("accounts_new"), {"start": "01/01/2025", "end": "31/12/2025"}
    )
    page = r.content.decode()
    assert (
        "Current account holds £3,285.50 in the books but £2,080.00 on the bank&#x27;s "
        "statements, £1,205.50 apart: the accounts do not reconcile to the bank"
    ) in page
    assert 'value="01/01/2025"' in page and 'value="31/12/2025"' in page


def _halves_signed_and_the_first_approved(books: Books) -> tuple[Any, Any]:
    """Hillford's two half-years of 2025 prepared and signed off by both auditors, and an AGM
    vote that approved the first: (the second, the vote)."""
    import datetime as dt

    from grassroots.finance.actions import accounts
    from tests.finance.conftest import decision
    from tests.finance.test_accounts import _year_of_books

    users = books.org.users
    _year_of_books(books)
    h1, h2 = (
        accounts.prepare_accounts(books.org.hillford, start=start, end=end, by=users["treasurer"])
        for start, end in [
            (dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
            (dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        ]
    )
    for acc in (h1, h2):
        for auditor in ("auditor1", "auditor2"):
            accounts.sign_off(acc, sha256=acc.sha256, by=users[auditor])
    vote = decision(books.org, kind="agm", title="Adopt the accounts")
    accounts.approve_accounts(h1, decision=vote, by=users["treasurer"])
    return h2, vote


def test_an_agm_decision_that_approved_one_years_accounts_cannot_approve_another(
    books: Books,
) -> None:
    from grassroots.finance.actions import accounts
    from grassroots.finance.actions._common import BooksRefused

    users = books.org.users
    h2, vote = _halves_signed_and_the_first_approved(books)
    with pytest.raises(BooksRefused, match="approved the accounts for 1 January 2025 to 30 June"):
        accounts.approve_accounts(h2, decision=vote, by=users["treasurer"])
    h2.refresh_from_db()
    assert h2.state == "signed" and h2.decision is None


def test_the_accounts_page_offers_only_agm_decisions_not_already_used_for_other_accounts(
    books: Books,
) -> None:
    h2, vote = _halves_signed_and_the_first_approved(books)
    page = client(books, "treasurer").get(url("accounts", pk=h2.pk)).content.decode()
    assert "Record the AGM&#x27;s approval" in page or "Record the AGM's approval" in page
    assert f'<option value="{vote.pk}"' not in page
    assert "AGM can approve these accounts yet" in page


def test_members_over_time_gives_every_year_even_one_in_which_nobody_joined(
    books: Books,
) -> None:
    import datetime as dt
    import re

    from grassroots.members import actions as member_actions
    from grassroots.members.models import Member

    Member.objects.filter(branch__path__startswith=books.org.hillford.path).update(
        join_date=dt.date(2019, 5, 1)
    )
    member_actions.create_member(
        by=None,
        number="W2022",
        name="Joined Later",
        branch=books.org.hillford,
        join_date=dt.date(2022, 5, 1),
        status="full",
        paid_up_to=dt.date(2030, 1, 1),
    )
    page = client(books, "executive").get(url("look")).content.decode()
    over_time = page.split("Members over time")[-1]
    years = [int(y) for y in re.findall(r'<th scope="row">(\d{4})</th>', over_time)]
    assert years == [2019, 2020, 2021, 2022], over_time[:1500]


def test_the_printable_accounts_name_the_accounts_of_each_transaction_in_pounds() -> None:
    import re
    import zlib

    from grassroots.finance.accounts_files import accounts_pdf
    from tests.finance.test_accounts import ACCOUNTS, leaflets_accounts

    content = leaflets_accounts()
    pdf = accounts_pdf(content, "ab" * 32, "Published")
    text = b"".join(
        zlib.decompress(m) for m in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    ).decode("latin-1")
    names = {a.code: a.name for a in ACCOUNTS}
    assert f"{names['print']} \xa340.00; {names['bank']} -\xa340.00" in text
    assert "print 40.00" not in text
    assert "Funds at the end" in text and "-\xa340.00" in text.split("Funds at the end")[1][:80]


def test_a_bank_line_is_not_reconciled_to_whatever_account_is_listed_first(
    books: Books,
) -> None:
    from grassroots.finance.models import BankLine

    st = _checked_statement(books)
    bank.confirm_statement(st, sha256=st.sha256, by=books.org.users["treasurer"])
    line = BankLine.objects.get()
    t = client(books, "treasurer")
    page = t.get(url("reconcile")).content.decode()
    assert '<option value="" selected>— choose —</option>' in page
    r = t.post(url("reconcile"), {"line": line.pk, f"line{line.pk}-target": ""})
    assert r.status_code == 200
    assert "Choose what this line is before reconciling it." in r.content.decode()
    line.refresh_from_db()
    assert line.transaction is None


def test_a_statement_is_discarded_only_once_confirmed_and_its_page_leads_back_to_the_books(
    books: Books,
) -> None:
    st = _checked_statement(books)
    t = client(books, "treasurer")
    page = t.get(url("statement", pk=st.pk)).content.decode()
    assert f'href="{url("books")}"' in page
    assert "<summary>Discard this statement</summary>" in page
    assert 'name="discard" value="confirmed"' in page
    # a discard that did not come from the confirmation keeps the statement, and says why
    r = t.post(url("statement_confirm", pk=st.pk), {"discard": "1"}, follow=True)
    assert "confirm that the statement is to be discarded" in r.content.decode()
    st.refresh_from_db()
    assert st.state == "checked"
    t.post(url("statement_confirm", pk=st.pk), {"discard": "confirmed"})
    assert not Statement.objects.filter(pk=st.pk, state="checked").exists()
