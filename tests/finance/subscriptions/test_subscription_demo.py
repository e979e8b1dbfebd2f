"""The demo's subscriptions: a year of payments under the rule members cite and a changed rule
from a later date, every split adding up, and remittances one month short for Hillford."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F, Sum

from grassroots.audit.log import verify
from grassroots.finance import subscription_figures as figures
from grassroots.finance.demo_subscriptions import seed as seed_subscriptions
from grassroots.finance.models import Payment, PaymentSplit, SubscriptionRule
from grassroots.members.demo import seed
from grassroots.members.models import Member, Unit


@pytest.mark.django_db
def test_the_demo_has_a_year_of_subscriptions_under_the_cited_rule_and_a_changed_one() -> None:
    today = dt.date(2026, 12, 5)
    seed(members=200)
    count = seed_subscriptions(today)
    assert count == Payment.objects.count() > 12 * 100
    cited, changed = SubscriptionRule.objects.order_by("effective_from")
    assert cited.bands["standard"] == {"rate": 5256, "shares": {"national": 5006, "branch": 250}}
    assert changed.effective_from == dt.date(2026, 9, 1)
    standard = Payment.objects.filter(split__band="standard", split__amount=438)
    assert set(
        standard.filter(paid_on__lt=changed.effective_from).values_list(
            "split__rule", "split__branch_pence"
        )
    ) == {(cited.pk, 21)}
    assert set(
        standard.filter(paid_on__gte=changed.effective_from).values_list(
            "split__rule", "split__branch_pence"
        )
    ) == {(changed.pk, 44)}
    assert not PaymentSplit.objects.exclude(
        amount=F("national_pence") + F("region_pence") + F("branch_pence") + F("ward_pence")
    ).exists()
    # a standard-rate member who paid all year
    member = Member.objects.filter(
        rate_band="standard", status="full", join_date__lt=dt.date(2025, 1, 1)
    ).first()
    assert member is not None
    year = Payment.objects.filter(member=member, paid_on__year=2026).aggregate(
        paid=Sum("split__amount"), branch=Sum("split__branch_pence")
    )
    assert year["paid"] == 5256  # twelve months of £4.38, January to December 2026
    assert year["branch"] == 8 * 21 + 4 * 44
    hillford = Unit.objects.get(code="hillford")
    rows = figures.remittances(hillford, 2026)
    november = next(r for r in rows if r.period.month == 11)
    assert november.difference == min(500, november.owed // 2) > 0
    assert all(r.difference == 0 for r in rows if r.period.month < 11 and r.owed)
    assert verify() is None
