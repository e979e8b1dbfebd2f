"""Money is recorded once it has moved: a spend paid, a payment, a remittance or a refund dated
after today is refused in words naming the date's field and today, in the form and in the
action (so a payments file and the API are refused too); a budget for a year to come is not."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from grassroots.finance.actions import budgets, spending
from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.actions.subscriptions import (
    create_rule,
    import_payments,
    record_payment,
    record_remittance,
)
from grassroots.finance.models import Budget, Payment, Remittance, Spend, Transaction
from grassroots.finance.payments_csv import PaymentRow, PaymentsFile
from grassroots.members.actions import ActionRefused
from grassroots.members.models import Member
from tests.finance.subscriptions.conftest import CITED
from tests.finance.test_hostile_input import form_token, hill, login

pytestmark = pytest.mark.django_db


def _today() -> dt.date:
    return timezone.localdate()


def _words(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _late(field: str, day: dt.date) -> str:
    return f"{field} ({_words(day)}) cannot be after today ({_words(_today())})"


def approved_spend(books: Any) -> Spend:
    """£40 of leaflets for Hillford, proposed by its treasurer and approved by its chair."""
    o = books.org
    s = spending.propose_spend(
        o.hillford,
        payee="Printers",
        amount="40",
        purpose="Leaflets",
        budget_line=books.leaflets,
        by=o.users["treasurer"],
    )
    return spending.approve_spend(s, by=o.users["chair"])


@pytest.mark.parametrize("ahead", [1, 400, 365 * 70])
def test_a_spend_paid_after_today_is_refused_in_the_form_naming_the_field_and_today(
    books: Any, ahead: int
) -> None:
    s = approved_spend(books)
    day = _today() + dt.timedelta(days=ahead)
    r = login("treasurer").post(
        hill(f"spends/{s.pk}/"), {"pay": "1", "bank": str(books.bank.pk), "date": f"{day:%d/%m/%Y}"}
    )
    assert r.status_code == 200
    assert f"{_late('Date paid', day)}." in r.content.decode()
    s.refresh_from_db()
    assert s.state == "approved" and not Transaction.objects.exists()


def test_a_spend_paid_after_today_is_refused_by_the_action_but_paid_today_or_budgeted_ahead_is_not(
    books: Any,
) -> None:
    s = approved_spend(books)
    tomorrow = _today() + dt.timedelta(days=1)
    with pytest.raises(BooksRefused, match=re.escape(_late("Date paid", tomorrow))):
        spending.pay_spend(s, bank=books.bank, date=tomorrow, by=books.org.users["treasurer"])
    assert Spend.objects.get(pk=s.pk).state == "approved"
    paid = spending.pay_spend(s, bank=books.bank, date=_today(), by=books.org.users["treasurer"])
    assert paid.state == "paid" and paid.transaction.date == _today()
    # a budget's year to come is planned, not money moved: still set
    budget = budgets.set_budget(
        books.org.hillford,
        year=_today().year + 1,
        lines={books.leaflets: Decimal("300")},
        by=books.org.users["treasurer"],
    )
    assert Budget.objects.get(pk=budget.pk).year == _today().year + 1


def test_a_payment_or_remittance_dated_after_today_is_refused_in_the_form(books: Any) -> None:
    create_rule(effective_from=dt.date(2025, 1, 1), bands=CITED, reason="cited", by=None)
    tomorrow = _today() + dt.timedelta(days=1)
    c = login("admin")
    address = "/finance/members/M1/payments/new/"
    data = {"paid_on": f"{tomorrow:%d/%m/%Y}", "amount": "4.38"}
    r = c.post(address, {**data, "once": form_token(c.get(address).content.decode())})
    assert r.status_code == 200 and f"{_late('Date paid', tomorrow)}." in r.content.decode()
    address = "/finance/units/national/remittances/new/"
    data = {
        "unit": "hillford",
        "period": _today().replace(day=1).isoformat(),
        "paid_on": f"{tomorrow:%d/%m/%Y}",
        "amount": "12.50",
    }
    r = c.post(address, {**data, "once": form_token(c.get(address).content.decode())})
    assert r.status_code == 200 and f"{_late('Date paid', tomorrow)}." in r.content.decode()
    assert not Payment.objects.exists() and not Remittance.objects.exists()


def test_a_payment_or_remittance_dated_after_today_is_refused_by_the_action(books: Any) -> None:
    create_rule(effective_from=dt.date(2025, 1, 1), bands=CITED, reason="cited", by=None)
    tomorrow = _today() + dt.timedelta(days=1)
    m1 = Member.objects.get(number="M1")
    late = re.escape(_late("Date paid", tomorrow))
    with pytest.raises(ActionRefused, match=late):
        record_payment(m1, paid_on=tomorrow, amount=438, by=None)
    with pytest.raises(ActionRefused, match=late):
        record_remittance(
            books.org.hillford, period=_today(), paid_on=tomorrow, amount=1250, by=None
        )
    assert not Payment.objects.exists() and not Remittance.objects.exists()


def test_a_payments_file_row_dated_after_today_is_named_and_nothing_recorded(books: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    create_rule(effective_from=dt.date(2025, 1, 1), bands=CITED, reason="cited", by=None)
    tomorrow = _today() + dt.timedelta(days=1)
    data = f"number,date,amount\nM1,{_today()},4.38\nM1,{tomorrow},4.38\n".encode()
    r = login("admin").post(
        "/finance/units/hillford/payments/import/",
        {"file": SimpleUploadedFile("payments.csv", data)},
    )
    page = r.content.decode()
    assert r.status_code == 200
    assert '<td class="num" data-label="Row">3</td>' in page
    assert _late("Date paid", tomorrow) in page
    assert not Payment.objects.exists()
    # a file checked some other way (a script, an earlier check) is refused by the action
    m1 = Member.objects.get(number="M1")
    rows = [PaymentRow(2, m1.pk, "M1", tomorrow, 438, "standard", "")]
    with pytest.raises(ActionRefused, match=r"row 2: Date paid \(.*\) cannot be after today"):
        import_payments(PaymentsFile("own", rows), unit=books.org.hillford, by=None)
    assert not Payment.objects.exists()
