"""``{{ pence|pounds }}``: an amount in pence as pounds and pence (£52.56)."""

from __future__ import annotations

from django import template

from grassroots.finance.apportion import format_pence

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    return format_pence(pence or 0)


@register.filter
def level_name(level: str) -> str:
    return {"national": "National office"}.get(level, level.capitalize())
