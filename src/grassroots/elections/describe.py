"""An election's set-up in plain words: for its page and for the summary before saving."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from grassroots.count.rules import RULES
from grassroots.elections import thresholds
from grassroots.elections.models import Election
from grassroots.elections.standing import election_rules
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import UNIT_KINDS, Unit

__all__ = ["about", "setup_in_words"]

KIND_PLURALS = {
    "national": "national bodies",
    "region": "regions",
    "branch": "branches",
    "ward": "wards",
    "affiliate": "affiliated bodies",
}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _bounds(constraints: Mapping[str, Any]) -> list[str]:
    out = [
        f"at least {_plural(n, 'post', 'posts')} for {g}"
        for g, n in (constraints.get("minima") or {}).items()
    ]
    out += [
        f"at most {_plural(n, 'post', 'posts')} for {g}"
        for g, n in (constraints.get("maxima") or {}).items()
    ]
    return out


def setup_in_words(
    *,
    seats: int,
    rule: str,
    unit: Unit,
    rules: RuleSet,
    threshold: Mapping[str, Any],
    nominating_kinds: Sequence[str],
    body_subkinds: Mapping[str, str],
    constraints: Mapping[str, Any],
) -> list[tuple[str, list[str]]]:
    """(heading, lines) pairs: what is elected, who votes, who may stand, representation."""
    kinds = dict(UNIT_KINDS)
    below = "" if unit.kind in ("branch", "ward") else " and every unit below it"
    bodies = [KIND_PLURALS.get(k, kinds.get(k, k)) for k in nominating_kinds]
    subkinds = dict(Unit.objects.filter(code__in=body_subkinds).values_list("code", "name"))
    standing = [
        f"Nominated by {', '.join(bodies) or 'nobody'}: each body may nominate as many "
        f"candidates as there are posts.",
        f"A candidate needs {thresholds.describe(threshold)} and must consent to stand.",
    ]
    standing += [
        f"{subkinds.get(code, code)} counts as a {kind}"
        for code, kind in sorted(body_subkinds.items())
    ]
    return [
        (
            "What is elected",
            [
                _plural(seats, "post", "posts") + " to fill",
                f"Counted by {RULES[rule][1] if rule in RULES else rule}",
            ],
        ),
        (
            "Who votes",
            [f"Members of {unit.name}{below}, if they are:"] + [r for r in rules.describe()],
        ),
        ("Who may stand", standing),
        ("Representation", _bounds(constraints) or ["No minimum or maximum for any group"]),
    ]


def about(e: Election) -> list[tuple[str, list[str]]]:
    """The set-up of a saved election in words."""
    return setup_in_words(
        seats=e.seats,
        rule=e.rule,
        unit=e.unit,
        rules=election_rules(e),
        threshold=e.threshold,
        nominating_kinds=e.nominating_kinds,
        body_subkinds=e.body_subkinds,
        constraints=e.constraints,
    )
