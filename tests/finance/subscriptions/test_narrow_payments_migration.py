"""Payments stored before their splits were kept apart (finance 0006) keep every figure when the
database is migrated: each kind of payment becomes one split, each recording one batch."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("finance", "0006_payment_split_constraints")]


@pytest.mark.django_db(transaction=True)
def test_payments_stored_with_their_split_keep_it_after_the_migration() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("finance")
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Unit = old.get_model("members", "Unit")
    Member = old.get_model("members", "Member")
    Rule = old.get_model("finance", "SubscriptionRule")
    Payment = old.get_model("finance", "Payment")
    nat = Unit.objects.create(kind="national", code="n", name="N", path="/")
    nat.path = f"/{nat.pk}/"
    nat.save()
    branch = Unit.objects.create(kind="branch", code="b", name="B", parent=nat, path="")
    branch.path = f"{nat.path}{branch.pk}/"
    branch.save()
    people = [
        Member.objects.create(
            number=f"M{i}", name=f"M {i}", branch=branch, join_date=dt.date(2020, 1, 1)
        )
        for i in range(2)
    ]
    rule = Rule.objects.create(effective_from=dt.date(2025, 1, 1), bands={})
    at = timezone.now()

    def pay(
        member: object, day: int, amount: int, national: int, branch_pence: int, ref: str
    ) -> None:
        Payment.objects.create(
            member=member, paid_on=dt.date(2025, 1, day), amount=amount, band="standard",
            rule=rule, source="import", reference=ref, recorded_at=at, national=nat,
            national_pence=national, branch=branch, branch_pence=branch_pence,
        )  # fmt: skip

    pay(people[0], 1, 438, 417, 21, "a")
    pay(people[1], 1, 438, 417, 21, "b")  # the same kind: the same split
    pay(people[0], 2, 1000, 950, 50, "c")
    Payer = old.get_model("finance", "Payer")
    for person in reversed(people):
        Payer.objects.create(year=2025, member_id=person.pk, national_id=nat.pk, region_id=0,
                             branch_id=branch.pk, ward_id=0)  # fmt: skip

    executor.loader.build_graph()
    executor.migrate(latest)

    from grassroots.finance.models import Payment as Now
    from grassroots.finance.models import PaymentBatch, PaymentSplit

    rows = list(Now.objects.select_related("split", "batch").order_by("reference"))
    assert [(p.reference, p.amount, p.shares()) for p in rows] == [
        ("a", 438, [("national", nat.pk, 417), ("branch", branch.pk, 21)]),
        ("b", 438, [("national", nat.pk, 417), ("branch", branch.pk, 21)]),
        ("c", 1000, [("national", nat.pk, 950), ("branch", branch.pk, 50)]),
    ]
    assert rows[0].split_id == rows[1].split_id != rows[2].split_id
    assert PaymentSplit.objects.count() == 2 and PaymentBatch.objects.count() == 1
    assert {p.recorded_at for p in rows} == {at} and {p.rule_id for p in rows} == {rule.pk}
    # the year's payers, packed into their block, sorted by member
    from grassroots.finance.figures import _payers

    stored, _ = _payers(2025, np.array([m.pk for m in people], dtype=np.int64))
    assert stored.tolist() == [[m.pk, nat.pk, 0, branch.pk, 0] for m in people]
