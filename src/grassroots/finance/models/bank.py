"""Bank statements: a saved column mapping per bank, statements checked then imported, and
each statement line reconciled to a ledger transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from grassroots.finance.models.ledger import AMOUNT, CURRENCY_CHOICES, Account, Transaction
from grassroots.members.models import Unit


class CsvMapping(models.Model):
    """How one bank's CSV export is read: which column holds what, by its heading."""

    DATE_FORMATS = (
        ("%d/%m/%Y", "day/month/year (31/01/2026)"),
        ("%Y-%m-%d", "year-month-day (2026-01-31)"),
        ("%m/%d/%Y", "month/day/year (01/31/2026)"),
        ("%d.%m.%Y", "day.month.year (31.01.2026)"),
        ("%d %b %Y", "day month year (31 Jan 2026)"),
    )

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="csv_mappings")
    bank = models.CharField(max_length=100)  # the bank's name, as the treasurer knows it
    date_column = models.CharField(max_length=100)
    date_format = models.CharField(max_length=16, choices=DATE_FORMATS, default="%d/%m/%Y")
    description_column = models.CharField(max_length=100)
    payee_column = models.CharField(max_length=100, blank=True)
    # either one signed amount column, or money in and money out in two
    amount_column = models.CharField(max_length=100, blank=True)
    paid_in_column = models.CharField(max_length=100, blank=True)
    paid_out_column = models.CharField(max_length=100, blank=True)
    reference_column = models.CharField(max_length=100, blank=True)
    decimal_comma = models.BooleanField(default=False)  # "1.234,56"

    class Meta:
        ordering = ["unit", "bank"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "bank"], name="one_mapping_per_bank_per_unit")
        ]

    def __str__(self) -> str:
        return self.bank


class Statement(models.Model):
    """An uploaded statement: checked (the report shown, nothing imported), then imported when
    the treasurer confirms the report, or discarded."""

    FORMATS = (("csv", "CSV"), ("ofx", "OFX"), ("camt053", "CAMT.053"))
    STATES = (("checked", "Checked"), ("imported", "Imported"), ("discarded", "Discarded"))

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="statements")
    format = models.CharField(max_length=8, choices=FORMATS)
    mapping = models.ForeignKey(
        CsvMapping, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=STATES, default="checked")
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class BankLine(models.Model):
    """One line of an imported statement, reconciled to a ledger transaction (or not yet)."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="bank_lines")
    position = models.PositiveIntegerField()  # the row or entry in its file
    date = models.DateField()
    amount = models.DecimalField(**AMOUNT)  # type: ignore[call-overload]  # + in, - out
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    description = models.CharField(max_length=300)
    payee = models.CharField(max_length=200, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    # the bank's own id where it gives one, else the line's content and its occurrence
    fingerprint = models.CharField(max_length=64)
    transaction = models.ForeignKey(
        Transaction, null=True, blank=True, on_delete=models.PROTECT, related_name="bank_lines"
    )
    reconciled_at = models.DateTimeField(null=True, blank=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["account", "date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "fingerprint"], name="one_bank_line_per_fingerprint"
            )
        ]
