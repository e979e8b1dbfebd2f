"""Votes of a meeting: majority rules as data, show-of-hands tallies and weighted card votes.

Source: DOMAIN.md "Meetings": votes are for/against/abstain counts, card votes weighted by the
delegation a delegate carries, or a secret ballot (that one goes through the elections app).
A majority rule names a fraction and what it is a fraction *of*:

* of those voting: for + against (abstentions are not votes);
* of those present: everyone present, so an abstention counts against in effect;
* of those entitled: everyone who may vote, present or not.

"More than half" (a simple or absolute majority) is strict; "two thirds" is met at exactly two
thirds. A tie under a strict rule is lost, and reported as a tie, since some rule books give
the chair a casting vote then. Card votes are exact: every weight is a ``Fraction``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

__all__ = [
    "ABSOLUTE",
    "CHOICES",
    "OF_ENTITLED",
    "RULES",
    "SIMPLE",
    "TWO_THIRDS",
    "MajorityRule",
    "Outcome",
    "Tally",
    "card_tally",
    "card_weights",
    "decide",
]

Base = Literal["voting", "present", "entitled"]
Choice = Literal["for", "against", "abstain"]
CHOICES: tuple[Choice, ...] = ("for", "against", "abstain")
Number = int | Fraction


@dataclass(frozen=True)
class MajorityRule:
    """A motion carries when "for" is more than (or at least) ``fraction`` of ``base``."""

    name: str
    fraction: Fraction
    base: Base = "voting"
    strict: bool = True  # "more than" (True) or "at least" (False)

    def __post_init__(self) -> None:
        if not 0 < self.fraction < 1:
            raise ValueError(f"majority {self.name!r}: {self.fraction} is not between 0 and 1")
        if self.base not in ("voting", "present", "entitled"):
            raise ValueError(f"majority {self.name!r}: base {self.base!r} is not known")

    def describe(self) -> str:
        words = {"voting": "those voting", "present": "those present", "entitled": "those entitled"}
        how = "more than" if self.strict else "at least"
        return f"{how} {self.fraction} of {words[self.base]}"


SIMPLE = MajorityRule("simple majority", Fraction(1, 2), "voting", strict=True)
ABSOLUTE = MajorityRule("absolute majority", Fraction(1, 2), "present", strict=True)
TWO_THIRDS = MajorityRule("two-thirds majority", Fraction(2, 3), "voting", strict=False)
OF_ENTITLED = MajorityRule("majority of those entitled", Fraction(1, 2), "entitled", strict=True)

# the rules a chair chooses from, by the key stored with each vote
RULES: dict[str, MajorityRule] = {
    "simple": SIMPLE,
    "absolute": ABSOLUTE,
    "two_thirds": TWO_THIRDS,
    "of_entitled": OF_ENTITLED,
}


@dataclass(frozen=True)
class Tally:
    """Votes for, against and abstaining: whole hands, or exact card-vote weights."""

    for_: Number = 0
    against: Number = 0
    abstain: Number = 0

    def __post_init__(self) -> None:
        for name, value in (
            ("for", self.for_),
            ("against", self.against),
            ("abstain", self.abstain),
        ):
            if value < 0:
                raise ValueError(f"a tally cannot have {value} {name}")

    @property
    def voting(self) -> Number:
        return self.for_ + self.against


@dataclass(frozen=True)
class Outcome:
    """Whether the motion carried, what it needed, and the working in words."""

    carried: bool
    tied: bool
    base_figure: Number
    needed: Fraction  # the figure "for" had to exceed (strict) or reach
    working: str


def _show(x: Number) -> str:
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else f"{x} ({float(x):.4f})"


def decide(
    rule: MajorityRule,
    tally: Tally,
    *,
    present: Number | None = None,
    entitled: Number | None = None,
) -> Outcome:
    """Apply ``rule`` to ``tally``; ``present``/``entitled`` are needed when the rule uses them.

    ``present`` and ``entitled`` are in the tally's units: heads for a show of hands, the card
    weight present or entitled for a card vote.
    """
    if rule.base == "voting":
        base: Number = tally.voting
    elif rule.base == "present":
        if present is None:
            raise ValueError(f"{rule.name} is of those present: the number present is needed")
        if present < tally.for_ + tally.against + tally.abstain:
            raise ValueError(f"more votes were cast than the {_show(present)} present")
        base = present
    else:
        if entitled is None:
            raise ValueError(f"{rule.name} is of those entitled: the number entitled is needed")
        if present is not None and entitled < present:
            raise ValueError(
                f"{_show(present)} present is more than the {_show(entitled)} entitled"
            )
        base = entitled
    needed = rule.fraction * base
    carried = tally.for_ > needed if rule.strict else tally.for_ >= needed
    carried = carried and tally.for_ > 0
    tied = tally.for_ == tally.against and tally.for_ > 0 and not carried
    verdict = "carried" if carried else ("tied, so not carried" if tied else "not carried")
    relation = "more than" if rule.strict else "at least"
    working = (
        f"{_show(tally.for_)} for, {_show(tally.against)} against, {_show(tally.abstain)} "
        f"abstaining; a {rule.name} needs {relation} {rule.fraction} of {_show(base)} "
        f"({rule.base}) = {_show(needed)}: {verdict}"
    )
    return Outcome(carried=carried, tied=tied, base_figure=base, needed=needed, working=working)


def card_weights(
    cards: Mapping[str, int], delegates: Mapping[str, str], present: Collection[str]
) -> dict[str, Fraction]:
    """Each present delegate's share of their body's card, exactly.

    ``cards`` maps a body to its card (e.g. an affiliate's affiliated membership, from the
    register, never typed in); ``delegates`` maps each delegate to the body they represent.
    The delegates of a body who are present share its card equally; a body with none present
    casts no card. A delegate who is present but not in ``delegates`` carries nothing.
    """
    by_body: dict[str, list[str]] = {}
    for d in present:
        body = delegates.get(d)
        if body is not None:
            by_body.setdefault(body, []).append(d)
    weights: dict[str, Fraction] = {}
    for body, ds in by_body.items():
        card = cards.get(body)
        if card is None:
            raise ValueError(f"body {body!r} has delegates but no card")
        if card < 0:
            raise ValueError(f"body {body!r} has a negative card ({card})")
        for d in ds:
            weights[d] = Fraction(card, len(ds))
    return weights


def card_tally(votes: Mapping[str, Choice], weights: Mapping[str, Fraction]) -> Tally:
    """Add up a card vote: each delegate's choice carries their weight."""
    totals: dict[Choice, Fraction] = {c: Fraction(0) for c in CHOICES}
    for delegate, choice in votes.items():
        if choice not in CHOICES:
            raise ValueError(f"delegate {delegate!r}: {choice!r} is not for, against or abstain")
        if delegate not in weights:
            raise ValueError(f"delegate {delegate!r} carries no card in this vote")
        totals[choice] += weights[delegate]
    return Tally(for_=totals["for"], against=totals["against"], abstain=totals["abstain"])
