"""Fixed-point arithmetic on integers, as the rule texts prescribe.

A figure with ``places`` decimals is held as an integer count of units of 10**-places, so
addition is exact and every rounding step is explicit, named, and cited where it is used.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["div_ceil", "div_floor", "from_units", "to_units", "unit"]


def unit(places: int) -> int:
    """How many units make 1 at this precision."""
    return int(10**places)


def to_units(value: int | Decimal, places: int) -> int:
    """An exact value in units; refuses values with more decimals than the precision."""
    scaled = Decimal(value).scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than {places} decimal places")
    return int(scaled)


def from_units(units: int, places: int) -> Decimal:
    """The exact ``Decimal`` for a count of units."""
    return Decimal(units).scaleb(-places)


def div_floor(numerator: int, denominator: int) -> int:
    """Division rounded down (truncation for non-negative figures)."""
    return numerator // denominator


def div_ceil(numerator: int, denominator: int) -> int:
    """Division rounded up."""
    return -((-numerator) // denominator)
