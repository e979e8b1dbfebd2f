"""Refunds of recorded payments: split back by the same rounding rule to the penny, the payment
never changed, the figures following, and every bad or unpermitted refund refused with nothing
stored."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.audit.models import AuditEntry
from grassroots.finance import subscription_figures as figures
from grassroots.finance.actions.refunds import refund_payment
from grassroots.finance.actions.subscriptions import record_payment, record_remittance
from grassroots.finance.apportion import LEVELS, BandSplit, apportion
from grassroots.finance.models import Payment, Refund
from grassroots.finance.refunds import RefundError, refund_shares
from grassroots.members import actions
from grassroots.members.actions import ActionRefused
from grassroots.members.permissions import NotAllowed

from .conftest import PASSWORD, Org
from .test_apportion import splits

D = dt.date


@given(
    st.integers(1, 10**6),
    splits(),
    st.lists(st.sampled_from(LEVELS), max_size=4),
    st.lists(st.integers(1, 10**6), min_size=1, max_size=6),
)
def test_refunds_shares_always_add_up_and_leave_each_unit_the_split_of_what_is_still_paid(
    amount: int, split: BandSplit, present: list[str], wanted: list[int]
) -> None:
    levels = [lv for lv in LEVELS if lv in present or lv == "national"]
    paid = dict(apportion(amount, split, levels))
    kept = {lv: paid.get(lv, 0) for lv in levels}
    refunded = 0
    for want in wanted:
        left = amount - refunded
        if left == 0:
            break
        refund = min(want, left)
        shares = dict(refund_shares(amount, refunded, refund, split, levels))
        assert sum(shares.values()) == refund
        refunded += refund
        for lv in levels:
            kept[lv] -= shares[lv]
        net = dict(apportion(amount - refunded, split, levels)) if refunded < amount else {}
        assert kept == {lv: net.get(lv, 0) for lv in levels}
    if refunded == amount:  # refunded in full: every unit gave back exactly its share
        assert all(p == 0 for p in kept.values())


@given(st.integers(1, 10**6), splits())
def test_a_full_refund_at_once_returns_each_units_share_exactly(
    amount: int, split: BandSplit
) -> None:
    paid = apportion(amount, split, LEVELS)
    assert refund_shares(amount, 0, amount, split, LEVELS) == tuple(
        (lv, dict(paid).get(lv, 0)) for lv in LEVELS
    )


def test_refunding_nothing_or_more_than_is_left_is_refused_in_words() -> None:
    split = BandSplit(5256, (("national", 5006), ("branch", 250)))
    with pytest.raises(RefundError, match="more than nothing"):
        refund_shares(438, 0, 0, split, ["national", "branch"])
    with pytest.raises(RefundError, match=r"more than the £2\.38 left of the payment of £4\.38"):
        refund_shares(438, 200, 239, split, ["national", "branch"])
    with pytest.raises(RefundError, match="already been refunded in full"):
        refund_shares(438, 438, 1, split, ["national", "branch"])


@pytest.mark.django_db
class TestRefundAction:
    @pytest.fixture
    def payment(self, org: Org) -> Payment:
        # under the changed rule: national 4205, region 263, branch 526, ward 262 of 5256
        return record_payment(org.ann, paid_on=D(2025, 8, 1), amount=438, by=None)

    def test_a_full_refund_returns_each_units_share_and_keeps_the_payment(
        self, org: Org, payment: Payment
    ) -> None:
        shares = {level: pence for level, _, pence in payment.shares()}
        refund = refund_payment(
            payment,
            amount=438,
            reason="paid twice by mistake",
            refunded_on=D(2025, 8, 20),
            by=org.users["hilltreasurer"],
        )
        assert {lv: refund.share(lv) for lv in LEVELS} == shares
        stored = Payment.objects.get(pk=payment.pk)
        assert stored.amount == 438 and stored.shares() == payment.shares()
        entry = AuditEntry.objects.filter(action="refund_subscription_payment").get()
        assert entry.actor_name == "hilltreasurer" and entry.reason == "paid twice by mistake"
        assert "£4.38 of Ann Arrears's (M1) payment" in entry.summary
        assert "refunded in full" in entry.summary

    def test_part_refunds_add_up_and_the_last_returns_what_each_unit_still_holds(
        self, org: Org, payment: Payment
    ) -> None:
        by = org.users["treasurer"]  # the national treasurer may refund too
        first = refund_payment(payment, amount=100, reason="moved to reduced rate", by=by)
        second = refund_payment(payment, amount=338, reason="left the party", by=by)
        for r in (first, second):
            assert sum(r.share(lv) for lv in LEVELS) == r.amount
        for level, _, pence in payment.shares():
            assert first.share(level) + second.share(level) == pence

    def test_a_refund_of_more_than_was_paid_is_refused_and_nothing_stored(
        self, org: Org, payment: Payment
    ) -> None:
        with pytest.raises(ActionRefused, match=r"more than the £4\.38 left"):
            refund_payment(payment, amount=439, reason="x", by=org.users["hilltreasurer"])
        assert not Refund.objects.exists()
        assert not AuditEntry.objects.filter(action="refund_subscription_payment").exists()

    def test_a_payment_refunded_in_full_cannot_be_refunded_again(
        self, org: Org, payment: Payment
    ) -> None:
        by = org.users["hilltreasurer"]
        refund_payment(payment, amount=438, reason="duplicate", by=by)
        with pytest.raises(ActionRefused, match="already been refunded in full"):
            refund_payment(payment, amount=1, reason="again", by=by)
        assert Refund.objects.count() == 1

    def test_a_refund_needs_a_reason_and_a_date_neither_future_nor_before_the_payment(
        self, org: Org, payment: Payment
    ) -> None:
        by = org.users["hilltreasurer"]
        with pytest.raises(ActionRefused, match="say why"):
            refund_payment(payment, amount=10, reason="  ", by=by)
        with pytest.raises(ActionRefused, match="before the payment on 2025-08-01"):
            refund_payment(payment, amount=10, reason="r", refunded_on=D(2025, 7, 1), by=by)
        late = r"Date refunded \(1 January 2999\) cannot be after today"
        with pytest.raises(ActionRefused, match=late):
            refund_payment(payment, amount=10, reason="r", refunded_on=D(2999, 1, 1), by=by)
        assert not Refund.objects.exists()

    def test_only_a_treasurer_of_the_payments_branch_or_above_may_refund(
        self, org: Org, payment: Payment
    ) -> None:
        moortreasurer = actions.create_login(username="moortreasurer", password=PASSWORD, by=None)
        actions.grant_role(user=moortreasurer, kind="treasurer", unit=org.moorside, by=None)
        # the branch secretary records payments but does not refund them; another branch's
        # treasurer may not touch this branch's payments; a member may not either
        for user in (org.users["secretary"], moortreasurer, org.users["member"]):
            with pytest.raises(NotAllowed):
                refund_payment(payment, amount=100, reason="hostile", by=user)
        assert not Refund.objects.exists()

    def test_the_units_totals_and_remittances_follow_a_refund(
        self, org: Org, payment: Payment
    ) -> None:
        record_remittance(org.hillford, period=D(2025, 8, 1), paid_on=D(2025, 9, 5), amount=44,
                          by=None)  # fmt: skip
        branch_share = dict((lv, p) for lv, _, p in payment.shares())["branch"]
        assert figures.unit_year(org.hillford, 2025).received == branch_share
        refund = refund_payment(
            payment, amount=438, reason="duplicate", refunded_on=D(2025, 9, 2),
            by=org.users["hilltreasurer"],
        )  # fmt: skip
        year = figures.unit_year(org.hillford, 2025)
        assert year.received == 0 and year.refunded == refund.share("branch")
        assert dict((m, r) for m, r, _ in year.months)["September"] == -branch_share
        rows = {r.period.month: r for r in figures.remittances(org.hillford, 2025)}
        assert rows[8].owed == branch_share and rows[9].owed == -branch_share
        national = figures.unit_year(org.national, 2025)
        assert dict(national.levels)["branch"] == 0
        assert (
            dict((u.code, p) for u, p in figures.unit_year(org.north, 2025).below)["hillford"] == 0
        )
        mine = figures.member_year(org.ann, 2025)
        assert mine.paid == 0 and all(p == 0 for _, _, p in mine.by_level)
        assert mine.payments[0].refunds[0].reason == "duplicate"
        assert mine.branch_received == 0
