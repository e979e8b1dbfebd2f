"""How a file's payments are written: a reference the file holds twice is refused by the
table's unique index as the rows go in (a COPY on PostgreSQL) and named, with nothing stored;
references compare byte by byte; many rows written in one statement arrive as they were."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from grassroots.finance.actions.subscriptions import import_payments
from grassroots.finance.models import (
    PayerBlock,
    Payment,
    PaymentBatch,
    PaymentFigure,
    SubscriptionRule,
)
from grassroots.finance.payments_csv import PaymentRow, PaymentsFile
from grassroots.members.actions import ActionRefused
from grassroots.members.models import Member
from grassroots.site import bulk_sql

from .conftest import Org

D = dt.date
pytestmark = pytest.mark.django_db


def _file(rows: list[tuple[Member, dt.date, str]]) -> PaymentsFile:
    return PaymentsFile(
        "own",
        [
            PaymentRow(i + 2, m.pk, m.number, day, 438, m.rate_band, ref)
            for i, (m, day, ref) in enumerate(rows)
        ],
    )


def _stored() -> tuple[int, int, int, int]:
    return (
        Payment.objects.count(),
        PaymentBatch.objects.count(),
        PaymentFigure.objects.count(),
        PayerBlock.objects.count(),
    )


def test_a_reference_twice_in_one_file_is_refused_and_nothing_is_stored(org: Org) -> None:
    before = _stored()
    twice = _file([(org.ann, D(2025, 3, 1), "r1"), (org.bob, D(2025, 3, 1), "r1")])
    with pytest.raises(ActionRefused, match="r1 is in the file twice"):
        import_payments(twice, unit=org.national, by=None)
    assert _stored() == before


def test_references_are_compared_byte_by_byte(org: Org) -> None:
    # "Ref-1" and "ref-1" are different references under any collation; what this checks is
    # the column's declared collation, which decides how the unique index compares
    import_payments(
        _file([(org.ann, D(2025, 3, 1), "Ref-1"), (org.bob, D(2025, 3, 1), "ref-1")]),
        unit=org.national,
        by=None,
    )
    assert Payment.objects.filter(reference__in=["Ref-1", "ref-1"]).count() == 2
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT column_name, collation_name FROM information_schema.columns "
                "WHERE table_name = 'finance_payment' AND column_name IN ('source', 'reference')"
            )
            assert dict(cur.fetchall()) == {"source": "C", "reference": "C"}
        else:  # SQLite's own comparison is byte by byte: nothing declared
            cur.execute("SELECT sql FROM sqlite_master WHERE name = 'finance_payment'")
            assert "COLLATE" not in cur.fetchone()[0].upper()


@pytest.mark.parametrize("per_statement", [3, 5_000])
def test_many_rows_written_at_once_arrive_whole_and_an_upsert_adds(
    org: Org, monkeypatch: pytest.MonkeyPatch, per_statement: int
) -> None:
    # text that an array or a VALUES list must carry as it is, across statement boundaries
    monkeypatch.setattr(bulk_sql, "_MOST_ROWS", per_statement)
    monkeypatch.setattr(bulk_sql, "_MOST_ROWS_IN_ARRAYS", per_statement)
    rule = SubscriptionRule.objects.get(effective_from=D(2025, 1, 1)).pk
    bands = ['a,"b"{c}', "back\\slash", "it's é", "", "NULL", " spaced ", "{}", "tab\there"]
    month = connection.ops.adapt_datefield_value(D(2025, 3, 1))
    cols = [
        "unit_id", "month", "rule_id", "band", "amount", "has_region", "has_ward", "received",
        "paid_in", "payments", "new_payers",
    ]  # fmt: skip
    adds = ", ".join(f"{c} = finance_paymentfigure.{c} + excluded.{c}" for c in cols[-4:])
    upsert = (
        " ON CONFLICT (unit_id, month, rule_id, band, amount, has_region, has_ward) "
        f"DO UPDATE SET {adds}"
    )
    rows = [
        (org.national.pk, month, rule, b, 438, i % 2 == 0, False, 10 + i, 438, 1, 1)
        for i, b in enumerate(bands)
    ]
    bulk_sql.insert_rows(PaymentFigure, cols, rows, suffix=upsert)
    bulk_sql.insert_rows(PaymentFigure, cols, rows[:2], suffix=upsert)
    stored = {
        f.band: (f.has_region, f.received, f.payments)
        for f in PaymentFigure.objects.filter(unit=org.national)
    }
    assert stored == {
        b: (i % 2 == 0, (10 + i) * (2 if i < 2 else 1), 2 if i < 2 else 1)
        for i, b in enumerate(bands)
    }
    # constants: the same literal in every row, and ids as given
    batch = PaymentBatch.objects.create(source="import", recorded_at=timezone.now())
    payment_cols = ["member_id", "paid_on", "reference", "split_id", "batch_id", "source"]
    payments = [
        (
            org.ann.pk,
            month,
            f"ref {i}",
            1,
        )
        for i in range(7)
    ]
    bulk_sql.insert_rows(Payment, payment_cols, payments, constants=(str(batch.pk), "'import'"))
    written = Payment.objects.filter(batch=batch).order_by("reference")
    assert [(p.reference, p.source, p.paid_on) for p in written] == [
        (f"ref {i}", "import", D(2025, 3, 1)) for i in range(7)
    ]
