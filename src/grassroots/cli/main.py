"""The ``grassroots`` command: one typer app, each command a thin wrapper over a use case.

The console script and ``python -m grassroots`` start in ``cli/entry.py``, which runs a plain
``count`` without building this app and hands everything else to it.
"""

from __future__ import annotations

import typer

from grassroots.cli import compare as compare_command
from grassroots.cli import count as count_command
from grassroots.cli import verify as verify_command
from grassroots.cli import web as web_commands

app = typer.Typer(
    name="grassroots",
    help="Transparent internal democracy: count ballots, compare rule sets, run the web app.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root() -> None:
    """Transparent internal democracy: count ballots, compare rule sets, run the web app."""


count_command.register(app)
compare_command.register(app)
web_commands.register(app)
verify_command.register(app)


def main() -> None:
    """Run the typer app on the process's arguments."""
    app()
