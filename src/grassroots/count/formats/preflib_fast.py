"""The fast PrefLib reader: plain orders in bulk with numpy, the header by the careful reader.

``loads(raw, source, seats)`` returns the same ``Election`` as ``preflib.loads`` for a file of
the current layout (``# KEY: value`` header) whose order lines are all plain ``count: a,b,c``
(ASCII digits, one colon, commas and blanks; a positive count; alternatives in range, none
listed twice), or None: then ``preflib.read`` reads the file again carefully, which reports
the first problem with its line. Ties (``{...}``), the layout before 2022 and anything else
are left to the careful reader (see ``_fast``).
"""

from __future__ import annotations

import re

import numpy as np

from grassroots.count.ballots import Election
from grassroots.count.errors import InputError
from grassroots.count.formats import _fast
from grassroots.count.formats.preflib import _Reader

__all__ = ["loads"]

_PLAIN = b"0123456789:, \t\r\n"  # all that plain order lines hold
_FIRST_ORDER = re.compile(rb"^[ \t]*[^#\s]", re.MULTILINE)  # the first line not a header


def _rows(raw: bytes, start: int, end: int, n: int) -> _fast.Rows | None:
    """The order lines of ``raw[start:end]`` (each ``count: a,b,c``), or None."""
    parts: list[_fast.Rows] = []
    for lo, hi in _fast.chunks(raw, start, end):
        if raw[lo:hi].translate(None, _PLAIN):
            return None  # a brace, a '#', a letter...: not plain order lines
        tokens = _fast.scan(raw, lo, hi)
        if tokens is None:
            return None
        a = np.frombuffer(raw, dtype=np.uint8, count=hi - lo, offset=lo)
        colons = np.zeros(a.shape[0] + 1, dtype=np.int64)
        np.cumsum(a == 58, out=colons[1:])
        commas = np.zeros(a.shape[0] + 1, dtype=np.int64)
        np.cumsum(a == 44, out=commas[1:])
        first, last = _fast.line_bounds(tokens.line)
        size = tokens.values.shape[0]
        if not size:
            if colons[-1] or commas[-1]:
                return None
            continue
        # The separators in the gap after each token (to the next token, or the chunk's end),
        # and before the first: ``count`` then ':', then the alternatives joined by ','.
        nxt = np.append(tokens.starts[1:], a.shape[0])
        after_colons = colons[nxt] - colons[tokens.ends]
        after_commas = commas[nxt] - commas[tokens.ends]
        want_colons = np.zeros(size, dtype=np.int64)
        want_commas = np.ones(size, dtype=np.int64)
        want_commas[last] = 0
        alone = first == last  # 'count:' alone: a blank order
        want_colons[first[~alone]] = 1
        want_commas[first[~alone]] = 0
        want_colons[last[alone]] = 1
        before = int(tokens.starts[0])
        if colons[before] or commas[before]:
            return None
        if not (
            np.array_equal(after_colons, want_colons) and np.array_equal(after_commas, want_commas)
        ):
            return None
        values = tokens.values
        if (values[first] < 1).any():
            return None
        middle = np.ones(size, dtype=bool)
        middle[first] = False
        prefs = values[middle]
        if prefs.shape[0] and (int(prefs.min()) < 1 or int(prefs.max()) > n):
            return None
        lengths = last - first
        row = _fast.Rows(values[first], lengths, (prefs - 1).astype(np.int32))
        if not _fast.distinct_within_rows(row.prefs, lengths, n):
            return None
        parts.append(row)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _fast.Rows(empty, empty, np.zeros(0, dtype=np.int32))
    return _fast.concat(parts)


def loads(raw: bytes, *, source: str = "<ballots>", seats: int = 0) -> Election | None:
    """The election of PrefLib bytes read in bulk, or None where the careful reader must."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if seats < 0 or (b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n")):
        return None
    found = _FIRST_ORDER.search(raw)
    start = len(raw) if found is None else found.start()  # no order lines: no ballots
    try:
        head = _Reader(raw[:start].decode("utf-8"), source)
        if not head.lines or not any(line.strip() for line in head.lines):
            return None  # no header: the layout before 2022, or no header at all
        header, by_number, at = head.read_header()
        if at != len(head.lines):
            return None
        head.start_orders(header, by_number, at + 1)
    except (InputError, ValueError):
        return None
    end = len(raw)
    if end > start and raw[end - 1 : end] != b"\n":
        raw += b"\n"  # the last line without a line break reads the same with one
        end += 1
    rows = _rows(raw, start, end, head.n)
    if rows is None:
        return None
    total = _fast.total_of(rows.weights)
    if not _fast.within_limit(total):
        return None
    names = [by_number[k] for k in range(1, head.n + 1)]
    if len(set(names)) != len(names):
        return None
    try:
        head.check_totals(header, total, int(rows.weights.shape[0]))
    except (InputError, ValueError):
        return None
    grouped = _fast.group_rows(rows)
    if grouped is None:
        return None
    return _fast.election_from_rows(
        grouped,
        names,
        seats,
        title=header.get("TITLE", (0, ""))[1],
        withdrawn=frozenset(),
        irregularities=(),
        source=source,
    )
