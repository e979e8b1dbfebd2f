"""The figures kept per unit and month as payments are recorded equal a fresh sum of the stored
payments, whichever way the payments came (officer, file, several files, members moving); every
unit's accounts at once equal each unit's own; a file whose reference is already recorded is
refused whole by the table's constraint."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
import pytest
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from grassroots.finance import subscription_figures as figures
from grassroots.finance.actions.refunds import refund_payment
from grassroots.finance.actions.subscriptions import import_payments, record_payment
from grassroots.finance.apportion import LEVELS
from grassroots.finance.figures import rebuild
from grassroots.finance.models import Payment, PaymentFigure
from grassroots.finance.payments_csv import PaymentRow, PaymentsFile
from grassroots.finance.subscription_accounts import every_unit_year
from grassroots.members.actions import ActionRefused
from grassroots.members.models import Member, Unit

from .conftest import Org

D = dt.date
pytestmark = pytest.mark.django_db


def _fresh() -> tuple[dict[tuple[int, dt.date], tuple[int, int, int]], dict[tuple[int, int], int]]:
    """Each unit's (received, paid in, payments) per month, and its payers per year, summed
    from the payments themselves."""
    months: dict[tuple[int, dt.date], tuple[int, int, int]] = {}
    payers: dict[tuple[int, int], int] = {}
    for level in LEVELS:
        qs = Payment.objects.exclude(**{f"split__{level}_id": None})
        for row in (
            qs.annotate(month=TruncMonth("paid_on"))
            .values(f"split__{level}_id", "month")
            .annotate(r=Sum(f"split__{level}_pence"), p=Sum("split__amount"), n=Count("pk"))
            .order_by()
        ):
            months[(row[f"split__{level}_id"], row["month"])] = (row["r"], row["p"], row["n"])
        for year in {d.year for d in qs.values_list("paid_on", flat=True)}:
            for unit, n in (
                qs.filter(paid_on__year=year)
                .values_list(f"split__{level}_id")
                .annotate(n=Count("member_id", distinct=True))
                .order_by()
            ):
                payers[(unit, year)] = n
    return months, payers


def _kept() -> tuple[dict[tuple[int, dt.date], tuple[int, int, int]], dict[tuple[int, int], int]]:
    months: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0, 0])
    payers: dict[tuple[int, int], int] = defaultdict(int)
    for f in PaymentFigure.objects.all():
        m = months[(f.unit_id, f.month)]
        m[0] += f.received
        m[1] += f.paid_in
        m[2] += f.payments
        payers[(f.unit_id, f.month.year)] += f.new_payers
    return {k: (a, b, c) for k, (a, b, c) in months.items()}, {k: v for k, v in payers.items() if v}


def _file(org: Org, rows: list[tuple[Member, dt.date, int, str]]) -> PaymentsFile:
    return PaymentsFile(
        "own",
        [
            PaymentRow(i + 2, m.pk, m.number, day, amount, m.rate_band, ref)
            for i, (m, day, amount, ref) in enumerate(rows)
        ],
    )


def test_kept_figures_equal_a_fresh_sum_after_officer_payments_files_and_a_member_moving(
    org: Org,
) -> None:
    record_payment(org.ann, paid_on=D(2025, 2, 1), amount=5256, by=None)
    record_payment(org.bob, paid_on=D(2025, 2, 3), amount=438, band="reduced", by=None)
    import_payments(
        _file(org, [(org.ann, D(2025, 3, 1), 438, "a3"), (org.bob, D(2025, 7, 9), 438, "b7"),
                    (org.ann, D(2025, 7, 1), 219, "a7"), (org.ann, D(2025, 7, 2), 219, "a7b")]),
        unit=org.national, by=None,
    )  # fmt: skip
    # Ann moves to Moorside, without a ward: her later payments go to it, her earlier stay
    Member.objects.filter(pk=org.ann.pk).update(branch=org.moorside, ward=None)
    import_payments(
        _file(org, [(org.ann, D(2025, 9, 1), 438, "a9"), (org.ann, D(2025, 9, 30), 1, "a9b")]),
        unit=org.national, by=None,
    )  # fmt: skip
    record_payment(org.bob, paid_on=D(2026, 1, 5), amount=5256, by=None)
    # a refund takes back from the units' shares in its own month; the payment is unchanged
    bob_july = Payment.objects.get(reference="b7")
    refund_payment(bob_july, amount=100, reason="paid twice", refunded_on=D(2025, 10, 1), by=None)
    fresh_months, fresh_payers = _fresh()
    kept_months, kept_payers = _kept()
    assert kept_months == fresh_months
    assert kept_payers == fresh_payers
    assert fresh_payers[(org.moorside.pk, 2025)] == 2  # Bob, and Ann after she moved
    assert fresh_payers[(org.national.pk, 2025)] == 2 and fresh_payers[(org.national.pk, 2026)] == 1
    nat = figures.unit_year(org.national, 2025)
    assert nat.paid_in == sum(Payment.objects.filter(paid_on__year=2025).values_list(
        "split__amount", flat=True))  # fmt: skip
    assert nat.payers == 2 and nat.payments == 8
    moorside = figures.unit_year(org.moorside, 2025)
    kept_moorside = sum(
        v[0] for (u, m), v in kept_months.items() if u == org.moorside.pk and m.year == 2025
    )
    assert moorside.refunded == bob_july.refunds.get().branch_pence > 0
    assert moorside.received == kept_moorside - moorside.refunded
    # every unit's accounts at once are each unit's own
    units = Unit.objects.filter(kind__in=LEVELS).order_by("path")
    assert every_unit_year(2025) == [figures.unit_year(u, 2025) for u in units]
    assert every_unit_year(2026) == [figures.unit_year(u, 2026) for u in units]


def test_rebuilding_the_figures_from_the_payments_gives_the_kept_ones(org: Org) -> None:
    record_payment(org.ann, paid_on=D(2025, 2, 1), amount=5256, by=None)
    record_payment(org.ann, paid_on=D(2025, 8, 1), amount=5256, by=None)
    record_payment(org.bob, paid_on=D(2025, 8, 1), amount=100, by=None)
    kept = _kept()
    rebuild(chunk=2)  # several batches: a member's first payment in one, later ones in another
    assert _kept() == kept == _fresh()


def test_a_file_with_a_reference_already_recorded_is_refused_whole_and_figures_stay(
    org: Org,
) -> None:
    import_payments(_file(org, [(org.ann, D(2025, 3, 1), 438, "r1")]), unit=org.national, by=None)
    before = _kept()
    stale = _file(org, [(org.bob, D(2025, 3, 1), 438, "r2"), (org.ann, D(2025, 4, 1), 438, "r1")])
    with pytest.raises(ActionRefused, match="r1 is already recorded"):
        import_payments(stale, unit=org.national, by=None)
    assert Payment.objects.count() == 1
    assert _kept() == before


@pytest.mark.django_db
def test_payers_kept_in_blocks_are_read_back_whole_and_sorted_across_blocks() -> None:
    from grassroots.finance import figures as kept
    from grassroots.finance.models import PayerBlock

    size = PayerBlock.MEMBERS
    first = np.array([[2 * size + 5, 1, 2, 3, 0], [7, 1, 2, 3, 4], [size + 1, 1, 0, 3, 0]])
    kept._store_payers(2025, first, {})
    assert PayerBlock.objects.filter(year=2025).count() == 3
    member = np.array([7, size + 1, 2 * size + 5, 7], dtype=np.int64)
    rows, by_block = kept._payers(2025, member)
    assert rows[:, 0].tolist() == [7, size + 1, 2 * size + 5]
    # member 7 moved ward: a second row in the same block, kept beside the first
    kept._store_payers(2025, np.array([[7, 1, 2, 3, 9]]), by_block)
    rows, _ = kept._payers(2025, np.array([7], dtype=np.int64))
    assert rows.tolist() == [[7, 1, 2, 3, 4], [7, 1, 2, 3, 9]]
    units = {
        level: np.array([u, u2], dtype=np.int64)
        for level, u, u2 in [("national", 1, 1), ("region", 2, 2), ("branch", 3, 3), ("ward", 9, 5)]
    }
    seen = kept._seen(np.array([7, 7], dtype=np.int64), units, rows)
    assert seen["branch"].tolist() == [True, True]
    assert seen["ward"].tolist() == [True, False]  # ward 9 paid before, ward 5 never
    assert kept._payers(2026, member)[0].shape == (0, 5)
