"""The fast CSV reader: plain rows of either layout in bulk, checked with numpy.

``loads(raw, source, ...)`` returns the same ``Election`` as ``csv.loads`` with the same
options, or None: then ``csv.read`` reads the file again carefully, which reports the first
problem with its line and column. It reads only files whose header is the first line (no
quotes) and whose rows are as wide as the header and plain. In the ``candidates`` layout the
rows hold nothing but rank numbers, blanks and the delimiter, with rank numbers 1, 2, ... k
each given once (no ties, no gaps: those are recorded irregularities, left to the careful
reader); in the ``ranks`` layout each row names candidates in an unbroken run from rank 1,
none twice, with no quote or NUL anywhere. A weight column must hold a positive number on
every row. Anything else is left to the careful reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from operator import methodcaller

import numpy as np
import numpy.typing as npt

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


def _rank_rows(
    body: bytes,
    delimiter: str,
    width: int,
    weight_at: int | None,
    columns: list[int],
    fixed: list[str] | None,
) -> tuple[_fast.Rows, list[str]] | None:
    """The rows of the ``ranks`` layout (a name per rank column) and the candidates' names.

    The cells are split and stripped by the string methods in bulk (no quotes, no NUL: the
    ``csv`` module would read each line the same way), then checked with numpy: every row as
    wide as the header, its names an unbroken run from rank 1, none twice, a positive weight.
    Names are numbered in order of first appearance unless ``fixed`` names them.
    """
    if b"\x00" in body or b'"' in body:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line]
    if set(map(methodcaller("count", delimiter), lines)) - {width - 1}:
        return None  # a row not as wide as the header
    grid: npt.NDArray[np.object_] | None = None
    if weight_at is None and columns == list(range(width)):
        # Rank columns in order and no weight: only the filled cells at the front of each
        # row are split and stripped; a blank among them is a gap, left to the careful reader.
        fronts = [line.rstrip(delimiter + " \t") for line in lines]
        cells = [front.split(delimiter) if front else [] for front in fronts]
        marks = list(map(str.strip, chain.from_iterable(cells)))
        if not all(marks):
            return None
        lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
    else:
        grid = np.array(
            list(map(str.strip, chain.from_iterable(line.split(delimiter) for line in lines))),
            dtype=object,
        ).reshape(len(lines), width)
        ranked = grid[:, columns]
        filled = ranked != ""
        lengths = filled.sum(axis=1).astype(np.int64)
        if not np.array_equal(filled, np.arange(len(columns))[None, :] < lengths[:, None]):
            return None  # a blank rank before a filled one: the careful reader records the gap
        marks = ranked[filled].tolist()
    names = fixed if fixed is not None else list(dict.fromkeys(marks))
    index = {name: i for i, name in enumerate(names)}
    if len(index) != len(names) or not index.keys() >= set(marks):
        return None  # a repeated or an unknown name: the careful reader says so
    prefs = np.fromiter(map(index.__getitem__, marks), dtype=np.int32, count=len(marks))
    if not _fast.distinct_within_rows(prefs, lengths, len(names)):
        return None
    if weight_at is None or grid is None:
        weights = np.ones(len(lines), dtype=np.int64)
    else:
        given: list[str] = grid[:, weight_at].tolist()
        if not all(w.isascii() and w.isdigit() and len(w) <= _fast.MAX_DIGITS for w in given):
            return None
        weights = np.array(list(map(int, given)), dtype=np.int64)
        if weights.shape[0] and int(weights.min()) < 1:
            return None
    return _fast.Rows(weights, lengths, prefs), names


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
    numbers = [careful._rank_number(header[k]) for k in others]
    if layout is None:
        layout = "ranks" if all(number is not None for number in numbers) else "candidates"
    start, end = nl + 1, len(raw)
    names: list[str] | None = list(head.candidates)
    if layout == "ranks":
        known = [number for number in numbers if number is not None]
        if len(known) != len(others):
            return None
        columns = [k for _, k in sorted(zip(known, others, strict=True))]
        fixed = list(candidates) if candidates is not None else None
        got = _rank_rows(raw[start:end], delimiter, len(header), weight_at, columns, fixed)
        rows, names = got if got is not None else (None, None)
    else:
        rows = _rows(raw, start, end, ord(delimiter), len(header), weight_at)
    if rows is None or names is None or not _fast.within_limit(_fast.total_of(rows.weights)):
        return None
    grouped = _fast.group_rows(rows)
    if grouped is None:
        return None
    return _fast.election_from_rows(
        grouped,
        names,
        seats,
        title=title,
        withdrawn=frozenset(),
        irregularities=(),
        source=source,
    )
