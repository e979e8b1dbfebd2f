"""Warren STV: Meek's iteration, but each candidate keeps a fixed price of every vote.

Source: C.H.E. Warren, "Counting in STV elections", Voting matters 1 (1994): where Meek's
candidate keeps kf of what reaches them, Warren's keeps kf of the ballot's whole value (or
whatever is left, if less). The iteration is the one Droop's parametric Warren rule runs (the
reference we compare with): quota = votes / (seats + 1) truncated at 9 places, elected when
above it, omega 10**-9, and an iteration stops as soon as a batch of certain losers (whose
votes together with all the surplus stay below the next candidate's) can be defeated
together. Arithmetic is 9-decimal fixed point (``_keepfactor``), where Droop's is 18+9-digit
guarded, so figures agree with Droop's to about 10**-5 (see docs/notes/meek.md).
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
