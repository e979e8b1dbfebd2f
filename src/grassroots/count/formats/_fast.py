"""The vectorised fast path shared by the readers: plain numbers in bulk, with numpy.

A ballot file of ten million lines spends nearly all of a careful reader's time in a Python
loop over lines. The fast readers (``blt_fast``, ``preflib_fast``, ``csv_fast``) find the part
of a file that holds only ballots, check with numpy that every line of it is well formed in
the plainest sense (numbers where numbers go, each candidate in range and ranked once, a
positive weight), and build the same ``Election`` the careful reader would. Anything else (a
comment, a ranking with ties, a repeated mark, a number out of range, a line out of shape) makes
the fast path give up and return ``None``: the careful reader then reads the whole file and
reports the first problem with its line exactly as it always has. The fast path never raises
an error of its own about the file.

This module holds the pieces that do not depend on the format: splitting a byte region into
number tokens (``scan``), merging identical rankings in first-seen order (``group_rows``) and
making the ``Election`` (``election_from_rows``). numpy is imported only by these modules,
which the readers import only when they read a file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from functools import partial

import numpy as np
import numpy.typing as npt

from grassroots.count.ballots import Election, Later, Rank, Ranking
from grassroots.count.limits import MAX_BALLOTS
from grassroots.count.packed import PackedBallots

__all__ = [
    "CHUNK",
    "Lines",
    "Rows",
    "Tokens",
    "chunks",
    "election_from_rows",
    "group_rows",
    "scan",
    "scan_lines",
]

Ints = npt.NDArray[np.int64]
CHUNK = 1 << 23  # bytes scanned at a time (at a line break): bounds the working memory
MAX_DIGITS = 18  # longer numbers are left to the careful reader (10**18 < 2**63)
_INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Tokens:
    """The runs of ASCII digits in a byte region, in order, with the line each is on."""

    starts: Ints  # byte offset of each token in the region
    ends: Ints  # one past its last digit
    values: Ints  # its value
    line: Ints  # index of the line (0-based, counted in the region) holding it
    lines: int  # how many line breaks the region has


@dataclass(frozen=True)
class Rows:
    """Ballot rows: weights, and the 0-based candidates of each row end to end."""

    weights: Ints
    lengths: Ints
    prefs: npt.NDArray[np.int32]


def chunks(data: bytes, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` pieces of ``data[start:end]`` of about ``CHUNK`` bytes, cut after a
    line break (``data[end - 1]`` must be one, or ``start == end``)."""
    while start < end:
        stop = end if end - start <= CHUNK else data.rfind(b"\n", start, start + CHUNK) + 1
        if stop <= start:  # a line longer than a chunk: take it whole
            stop = data.find(b"\n", start + CHUNK, end) + 1 or end
        yield start, stop
        start = stop


def scan(data: bytes, start: int, end: int) -> Tokens | None:
    """The number tokens of ``data[start:end]``, or None if one has more than 18 digits."""
    a = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    digit = a - np.uint8(48)  # wraps below '0', so one comparison finds the digits
    is_digit = digit < 10
    edges = np.flatnonzero(is_digit[1:] != is_digit[:-1]) + 1
    if is_digit.shape[0] and is_digit[0]:
        edges = np.concatenate(([0], edges))
    if is_digit.shape[0] and is_digit[-1]:
        edges = np.concatenate((edges, [is_digit.shape[0]]))
    starts, ends = edges[0::2].astype(np.int64), edges[1::2].astype(np.int64)
    sizes = ends - starts
    widest = int(sizes.max()) if sizes.size else 0
    if widest > MAX_DIGITS:
        return None
    values = digit[starts].astype(np.int64)
    longer = np.flatnonzero(sizes > 1)  # the tokens with a k-th digit still to add
    k = 1
    while longer.shape[0]:
        values[longer] = values[longer] * 10 + digit[starts[longer] + k]
        k += 1
        longer = longer[sizes[longer] > k]
    breaks = np.cumsum(a == 10, dtype=np.int32)  # line breaks up to and including each byte
    line = breaks[starts].astype(np.int64)  # a token's own bytes are never a line break
    return Tokens(starts, ends, values, line, int(breaks[-1]) if breaks.shape[0] else 0)


