"""The fast BLT reader: ballot lines in bulk with numpy, the rest by the careful reader.

``loads(raw, source)`` returns the same ``Election`` as ``blt.loads`` for a well-formed file,
or None, and then ``blt.read`` reads the file again carefully, which reports the first problem
with its line. The header, the option and withdrawn lines and the names are few lines: they go
through the careful reader's own code. Only the ballot lines are read in bulk, and only when
every one of them is ``weight pref ... 0`` in ASCII digits and blanks, with a positive weight,
candidates in range and none marked twice; a comment, an ``=``, a nickname, a repeated mark or
anything else leaves the whole file to the careful reader (see ``_fast``).
"""

from __future__ import annotations

import numpy as np

from grassroots.count.ballots import Election
from grassroots.count.errors import InputError
from grassroots.count.formats import _fast
from grassroots.count.formats.blt import _Reader, _tokens

__all__ = ["loads"]

_PLAIN = b"0123456789 \t\r\n"  # all that plain ballot lines hold
_BLANKS = b" \t\r\n"
_HEAD_LINES = 10_000  # the header and option lines the fast reader looks through


def _body_start(raw: bytes) -> int | None:
    """Where the first ballot line begins: after the header and any option/withdrawn lines."""
    pos = 0
    header = False
    for _ in range(_HEAD_LINES):
        if pos >= len(raw):
            return None
        nl = raw.find(b"\n", pos)
        end = len(raw) if nl < 0 else nl + 1
        try:
            tokens = _tokens(raw[pos:end].decode("utf-8"))
        except UnicodeDecodeError:
            return None
        if tokens:
            if not header:
                header = True
            elif not tokens[0].startswith(("[", "-")):
                return pos
        pos = end
    return None


def _rows(raw: bytes, start: int, end: int, n: int) -> _fast.Rows | None:
    """The ballot lines of ``raw[start:end]`` (each ``weight prefs 0``), or None."""
    parts: list[_fast.Rows] = []
    for lo, hi in _fast.chunks(raw, start, end):
        if raw[lo:hi].translate(None, _PLAIN):
            return None  # a comment, an '=', a sign, a letter...: not plain ballot lines
        tokens = _fast.scan_lines(raw, lo, hi)
        if tokens is None:
            return None
        values, sizes, first, last = tokens.values, tokens.sizes, tokens.first, tokens.last
        if ((last - first) < 1).any():  # every ballot line has a weight and a final 0
            return None
        if (values[last] != 0).any() or (sizes[last] != 1).any() or (values[first] < 1).any():
            return None
        middle = np.ones(values.shape[0], dtype=bool)
        middle[first] = False
        middle[last] = False
        prefs = values[middle]
        if prefs.shape[0] and (int(prefs.min()) < 1 or int(prefs.max()) > n):
            return None
        lengths = last - first - 1
        row = _fast.Rows(values[first], lengths, (prefs - 1).astype(np.int32))
        if not _fast.distinct_within_rows(row.prefs, lengths, n):
            return None
        parts.append(row)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _fast.Rows(empty, empty, np.zeros(0, dtype=np.int32))
    return _fast.concat(parts)


def loads(raw: bytes, *, source: str = "<ballots>") -> Election | None:
    """The election of BLT bytes read in bulk, or None where the careful reader must read it."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n"):
        return None  # a lone CR breaks a line for the careful reader, not for this one
    start = _body_start(raw)
    if start is None:
        return None
    try:
        head = _Reader(raw[:start].decode("utf-8"), source)
        seats = head.header()
        withdrawn: set[int] = set()
        head.preamble(withdrawn)
    except (InputError, ValueError):
        return None
    if head.pos != len(head.lines):
        return None
    quote = raw.find(b'"', start)
    if quote < 0:
        return None  # no names after the ballots: the careful reader says so
    region_end = raw.rfind(b"\n", start, quote) + 1
    k = region_end - 1
    while k >= start and raw[k] in _BLANKS:
        k -= 1
    if k < start:
        return None  # no line '0' ending the ballots
    zero_line = raw.rfind(b"\n", start, k) + 1 or start
    if raw[zero_line : k + 1].strip() != b"0":
        return None
    tail = raw.find(b"\n", k) + 1
    rows = _rows(raw, start, zero_line, head.n)
    if rows is None or not _fast.within_limit(_fast.total_of(rows.weights)):
        return None
    try:
        names_reader = _Reader(raw[tail:].decode("utf-8"), source, offset=raw.count(b"\n", 0, tail))
        names_reader.n = head.n
        names, title = names_reader.names()
    except (InputError, ValueError):
        return None
    grouped = _fast.group_rows(rows)
    if grouped is None:
        return None
    return _fast.election_from_rows(
        grouped,
        names,
        seats,
        title=title,
        withdrawn=frozenset(withdrawn),
        irregularities=names_reader.irregular,
        source=source,
    )
