"""Meek STV as the Proportional Representation Foundation's reference rule counts it.

Source: PRF "Reference Rule: Meek's Method" (prfound.org), after Hill, Wichmann & Woodall,
Computer Journal 30(3), 1987 (Algorithm 123), as in the New Zealand STV regulations:
9-decimal fixed point, keep factors rounded up, omega 10**-6. The iteration itself lives in
``_keepfactor``; this module names the rule's settings.
"""

from __future__ import annotations

from collections.abc import Sequence

from grassroots.count.ballots import Election
from grassroots.count.rules import CountOptions
from grassroots.count.rules._keepfactor import MEEK, count_keep_factors
from grassroots.count.stages import CountResult

__all__ = ["count"]


def count(
    election: Election, options: CountOptions, *, tie_order: Sequence[int] | None = None
) -> CountResult:
    """Count ``election`` by Meek's method (ties for defeat by lot unless ``tie_order``)."""
    return count_keep_factors(election, options, MEEK, tie_order=tie_order)