@dataclass(frozen=True)
class Lines:
    """The number tokens of a byte region, and the first and last token of each line."""

    values: Ints  # each token's value
    sizes: Ints  # how many digits it has
    first: Ints  # index of the first token of each line that has tokens
    last: Ints  # index of its last token


def scan_lines(data: bytes, start: int, end: int) -> Lines | None:
    """``scan`` for a region that starts at a line's start and holds only digits and blanks
    (the caller has checked), with no token's line worked out: only where lines break between
    tokens. Fewer and smaller arrays than ``scan``, so quicker on a large file. None if a
    token has more than 18 digits."""
    a = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    digit = a - np.uint8(48)  # wraps below '0', so one comparison finds the digits
    is_digit = digit < 10
    size = is_digit.shape[0]
    change = np.empty(size + 1, dtype=bool)  # where a run of digits begins or ends
    change[0] = size > 0 and bool(is_digit[0])
    change[-1] = size > 0 and bool(is_digit[-1])
    np.not_equal(is_digit[1:], is_digit[:-1], out=change[1:-1])
    del is_digit
    edges = np.flatnonzero(change)  # start, end, start, end, ...
    del change
    starts, ends = edges[0::2], edges[1::2]
    sizes = ends - starts
    if sizes.shape[0] and int(sizes.max()) > MAX_DIGITS:
        return None
    values = digit[starts].astype(np.int64)
    longer = np.flatnonzero(sizes > 1)  # the tokens with a k-th digit still to add
    k = 1
    while longer.shape[0]:
        values[longer] = values[longer] * 10 + digit[starts[longer] + k]
        k += 1
        longer = longer[sizes[longer] > k]
    count = values.shape[0]
    # Between tokens i and i + 1 lies [ends[i], starts[i + 1]): a line breaks there if it
    # holds a line feed (one reduceat over the gaps and, in between, the tokens themselves).
    breaks = np.ones(count, dtype=bool)  # after token i; after the last one, always
    if count > 1:
        breaks[:-1] = np.logical_or.reduceat(a == 10, edges[1:-1])[0::2]
    last = np.flatnonzero(breaks)
    first = np.empty_like(last)
    if count:
        first[0] = 0
        first[1:] = last[:-1] + 1
    return Lines(values, sizes, first, last)


def line_bounds(line: Ints) -> tuple[Ints, Ints]:
    """Index of the first and of the last token of each line that has tokens."""
    if not line.shape[0]:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    new = np.flatnonzero(np.diff(line, prepend=-1) != 0)
    last = np.empty_like(new)
    last[:-1] = new[1:] - 1
    last[-1] = line.shape[0] - 1
    return new, last


def distinct_within_rows(prefs: npt.NDArray[np.int32], lengths: Ints, n: int) -> bool:
    """Whether no row names a candidate twice (bit sets up to 256 candidates, else a sort)."""
    if not prefs.shape[0]:
        return True
    if n <= 256:
        filled = lengths > 0
        starts = (np.cumsum(lengths) - lengths)[filled]
        present = np.zeros(int(filled.sum()), dtype=np.int64)
        word = prefs >> 6
        bit = np.left_shift(np.uint64(1), (prefs & 63).astype(np.uint64))
        for w in range(int(word.max()) + 1):
            bits = np.where(word == w, bit, np.uint64(0))
            present += np.bitwise_count(np.bitwise_or.reduceat(bits, starts)).astype(np.int64)
        return bool(np.array_equal(present, lengths[filled]))
    rows = np.repeat(np.arange(lengths.shape[0], dtype=np.int64), lengths)
    keys = np.sort(rows * (n + 1) + prefs)
    return not bool((np.diff(keys) == 0).any())


