"""Who speaks next: the queue in the order asked, optionally alternating (for/against, or
women and men as the body's rules say), so a chair's choice is a rule anyone can check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["ALTERNATIONS", "Waiting", "next_speaker"]

Alternation = Literal["none", "side", "gender"]
ALTERNATIONS: tuple[Alternation, ...] = ("none", "side", "gender")


@dataclass(frozen=True)
class Waiting:
    """One request to speak still waiting, in the order asked."""

    key: int
    side: str  # "for", "against" or ""
    group: str  # for gender alternation: "woman" or anything else


def _kind(w: Waiting, alternate: Alternation) -> str:
    if alternate == "side":
        return w.side
    return "woman" if w.group.strip().lower() in ("woman", "female", "f") else "other"


def next_speaker(
    queue: Sequence[Waiting], last: Waiting | None, alternate: Alternation = "none"
) -> Waiting | None:
    """The next to call: first in the queue, or under alternation the first whose kind differs
    from the last speaker's (the first in the queue when nobody of the other kind is waiting)."""
    if alternate not in ALTERNATIONS:
        raise ValueError(f"alternation {alternate!r} is not one of {', '.join(ALTERNATIONS)}")
    if not queue:
        return None
    if alternate == "none" or last is None:
        return queue[0]
    if alternate == "side" and not last.side:
        return queue[0]
    other = [w for w in queue if _kind(w, alternate) != _kind(last, alternate)]
    if alternate == "side":
        other = [w for w in other if w.side]
    return other[0] if other else queue[0]
