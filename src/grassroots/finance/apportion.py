"""Subscription rates by band and their split between the levels of the organisation, by date.

Pure Python, no Django. A ``SplitRule`` holds, from its ``effective_from`` date, each band's
yearly rate and how many pence of it go to each level (national, region, branch, ward); a
``RuleBook`` finds the rule in force on a day. ``apportion`` splits one payment by its band's
shares, to the penny:

Rounding rule (largest remainder, Hamilton's method). Each level's exact share is
``amount * its weight / the total weight``; each level first gets the whole pence below its
exact share, and the pence left over (fewer than the number of levels) go one each to the
levels with the largest fractions left. Where fractions are equal, the level nearer the member
wins (ward before branch before region before national). So the shares always add up to the
payment exactly, and no level is more than a penny from its exact share.

A share for a level the member does not have (no ward, or a branch directly under the national
unit) goes to the nearest level above that they do have, before rounding.

Payments store their split when they are recorded, so a rule from a later date never changes an
earlier payment; ``RuleBook.rule_on`` gives every payment the rule in force on its own date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = [
    "LEVELS",
    "BandSplit",
    "NoRule",
    "RuleBook",
    "RuleError",
    "SplitRule",
    "apportion",
    "fold_absent",
    "format_pence",
    "largest_remainder",
    "parse_pence",
    "with_share",
]

# the levels a subscription is split between, from the top of the tree down
LEVELS: tuple[str, ...] = ("national", "region", "branch", "ward")
_NEARNESS = {level: i for i, level in enumerate(LEVELS)}  # larger: nearer the member
MAX_PENCE = 10**9  # £10 million: no single rate or payment is larger


class RuleError(ValueError):
    """A split rule is malformed; the message names the band or level and the problem."""


class NoRule(LookupError):
    """No split rule is in force on a payment's date."""


@dataclass(frozen=True)
class BandSplit:
    """One band's yearly rate in pence and the pence of it each level receives."""

    rate: int
    shares: tuple[tuple[str, int], ...]  # (level, pence a year), top of the tree first

    def share(self, level: str) -> int:
        return dict(self.shares).get(level, 0)


@dataclass(frozen=True)
class SplitRule:
    """The rates and their split in force from ``effective_from`` until the next rule."""

    effective_from: dt.date
    currency: str
    bands: tuple[tuple[str, BandSplit], ...]  # sorted by band name

    def band(self, name: str) -> BandSplit:
        for band, split in self.bands:
            if band == name:
                return split
        known = ", ".join(b for b, _ in self.bands)
        raise RuleError(
            f"the rule from {self.effective_from} has no rate for the band {name!r} "
            f"(it has: {known})"
        )

    @property
    def band_names(self) -> tuple[str, ...]:
        return tuple(b for b, _ in self.bands)

    def to_dict(self) -> dict[str, Any]:
        """The bands as stored: ``{band: {"rate": pence, "shares": {level: pence}}}``."""
        return {
            band: {"rate": split.rate, "shares": dict(split.shares)} for band, split in self.bands
        }

    @classmethod
    def from_dict(
        cls, effective_from: dt.date, currency: str, bands: Mapping[str, Any]
    ) -> SplitRule:
        """Check and build a rule; ``RuleError`` names the first problem found."""
        if not isinstance(currency, str) or len(currency) != 3 or not currency.isalpha():
            raise RuleError(
                f"the currency must be a three-letter code such as GBP, not {currency!r}"
            )
        if not isinstance(bands, Mapping) or not bands:
            raise RuleError("a rule needs at least one band with its rate")
        built: list[tuple[str, BandSplit]] = []
        for name, body in bands.items():
            built.append((_band_name(name), _band_split(name, body)))
        return cls(effective_from, currency.upper(), tuple(sorted(built)))


def _band_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip() or len(name) > 16:
        raise RuleError(f"a band's name must be a word of at most 16 letters, not {name!r}")
    if not all(c.isalnum() or c in "_-" for c in name):
        raise RuleError(f"the band name {name!r} may hold only letters, digits, - and _")
    return name


def _pence(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"{where} must be a whole number of pence, not {value!r}")
    if value < 0 or value > MAX_PENCE:
        raise RuleError(f"{where} must be between 0 and {MAX_PENCE} pence, not {value}")
    return value


def _band_split(name: str, body: object) -> BandSplit:
    if not isinstance(body, Mapping) or set(body) != {"rate", "shares"}:
        raise RuleError(f"the band {name!r} needs exactly a rate and its shares")
    rate = _pence(body["rate"], f"the {name} rate")
    if rate == 0:
        raise RuleError(f"the {name} rate must be more than nothing")
    raw = body["shares"]
    if not isinstance(raw, Mapping) or not raw:
        raise RuleError(f"the band {name!r} needs the share of at least one level")
    unknown = sorted(str(k) for k in raw if k not in LEVELS)
    if unknown:
        raise RuleError(
            f"the band {name!r} names {', '.join(unknown)}: the levels are {', '.join(LEVELS)}"
        )
    shares = tuple(
        (level, _pence(raw[level], f"the {name} share for the {level} level"))
        for level in LEVELS
        if level in raw
    )
    total = sum(p for _, p in shares)
    if total != rate:
        raise RuleError(
            f"the {name} shares add up to {format_pence(total)}, "
            f"not to its rate of {format_pence(rate)}"
        )
    return BandSplit(rate, shares)


