"""The ``grassroots`` console script: ``count`` by a quick path, everything else by typer.

Building the typer app costs more than reading and counting a ballot file of 200,000 lines:
typer imports click, and pydantic to check every option, and the app imports every command's
module. ``grassroots count FILE [options]`` written in the plain way (``--option value`` or
``--option=value``, each option at most once except the repeatable ones, whole numbers in
plain digits, a known ``--format``) is therefore parsed here and run by the same code as the
typer command (``cli/counting.py``), with the same output, messages and exit codes. Anything
else (``--help``, an unknown or misspelt option, a missing value, a number in another
spelling, a value beginning with ``-``, any other command) goes to the typer app, which
answers exactly as it always has. This module imports nothing beyond the standard library
until it knows which way to go.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["count_arguments", "main"]

# Options of ``grassroots count`` taking one value, by every spelling, and the name the
# counting function gives them; then those that may be repeated.
_SINGLE = {
    "--rule": "rule",
    "-r": "rule",
    "--seats": "seats",
    "-s": "seats",
    "--format": "fmt",
    "-f": "fmt",
    "--output": "output",
    "-o": "output",
    "--seed": "seed",
    "--groups": "groups_file",
    "--slates": "slates_file",
}
_REPEATED = {"--group": "group", "--min": "minimum", "--max": "maximum"}
_INTEGERS = ("seats", "seed")
_PATHS = ("output", "groups_file", "slates_file")
_FORMATS = ("text", "json", "html")
_MAX_DIGITS = 18


def _plain_integer(text: str) -> int | None:
    """A whole number written in plain ASCII digits without leading zeros, else None."""
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_DIGITS:
        return None
    if len(text) > 1 and text[0] == "0":
        return None
    return int(text)


def count_arguments(args: Sequence[str]) -> dict[str, Any] | None:
    """The keyword arguments of ``count_to_output`` for ``grassroots count ARGS``, or None
    when the arguments are not in the plain form this path reads (the typer app then does)."""
    single: dict[str, str] = {}
    repeated: dict[str, list[str]] = {}
    file: str | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if not arg.startswith("-"):
            if file is not None or not arg:
                return None
            file = arg
            continue
        name, equals, value = arg.partition("=")
        if equals and not name.startswith("--"):
            return None
        dest = _SINGLE.get(name) or _REPEATED.get(name)
        if dest is None:
            return None
        if not equals:
            if i >= len(args):
                return None
            value = args[i]
            i += 1
        if not value or value.startswith("-"):
            return None
        if name in _REPEATED:
            repeated.setdefault(dest, []).append(value)
        elif dest in single:
            return None
        else:
            single[dest] = value
    if file is None:
        return None
    kwargs: dict[str, Any] = {"file": Path(file), **repeated}
    for dest, value in single.items():
        if dest in _INTEGERS:
            number = _plain_integer(value)
            if number is None:
                return None
            kwargs[dest] = number
        elif dest in _PATHS:
            kwargs[dest] = Path(value)
        elif dest == "fmt" and value not in _FORMATS:
            return None
        else:
            kwargs[dest] = value
    return kwargs


def _count(kwargs: dict[str, Any]) -> int:
    """Run the count as the typer command would; the exit code."""
    from grassroots.cli.counting import count_to_output
    from grassroots.count.errors import InputError

    try:
        count_to_output(**kwargs)
        sys.stdout.flush()
    except InputError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except BrokenPipeError:  # the reader went away (``| head``): as click, exit 1 quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except (KeyboardInterrupt, EOFError):
        sys.stderr.write("\nAborted!\n")
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``grassroots`` with ``argv`` (default: the process's arguments); exits."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["count"]:
        kwargs = count_arguments(args[1:])
        if kwargs is not None:
            sys.exit(_count(kwargs))
    from grassroots.cli.main import app

    if argv is None:
        app()
    else:
        app(args=args)
