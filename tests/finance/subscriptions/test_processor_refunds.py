"""A payment processor's export read for its refunds: each payment it marks refunded (in full
or in part) recorded as a refund once, shown in the report before anything is stored, left for
a treasurer when the importer may not refund, and a bad refund line naming its row with
nothing recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.finance.models import Payment, Refund
from grassroots.finance.processor_refunds import read_refunds

from .conftest import Org

HEAD = "id,Created date (UTC),Amount,Amount Refunded,Currency,Status,membership_number (metadata)\n"
PAID = HEAD + (
    "py_1,2025-03-01 09:12:44,4.38,0.00,gbp,Paid,M1\n"
    "py_3,2025-04-01 09:12:44,4.38,0.00,gbp,Paid,M1\n"
)
REFUNDED = HEAD + (
    "py_1,2025-03-01 09:12:44,4.38,4.38,gbp,Refunded,M1\n"
    "py_3,2025-04-01 09:12:44,4.38,1.00,gbp,Paid,M1\n"
    "py_4,2025-05-01 09:12:44,4.38,0.50,gbp,Paid,M1\n"
)


def test_the_refunded_rows_of_an_export_are_read_and_bad_ones_named() -> None:
    text = REFUNDED + "py_5,2025-05-01,4.38,9.99,gbp,Paid,M1\npy_6,2025-05-01,4.38,x,gbp,Paid,M1\n"
    lines = read_refunds(text)
    assert [(x.row, x.reference, x.refunded) for x in lines.lines] == [
        (2, "py_1", 438), (3, "py_3", 100), (4, "py_4", 50),
    ]  # fmt: skip
    assert [str(e) for e in lines.errors] == [
        "row 5, column Amount Refunded: 9.99 refunded is more than the 4.38 paid",
        "row 6, column Amount Refunded: 'x' is not an amount of money, e.g. 52.56",
    ]
    # an export without the column: a Refunded status is the whole payment
    bare = (
        "id,Created date (UTC),Amount,Currency,Status,Customer Email\n"
        "py_1,2025-03-01,4.38,gbp,Refunded,a@b\n"
    )
    assert [(x.reference, x.refunded) for x in read_refunds(bare).lines] == [("py_1", 438)]
    assert read_refunds("number,date,amount\nM1,2025-03-01,4.38\n").lines == []


def _upload(c: Any, text: str) -> str:
    return c.post(
        "/finance/units/hillford/payments/import/",
        {"file": SimpleUploadedFile("stripe.csv", text.encode(), "text/csv")},
    ).content.decode()


def _confirm(c: Any, page: str) -> Any:
    token = page.split('name="token" value="')[1].split('"')[0]
    return c.post("/finance/units/hillford/payments/import/confirm/", {"token": token})


@pytest.mark.django_db
def test_a_treasurer_imports_an_exports_refunds_once_after_seeing_them(
    org: Org, client_as: Any
) -> None:
    c = client_as("hilltreasurer")
    assert _confirm(c, _upload(c, PAID)).status_code == 302
    assert Payment.objects.count() == 2
    page = _upload(c, REFUNDED)
    # py_4 is new: recorded and refunded in part; py_1 refunded in full, py_3 in part
    assert "1 payment totalling £4.38 and 3 refunds totalling £5.88 to record" in page
    assert not Refund.objects.exists()
    assert _confirm(c, page).status_code == 302
    got = {r.payment.reference: (r.amount, r.source) for r in Refund.objects.all()}
    assert got == {
        "py_1": (438, "processor"),
        "py_3": (100, "processor"),
        "py_4": (50, "processor"),
    }
    for r in Refund.objects.all():
        assert r.reason == "refunded through the payment processor (stripe.csv)"
    again = _upload(c, REFUNDED)
    assert "py_1&#x27;s refund is already recorded" in again and 'name="token"' not in again
    assert Refund.objects.count() == 3


@pytest.mark.django_db
def test_an_importer_who_may_not_refund_leaves_the_refunds_for_a_treasurer(
    org: Org, client_as: Any
) -> None:
    c = client_as("secretary")
    _confirm(c, _upload(c, PAID))
    page = _upload(c, REFUNDED)
    assert "py_1: a refund of £4.38 for a treasurer to record" in page
    assert "1 payment totalling £4.38 to record" in page
    _confirm(c, page)
    assert Payment.objects.count() == 3 and not Refund.objects.exists()


@pytest.mark.django_db
def test_a_bad_refund_line_names_its_row_and_nothing_is_recorded(org: Org, client_as: Any) -> None:
    c = client_as("hilltreasurer")
    _confirm(c, _upload(c, PAID))
    page = _upload(
        c,
        REFUNDED.replace(
            "py_3,2025-04-01 09:12:44,4.38,1.00", "py_3,2025-04-01 09:12:44,4.38,5.00"
        ),
    )
    assert "5.00 refunded is more than the 4.38 paid" in page and 'name="token"' not in page
    page = _upload(
        c,
        REFUNDED.replace(
            "py_1,2025-03-01 09:12:44,4.38,4.38", "py_1,2025-03-01 09:12:44,5.00,4.38"
        ),
    )
    assert "py_1 was recorded as £4.38, the export says £5.00" in page
    assert Payment.objects.count() == 2 and not Refund.objects.exists()
