"""Refunds of recorded subscription payments, and subscription income posted to the ledgers.

A refund never changes or deletes its payment: it is a row of its own holding what it took
back from each unit that shared the payment (``finance.refunds`` splits it). A posting is one
entry of subscription income (a month's shares, or a remittance paid) written into a unit's
ledger and the national office's, kept so that posting again writes nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from grassroots.finance.models.subscriptions import shares_add_up

__all__ = ["REFUND_SOURCES", "Refund", "SubscriptionPosting"]

REFUND_SOURCES = (
    ("officer", "Recorded by the treasurer"),
    ("processor", "From a payment processor's export"),
)


class Refund(models.Model):
    """Money given back to a member from one payment, taken back from each unit's share."""

    payment = models.ForeignKey("finance.Payment", on_delete=models.PROTECT, related_name="refunds")
    refunded_on = models.DateField()
    amount = models.BigIntegerField(help_text="pence, more than nothing")
    reason = models.TextField()
    source = models.CharField(max_length=16, choices=REFUND_SOURCES)
    # the processor's id for the refund or for its payment: a re-import skips what it holds
    reference = models.CharField(max_length=100, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # what each level's unit (the payment's) gives back
    national_pence = models.BigIntegerField(default=0)
    region_pence = models.BigIntegerField(default=0)
    branch_pence = models.BigIntegerField(default=0)
    ward_pence = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["refunded_on", "id"]
        indexes = [models.Index(fields=["refunded_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="a_refund_is_for_something"),
            shares_add_up("refund_shares_add_up"),
            models.UniqueConstraint(
                fields=["source", "reference"],
                condition=~Q(reference=""),
                name="refund_reference_once_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"refund of {self.amount}p from payment {self.payment_id} on {self.refunded_on}"

    def share(self, level: str) -> int:
        return int(getattr(self, f"{level}_pence"))


class SubscriptionPosting(models.Model):
    """Subscription income written into one unit's ledger and the national office's.

    ``kind`` "share": the unit's share of a month's payments less refunds (its income, owed by
    the national office); several postings of one month add up to what was owed when the last
    was made. ``kind`` "remittance": the national office's payment of ``remittance``.
    """

    KINDS = (("share", "A month's share"), ("remittance", "A remittance paid"))

    kind = models.CharField(max_length=10, choices=KINDS)
    unit = models.ForeignKey("members.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(help_text="the first day of the month")
    pence = models.BigIntegerField()
    remittance = models.OneToOneField(
        "finance.Remittance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posting",
    )
    unit_transaction = models.OneToOneField(
        "finance.Transaction", on_delete=models.PROTECT, related_name="+"
    )
    national_transaction = models.OneToOneField(
        "finance.Transaction", on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField()

    class Meta:
        ordering = ["period", "unit", "pk"]
        indexes = [models.Index(fields=["unit", "period"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="share", remittance__isnull=True)
                | Q(kind="remittance", remittance__isnull=False),
                name="a_remittance_posting_names_its_remittance",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pence}p for {self.unit_id} in {self.period:%Y-%m}"
