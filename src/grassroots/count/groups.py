"""Reading who belongs to which group, and the minima and maxima asked of those groups.

Input comes in three shapes (issue 3; DOMAIN.md "Representation constraints"):

* a candidates file, CSV ``name,group1;group2`` (an optional header ``name,groups``; blank
  lines and lines starting with ``#`` are skipped);
* ``--group women="Ann Black,Laura Pidcock"`` on the command line;
* ``--min women=4`` and ``--max region-london=2``.

``build_constraints`` turns them into a ``ConstraintSet`` over candidate indices. Every error
names the file and line or the option, and what was wrong, with the nearest known name when
a candidate or group looks misspelt.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from grassroots.count.constraints import Constraint, ConstraintSet
from grassroots.count.errors import ConstraintError

__all__ = [
    "GroupSpec",
    "build_constraints",
    "constraint_set_from_names",
    "parse_bound",
    "parse_group_option",
    "read_groups_csv",
    "read_slates_csv",
]


@dataclass
class GroupSpec:
    """Group memberships (group -> candidate names) and bounds, as people wrote them."""

    members: dict[str, list[str]] = field(default_factory=dict)
    minima: dict[str, int] = field(default_factory=dict)
    maxima: dict[str, int] = field(default_factory=dict)
    # where each membership came from, for error messages: (group, name) -> "file.csv:3"
    origins: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, group: str, name: str, origin: str) -> None:
        """Put ``name`` in ``group`` (once), remembering where that was said."""
        names = self.members.setdefault(group, [])
        if name not in names:
            names.append(name)
            self.origins[(group, name)] = origin

    def __bool__(self) -> bool:
        return bool(self.minima or self.maxima)


def _rows(text: str) -> Iterable[tuple[int, list[str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = next(csv.reader(io.StringIO(line), skipinitialspace=True))
        yield number, [cell.strip() for cell in row]


def read_groups_csv(text: str, source: str, spec: GroupSpec | None = None) -> GroupSpec:
    """Read a candidates file, ``name,group1;group2`` per line, into ``spec`` (or a new one).

    A candidate with no groups may be listed with an empty second column.
    """
    spec = spec if spec is not None else GroupSpec()
    first = True
    for number, row in _rows(text):
        where = f"{source}:{number}"
        if first and [c.lower() for c in row[:2]] in (["name", "groups"], ["name", "group"]):
            first = False
            continue
        first = False
        if len(row) > 2:
            raise ConstraintError(
                f"{where}: expected 'name,group1;group2', found {len(row)} columns "
                "(separate groups with ';', and quote a name that holds a comma)"
            )
        name = row[0]
        if not name:
            raise ConstraintError(f"{where}: the candidate name is empty")
        groups = row[1] if len(row) == 2 else ""
        for group in (g.strip() for g in groups.split(";")):
            if group:
                _check_group_name(group, where)
                spec.add(group, name, where)
    return spec


def read_slates_csv(text: str, source: str) -> dict[str, str]:
    """Read a slates file, ``name,slate`` per line: each candidate on at most one slate."""
    slates: dict[str, str] = {}
    first = True
    for number, row in _rows(text):
        where = f"{source}:{number}"
        if first and [c.lower() for c in row[:2]] == ["name", "slate"]:
            first = False
            continue
        first = False
        if len(row) != 2 or not row[0] or not row[1]:
            raise ConstraintError(f"{where}: expected 'name,slate', found {','.join(row)!r}")
        name, slate = row
        if name in slates and slates[name] != slate:
            raise ConstraintError(
                f"{where}: {name!r} is already on slate {slates[name]!r}; "
                "a candidate can be on one slate only"
            )
        slates[name] = slate
    return slates


def _check_group_name(group: str, where: str) -> None:
    if any(ch in group for ch in "=,"):
        raise ConstraintError(f"{where}: group name {group!r} must not contain '=' or ','")


def _split_option(value: str, option: str) -> tuple[str, str]:
    group, sep, rest = value.partition("=")
    group = group.strip()
    if not sep or not group:
        raise ConstraintError(f"{option} {value!r}: expected GROUP=VALUE, e.g. {option} women=4")
    return group, rest.strip()


def parse_group_option(value: str, spec: GroupSpec | None = None) -> GroupSpec:
    """Read ``--group women="Ann Black,Laura Pidcock"`` into ``spec`` (or a new one)."""
    spec = spec if spec is not None else GroupSpec()
    group, names = _split_option(value, "--group")
    _check_group_name(group, f"--group {value!r}")
    parsed = next(csv.reader(io.StringIO(names), skipinitialspace=True), [])
    cleaned = [n.strip() for n in parsed if n.strip()]
    if not cleaned:
        raise ConstraintError(f"--group {value!r}: names no candidates")
    for name in cleaned:
        spec.add(group, name, f"--group {group}")
    return spec


def parse_bound(value: str, option: str, spec: GroupSpec | None = None) -> GroupSpec:
    """Read ``--min women=4`` (``option="--min"``) or ``--max region-london=2``."""
    if option not in ("--min", "--max"):
        raise ValueError(f"option must be '--min' or '--max', not {option!r}")
    spec = spec if spec is not None else GroupSpec()
    group, number = _split_option(value, option)
    try:
        bound = int(number)
    except ValueError:
        raise ConstraintError(
            f"{option} {value!r}: expected a whole number of seats after '=', found {number!r}"
        ) from None
    if bound < 0:
        raise ConstraintError(f"{option} {value!r}: the number of seats must not be negative")
    target = spec.minima if option == "--min" else spec.maxima
    if group in target and target[group] != bound:
        raise ConstraintError(
            f"{option} given twice for {group!r}: {target[group]} and {bound}; keep one"
        )
    target[group] = bound
    return spec


def _suggest(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def build_constraints(candidates: Sequence[str], spec: GroupSpec) -> ConstraintSet:
    """The ``ConstraintSet`` over candidate indices that ``spec`` describes.

    Every member must be a candidate of the election and every bounded group must have been
    given members. Feasibility against seats and withdrawals is checked by the count itself
    (``ConstraintSet.check``), before any stage.
    """
    index = {name: i for i, name in enumerate(candidates)}
    groups: dict[str, frozenset[int]] = {}
    for group, names in spec.members.items():
        members: set[int] = set()
        for name in names:
            if name not in index:
                origin = spec.origins.get((group, name), f"group {group}")
                raise ConstraintError(
                    f"{origin}: {name!r} is not a candidate in this election"
                    f"{_suggest(name, candidates)}"
                )
            members.add(index[name])
        groups[group] = frozenset(members)
    constraints: list[Constraint] = []
    for group in sorted(set(spec.minima) | set(spec.maxima)):
        if group not in groups:
            known = ", ".join(sorted(groups)) or "none"
            raise ConstraintError(
                f"a bound is set on group {group!r}, which has no members"
                f"{_suggest(group, groups)}; known groups: {known}"
            )
        minimum = spec.minima.get(group, 0)
        maximum = spec.maxima.get(group)
        con = Constraint(group, minimum, maximum)
        if maximum is not None and maximum < minimum:
            raise ConstraintError(f"{con.describe()}: the maximum is below the minimum")
        constraints.append(con)
    return ConstraintSet(groups, tuple(constraints))


def constraint_set_from_names(
    candidates: Sequence[str],
    members: Mapping[str, Iterable[str]],
    minima: Mapping[str, int] | None = None,
    maxima: Mapping[str, int] | None = None,
) -> ConstraintSet:
    """A ``ConstraintSet`` from groups given by candidate names (handy in tests and the web)."""
    spec = GroupSpec(minima=dict(minima or {}), maxima=dict(maxima or {}))
    for group, names in members.items():
        for name in names:
            spec.add(group, name, f"group {group}")
    return build_constraints(candidates, spec)
