"""Command-line options for groups, representation constraints and slates, shared by commands.

``--groups FILE`` (CSV ``name,group1;group2``), ``--group women="Ann Black,Laura Pidcock"``,
``--min women=4``, ``--max region-london=2``; ``--slates FILE`` (CSV ``name,slate``). What
they mean is worked out in ``cli/counting.py``, which the quick ``count`` path shares.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from grassroots.cli.counting import constraints_from_options, slates_from_option

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
