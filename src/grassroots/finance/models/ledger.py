"""Each unit's ledger: its accounts by category, and transactions whose legs sum to zero.

The legs' balance is checked by ``finance.ledger.check_balanced`` in the action that writes a
transaction, and again by PostgreSQL at commit (a deferred constraint trigger, migration
``finance`` 0001); docs/finance.md says what SQLite does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grassroots.finance.ledger import CATEGORIES, MINOR_UNITS
from grassroots.members.models import Unit

CATEGORY_CHOICES = (
    ("asset", "Assets"),
    ("liability", "Liabilities"),
    ("funds", "Funds"),
    ("income", "Income"),
    ("expense", "Expenditure"),
)
assert tuple(c for c, _ in CATEGORY_CHOICES) == CATEGORIES
CURRENCY_CHOICES = tuple((c, c) for c in MINOR_UNITS)
AMOUNT = {"max_digits": 14, "decimal_places": 2}


class Books(models.Model):
    """A unit's book-keeping settings: its currency and the spending threshold above which a
    spend must cite the decision that approved it."""

    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="books")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="GBP")
    threshold = models.DecimalField(**AMOUNT)  # type: ignore[call-overload]

    def __str__(self) -> str:
        return f"Books of {self.unit}"


class Account(models.Model):
    """One account of a unit's ledger (a bank account, an income or expense category)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ledger_accounts")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=10, choices=CATEGORY_CHOICES)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default="GBP")
    is_bank = models.BooleanField(default=False)  # statements are imported into it
    opened = models.DateField()

    class Meta:
        ordering = ["unit", "category", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="one_account_code_per_unit"),
            models.CheckConstraint(
                condition=~models.Q(is_bank=True) | models.Q(category="asset"),
                name="a_bank_account_is_an_asset",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Transaction(models.Model):
    """A dated movement of money in one unit's ledger; its legs add up to zero."""

    SOURCES = (
        ("manual", "Entered by the treasurer"),
        ("bank", "From a bank statement"),
        ("spend", "A spend paid"),
        ("subscriptions", "Subscriptions"),
        ("remittance", "A remittance of subscriptions"),
    )

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="ledger_transactions")
    date = models.DateField()
    payee = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=300)
    source = models.CharField(max_length=16, choices=SOURCES, default="manual")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["unit", "date", "pk"]
        indexes = [models.Index(fields=["unit", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.description}"


class Leg(models.Model):
    """One leg of a transaction: a debit (positive) or credit (negative) on one account."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="legs")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="legs")
    amount = models.DecimalField(**AMOUNT)  # type: ignore[call-overload]
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)

    class Meta:
        ordering = ["transaction", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="a_leg_is_for_something")
        ]
