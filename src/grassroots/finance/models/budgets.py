"""Budgets per unit and year, approved at a meeting, and published accounts per period."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grassroots.finance.models.ledger import AMOUNT, Account
from grassroots.members.models import Unit


class Budget(models.Model):
    """A unit's budget for a year: drafted by its treasurer, approved by a meeting's vote."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveIntegerField()
    drafted_at = models.DateTimeField()
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        "meetings.Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["unit", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_budget_per_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} budget {self.year}"


class BudgetLine(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**AMOUNT)  # type: ignore[call-overload]

    class Meta:
        ordering = ["budget", "account"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "account"], name="one_line_per_account")
        ]


class PublishedAccounts(models.Model):
    """A unit's accounts for a period, frozen when prepared (``content``, its SHA-256), signed
    off by two of the unit's auditors and approved at its AGM; published once approved."""

    STATES = (
        ("prepared", "Prepared, awaiting the auditors"),
        ("signed", "Signed off by the auditors, awaiting the AGM"),
        ("published", "Approved at the AGM and published"),
    )

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="published_accounts")
    start = models.DateField()
    end = models.DateField()
    content = models.TextField()  # canonical JSON, as prepared; never changed
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=STATES, default="prepared")
    prepared_at = models.DateTimeField()
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        "meetings.Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["unit", "-end"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "start", "end"], name="one_set_of_accounts_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"Accounts of {self.unit}, {self.start:%d/%m/%Y} to {self.end:%d/%m/%Y}"


class SignOff(models.Model):
    """One auditor's sign-off of a set of accounts, of the hash they read."""

    accounts = models.ForeignKey(
        PublishedAccounts, on_delete=models.PROTECT, related_name="signoffs"
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["accounts", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["accounts", "auditor"], name="one_signoff_per_auditor")
        ]
