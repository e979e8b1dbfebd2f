"""Models, one module per concept; each is imported here so Django finds it."""

from grassroots.finance.models.subscriptions import (
    PAYMENT_SOURCES,
    Payment,
    Remittance,
    SubscriptionRule,
)

__all__ = ["PAYMENT_SOURCES", "Payment", "Remittance", "SubscriptionRule"]
