"""Subscriptions: split rules by date, payments with the split stored when recorded, and the
national office's remittances to units.

A payment row is narrow (member, date, reference) and cites its split: the unit each level's
share went to and the pence, with a database constraint that the shares add up to the amount,
shared by every payment of its kind. Narrow rows keep a year of a large party's payments
(millions) quick to record; kept monthly figures keep them quick to total per unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from grassroots.finance.apportion import LEVELS, BandSplit, SplitRule
from grassroots.site.fields import BytewiseCharField

__all__ = [
    "PAYMENT_SOURCES",
    "PayerBlock",
    "Payment",
    "PaymentBatch",
    "PaymentFigure",
    "PaymentSplit",
    "Remittance",
    "SubscriptionRule",
]

PAYMENT_SOURCES = (
    ("officer", "Recorded by an officer"),
    ("import", "Imported from a payments file"),
    ("processor", "Imported from a payment processor's export"),
)


class SubscriptionRule(models.Model):
    """The rates by band and their split between levels, in force from ``effective_from``.

    ``bands`` is ``SplitRule.to_dict()``: ``{band: {"rate": pence, "shares": {level: pence}}}``.
    A rule is never edited once made; a change is a new rule from a later date.
    """

    effective_from = models.DateField(unique=True)
    currency = models.CharField(max_length=3, default="GBP")
    bands = models.JSONField()
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"subscription rule from {self.effective_from}"

    def rule(self) -> SplitRule:
        return SplitRule.from_dict(self.effective_from, self.currency, self.bands)

    def band(self, name: str) -> BandSplit:
        return self.rule().band(name)


def shares_add_up(name: str) -> models.CheckConstraint:
    """The database's own check that a row's four shares add up to its amount, to the penny
    (a payment's split; a refund's)."""
    return models.CheckConstraint(
        condition=Q(
            amount=F("national_pence") + F("region_pence") + F("branch_pence") + F("ward_pence")
        ),
        name=name,
    )


def _split_unit() -> models.ForeignKey[Any]:
    """The member's unit at one level of a split (none: its share went up a level)."""
    return models.ForeignKey(
        "members.Unit", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )


def split_key(rule_id: int, band: str, amount: int, units: tuple[int | None, ...]) -> str:
    """The text that names one split: its rule, band, amount and each level's unit."""
    return "/".join(
        [str(rule_id), band, str(amount), *("" if u is None else str(u) for u in units)]
    )


class PaymentSplit(models.Model):
    """How every payment of one kind was split: the rule in force, the band and amount, and the
    unit at each level with the pence it received, adding up to the amount (a database check).

    Payments of a kind (a rule, a band, an amount, a member's branch and ward) share one split,
    so a year of millions of payments cites a few thousand splits and each payment row stays
    narrow. A split is never changed once a payment cites it: a later rule makes new splits.
    """

    key = models.CharField(max_length=200, unique=True, help_text="see split_key")
    rule = models.ForeignKey(SubscriptionRule, on_delete=models.PROTECT, related_name="splits")
    currency = models.CharField(max_length=3, default="GBP")
    band = models.CharField(max_length=16)
    amount = models.BigIntegerField(help_text="pence")
    national = _split_unit()
    national_pence = models.BigIntegerField(default=0)
    region = _split_unit()
    region_pence = models.BigIntegerField(default=0)
    branch = _split_unit()
    branch_pence = models.BigIntegerField(default=0)
    ward = _split_unit()
    ward_pence = models.BigIntegerField(default=0)

    class Meta:
        constraints = [shares_add_up("payment_split_shares_add_up")]

    def __str__(self) -> str:
        return f"{self.amount}p ({self.band}) under rule {self.rule_id}: {self.key}"

    def shares(self) -> list[tuple[str, int | None, int]]:
        """(level, unit id, pence) for each level the member had, top first."""
        out = []
        for level in LEVELS:
            unit_id = getattr(self, f"{level}_id")
            if unit_id is not None:
                out.append((level, unit_id, int(getattr(self, f"{level}_pence"))))
        return out


class PaymentBatch(models.Model):
    """Payments recorded together (one officer's entry, one file, one processor export): where
    they came from, when and by whom."""

    source = models.CharField(max_length=16, choices=PAYMENT_SOURCES)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.source} at {self.recorded_at:%Y-%m-%d %H:%M}"


def _narrow_key(to: str, related_name: str) -> models.ForeignKey[Any]:
    """A payment's reference to its member, split or batch: without a database constraint.

    On PostgreSQL each such constraint is a check per row at COMMIT, which doubled the time to
    record a month of 500,000 payments. The recording action reads the member, split and batch
    it writes in its own transaction; members are never deleted (a lapsed member keeps their
    record); splits and batches are only ever added; and Django's PROTECT refuses deleting any
    of them while a payment cites it.
    """
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        related_name=related_name,
        db_index=False,
        db_constraint=False,
    )


