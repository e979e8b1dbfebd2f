"""``{{ amount|money:"GBP" }}``: an exact amount as people write it (£1,250.00)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()

SIGNS = {"GBP": "£", "EUR": "€", "USD": "$"}


@register.filter
def money(amount: Decimal | int | None, currency: str = "GBP") -> str:
    value = Decimal(amount or 0)
    sign = SIGNS.get(currency, "")
    text = f"{abs(value):,.2f}"
    text = f"{sign}{text}" if sign else f"{text} {currency}"
    return f"−{text}" if value < 0 else text
