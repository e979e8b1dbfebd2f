"""Representation constraints as an election sees them: bounds, candidates' groups, feasibility."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from grassroots.count.errors import InputError
from grassroots.elections import publish
from grassroots.elections.actions._common import (
    ActionRefused,
)
from grassroots.elections.models import (
    Candidate,
    Election,
)


def _check_bounds(constraints: Mapping[str, Any], seats: int) -> None:
    """Refuse at set-up group bounds that no ballot could meet."""
    minima = constraints.get("minima") or {}
    maxima = constraints.get("maxima") or {}
    for group, n in minima.items():
        if n > seats:
            raise ActionRefused(f"at least {n} seats for {group}, but only {seats} to fill")
        if group in maxima and maxima[group] < n:
            raise ActionRefused(f"{group}: the maximum {maxima[group]} is below the minimum {n}")


def _groups_of(candidates: Iterable[Candidate]) -> dict[str, list[str]]:
    """Each group (e.g. "women") and the names of the candidates in it, for the constraints."""
    groups: dict[str, list[str]] = {}
    for c in candidates:
        for g in c.groups:
            groups.setdefault(g, []).append(c.name)
    return groups


def _check_constraints_can_be_met(e: Election, on_ballot: Sequence[Candidate]) -> None:
    """Refuse to open voting when the candidates on the ballot cannot meet the constraints."""
    names = [c.name for c in on_ballot]
    groups = _groups_of(on_ballot)
    for group, n in (e.constraints.get("minima") or {}).items():
        if n and not groups.get(group):
            raise ActionRefused(
                f"at least {n} seat(s) must go to {group}, but no candidate on the ballot is "
                f"in {group}: add the group to a candidate's record or change the constraint"
            )
    cs = publish.constraint_set(names, {**e.constraints, "groups": groups})
    try:
        cs.check(range(len(names)), e.seats, names)
    except InputError as exc:
        raise ActionRefused(
            f"the candidates on the ballot cannot meet the constraints: {exc}"
        ) from None
