"""Spending: proposed, approved (citing the decision above the unit's threshold) and paid."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grassroots.finance.models.ledger import AMOUNT, CURRENCY_CHOICES, Account, Transaction
from grassroots.members.models import Unit


class Spend(models.Model):
    """A spend of a unit. ``unapproved`` is money that left the bank without approval (found
    on a statement): it is shown publicly as such, with its amount."""

    STATES = (
        ("proposed", "Proposed"),
        ("approved", "Approved"),
        ("paid", "Paid"),
        ("unapproved", "Unapproved"),
    )

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="spends")
    payee = models.CharField(max_length=200)
    amount = models.DecimalField(**AMOUNT)  # type: ignore[call-overload]
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="GBP")
    purpose = models.CharField(max_length=300)
    budget_line = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="spends")
    state = models.CharField(max_length=12, choices=STATES, default="proposed")
    proposed_at = models.DateTimeField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the carried vote that approved it (a meeting's, or its executive's), linked to the minute
    decision = models.ForeignKey(
        "meetings.Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    threshold_at_approval = models.DecimalField(null=True, blank=True, **AMOUNT)  # type: ignore[call-overload]
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transaction = models.OneToOneField(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="spend"
    )

    class Meta:
        ordering = ["unit", "-proposed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="a_spend_is_positive"),
            models.CheckConstraint(
                condition=~models.Q(state__in=["approved", "paid"])
                | models.Q(approved_by__isnull=False),
                name="an_approved_spend_names_its_approver",
            ),
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("proposed_by")),
                name="no_one_approves_their_own_spend",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payee}: {self.amount} {self.currency} ({self.get_state_display()})"
