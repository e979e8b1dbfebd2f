"""The fast CSV reader: the ``candidates`` layout's plain rows in bulk with numpy.

``loads(raw, source, ...)`` returns the same ``Election`` as ``csv.loads`` with the same
options, or None: then ``csv.read`` reads the file again carefully, which reports the first
problem with its line and column. It reads only files whose header is the first line (no
quotes) and lays out one column per candidate (an optional weight column), and whose rows hold
nothing but rank numbers, blanks and the delimiter, every row as wide as the header, with
rank numbers 1, 2, ... k each given once (no ties, no gaps: those are recorded irregularities,
left to the careful reader) and a positive weight where there is a weight column. The ``ranks``
layout (candidates' names in the cells) and anything else are left to the careful reader.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from grassroots.count.ballots import Election
from grassroots.count.errors import InputError
from grassroots.count.formats import _fast
from grassroots.count.formats import csv as careful
from grassroots.count.formats.csv import Layout, Skipped

__all__ = ["loads"]

_DIGITS = b"0123456789"


def _rows(
    raw: bytes, start: int, end: int, delimiter: int, width: int, weight_at: int | None
) -> _fast.Rows | None:
    """The rows of ``raw[start:end]`` as ballots, or None where one is not plain."""
    allowed = _DIGITS + b" \r\n" + bytes([delimiter]) + (b"" if delimiter == 9 else b"\t")
    cand_of_col = np.arange(width, dtype=np.int64)
    if weight_at is not None:
        cand_of_col[weight_at + 1 :] -= 1
        cand_of_col[weight_at] = -1
    parts: list[_fast.Rows] = []
    for lo, hi in _fast.chunks(raw, start, end):
        if raw[lo:hi].translate(None, allowed):
            return None
        tokens = _fast.scan(raw, lo, hi)
        if tokens is None:
            return None
        a = np.frombuffer(raw, dtype=np.uint8, count=hi - lo, offset=lo)
        breaks = np.flatnonzero(a == 10)
        line_start = np.concatenate(([0], breaks[:-1] + 1))
        line_len = breaks - line_start - (a[np.maximum(breaks - 1, 0)] == 13)
        delims = np.zeros(a.shape[0] + 1, dtype=np.int64)
        np.cumsum(a == delimiter, out=delims[1:])
        filled = line_len > 0  # an empty line is not a ballot
        if (delims[breaks][filled] - delims[line_start][filled] != width - 1).any():
            return None
        row_of_line = np.cumsum(filled) - 1
        rows = int(filled.sum())
        row = row_of_line[tokens.line]
        column = delims[tokens.starts] - delims[line_start[tokens.line]]
        if tokens.values.shape[0] > 1:
            same_row = row[1:] == row[:-1]
            if (same_row & (column[1:] <= column[:-1])).any():
                return None  # two numbers in one cell
        values = tokens.values
        if (values < 1).any():
            return None  # a rank or weight 0: the careful reader says so
        if weight_at is None:
            weights = np.ones(rows, dtype=np.int64)
            ranked = np.ones(values.shape[0], dtype=bool)
        else:
            is_weight = column == weight_at
            if not np.array_equal(row[is_weight], np.arange(rows)):
                return None  # a row without its weight
            weights = values[is_weight]
            ranked = ~is_weight
        r_row, r_value = row[ranked], values[ranked]
        lengths = np.bincount(r_row, minlength=rows).astype(np.int64)
        order = np.lexsort((r_value, r_row))
        starts = np.cumsum(lengths) - lengths
        expected = np.arange(order.shape[0]) - np.repeat(starts, lengths) + 1
        if not np.array_equal(r_value[order], expected):
            return None  # ranks tied or skipped: irregularities the careful reader records
        prefs = cand_of_col[column[ranked][order]].astype(np.int32)
        parts.append(_fast.Rows(weights, lengths, prefs))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _fast.Rows(empty, empty, np.zeros(0, dtype=np.int32))
    return _fast.concat(parts)


def loads(
    raw: bytes,
    *,
    source: str = "<ballots>",
    layout: Layout | None = None,
    candidates: Sequence[str] | None = None,
    weight_column: str | None = None,
    skipped: Skipped = "truncate",
    seats: int = 0,
    title: str = "",
) -> Election | None:
    """The election of CSV bytes read in bulk, or None where the careful reader must."""
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if layout == "ranks" or candidates is not None:
        return None
    if b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n"):
        return None
    if not raw.endswith(b"\n"):
        raw += b"\n"  # the last row without a line break reads the same with one
    nl = raw.find(b"\n")
    first = raw[:nl]
    if b'"' in first:
        return None
    try:
        head_text = first.decode("utf-8").removesuffix("\r")
        if not head_text.strip() or "\ufeff" in head_text:
            return None
        head = careful.loads(
            head_text + "\n",
            source=source,
            layout=layout,
            candidates=candidates,
            weight_column=weight_column,
            skipped=skipped,
            seats=seats,
            title=title,
        )
    except (InputError, ValueError):
        return None
    delimiter = careful._delimiter(head_text)
    header = [h.strip() for h in head_text.split(delimiter)]
    try:
        weight_at = careful._find_weight(careful._Reader(source, skipped), header, 1, weight_column)
    except InputError:
        return None
    others = [k for k in range(len(header)) if k != weight_at]
    if list(head.candidates) != [header[k] for k in others]:
        return None  # the ranks layout (its candidates come from the rows)
    start, end = nl + 1, len(raw)
    rows = _rows(raw, start, end, ord(delimiter), len(header), weight_at)
    if rows is None or not _fast.within_limit(_fast.total_of(rows.weights)):
        return None
    grouped = _fast.group_rows(rows)
    if grouped is None:
        return None
    return _fast.election_from_rows(
        grouped,
        list(head.candidates),
        seats,
        title=title,
        withdrawn=frozenset(),
        irregularities=(),
        source=source,
    )
