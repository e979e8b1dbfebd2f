"""``grassroots count``: count one ballot file under one rule set and print the result."""

from __future__ import annotations

import json
import sys
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
from grassroots.count.ballots import Election
from grassroots.count.errors import InputError
from grassroots.count.formats import read_ballots
from grassroots.count.report.text import render_text
from grassroots.count.rules import RULES, count
from grassroots.count.stages import CountResult

__all__ = ["register"]


class OutputFormat(StrEnum):
    """What ``--format`` may ask for."""

    text = "text"
    json = "json"
    html = "html"


def fail(message: str) -> typer.Exit:
    """Print a one-line error and give the exit code for bad input (2)."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


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
        election = read_election(file)
        constraints = constraints_from_options(
            election.candidates, groups_file, group, minimum, maximum
        )
        slates = slates_from_option(slates_file)
        result = count(election, rule, seats=seats, seed=seed, constraints=constraints)
        write_output(render(result, fmt.value, slates, election.title or file.name), output)
    except InputError as exc:
        raise fail(str(exc)) from None


def register(app: typer.Typer) -> None:
    """Add ``count`` to the command-line app."""
    app.command("count")(count_file)
