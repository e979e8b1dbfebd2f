"""Command-line options for groups, representation constraints and slates, shared by commands.

``--groups FILE`` (CSV ``name,group1;group2``), ``--group women="Ann Black,Laura Pidcock"``,
``--min women=4``, ``--max region-london=2``; ``--slates FILE`` (CSV ``name,slate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from grassroots.count.constraints import ConstraintSet
from grassroots.count.errors import InputError
from grassroots.count.groups import (
    GroupSpec,
    build_constraints,
    parse_bound,
    parse_group_option,
    read_groups_csv,
    read_slates_csv,
)

__all__ = [
    "GroupOption",
    "GroupsFileOption",
    "MaxOption",
    "MinOption",
    "SlatesOption",
    "constraints_from_options",
    "slates_from_option",
]

GroupsFileOption = Annotated[
    Path | None,
    typer.Option("--groups", help="Candidates' groups, CSV lines 'name,group1;group2'."),
]
GroupOption = Annotated[
    list[str] | None,
    typer.Option("--group", help='A group by names: --group women="Ann Black,Laura Pidcock".'),
]
MinOption = Annotated[
    list[str] | None, typer.Option("--min", help="At least N seats to a group: --min women=4.")
]
MaxOption = Annotated[
    list[str] | None,
    typer.Option("--max", help="At most N seats to a group: --max region-london=2."),
]
SlatesOption = Annotated[
    Path | None, typer.Option("--slates", help="Slates, CSV lines 'name,slate'.")
]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from None


def constraints_from_options(
    candidates: Sequence[str],
    groups_file: Path | None,
    groups: Sequence[str] | None,
    minima: Sequence[str] | None,
    maxima: Sequence[str] | None,
) -> ConstraintSet | None:
    """The constraints the options describe, or ``None`` when they set no bound."""
    spec = GroupSpec()
    if groups_file is not None:
        read_groups_csv(_read(groups_file), str(groups_file), spec)
    for value in groups or ():
        parse_group_option(value, spec)
    for value in minima or ():
        parse_bound(value, "--min", spec)
    for value in maxima or ():
        parse_bound(value, "--max", spec)
    if not spec:
        return None
    return build_constraints(candidates, spec)


def slates_from_option(path: Path | None) -> dict[str, str] | None:
    """The slates file's contents, or ``None`` when none was given."""
    if path is None:
        return None
    return read_slates_csv(_read(path), str(path))
