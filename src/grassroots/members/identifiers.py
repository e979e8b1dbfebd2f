"""Membership numbers and unit codes: the identifiers that go into addresses and register files.

Pure Python. Every way in (the forms, the register import, the actions the command line and
the demo call) asks ``number_problem`` or ``code_problem`` and refuses what they name, so a new
identifier is always safe in a URL and a CSV cell. Records stored before these rules, or
written to the database by other means, may still hold anything: the URL converters below
carry any stored value through an address and back, so the pages that list such a record
still link to it (where it can be corrected) instead of failing to build the link.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

__all__ = [
    "CODE_MAX",
    "NUMBER_MAX",
    "AnyIdentifierConverter",
    "RowIdConverter",
    "code_problem",
    "number_problem",
    "row_id",
]

NUMBER_MAX = 32  # Member.number's max_length
CODE_MAX = 40  # Unit.code's max_length

# letters and digits, with hyphens and underscores inside: nothing a URL, a file name or a
# spreadsheet reads specially (no spaces, slashes, dots, quotes or leading signs)
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*", re.ASCII)
_RULE = "letters, digits, hyphens and underscores (plain A-Z letters, first a letter or digit)"


def _problem(what: str, value: str, longest: int) -> str | None:
    if not value:
        return f"a {what} is needed"
    if len(value) > longest:
        return f"the {what} {value[:longest]!r}… is longer than {longest} characters"
    if not _SAFE.fullmatch(value):
        return f"the {what} {value!r} may hold only {_RULE} (no spaces or slashes)"
    return None


def number_problem(number: str) -> str | None:
    """Why ``number`` cannot be a new membership number, or None if it can."""
    return _problem("membership number", number, NUMBER_MAX)


def code_problem(code: str) -> str | None:
    """Why ``code`` cannot be a new unit's code, or None if it can."""
    return _problem("unit code", code, CODE_MAX)


class AnyIdentifierConverter:
    """A path segment carrying any stored identifier, whatever characters it holds.

    ``to_url`` escapes the percent sign, the slash and a bare ``.`` or ``..`` (which browsers
    would resolve as a path step), and writes an empty value as ``%00``; Django's ``reverse``
    then quotes the rest, and ``to_python`` undoes the escaping. An identifier that follows
    the rules above passes through unchanged, so the addresses of valid records are what they
    always were. A NUL character (which no database stores as text) matches nothing: 404.
    """

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        if value == "%00":
            return ""
        text = unquote(value)
        if "\x00" in text:
            raise ValueError("no identifier holds a NUL character")
        return text

    def to_url(self, value: str) -> str:
        text = value.replace("%", "%25").replace("/", "%2F")
        if text in (".", ".."):
            text = text.replace(".", "%2E")
        return text or "%00"


_ID_DIGITS = 18  # every 18-digit number fits a 64-bit integer, the widest id a database keeps


def row_id(text: str) -> int | None:
    """A record's id from a form value or query string, or None if ``text`` cannot be one.

    Only ASCII digits, at most 18 of them: ``int()`` would take " 7", Arabic digits or "7_0", and a
    longer number overflows the database's integer before any lookup could say "not found".
    """
    if not (text and text.isascii() and text.isdigit() and len(text) <= _ID_DIGITS):
        return None
    return int(text)


class RowIdConverter:
    """A record's id in an address (``<id:pk>``): like Django's ``int``, but a number too long
    for any id matches nothing (404) instead of overflowing the database's integer (500)."""

    regex = f"[0-9]{{1,{_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)