def total_of(weights: Ints) -> int:
    """The exact sum of positive int64 weights."""
    if not weights.shape[0]:
        return 0
    if int(weights.max()) <= _INT64_MAX // weights.shape[0]:
        return int(weights.sum())
    return sum(weights.tolist())


def concat(parts: Sequence[Rows]) -> Rows:
    """Rows of several chunks, end to end."""
    if len(parts) == 1:
        return parts[0]
    return Rows(
        np.concatenate([p.weights for p in parts]) if parts else np.zeros(0, np.int64),
        np.concatenate([p.lengths for p in parts]) if parts else np.zeros(0, np.int64),
        np.concatenate([p.prefs for p in parts]) if parts else np.zeros(0, np.int32),
    )


_BY_COLUMN = 64  # rankings up to this long are hashed column by column, longer ones flat


def _row_keys(rows: Rows, starts: Ints) -> npt.NDArray[np.uint64]:
    """A 64-bit hash of each row's candidates and length."""
    keys = rows.lengths.astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
    multiplier = np.uint64(0x9E3779B97F4A7C15)
    widest = int(rows.lengths.max())
    with np.errstate(over="ignore"):
        if widest > _BY_COLUMN:  # a few long rankings: one pass over all the preferences
            pos = np.arange(rows.prefs.shape[0], dtype=np.int64) - np.repeat(starts, rows.lengths)
            powers = np.cumprod(np.full(widest + 1, multiplier, dtype=np.uint64))
            mixed = (rows.prefs.astype(np.uint64) + np.uint64(1)) * powers[pos]
            running = np.zeros(mixed.shape[0] + 1, dtype=np.uint64)
            np.cumsum(mixed, out=running[1:])
            summed: npt.NDArray[np.uint64] = running[starts + rows.lengths] - running[starts]
            return keys + summed
        # Column by column over the rows still that long: rankings are short, so this touches
        # each preference once without arrays as long as all the preferences.
        longer = np.flatnonzero(rows.lengths > 0)
        k = 0
        while longer.shape[0]:
            mark = rows.prefs[starts[longer] + k].astype(np.uint64) + np.uint64(1)
            keys[longer] = (keys[longer] ^ mark) * multiplier
            k += 1
            longer = longer[rows.lengths[longer] > k]
    return keys


def _rows_equal(rows: Rows, starts: Ints, leader: Ints) -> bool:
    """Whether every row equals row ``leader[i]``, preference by preference (same lengths)."""
    if int(rows.lengths.max()) > _BY_COLUMN:
        pos = np.arange(rows.prefs.shape[0], dtype=np.int64) - np.repeat(starts, rows.lengths)
        mirror = np.repeat(starts[leader], rows.lengths) + pos
        return bool(np.array_equal(rows.prefs[mirror], rows.prefs))
    longer = np.flatnonzero((rows.lengths > 0) & (leader != np.arange(leader.shape[0])))
    k = 0
    while longer.shape[0]:
        mine = rows.prefs[starts[longer] + k]
        if not np.array_equal(mine, rows.prefs[starts[leader[longer]] + k]):
            return False
        k += 1
        longer = longer[rows.lengths[longer] > k]
    return True


