"""Procedural motions and their precedence, and an amendment's change shown word by word.

Source: DOMAIN.md "Meetings" (procedural motions); the order follows common standing orders:
a motion to adjourn is decided before anything else, then "next business", "that the question
be now put", and "refer back". Which procedural motions a body allows is configuration; the
precedence among them is this table.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "PROCEDURES",
    "Backing",
    "Change",
    "Procedure",
    "backing_needed",
    "decide_first",
    "text_change",
]


@dataclass(frozen=True)
class Procedure:
    key: str
    wording: str
    precedence: int  # lower is decided first
    effect: str  # what carrying it does, in words


PROCEDURES: dict[str, Procedure] = {
    p.key: p
    for p in (
        Procedure("adjourn", "That the meeting adjourn", 1, "the meeting ends here"),
        Procedure(
            "next_business",
            "That the meeting proceed to next business",
            2,
            "the motion under debate falls without a vote",
        ),
        Procedure(
            "move_to_vote",
            "That the question be now put",
            3,
            "debate ends and the motion is put to the vote",
        ),
        Procedure(
            "refer_back",
            "That the matter be referred back",
            4,
            "the motion goes back to its movers or the executive, undecided",
        ),
    )
}


def decide_first(pending: Sequence[str]) -> str | None:
    """Of the procedural motions pending (keys), the one the chair puts first."""
    known = [k for k in pending if k in PROCEDURES]
    unknown = [k for k in pending if k not in PROCEDURES]
    if unknown:
        raise ValueError(f"not a procedural motion: {', '.join(unknown)}")
    return min(known, key=lambda k: PROCEDURES[k].precedence) if known else None


@dataclass(frozen=True)
class Change:
    op: str  # "same", "delete", "insert"
    text: str


def text_change(before: str, after: str) -> list[Change]:
    """The words an amendment deletes and inserts, in order, for showing the change."""
    a = re.findall(r"\S+\s*|\s+", before)
    b = re.findall(r"\S+\s*|\s+", after)
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(Change("same", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            out.append(Change("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            out.append(Change("insert", "".join(b[j1:j2])))
    return out


@dataclass(frozen=True)
class Backing:
    """What a motion needs recorded, besides its mover, before it is put to the meeting."""

    seconder: bool  # a seconder entitled to attend
    supporters: int  # this many supporters entitled to attend (0: none counted)

    def met(self, *, seconded: bool, supporters: int) -> bool:
        return (seconded or not self.seconder) and supporters >= self.supporters

    def words(self) -> str:
        if self.supporters:
            return f"{self.supporters} supporter{'s' if self.supporters != 1 else ''}"
        return "a seconder" if self.seconder else "nothing more"


def backing_needed(
    kind: str, *, moved_by_body: bool, seconded_rule: bool, supporters_rule: int
) -> Backing:
    """What a motion of ``kind`` needs under a body's rules before it is put.

    A member's motion (or emergency motion) needs the supporters the body counts, or else a
    seconder where the rules ask for one; an amendment always needs a seconder where the rules
    ask for one (supporters are counted for motions only). A motion moved by a body (a branch's
    resolution, a forwarded motion, the minutes' approval, a nomination), a composite (agreed by
    the movers of the motions it merges) and a procedural motion (put by the chair) need none.
    """
    if moved_by_body or kind in ("composite", "procedural"):
        return Backing(False, 0)
    if kind in ("motion", "emergency") and supporters_rule > 0:
        return Backing(False, supporters_rule)
    return Backing(seconded_rule, 0)