class Payment(models.Model):
    """One subscription payment by a member, split under the rule in force on its date.

    The row holds what is the payment's own (member, date, reference) and cites its split and
    the batch it was recorded in; the split's fields read through (``amount``, ``branch_pence``,
    ...). Read payments with ``select_related("split")`` where those are used.
    """

    member = _narrow_key("members.Member", "subscription_payments")
    paid_on = models.DateField()
    split = _narrow_key("finance.PaymentSplit", "payments")
    batch = _narrow_key("finance.PaymentBatch", "payments")
    source = BytewiseCharField(max_length=16, choices=PAYMENT_SOURCES)
    # the processor's or the file's own id for the payment: a re-import skips what it holds
    reference = BytewiseCharField(max_length=100, blank=True)

    class Meta:
        ordering = ["paid_on", "id"]
        # the member's page reads their payments by this (a few a year each, sorted by date
        # after); a unit's figures come from ``PaymentFigure``, so nothing else needs an index.
        # The member alone, not (member, date): PostgreSQL keeps a member's entries as one list,
        # a smaller index that a month of 500,000 payments is written into faster
        indexes = [models.Index(fields=["member"], name="finance_payment_member")]
        constraints = [
            # the reference first: it tells entries apart at once, where the source (one of
            # three words) would be compared first in every step down the index, for nothing
            models.UniqueConstraint(
                fields=["reference", "source"],
                condition=~Q(reference=""),
                name="payment_reference_once_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: payment on {self.paid_on}"

    @property
    def amount(self) -> int:
        return int(self.split.amount)

    @property
    def band(self) -> str:
        return str(self.split.band)

    @property
    def rule(self) -> SubscriptionRule:
        return self.split.rule

    @property
    def rule_id(self) -> int:
        return int(self.split.rule_id)

    @property
    def recorded_at(self) -> dt.datetime:
        return self.batch.recorded_at

    def shares(self) -> list[tuple[str, int | None, int]]:
        """(level, unit id, pence) for each level the member had, top first."""
        return self.split.shares()


class PaymentFigure(models.Model):
    """A unit's share of its members' payments in one month, kept as payments are recorded.

    One row per unit, month and kind of payment (rule, band, amount, and whether the member had
    a region and a ward: what the what-if needs to split them again), added to in the same
    transaction as the payments, so a unit's totals are a sum of a few dozen rows however many
    payments there are. ``new_payers`` counts the members whose first payment of the year to
    this unit was in this month (their first such payment's kind), so a year's payers are a sum.
    ``finance.figures.rebuild`` works them out again from the payments.
    """

    unit = models.ForeignKey("members.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="the first day of the month")
    rule = models.ForeignKey(SubscriptionRule, on_delete=models.CASCADE, related_name="+")
    band = models.CharField(max_length=16)
    amount = models.BigIntegerField(help_text="pence, each payment")
    has_region = models.BooleanField()
    has_ward = models.BooleanField()
    received = models.BigIntegerField(help_text="pence, this unit's share")
    paid_in = models.BigIntegerField(help_text="pence, the whole of the payments")
    payments = models.BigIntegerField()
    new_payers = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "rule", "band", "amount", "has_region", "has_ward"],
                name="payment_figure_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}: {self.received}p of {self.payments}"


class PayerBlock(models.Model):
    """The units members paid to in a year, for a block of member ids: whether a payment is a
    member's first of the year to a unit (``PaymentFigure.new_payers``).

    Packed: ``data`` holds rows of five little-endian 64-bit integers (member id, then the
    national, region, branch and ward unit ids they paid to, 0 for none), sorted by member, one
    row per member and set of units. A month's file for the whole register reads and writes
    about 120 blocks of a few thousand members each instead of 500,000 rows, which took as
    long as writing the payments; recording one payment reads and writes one block. It is kept
    with the figures and ``finance.figures.rebuild`` works it out again from the payments.
    """

    MEMBERS = 4096  # member ids per block

    year = models.IntegerField()
    block = models.BigIntegerField(help_text="member id // MEMBERS")
    rows = models.IntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "block"], name="payer_block_once")]

    def __str__(self) -> str:
        return f"{self.rows} payers in {self.year}, block {self.block}"


class Remittance(models.Model):
    """Money the national office actually paid a unit as its share of a month's subscriptions."""

    unit = models.ForeignKey("members.Unit", on_delete=models.PROTECT, related_name="remittances")
    period = models.DateField(help_text="the first day of the month the money is for")
    paid_on = models.DateField()
    amount = models.BigIntegerField(help_text="pence")
    reference = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["unit", "period", "paid_on", "id"]
        indexes = [models.Index(fields=["unit", "period"])]

    def __str__(self) -> str:
        return f"{self.amount}p to {self.unit_id} for {self.period:%B %Y}"

    @staticmethod
    def month_of(day: dt.date) -> dt.date:
        return day.replace(day=1)
