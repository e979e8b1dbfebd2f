"""Checking a receipt: is the ballot stored, is it counted, and what ranking does it hold.

The receipt code is the secret: the ballot stores only the code's hash, so finding the ballot
by that hash shows its ranking to whoever holds the code and to nobody else (the hashes are
published, so a hash alone shows whether a ballot was counted, never its ranking). Codes
reach this module only in POST bodies, never in a URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from grassroots.elections import receipts
from grassroots.elections.models import Ballot, Election

__all__ = ["Check", "by_code", "by_hash", "recorded_ranking"]


@dataclass(frozen=True)
class Check:
    """The answer for one receipt: its hash, whether a ballot holds it, and what that says."""

    hash: str
    recorded: bool  # a ballot of this election holds the hash
    counted: bool  # the result is published and the hash is among the published receipts
    published: bool
    ranking: tuple[str, ...] | None  # the recorded ranking: only when asked with the code


def by_hash(election: Election, h: str) -> Check:
    """Whether a receipt hash (public once published) is recorded and counted; no ranking."""
    return _check(election, h, with_ranking=False)


def by_code(election: Election, code: str) -> Check:
    """The check for the holder of the code: with the ranking their ballot holds."""
    return _check(election, receipts.receipt_hash(str(election.pk), code), with_ranking=True)


def recorded_ranking(election: Election, code: str) -> tuple[str, ...] | None:
    """The ranking stored for this receipt code, or None if no ballot holds it."""
    return by_code(election, code).ranking


def _check(election: Election, h: str, *, with_ranking: bool) -> Check:
    ranking = (
        Ballot.objects.filter(election=election, receipt_hash=h)
        .values_list("ranking", flat=True)
        .first()
    )
    published = election.state == "published"
    counted = published and h in election.publication.files["receipts.txt"].split()
    return Check(
        hash=h,
        recorded=ranking is not None or counted,
        counted=counted,
        published=published,
        ranking=tuple(ranking) if with_ranking and ranking is not None else None,
    )
