"""What ``grassroots count`` does once its options are parsed: read, count, render, write.

Kept apart from the typer command (``cli/count.py``) so that the console script's quick path
for ``count`` (``cli/entry.py``) runs the very same code without importing typer, click or
pydantic. Nothing here parses the command line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from grassroots.count.ballots import Election
from grassroots.count.errors import InputError
from grassroots.count.formats import read_ballots

if TYPE_CHECKING:
    from grassroots.count.constraints import ConstraintSet
    from grassroots.count.stages import CountResult

__all__ = [
    "FORMATS",
    "constraints_from_options",
    "count_to_output",
    "read_election",
    "render",
    "slates_from_option",
    "write_output",
]

FORMATS = ("text", "json", "html")  # what ``--format`` may ask for


def read_election(path: Path) -> Election:
    """Read a ballot file of any supported format, chosen by its extension."""
    return read_ballots(path)


def render(
    result: CountResult,
    fmt: str,
    slates: dict[str, str] | None = None,
    title: str | None = None,
) -> str:
    """The result in the format asked for."""
    if fmt == "html":
        from grassroots.count.report.html import render_page

        return render_page(result, slates=slates, title=title)
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    from grassroots.count.report.text import render_text

    return render_text(result)


def write_output(text: str, output: Path | None) -> None:
    """Write to the file asked for, or to standard output."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{output}: cannot write the result: {exc.strerror}") from None


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
    """The constraints ``--groups``, ``--group``, ``--min`` and ``--max`` describe, or
    ``None`` when they set no bound."""
    if groups_file is None and not groups and not minima and not maxima:
        return None
    from grassroots.count.groups import (
        GroupSpec,
        build_constraints,
        parse_bound,
        parse_group_option,
        read_groups_csv,
    )

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
    """The ``--slates`` file's contents, or ``None`` when none was given."""
    if path is None:
        return None
    from grassroots.count.groups import read_slates_csv

    return read_slates_csv(_read(path), str(path))


def count_to_output(
    file: Path,
    rule: str = "scottish",
    seats: int | None = None,
    fmt: str = "text",
    output: Path | None = None,
    seed: int | None = None,
    groups_file: Path | None = None,
    group: Sequence[str] | None = None,
    minimum: Sequence[str] | None = None,
    maximum: Sequence[str] | None = None,
    slates_file: Path | None = None,
) -> None:
    """Count a ballot file under a rule set and write the result; bad input: ``InputError``."""
    from grassroots.count.rules import count

    election = read_election(file)
    constraints = constraints_from_options(
        election.candidates, groups_file, group, minimum, maximum
    )
    slates = slates_from_option(slates_file)
    result = count(election, rule, seats=seats, seed=seed, constraints=constraints)
    write_output(render(result, fmt, slates, election.title or file.name), output)
