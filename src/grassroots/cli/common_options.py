"""Command-line options that every counting command spells the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["OutputOption", "SeatsOption", "SeedOption"]

SeatsOption = Annotated[
    int | None, typer.Option("--seats", "-s", help="Seats to fill (default: the file's).")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
]
SeedOption = Annotated[
    int | None, typer.Option("--seed", help="Seed for ties broken by lot (replays a count).")
]
