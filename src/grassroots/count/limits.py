"""How many ballots each rule counts exactly, derived from the arithmetic it does.

The engine packs ballots into numpy arrays of 64-bit integers (``packed.py``), so no figure
it holds there may pass ``INT64_MAX`` = 2**63 - 1. Beyond a rule's limit a count is refused
with an ``InputError`` before anything is counted; at the limit and below it is exact. Each
limit is the largest number of ballots (weights summed) for which every figure stays inside
int64:

* every rule: a ballot weight, and the sum of all weights, are int64 (``MAX_BALLOTS``);
* ``scottish``: votes are int64 counts of units of 10**-5 and the candidates together never
  hold more than the valid papers, so ``ballots x 10**5`` (rule 48's products of a surplus
  and a paper's value go through Python integers when they would not fit);
* ``meek`` and ``warren``: votes are int64 counts of units of 10**-9 (keep factors times
  ballots), so ``ballots x 10**9``;
* ``ers97``: votes, quota and transfer values are Python integers; only paper counts are
  int64, so ``MAX_BALLOTS``;
* ``irv``, ``fptp``, ``block``: whole papers; a candidate holds at most every paper once,
  so ``MAX_BALLOTS``;
* ``borda``: half points in int64; all papers together hand out at most ``n(n - 1)`` half
  points each, with ``n`` standing candidates, so ``ballots x n(n - 1)``.

docs/guide/counting.md lists the resulting numbers.
"""

from __future__ import annotations

from grassroots.count.errors import InputError

__all__ = ["INT64_MAX", "MAX_BALLOTS", "ballot_limit", "check_ballot_limit", "too_many_ballots"]

INT64_MAX = 2**63 - 1
MAX_BALLOTS = INT64_MAX  # ballot weights and their sum live in int64 arrays

# rule -> (units of one vote, what the figures are)
_SCALED = {
    "scottish": (10**5, "votes in units of 0.00001"),
    "meek": (10**9, "votes in units of 0.000000001"),
    "warren": (10**9, "votes in units of 0.000000001"),
}


def too_many_ballots(weight: int, total: int) -> str:
    """What is wrong when a ballot of ``weight`` brings the weights past ``MAX_BALLOTS``.

    Readers keep a running sum of the weights and, where it passes ``MAX_BALLOTS``, report
    this with the line (or place) of that ballot.
    """
    if weight > MAX_BALLOTS:
        return f"a ballot weight of {weight} is more than {MAX_BALLOTS}, the most ballots counted"
    return (
        f"the ballot weights add up to {total} by here, more than {MAX_BALLOTS}, "
        "the most ballots counted"
    )


def ballot_limit(rule: str, standing: int) -> int:
    """The most ballots ``rule`` counts exactly with ``standing`` candidates standing."""
    if rule in _SCALED:
        return INT64_MAX // _SCALED[rule][0]
    if rule == "borda":
        return INT64_MAX // max(1, standing * (standing - 1))
    return MAX_BALLOTS


def _why(rule: str, standing: int) -> str:
    if rule in _SCALED:
        return _SCALED[rule][1]
    if rule == "borda":
        return f"half points, up to {max(1, standing * (standing - 1))} from each paper"
    return "ballot counts"


def check_ballot_limit(rule: str, standing: int, ballots: int, source: str = "") -> None:
    """Refuse a count of ``ballots`` that ``rule`` could not hold exactly in 64-bit integers."""
    limit = ballot_limit(rule, standing)
    if ballots > limit:
        where = f"{source}: " if source else ""
        raise InputError(
            f"{where}the ballots add up to {ballots}, more than the {limit} that the {rule} "
            f"rule counts exactly ({_why(rule, standing)} must fit in 64-bit integers)"
        )
