"""Splitting a refund of a recorded payment between the units that shared it.

Pure Python, no Django. A refund takes money back from the units in the same proportions as the
payment gave it, by the same rounding rule (``apportion``): after any refunds, what each unit
keeps is the split of what the member has still paid (the payment less every refund so far),
worked out by the payment's band under the rule it was recorded under. A refund's shares are
therefore the difference between what each unit kept before it and what it keeps after it:

- they add up to the refund exactly, since both splits add up to their amounts;
- a refund of the whole of what is left returns each unit exactly what it still holds, so a
  full refund (one or several) returns each unit's share to the penny;
- a partial refund is within a penny of each unit's exact proportion. Largest remainder can,
  rarely, give a level a penny more of a smaller amount than of a larger one (as a house of
  more seats can give a state one fewer), so one level's share of a partial refund can be a
  penny the other way; the shares still add up, and the level keeps the split of the net.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from grassroots.finance.apportion import LEVELS, BandSplit, apportion, format_pence

__all__ = ["RefundError", "kept_after", "refund_shares"]


class RefundError(ValueError):
    """A refund cannot be made; the message says why in plain words."""


def kept_after(
    amount: int, refunded: int, split: BandSplit, present: Iterable[str]
) -> dict[str, int]:
    """What each present level keeps of a payment of ``amount`` after ``refunded`` went back."""
    net = amount - refunded
    levels = tuple(present)
    if net == 0:
        return {level: 0 for level in levels}
    kept = dict(apportion(net, split, levels))
    return {level: kept.get(level, 0) for level in levels}


def refund_shares(
    amount: int,
    refunded_before: int,
    refund: int,
    split: BandSplit,
    present: Sequence[str],
) -> tuple[tuple[str, int], ...]:
    """Each present level's share of a refund of ``refund`` pence, top of the tree first.

    ``amount`` is the payment, ``refunded_before`` what earlier refunds of it took back.
    ``RefundError`` if the refund is nothing or more than what is left of the payment.
    """
    if refund <= 0:
        raise RefundError("a refund must be more than nothing")
    if refunded_before < 0 or refunded_before > amount:
        raise RefundError("the refunds already recorded are more than the payment")
    left = amount - refunded_before
    if left == 0:
        raise RefundError(
            f"the payment of {format_pence(amount)} has already been refunded in full"
        )
    if refund > left:
        raise RefundError(
            f"a refund of {format_pence(refund)} is more than the {format_pence(left)} left of "
            f"the payment of {format_pence(amount)}"
        )
    levels = [level for level in LEVELS if level in present]
    before = kept_after(amount, refunded_before, split, levels)
    after = kept_after(amount, refunded_before + refund, split, levels)
    return tuple((level, before[level] - after[level]) for level in levels)
