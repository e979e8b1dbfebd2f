"""Bad input to the open books: odd addresses, hostile form posts and malformed uploads are
answered in words (404, 400, 403 or the form again with the problem named), never a server
error, never another unit's unpublished books, and nothing already stored is lost."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

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
