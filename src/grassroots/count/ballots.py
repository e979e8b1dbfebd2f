"""The ballots of one election: candidates, seats and grouped rankings.

A ranking is a tuple of ranks; each rank is a tuple of candidate indices (more than one
index means the voter ranked those candidates equally). Identical rankings are grouped
with a weight, so a million ballots with a few thousand distinct orders stay small.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING, Any

from grassroots.count.errors import InputError
from grassroots.count.limits import MAX_BALLOTS

if TYPE_CHECKING:
    from grassroots.count.packed import PackedBallots

__all__ = ["Election", "Rank", "Ranking", "election_from_rankings", "group_ballots"]

Rank = tuple[int, ...]
Ranking = tuple[Rank, ...]


class Later:
    """Rankings not made yet: ``make()`` makes them when they are first read (see ``_Rankings``)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], tuple[Ranking, ...]]) -> None:
        self.make = make


class _Rankings:
    """``Election.rankings``: the tuple given, or made on first read from a ``Later``.

    A fast reader hands over the packed arrays a count needs and leaves the rankings' Python
    tuples (a third of the time of reading a large file) to be made only if something reads
    them; equality, hashing, ``repr`` and ``replace`` all read them, so an election made
    either way is the same value.
    """

    def __get__(self, election: Election | None, owner: Any = None) -> tuple[Ranking, ...]:
        if election is None:
            raise AttributeError("rankings")  # the field has no default
        held = election.__dict__["_rankings"]
        if type(held) is Later:
            held = held.make()
            election.__dict__["_rankings"] = held
        rankings: tuple[Ranking, ...] = held
        return rankings

    def __set__(self, election: Election, rankings: tuple[Ranking, ...] | Later) -> None:
        election.__dict__["_rankings"] = rankings


@dataclass(frozen=True)
class Election:
    """Candidates, seats and the grouped ballots of one election.

    ``rankings[i]`` was cast ``weights[i]`` times. ``withdrawn`` holds indices of candidates
    who withdrew: they stay in ``candidates`` (so indices stay stable) but are never counted.
    ``irregularities`` records what the reader repaired or set aside, so it can be reported.
    """

    candidates: tuple[str, ...]
    seats: int
    rankings: tuple[Ranking, ...]  # held by ``_Rankings``, installed below the class
    weights: tuple[int, ...]
    title: str = ""
    withdrawn: frozenset[int] = frozenset()
    irregularities: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if len(self.rankings) != len(self.weights):
            raise InputError("rankings and weights differ in length")
        if len(set(self.candidates)) != len(self.candidates):
            dupes = sorted(name for name, n in Counter(self.candidates).items() if n > 1)
            raise InputError(f"candidate names must be unique; repeated: {', '.join(dupes)}")
        if self.seats < 0:
            raise InputError(f"seats must not be negative, found {self.seats}")
        n = len(self.candidates)
        if self.weights and min(self.weights) <= 0:
            bad = next(w for w in self.weights if w <= 0)
            raise InputError(f"ballot weights must be positive, found {bad}")
        total = sum(self.weights)
        if total > MAX_BALLOTS:
            where = f"{self.source}: " if self.source else ""
            raise InputError(
                f"{where}the ballot weights add up to {total}, more than {MAX_BALLOTS}, "
                "the most ballots counted"
            )
        # One C-level pass collects the few distinct indices used; only they are checked.
        used = set(chain.from_iterable(chain.from_iterable(self.rankings)))
        if used and (min(used) < 0 or max(used) >= n):
            bad = min(used) if min(used) < 0 else max(used)
            raise InputError(f"ranking names candidate index {bad}, outside 0..{n - 1}")

    @classmethod
    def from_pairs(
        cls,
        candidates: Sequence[str],
        seats: int,
        pairs: Iterable[tuple[Ranking, int]],
        *,
        title: str = "",
        withdrawn: Iterable[int] = (),
        irregularities: Iterable[str] = (),
        source: str = "",
    ) -> Election:
        """An election from (ranking, weight) pairs as a reader meets them, grouped."""
        grouped = group_ballots(pairs)
        return cls(
            candidates=tuple(candidates),
            seats=seats,
            rankings=tuple(grouped),
            weights=tuple(grouped.values()),
            title=title,
            withdrawn=frozenset(withdrawn),
            irregularities=tuple(irregularities),
            source=source,
        )

    @classmethod
    def from_packed(
        cls, candidates: tuple[str, ...], seats: int, packed: PackedBallots, *, title: str = ""
    ) -> Election:
        """An election held only as packed arrays (millions of ballots, no Python tuples).

        ``rankings`` stays empty; ``effective_rankings`` unpacks on demand, so only the rules
        that count from ``packed`` are quick on such an election.
        """
        election = cls(tuple(candidates), seats, (), (), title=title)
        n = len(candidates)
        if packed.size and (int(packed.weights.min()) <= 0 or packed.total > MAX_BALLOTS):
            raise InputError(
                "packed ballots need positive weights adding up to at most "
                f"{MAX_BALLOTS}, found {packed.total} in all"
            )
        if packed.size and (int(packed.prefs.min()) < 0 or int(packed.prefs.max()) >= n):
            raise InputError(f"packed ballots name a candidate outside 0..{n - 1}")
        election.__dict__["packed"] = packed
        election.__dict__["_packed_only"] = True
        return election

    @property
    def is_packed_only(self) -> bool:
        """Whether the ballots exist only as packed arrays."""
        return bool(self.__dict__.get("_packed_only", False))

    @cached_property
    def packed(self) -> PackedBallots:
        """Effective ballots as numpy arrays (strict rankings; see ``packed.py``)."""
        from grassroots.count.packed import PackedBallots

        return PackedBallots.from_rankings(self.effective_rankings())

    @property
    def total_ballots(self) -> int:
        """All ballots, blank ones included."""
        if self.is_packed_only:
            return self.packed.total
        return sum(self.weights)

    @property
    def hopeful(self) -> tuple[int, ...]:
        """Indices of candidates standing (not withdrawn), in ballot order."""
        return tuple(i for i in range(len(self.candidates)) if i not in self.withdrawn)

    def with_seats(self, seats: int) -> Election:
        """The same ballots with another number of seats (packed-only ones stay packed)."""
        other = replace(self, seats=seats)
        if self.is_packed_only:
            other.__dict__["packed"] = self.packed
            other.__dict__["_packed_only"] = True
        return other

    def effective_rankings(self) -> tuple[tuple[Ranking, int], ...]:
        """Rankings with withdrawn candidates removed and identical results regrouped.

        Blank rankings (nothing left after removal) are dropped. Computed once: a count
        may ask for them again after ``packed`` has.
        """
        return self._effective

    @cached_property
    def _effective(self) -> tuple[tuple[Ranking, int], ...]:
        if self.is_packed_only:
            return tuple((tuple((c,) for c in prefs), w) for prefs, w in self.packed.rows())
        if self.withdrawn:
            kept = (
                (_without(ranking, self.withdrawn), w)
                for ranking, w in zip(self.rankings, self.weights, strict=True)
            )
            return tuple(group_ballots((r, w) for r, w in kept if r).items())
        pairs_in = zip(self.rankings, self.weights, strict=True)
        if len(dict.fromkeys(self.rankings)) == len(self.rankings):
            # Readers hand over rankings already grouped: nothing to merge, keep the order.
            return tuple((r, w) for r, w in pairs_in if r)
        return tuple(group_ballots((r, w) for r, w in pairs_in if r).items())


