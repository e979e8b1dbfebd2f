"""``grassroots compare``: count one ballot file under several rule sets, side by side."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from grassroots.cli.common_options import OutputOption, SeatsOption, SeedOption
from grassroots.cli.constraint_options import (
    GroupOption,
    GroupsFileOption,
    MaxOption,
    MinOption,
    SlatesOption,
    constraints_from_options,
    slates_from_option,
)
from grassroots.cli.count import fail, read_election, write_output
from grassroots.count.compare import Comparison, compare
from grassroots.count.errors import InputError
from grassroots.count.report.compare import render_compare_html, render_compare_text
from grassroots.count.rules import RULES

__all__ = ["register"]


class CompareFormat(StrEnum):
    """What ``--format`` may ask for."""

    text = "text"
    json = "json"
    html = "html"


def render(comparison: Comparison, fmt: str, title: str) -> str:
    """The comparison in the format asked for."""
    if fmt == "json":
        return json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        return render_compare_html(comparison, title=title)
    return render_compare_text(comparison)


def compare_file(
    file: Annotated[Path, typer.Argument(help="Ballot file (BLT, PrefLib .soi/.toi, CSV, JSON).")],
    rules: Annotated[
        str,
        typer.Option("--rules", help=f"Comma-separated rule sets from: {', '.join(RULES)}."),
    ] = "scottish,meek",
    seats: SeatsOption = None,
    fmt: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CompareFormat.text
    ),
    output: OutputOption = None,
    seed: SeedOption = None,
    groups_file: GroupsFileOption = None,
    group: GroupOption = None,
    minimum: MinOption = None,
    maximum: MaxOption = None,
    slates_file: SlatesOption = None,
) -> None:
    """Count a ballot file under several rule sets and show who is elected under each."""
    try:
        names = [r.strip() for r in rules.split(",") if r.strip()]
        election = read_election(file)
        constraints = constraints_from_options(
            election.candidates, groups_file, group, minimum, maximum
        )
        slates = slates_from_option(slates_file)
        comparison = compare(
            election, names, seats=seats, seed=seed, constraints=constraints, slates=slates
        )
        title = f"{election.title or file.name}: rule comparison"
        write_output(render(comparison, fmt.value, title), output)
    except InputError as exc:
        raise fail(str(exc)) from None


def register(app: typer.Typer) -> None:
    """Add ``compare`` to the command-line app."""
    app.command("compare")(compare_file)
