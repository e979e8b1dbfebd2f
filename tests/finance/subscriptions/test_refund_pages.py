"""The refund form on a member's subscription page: the treasurer refunds with a reason and a
confirmation, the member reads the refund beside the payment, and every other role, a payment
of another member or unit, or a bad amount gets a clear answer with nothing stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from grassroots.finance.actions.subscriptions import record_payment
from grassroots.finance.models import Payment, Refund
from grassroots.members import actions

from .conftest import PASSWORD, Org

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(org: Org) -> Payment:
    return record_payment(org.ann, paid_on=D(2025, 8, 1), amount=438, by=None)


def _post(client: Any, payment: Payment, number: str = "M1", **data: str) -> Any:
    body = {"amount": "4.38", "reason": "paid twice", "refunded_on": "2025-08-20", "confirm": "on"}
    body.update(data)
    return client.post(f"/finance/members/{number}/payments/{payment.pk}/refund/", body)


def test_the_treasurer_refunds_a_payment_and_the_member_reads_it_beside_the_payment(
    org: Org, client_as: Any, payment: Payment
) -> None:
    page = client_as("hilltreasurer").get("/finance/members/M1/subscription/?year=2025")
    assert f"/finance/members/M1/payments/{payment.pk}/refund/" in page.content.decode()
    form = client_as("hilltreasurer").get(f"/finance/members/M1/payments/{payment.pk}/refund/")
    assert "£4.38 of it is left to refund" in form.content.decode()
    r = _post(client_as("hilltreasurer"), payment, amount="1.38")
    assert r.status_code == 302 and r["Location"] == "/finance/members/M1/subscription/"
    refund = Refund.objects.get()
    assert refund.amount == 138 and refund.reason == "paid twice"
    mine = client_as("member").get("/me/subscription/?year=2025").content.decode()
    assert "Refunded £1.38 on 20 August 2025: paid twice." in mine
    assert "£3.00 in all after £1.38 refunded." in mine
    assert "/refund/" not in mine  # the member has no refund link


def test_without_the_confirmation_tick_nothing_is_refunded(
    org: Org, client_as: Any, payment: Payment
) -> None:
    r = _post(client_as("hilltreasurer"), payment, confirm="")
    assert r.status_code == 200 and "Tick the box to confirm the refund." in r.content.decode()
    assert not Refund.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "4.39"}, "more than the £4.38 left of the payment of £4.38"),
        ({"amount": "-1"}, "An amount cannot be less than nothing."),
        ({"amount": "twenty"}, "is not an amount of money"),
        ({"reason": ""}, "This field is required."),
        ({"refunded_on": "2025-07-01"}, "before the payment on 2025-08-01"),
    ],
)
def test_a_bad_refund_is_named_on_the_form_and_nothing_is_stored(
    org: Org, client_as: Any, payment: Payment, data: dict[str, str], message: str
) -> None:
    r = _post(client_as("hilltreasurer"), payment, **data)
    assert r.status_code == 200 and message in r.content.decode()
    assert not Refund.objects.exists()


def test_a_payment_refunded_in_full_offers_no_refund_and_refuses_another(
    org: Org, client_as: Any, payment: Payment
) -> None:
    client = client_as("hilltreasurer")
    assert _post(client, payment).status_code == 302
    page = client.get("/finance/members/M1/subscription/?year=2025").content.decode()
    assert "/refund/" not in page
    r = _post(client, payment, amount="0.01")
    assert "already been refunded in full" in r.content.decode()
    assert Refund.objects.count() == 1


@pytest.mark.parametrize("who", ["secretary", "officer", "moorsec", "executive", "member"])
def test_nobody_but_a_treasurer_may_refund(
    org: Org, client_as: Any, payment: Payment, who: str
) -> None:
    client = client_as(who)
    assert client.get(f"/finance/members/M1/payments/{payment.pk}/refund/").status_code == 403
    assert _post(client, payment).status_code == 403
    assert not Refund.objects.exists()


def test_a_hostile_post_for_another_units_payment_is_refused(org: Org, client: Any) -> None:
    bobs = record_payment(org.bob, paid_on=D(2025, 8, 1), amount=438, by=None)
    moortreasurer = actions.create_login(username="moortreasurer", password=PASSWORD, by=None)
    actions.grant_role(user=moortreasurer, kind="treasurer", unit=org.moorside, by=None)
    anns = record_payment(org.ann, paid_on=D(2025, 8, 1), amount=438, by=None)
    client.force_login(moortreasurer)
    # Ann's payment, at her own address or slipped under Bob's: refused, nothing stored
    assert _post(client, anns).status_code == 403
    assert _post(client, anns, number="M2").status_code == 404
    assert _post(client, bobs, number="M1").status_code == 404
    assert client.post("/finance/members/M1/payments/999999/refund/", {}).status_code == 404
    assert client.get("/finance/members/M1/payments/x/refund/").status_code == 404
    assert not Refund.objects.exists()
    assert _post(client, bobs, number="M2").status_code == 302  # its own branch's payment
