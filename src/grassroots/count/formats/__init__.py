"""Ballot files in and out: BLT, PrefLib, CSV and grassroots JSON.

``read_ballots`` picks the reader from the format name or the file's extension;
``write_ballots`` writes BLT, JSON or PrefLib. Every reader raises ``BallotFileError`` (an
``InputError``) naming the file, the line and the problem, and records what it repaired in
``Election.irregularities``; see each module for its format and its policy.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, TextIO

from grassroots.count.ballots import Election
from grassroots.count.errors import InputError
from grassroots.count.formats import blt

# The PrefLib, CSV and JSON modules are imported when a file of theirs is read or written,
# so that counting a BLT file from the command line does not load them.

__all__ = [
    "EXTENSIONS",
    "READ_FORMATS",
    "WRITE_FORMATS",
    "dumps_ballots",
    "format_of",
    "read_ballots",
    "write_ballots",
]

READ_FORMATS = ("blt", "preflib", "csv", "json")
WRITE_FORMATS = ("blt", "json", "preflib")
EXTENSIONS = {
    ".blt": "blt",
    ".soi": "preflib",
    ".toi": "preflib",
    ".soc": "preflib",
    ".toc": "preflib",
    ".csv": "csv",
    ".json": "json",
}
_ALIASES = {"soi": "preflib", "toi": "preflib", "soc": "preflib", "toc": "preflib"}


def _format_name(name: str) -> str:
    key = name.lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in READ_FORMATS:
        raise InputError(
            f"unknown ballot file format {name!r}; choose one of: {', '.join(READ_FORMATS)}"
        )
    return key


def format_of(path: str | Path) -> str:
    """The format a file's extension names, or ``InputError`` listing the known ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        raise InputError(
            f"{path}: cannot tell the ballot file format from the extension "
            f"{suffix or '(none)'!r}; use one of {known} or name the format"
        )
    return EXTENSIONS[suffix]


def read_ballots(
    path: str | Path, format: str | None = None, *, seats: int | None = None, **options: Any
) -> Election:
    """Read ballots from a file, choosing the reader by ``format`` or by the extension.

    ``seats`` overrides the file's number of seats (PrefLib and CSV files hold none: without
    it they read as 0 seats). Other keyword options go to the reader (CSV: ``layout``,
    ``candidates``, ``weight_column``, ``skipped``, ``title``).
    """
    kind = _format_name(format) if format is not None else format_of(path)
    if options and kind != "csv":
        raise InputError(f"the {kind} reader takes no options: {', '.join(sorted(options))}")
    if kind == "blt":
        election = blt.read(path)
    elif kind == "json":
        from grassroots.count.formats import json as json_format

        election = json_format.read(path)
    elif kind == "preflib":
        from grassroots.count.formats import preflib

        election = preflib.read(path)
    else:
        from grassroots.count.formats import csv as csv_format

        election = csv_format.read(path, **options)
    if seats is not None and seats != election.seats:
        election = election.with_seats(seats)
    return election


def dumps_ballots(election: Election, format: str) -> str:
    """The election as text in a writable format."""
    kind = _format_name(format)
    if kind == "blt":
        return blt.dumps(election)
    if kind == "json":
        from grassroots.count.formats import json as json_format

        return json_format.dumps(election)
    if kind == "preflib":
        from grassroots.count.formats import preflib

        return preflib.dumps(election)
    raise InputError(f"cannot write {format!r} files; choose one of: {', '.join(WRITE_FORMATS)}")


def write_ballots(
    election: Election, path_or_stream: str | Path | TextIO, format: str | None = None
) -> None:
    """Write the election to a path (UTF-8) or an open text stream in ``format``.

    Without ``format`` the path's extension chooses it; a stream needs ``format``.
    """
    if format is None:
        if not isinstance(path_or_stream, (str, Path)):
            raise InputError("say which format to write to a stream: blt, json or preflib")
        format = format_of(path_or_stream)
    text = dumps_ballots(election, format)
    if isinstance(path_or_stream, (str, Path)):
        Path(path_or_stream).write_text(text, encoding="utf-8", newline="\n")
    elif isinstance(path_or_stream, io.TextIOBase) or hasattr(path_or_stream, "write"):
        path_or_stream.write(text)
    else:
        raise InputError(f"cannot write ballots to {path_or_stream!r}")
