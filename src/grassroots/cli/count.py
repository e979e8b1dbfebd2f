"""``grassroots count``: count one ballot file under one rule set and print the result."""

from __future__ import annotations

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
)
from grassroots.cli.counting import count_to_output, read_election, render, write_output
from grassroots.count.errors import InputError
from grassroots.count.rules import RULES

__all__ = ["fail", "read_election", "register", "render", "write_output"]


class OutputFormat(StrEnum):
    """What ``--format`` may ask for."""

    text = "text"
    json = "json"
    html = "html"


def fail(message: str) -> typer.Exit:
    """Print a one-line error and give the exit code for bad input (2)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def count_file(
    file: Annotated[Path, typer.Argument(help="Ballot file (BLT, PrefLib .soi/.toi, CSV, JSON).")],
    rule: Annotated[
        str, typer.Option("--rule", "-r", help=f"Rule set: {', '.join(RULES)}.")
    ] = "scottish",
    seats: SeatsOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
        OutputFormat.text
    ),
    output: OutputOption = None,
    seed: SeedOption = None,
    groups_file: GroupsFileOption = None,
    group: GroupOption = None,
    minimum: MinOption = None,
    maximum: MaxOption = None,
    slates_file: SlatesOption = None,
) -> None:
    """Count a ballot file under a rule set and show every stage."""
    try:
        count_to_output(
            file,
            rule,
            seats,
            fmt.value,
            output,
            seed,
            groups_file,
            group,
            minimum,
            maximum,
            slates_file,
        )
    except InputError as exc:
        raise fail(str(exc)) from None


def register(app: typer.Typer) -> None:
    """Add ``count`` to the command-line app."""
    app.command("count")(count_file)