def group_rows(rows: Rows) -> Rows | None:
    """Identical rows merged, weights summed, in order of first appearance.

    Rows are told apart by a 64-bit hash of their candidates and length, and every row is then
    compared with the first row of its group, so the result is exact: should two different
    rows ever share a hash, None is returned and the careful reader takes over.
    """
    size = rows.lengths.shape[0]
    if not size:
        return rows
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(rows.lengths, out=offsets[1:])
    starts = offsets[:-1]
    keys = _row_keys(rows, starts)
    # Sort the hashes (any order among equal ones): each run of equal hashes is a group, and
    # its first row is the least row index in the run.
    perm = np.argsort(keys)
    sorted_keys = keys[perm]
    del keys
    boundary = np.empty(size, dtype=bool)
    boundary[0] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=boundary[1:])
    del sorted_keys
    run_starts = np.flatnonzero(boundary)
    firsts = np.minimum.reduceat(perm, run_starts)
    # The groups in order of first appearance: the rows that come first in theirs, in order.
    is_first = np.zeros(size, dtype=bool)
    is_first[firsts] = True
    leaders = np.flatnonzero(is_first)
    rank_of_row = np.cumsum(is_first) - 1  # at a leader: its group's place in that order
    group_of_run = rank_of_row[firsts]
    group = np.empty(size, dtype=np.int64)
    group[perm] = group_of_run[np.cumsum(boundary) - 1]
    del perm, boundary, rank_of_row, group_of_run, firsts
    leader_of_row = leaders[group]
    if not np.array_equal(rows.lengths[leader_of_row], rows.lengths):
        return None
    if not _rows_equal(rows, starts, leader_of_row):
        return None
    del leader_of_row
    if total_of(rows.weights) < 2**53:  # float64 sums of integers are exact below 2**53
        summed = np.bincount(group, weights=rows.weights).astype(np.int64)
    else:
        summed = np.zeros(leaders.shape[0], dtype=np.int64)
        np.add.at(summed, group, rows.weights)
    lengths = rows.lengths[leaders]
    return Rows(summed, lengths, rows.prefs[np.repeat(is_first, rows.lengths)])


def _rankings(prefs: npt.NDArray[np.int32], lengths: Ints, n: int) -> tuple[Ranking, ...]:
    """The rankings' Python tuples, one single-candidate rank per preference."""
    flat = prefs.tolist()
    if n <= 1 << 20:
        singles: list[Rank] = [(c,) for c in range(n)]
        marks = list(map(singles.__getitem__, flat))
    else:
        marks = [(c,) for c in flat]
    bounds = np.zeros(lengths.shape[0] + 1, dtype=np.int64)
    np.cumsum(lengths, out=bounds[1:])
    cut = bounds.tolist()
    return tuple(tuple(marks[cut[i] : cut[i + 1]]) for i in range(len(cut) - 1))


def election_from_rows(
    rows: Rows,
    names: Sequence[str],
    seats: int,
    *,
    title: str,
    withdrawn: frozenset[int],
    irregularities: Sequence[str],
    source: str,
) -> Election | None:
    """The ``Election`` of grouped strict rows, as ``Election.from_pairs`` would make it.

    The fast readers have checked with numpy what ``Election.__post_init__`` checks (weights
    positive and within ``MAX_BALLOTS``, every candidate in range), so the election is made
    without that pass over every preference; only the names are checked here (None if one
    repeats: the careful reader says so). Its packed ballots are filled in from the same
    arrays when no candidate withdrew, so a count does not pack the rankings again, and its
    rankings' Python tuples are made only when first read (``ballots.Later``): a rule that
    counts from the packed arrays never needs them.
    """
    n = len(names)
    if len(set(names)) != n or seats < 0:
        return None
    parts = {
        "candidates": tuple(names),
        "seats": seats,
        "rankings": Later(partial(_rankings, rows.prefs, rows.lengths, n)),
        "weights": tuple(rows.weights.tolist()),
        "title": title,
        "withdrawn": withdrawn,
        "irregularities": tuple(irregularities),
        "source": source,
    }
    assert set(parts) == {f.name for f in fields(Election)}  # every field, when one is added
    election = object.__new__(Election)
    for name, value in parts.items():
        object.__setattr__(election, name, value)  # the rankings through their descriptor
    if not withdrawn:
        kept = rows.lengths > 0
        lengths = rows.lengths[kept]
        offsets = np.zeros(lengths.shape[0] + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        election.__dict__["packed"] = PackedBallots(
            prefs=np.ascontiguousarray(rows.prefs, dtype=np.int32),
            offsets=offsets,
            weights=rows.weights[kept],
        )
    return election


def within_limit(total: int) -> bool:
    """Whether the ballots are few enough to count (else the careful reader says so)."""
    return total <= MAX_BALLOTS
