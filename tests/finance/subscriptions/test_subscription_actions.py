"""Recording subscriptions: the split stored under the rule in force on the payment's date, rules
by date that never reach back over recorded payments, files recorded whole or not at all,
remittances against what is owed, and the what-if split."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from grassroots.audit.models import AuditEntry
from grassroots.finance import subscription_figures as figures
from grassroots.finance.actions.subscriptions import (
    create_rule,
    import_payments,
    record_payment,
    record_remittance,
)
from grassroots.finance.models import Payment, PaymentSplit
from grassroots.members.actions import ActionRefused

from .conftest import CITED, Org

D = dt.date
pytestmark = pytest.mark.django_db


def test_a_payment_is_split_under_the_rule_in_force_on_its_date(org: Org) -> None:
    june = record_payment(org.ann, paid_on=D(2025, 6, 30), amount=5256, by=org.users["secretary"])
    july = record_payment(org.ann, paid_on=D(2025, 7, 1), amount=5256, by=org.users["secretary"])
    assert june.rule.effective_from == D(2025, 1, 1)
    assert june.shares() == [
        ("national", org.national.pk, 5006),
        ("region", org.north.pk, 0),
        ("branch", org.hillford.pk, 250),
        ("ward", org.hillford_east.pk, 0),
    ]
    assert july.shares() == [
        ("national", org.national.pk, 4205),
        ("region", org.north.pk, 263),
        ("branch", org.hillford.pk, 526),
        ("ward", org.hillford_east.pk, 262),
    ]
    entry = AuditEntry.objects.filter(action="record_subscription_payment").last()
    assert entry is not None and entry.actor_name == "secretary"
    assert "paid £52.56 on 2025-07-01" in entry.summary and "branch £5.26" in entry.summary


def test_a_member_without_a_ward_has_the_wards_share_go_to_the_branch(org: Org) -> None:
    p = record_payment(org.bob, paid_on=D(2025, 8, 1), amount=5256, by=None)
    assert p.shares() == [
        ("national", org.national.pk, 4205),
        ("region", org.north.pk, 263),
        ("branch", org.moorside.pk, 526 + 262),
    ]


def test_a_new_rule_is_refused_over_payments_already_recorded_and_leaves_earlier_ones(
    org: Org,
) -> None:
    p = record_payment(org.ann, paid_on=D(2025, 3, 1), amount=438, by=None)
    before = p.shares()
    with pytest.raises(ActionRefused, match="a new rule must take effect after 2025-03-01"):
        create_rule(effective_from=D(2025, 3, 1), bands=CITED, by=org.users["admin"])
    create_rule(effective_from=D(2026, 1, 1), bands=CITED, by=org.users["treasurer"])
    assert Payment.objects.get(pk=p.pk).shares() == before
    entry = AuditEntry.objects.filter(action="create_subscription_rule").last()
    assert entry is not None and entry.actor_name == "treasurer"
    assert "from 2026-01-01" in entry.summary and "branch £2.50" in entry.summary


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("treasurer", True), ("hilltreasurer", False), ("secretary", False),
     ("executive", False), ("member", False)],
)  # fmt: skip
def test_only_the_national_office_sets_the_rules(org: Org, who: str, allowed: bool) -> None:
    def attempt() -> object:
        return create_rule(effective_from=D(2027, 1, 1), bands=CITED, by=org.users[who])

    if allowed:
        assert attempt().effective_from == D(2027, 1, 1)
    else:
        with pytest.raises(Exception, match="may not set subscription rules"):
            attempt()


@pytest.mark.parametrize(
    ("who", "ann", "bob"),
    [("admin", True, True), ("treasurer", True, True), ("hilltreasurer", True, False),
     ("secretary", True, False), ("moorsec", False, True), ("officer", False, False),
     ("executive", False, False), ("member", False, False)],
)  # fmt: skip
def test_who_may_record_a_members_payment(org: Org, who: str, ann: bool, bob: bool) -> None:
    for member, allowed in [(org.ann, ann), (org.bob, bob)]:
        if allowed:
            record_payment(member, paid_on=D(2025, 2, 1), amount=438, by=org.users[who])
        else:
            with pytest.raises(Exception, match="may not record subscriptions"):
                record_payment(member, paid_on=D(2025, 2, 1), amount=438, by=org.users[who])


def test_a_payment_before_any_rule_or_in_a_band_without_a_rate_is_refused(org: Org) -> None:
    with pytest.raises(ActionRefused, match="no subscription rule is in force on 2024-12-31"):
        record_payment(org.ann, paid_on=D(2024, 12, 31), amount=438, by=None)
    with pytest.raises(ActionRefused, match="has no rate for the band 'youth'"):
        record_payment(org.ann, paid_on=D(2025, 2, 1), amount=438, band="youth", by=None)
    with pytest.raises(ActionRefused, match="more than nothing"):
        record_payment(org.ann, paid_on=D(2025, 2, 1), amount=0, by=None)
    assert not Payment.objects.exists()


def test_the_database_refuses_a_payment_split_whose_shares_do_not_add_up(org: Org) -> None:
    p = record_payment(org.ann, paid_on=D(2025, 2, 1), amount=438, by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentSplit.objects.filter(pk=p.split_id).update(branch_pence=F("branch_pence") + 1)


OWN = "number,date,amount,reference\nM1,2025-02-01,4.38,r1\nM1,2025-08-01,4.38,r2\n"


def test_a_payments_file_is_recorded_and_a_second_import_skips_what_it_recorded(org: Org) -> None:
    parsed = figures.check_payments(OWN, org.hillford)
    assert parsed.errors == [] and len(parsed.rows) == 2
    out = import_payments(parsed, unit=org.hillford, by=org.users["secretary"], filename="feb.csv")
    assert (out.recorded, out.total) == (2, 876)
    feb, aug = Payment.objects.filter(member=org.ann).order_by("paid_on")
    assert (feb.source, feb.split.branch_pence, aug.split.branch_pence, aug.split.ward_pence) == (
        "import",
        21,
        44,
        22,
    )
    again = figures.check_payments(OWN, org.hillford)
    assert again.rows == [] and [str(e) for e in again.left_out] == [
        "row 2, column reference: r1 is already recorded",
        "row 3, column reference: r2 is already recorded",
    ]
    assert Payment.objects.count() == 2


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("M2,2025-02-01,4.38,x", "row 3, column number: M2 is not a member you keep"),
        ("M1,31/02/2025,4.38,x", "row 3, column date: '31/02/2025' is not a date"),
        ("M1,2025-02-01,4.385,x", "row 3, column amount: '4.385' has more than pence"),
        ("M1,2025-02-01,-4,x", "row 3, column amount: a payment must be more than nothing"),
        (
            "M1,2024-02-01,4.38,x",
            "row 3, column date: no subscription rule is in force on 2024-02-01",
        ),
        ("M1,2025-02-01,4.38,r1", "row 3, column reference: 'r1' is also on row 2"),
        ("M1,2025-02-01", "row 3: 2 values where the header has 4"),
    ],
)
def test_a_bad_row_names_its_row_and_problem_and_nothing_is_recorded(
    org: Org, line: str, problem: str
) -> None:
    text = "number,date,amount,reference\nM1,2025-02-01,4.38,r1\n" + line + "\n"
    parsed = figures.check_payments(text, org.hillford)
    assert str(parsed.errors[0]).startswith(problem)
    with pytest.raises(ActionRefused, match="nothing was recorded"):
        import_payments(parsed, unit=org.hillford, by=org.users["secretary"])
    assert not Payment.objects.exists()


STRIPE = (
    "id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer Email,"
    "membership_number (metadata)\n"
    "py_1,2025-03-01 09:12:44,4.38,0.00,gbp,Paid,,M1\n"
    "py_2,2025-03-01 09:13:01,4.38,0.00,gbp,Failed,,M1\n"
    "py_3,2025-04-01 09:12:44,4.38,0.00,gbp,Paid,ANN@example.org,\n"
)


def test_a_processor_export_records_paid_rows_and_lists_the_rest(org: Org) -> None:
    org.ann.email = "ann@example.org"
    org.ann.save()
    parsed = figures.check_payments(STRIPE, org.hillford)
    assert parsed.layout == "processor" and parsed.errors == []
    assert [(r.number, r.reference) for r in parsed.rows] == [("M1", "py_1"), ("M1", "py_3")]
    assert [str(e) for e in parsed.left_out] == ["row 3, column Status: py_2 is Failed, not paid"]
    import_payments(parsed, unit=org.hillford, by=org.users["hilltreasurer"])
    assert set(Payment.objects.values_list("source", "reference")) == {
        ("processor", "py_1"),
        ("processor", "py_3"),
    }
    again = figures.check_payments(STRIPE, org.hillford)
    assert again.rows == [] and len(again.left_out) == 3


def test_a_processor_export_in_another_currency_is_refused_at_its_row(org: Org) -> None:
    org.ann.email = "ann@example.org"
    org.ann.save()
    text = STRIPE.replace("py_3,2025-04-01 09:12:44,4.38,0.00,gbp", "py_3,2025-04-01,4.38,0.00,eur")
    parsed = figures.check_payments(text, org.hillford)
    assert [str(e) for e in parsed.errors] == [
        "row 4, column Currency: paid in EUR, subscriptions are in GBP"
    ]


def test_remittances_show_what_is_owed_paid_and_the_difference_per_month(org: Org) -> None:
    for day in (D(2025, 3, 1), D(2025, 3, 15), D(2025, 4, 1)):
        record_payment(org.ann, paid_on=day, amount=5256, by=None)
    record_remittance(
        org.hillford, period=D(2025, 3, 20), paid_on=D(2025, 4, 10), amount=300,
        by=org.users["treasurer"],
    )  # fmt: skip
    rows = {r.period.month: r for r in figures.remittances(org.hillford, 2025)}
    assert (rows[3].owed, rows[3].paid, rows[3].difference) == (500, 300, 200)
    assert (rows[4].owed, rows[4].paid, rows[4].difference) == (250, 0, 250)
    with pytest.raises(Exception, match="may not set subscription rules"):
        record_remittance(
            org.hillford, period=D(2025, 3, 1), paid_on=D(2025, 4, 10), amount=1,
            by=org.users["hilltreasurer"],
        )  # fmt: skip
    with pytest.raises(ActionRefused, match="does not receive remittances"):
        record_remittance(
            org.national, period=D(2025, 3, 1), paid_on=D(2025, 4, 1), amount=1, by=None
        )
    by_unit = figures.remittances_by_unit(org.national, 2025)
    assert [(u.code, owed, paid) for u, owed, paid in by_unit] == [("hillford", 750, 300)]


def test_what_if_gives_the_branch_income_under_another_split(org: Org) -> None:
    for month in (2, 3, 4):
        record_payment(org.ann, paid_on=D(2025, month, 1), amount=438, by=None)
        record_payment(org.bob, paid_on=D(2025, month, 1), amount=438, by=None)
    hill = figures.what_if(org.hillford, 2025, Fraction(10))
    # 438p each: 21p to the branch under the cited rule; 10% is 43.8p, so 44p
    assert (hill.actual, hill.would_be, hill.paid_in, hill.difference) == (63, 132, 1314, 69)
    assert figures.what_if(org.hillford, 2025, Fraction(0)).would_be == 0
    assert figures.what_if(org.north, 2025, Fraction(5)).would_be == 6 * 22


def test_unit_totals_add_up_the_stored_shares(org: Org) -> None:
    record_payment(org.ann, paid_on=D(2025, 2, 1), amount=5256, by=None)
    record_payment(org.bob, paid_on=D(2025, 8, 1), amount=5256, by=None)
    nat = figures.unit_year(org.national, 2025)
    assert nat.received == 5006 + 4205 and nat.paid_in == 2 * 5256 and nat.payers == 2
    assert dict(nat.levels) == {"national": 9211, "region": 263, "branch": 250 + 788, "ward": 0}
    north = figures.unit_year(org.north, 2025)
    assert [(u.code, s) for u, s in north.below] == [("hillford", 250), ("moorside", 788)]
    assert north.months[7] == ("August", 263, 1)
