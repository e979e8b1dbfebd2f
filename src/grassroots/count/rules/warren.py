"""Warren STV: Meek's iteration, but each candidate keeps a fixed price of every vote.

Source: C.H.E. Warren, "Counting in STV elections", Voting matters 1 (1994); the iteration,
quota and stopping test follow the PRF Meek reference rule (see ``_keepfactor``), in
9-decimal fixed point with omega 10**-9. Where Meek's candidate keeps kf of what reaches
them, Warren's keeps kf of the ballot's whole value (or whatever is left, if less).
"""

from __future__ import annotations

from collections.abc import Sequence

from grassroots.count.ballots import Election
from grassroots.count.rules import CountOptions
from grassroots.count.rules._keepfactor import WARREN, count_keep_factors
from grassroots.count.stages import CountResult

__all__ = ["count"]


def count(
    election: Election, options: CountOptions, *, tie_order: Sequence[int] | None = None
) -> CountResult:
    """Count ``election`` by Warren's method (ties for defeat by lot unless ``tie_order``)."""
    return count_keep_factors(election, options, WARREN, tie_order=tie_order)
