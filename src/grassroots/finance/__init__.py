"""Open books: subscriptions and their split between units, remittances, each unit's ledger,
bank statements, spending tied to the decision that approved it, budgets and published accounts.
"""