class RuleBook:
    """Every split rule, each in force from its date until the next one's."""

    def __init__(self, rules: Iterable[SplitRule]) -> None:
        ordered = sorted(rules, key=lambda r: r.effective_from)
        for a, b in itertools.pairwise(ordered):
            if a.effective_from == b.effective_from:
                raise RuleError(f"two rules take effect on {a.effective_from}")
        self.rules: tuple[SplitRule, ...] = tuple(ordered)

    def rule_on(self, day: dt.date) -> SplitRule:
        """The rule in force on ``day``: the latest taking effect on or before it."""
        found: SplitRule | None = None
        for rule in self.rules:
            if rule.effective_from > day:
                break
            found = rule
        if found is None:
            first = (
                f"; the first takes effect on {self.rules[0].effective_from}" if self.rules else ""
            )
            raise NoRule(f"no subscription rule is in force on {day}{first}")
        return found


def largest_remainder(
    amount: int, weights: Sequence[tuple[str, int | Fraction]]
) -> tuple[tuple[str, int], ...]:
    """Split ``amount`` pence between the levels in proportion to their weights, exactly.

    The module's rounding rule: whole pence below each exact share, then the pence left over one
    each by largest fraction left, a tie going to the level nearer the member. A negative amount
    (a refund) is split as the positive one, each share negated. At least one weight must be
    more than nothing; every weight at least nothing.
    """
    if not weights:
        raise RuleError("a split needs at least one level")
    if any(w < 0 for _, w in weights):
        raise RuleError("a share cannot be less than nothing")
    if amount < 0:
        return tuple((level, -p) for level, p in largest_remainder(-amount, weights))
    scale = math.lcm(*(Fraction(w).denominator for _, w in weights))
    ints = [int(Fraction(w) * scale) for _, w in weights]
    total = sum(ints)
    if total == 0:
        raise RuleError("every share is nothing: there is nobody to give the payment to")
    whole: list[int] = []
    left: list[int] = []
    for w in ints:
        q, r = divmod(amount * w, total)
        whole.append(q)
        left.append(r)
    spare = amount - sum(whole)
    order = sorted(
        range(len(weights)),
        key=lambda i: (-left[i], -_NEARNESS.get(weights[i][0], len(LEVELS)), i),
    )
    for i in order[:spare]:
        whole[i] += 1
    return tuple((level, whole[i]) for i, (level, _) in enumerate(weights))


def fold_absent(
    weights: Sequence[tuple[str, int | Fraction]], present: Iterable[str]
) -> tuple[tuple[str, int | Fraction], ...]:
    """Give each absent level's weight to the nearest present level above it.

    The national level is always present. Levels keep their order, top of the tree first.
    """
    have = set(present) | {"national"}
    folded: dict[str, int | Fraction] = {}
    carry: int | Fraction = 0
    for level in reversed(LEVELS):
        weight = dict(weights).get(level, 0) + carry
        if level in have:
            if weight or level in dict(weights):
                folded[level] = weight
            carry = 0
        else:
            carry = weight
    return tuple((level, folded[level]) for level in LEVELS if level in folded)


def apportion(
    amount: int,
    split: BandSplit,
    present: Iterable[str] = LEVELS,
) -> tuple[tuple[str, int], ...]:
    """One payment's shares by its band's split, for a member who has the ``present`` levels."""
    return largest_remainder(amount, fold_absent(split.shares, present))


def with_share(
    split: BandSplit, level: str, fraction: Fraction
) -> tuple[tuple[str, Fraction], ...]:
    """The band's split changed so that ``level`` gets ``fraction`` of every payment.

    The other levels share the rest in the proportions they have now (the national level takes
    all of it if none of them has anything; with nobody else, ``RuleError``). For "what if
    the branch got 10%?".
    """
    if level not in LEVELS:
        raise RuleError(f"{level!r} is not a level; the levels are {', '.join(LEVELS)}")
    if not 0 <= fraction <= 1:
        raise RuleError("a share must be between 0% and 100% of the payment")
    others = [(lv, Fraction(w)) for lv, w in split.shares if lv != level]
    rest = sum((w for _, w in others), Fraction(0))
    if rest == 0:
        if level == "national" and fraction != 1:
            raise RuleError("no other level shares this band's subscription to give the rest to")
        others, rest = [("national", Fraction(1))], Fraction(1)
    weights = dict((lv, (1 - fraction) * w / rest) for lv, w in others)
    weights[level] = weights.get(level, Fraction(0)) + fraction
    return tuple((lv, weights[lv]) for lv in LEVELS if lv in weights)


def format_pence(pence: int, symbol: str = "£") -> str:
    """``5256`` → ``£52.56``; ``-250`` → ``-£2.50``; thousands separated by commas."""
    sign = "-" if pence < 0 else ""
    pounds, p = divmod(abs(pence), 100)
    return f"{sign}{symbol}{pounds:,}.{p:02d}"


def parse_pence(text: str) -> int:
    """``"52.56"``, ``"£52.56"``, ``"1,052.5"`` or ``"52"`` → pence; ``ValueError`` in words.

    At most two decimal places; a leading minus for a refund.
    """
    s = text.strip().replace(",", "")
    negative = s.startswith("-")
    s = s.removeprefix("-").removeprefix("£").strip()
    whole, dot, frac = s.partition(".")
    if not whole and not frac:
        raise ValueError(f"{text.strip()!r} is not an amount of money, e.g. 52.56")
    if not (whole or "0").isdigit() or not (whole or "0").isascii():
        raise ValueError(f"{text.strip()!r} is not an amount of money, e.g. 52.56")
    if dot and (not frac.isdigit() or not frac.isascii()):
        raise ValueError(f"{text.strip()!r} is not an amount of money, e.g. 52.56")
    if len(frac) > 2:
        raise ValueError(f"{text.strip()!r} has more than pence after the point, e.g. 52.56")
    if len(whole) > 8:
        raise ValueError(f"{text.strip()!r} is larger than any subscription")
    pence = int(whole or "0") * 100 + int((frac or "0").ljust(2, "0"))
    return -pence if negative else pence
