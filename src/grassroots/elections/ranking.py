"""Reading a ranked ballot from a form: one number box per candidate, checked server-side.

Pure Python. A voter ranks as many candidates as they like, 1, 2, 3 ... with no rank used
twice and none skipped; blank boxes are candidates left unranked.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Parsed", "ballot_order", "parse_ranks"]


@dataclass(frozen=True)
class Parsed:
    """The ranking (candidate names, first preference first) or the errors that stop it.

    ``boxes`` names, per candidate whose number box an error is about, what is wrong with it
    (the ballot page marks those boxes); an error about the ballot as a whole marks none.
    """

    ranking: tuple[str, ...]
    errors: tuple[str, ...]
    boxes: dict[str, str] = field(default_factory=dict)


def _rank(text: str) -> int | None:
    """The rank typed, or None if it is not a whole number from 1.

    Decimal digits of any script count (an Arabic or Devanagari keyboard types ٣ or ३ for 3);
    other characters that Python calls digits (², ①) do not. A long string of digits is a
    rank far beyond the candidates, read without converting it all.
    """
    if not text.isdecimal():
        return None
    rank = int(text[:9]) if len(text) <= 9 else 10**9
    return rank if rank >= 1 else None


def parse_ranks(candidates: Sequence[str], values: Mapping[str, str]) -> Parsed:
    """Turn ``{candidate: "2", ...}`` into a ranking, naming each problem in words."""
    errors: list[str] = []
    boxes: dict[str, str] = {}
    by_rank: dict[int, list[str]] = {}
    for name in candidates:
        text = (values.get(name) or "").strip()
        if not text:
            continue
        rank = _rank(text)
        if rank is None:
            shown = text if len(text) <= 12 else text[:12] + "…"
            errors.append(f"{name}: {shown!r} is not a rank; use 1, 2, 3 … or leave it blank")
            boxes[name] = "not a rank: use 1, 2, 3 … or leave it blank"
            continue
        if rank > len(candidates):
            shown = text if len(text) <= 12 else text[:12] + "…"
            errors.append(f"{name}: rank {shown} is more than the {len(candidates)} candidates")
            boxes[name] = f"more than the {len(candidates)} candidates"
            continue
        by_rank.setdefault(rank, []).append(name)
    for rank, names in sorted(by_rank.items()):
        if len(names) > 1:
            errors.append(f"rank {rank} is given to more than one candidate: {', '.join(names)}")
            for name in names:
                boxes[name] = f"rank {rank} is given to more than one candidate"
    if not errors:
        if not by_rank:
            errors.append("rank at least one candidate (1 for your first choice)")
        else:
            missing = [r for r in range(1, max(by_rank) + 1) if r not in by_rank]
            if missing:
                skipped = ", ".join(str(r) for r in missing)
                errors.append(f"rank {skipped} is skipped; number your choices 1, 2, 3 … in order")
                for rank, names in by_rank.items():
                    if rank > missing[0]:
                        boxes.update(
                            (name, f"comes after the skipped rank {skipped}") for name in names
                        )
    if errors:
        return Parsed((), tuple(errors), boxes)
    return Parsed(tuple(by_rank[r][0] for r in sorted(by_rank)), ())


def ballot_order(candidates: Sequence[str], seed: str) -> list[str]:
    """The candidates in an order randomised per voter (stable for one seed, e.g. a session)."""
    order = sorted(candidates)
    random.Random(seed).shuffle(order)
    return order
