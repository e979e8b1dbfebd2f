"""Models, one module per concept; each is imported here so Django finds it."""

from grassroots.finance.models.bank import BankLine, CsvMapping, Statement  # noqa: F401
from grassroots.finance.models.budgets import (  # noqa: F401
    Budget,
    BudgetLine,
    PublishedAccounts,
    SignOff,
)
from grassroots.finance.models.ledger import Account, Books, Leg, Transaction  # noqa: F401
from grassroots.finance.models.refunds import (  # noqa: F401
    REFUND_SOURCES,
    Refund,
    SubscriptionPosting,
)
from grassroots.finance.models.spending import Spend  # noqa: F401
from grassroots.finance.models.subscriptions import (
    PAYMENT_SOURCES,
    PayerBlock,
    Payment,
    PaymentBatch,
    PaymentFigure,
    PaymentSplit,
    Remittance,
    SubscriptionRule,
)

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