# Installed after the dataclass is made, so the field keeps no default (a descriptor in the
# class body would be taken for one); the generated ``__init__`` sets it through ``__set__``.
setattr(Election, "rankings", _Rankings())  # noqa: B010


def _without(ranking: Ranking, gone: frozenset[int]) -> Ranking:
    """``ranking`` with the candidates in ``gone`` removed and any rank left empty dropped."""
    ranks = (tuple(c for c in rank if c not in gone) for rank in ranking)
    return tuple(rank for rank in ranks if rank)


def group_ballots(pairs: Iterable[tuple[Ranking, int]]) -> dict[Ranking, int]:
    """Sum the weights of identical rankings, keeping first-seen order."""
    grouped: dict[Ranking, int] = {}
    for ranking, weight in pairs:
        grouped[ranking] = grouped.get(ranking, 0) + weight
    return grouped


def election_from_rankings(
    candidates: Sequence[str],
    seats: int,
    ballots: Iterable[Sequence[str | Sequence[str]]],
    *,
    title: str = "",
) -> Election:
    """Build an election from rankings written with candidate names (handy in tests).

    Each ballot is a sequence of ranks; a rank is a name, or a sequence of names ranked equal.
    """
    index = {name: i for i, name in enumerate(candidates)}
    pairs: list[tuple[Ranking, int]] = []
    for ballot in ballots:
        ranking: list[Rank] = []
        for rank in ballot:
            names = (rank,) if isinstance(rank, str) else tuple(rank)
            try:
                ranking.append(tuple(index[n] for n in names))
            except KeyError as exc:
                raise InputError(f"unknown candidate {exc.args[0]!r}") from None
        pairs.append((tuple(ranking), 1))
    return Election.from_pairs(candidates, seats, pairs, title=title)
