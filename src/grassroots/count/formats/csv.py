"""CSV ballot files, one row per ballot (or per group of identical ballots): reader.

Two layouts, told apart by the header row unless the caller names one:

- ``ranks``: column k holds the k-th preference, as a candidate's name. Headers are rank
  numbers (``1``, ``rank1``, ``Rank 2``, ``pref_3``, ``1st choice`` ...).
- ``candidates``: one column per candidate (the header is the name) holding the rank number
  the voter gave that candidate; a blank cell means unranked.

An optional weight column (``weight``, ``count``, ``ballots``, ``votes`` or ``n``, or the name
given as ``weight_column``) says how many identical ballots the row stands for.

Policy for irregular ballots, each case recorded in ``Election.irregularities`` with its line:

- a candidate ranked twice (``ranks`` layout) keeps the first (highest) rank;
- two candidates given the same rank number (``candidates`` layout) are ranked equal: the
  counting rule decides what that means;
- a skipped rank (a blank rank column before a filled one, or rank numbers 1, 2, 4) ends the
  ballot at the gap by default (``skipped="truncate"``): the preferences after it are not
  used, as under rules that read only an unbroken sequence of preferences. With
  ``skipped="close"`` the later preferences move up to close the gap instead.
"""

from __future__ import annotations

import csv as _csv
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from grassroots.count.ballots import Election, Rank, Ranking
from grassroots.count.errors import BallotFileError, InputError
from grassroots.count.formats._text import decode, read_bytes
from grassroots.count.limits import MAX_BALLOTS, too_many_ballots

if TYPE_CHECKING:
    from _csv import Reader as _CsvReader

__all__ = ["Layout", "Skipped", "loads", "read"]

Layout = Literal["ranks", "candidates"]
Skipped = Literal["truncate", "close"]

WEIGHT_HEADERS = ("weight", "count", "ballots", "votes", "n")
_RANK_HEADER = re.compile(
    r"(?:(?:rank|preference|pref|choice)\s*[_#-]?\s*)?(\d+)(?:st|nd|rd|th)?"
    r"(?:\s*(?:choice|preference|pref|rank))?",
    re.IGNORECASE,
)


def read(
    path: str | Path,
    *,
    layout: Layout | None = None,
    candidates: Sequence[str] | None = None,
    weight_column: str | None = None,
    skipped: Skipped = "truncate",
    seats: int = 0,
    title: str = "",
) -> Election:
    """Read a CSV ballot file from disk (see ``loads`` for the options).

    The fast reader reads plain files of the ``candidates`` layout; otherwise, and for every
    error, the careful one does."""
    raw = read_bytes(path)
    from grassroots.count.formats import csv_fast  # numpy, only when a file is read

    election = csv_fast.loads(
        raw,
        source=str(path),
        layout=layout,
        candidates=candidates,
        weight_column=weight_column,
        skipped=skipped,
        seats=seats,
        title=title,
    )
    if election is not None:
        return election
    return loads(
        decode(raw, str(path)),
        source=str(path),
        layout=layout,
        candidates=candidates,
        weight_column=weight_column,
        skipped=skipped,
        seats=seats,
        title=title,
    )


def _rank_number(header: str) -> int | None:
    if header.isascii() and header.isdigit():
        return int(header)  # the common plain "1", "2", ... without the regular expression
    m = _RANK_HEADER.fullmatch(header.strip())
    return int(m.group(1)) if m and m.group(1).isascii() else None


def _delimiter(text: str) -> str:
    head = next((line for line in io.StringIO(text) if line.strip()), "")
    if "," in head:
        return ","
    counts = {d: head.count(d) for d in (";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Reader:
    def __init__(self, source: str, skipped: Skipped) -> None:
        self.source = source
        self.skipped = skipped
        self.irregular: list[str] = []
        self.total = 0  # the weights so far, refused where they pass MAX_BALLOTS

    def fail(
        self, line: int, problem: str, column: int | None = None, header: str = ""
    ) -> BallotFileError:
        where = f"column {column} ({header}): " if column is not None else ""
        return BallotFileError(self.source, line, where + problem)

    def note(self, line: int, problem: str) -> None:
        self.irregular.append(f"{self.source}:{line}: {problem}")

    def gap(self, line: int, missing: int, ranks: list[Rank]) -> list[Rank]:
        """Apply the skipped-rank policy at a gap before rank ``missing``."""
        if self.skipped == "truncate":
            self.note(
                line,
                f"rank {missing} is blank but a later rank is filled; "
                "the preferences after the gap are not used",
            )
            return ranks
        self.note(
            line,
            f"rank {missing} is blank but a later rank is filled; "
            "the later preferences move up to close the gap",
        )
        return ranks


def _weight(reader: _Reader, cell: str, line: int, column: int, header: str) -> int:
    cell = cell.strip()
    if not (cell.isascii() and cell.isdigit()) or int(cell) == 0:
        raise reader.fail(line, f"expected a ballot weight, found {cell!r}", column, header)
    weight = int(cell)
    reader.total += weight
    if reader.total > MAX_BALLOTS:
        raise reader.fail(line, too_many_ballots(weight, reader.total), column, header)
    return weight


def loads(
    text: str,
    *,
    source: str = "<ballots>",
    layout: Layout | None = None,
    candidates: Sequence[str] | None = None,
    weight_column: str | None = None,
    skipped: Skipped = "truncate",
    seats: int = 0,
    title: str = "",
) -> Election:
    """Parse CSV ballots; every problem raises ``BallotFileError`` naming line and column.

    ``layout`` is detected from the header when not given (all non-weight headers are rank
    numbers: ``ranks``; otherwise ``candidates``). ``candidates`` fixes the candidates and
    their order for the ``ranks`` layout (default: in order of first appearance). CSV holds no
    seats or title: pass them.
    """
    if layout not in (None, "ranks", "candidates"):
        raise InputError(f"unknown CSV layout {layout!r}; choose 'ranks' or 'candidates'")
    if skipped not in ("truncate", "close"):
        raise InputError(f"unknown skipped-rank policy {skipped!r}; choose 'truncate' or 'close'")
    if seats < 0:
        raise InputError(f"seats must not be negative, found {seats}")
    text = text.removeprefix("\ufeff")  # a byte-order mark is not part of the header
    reader = _Reader(source, skipped)
    rows = _csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(rows, None)
        while header is not None and not header:
            header = next(rows, None)
        if header is None:
            raise reader.fail(1, "the file is empty: expected a header row")
        header = [h.strip() for h in header]
        header_line = rows.line_num
        seen: set[str] = set()  # a set, so 300,000 columns are checked in linear time
        for k, h in enumerate(header, start=1):
            if not h:
                raise reader.fail(header_line, "a blank column header", k, "blank")
            if h in seen:
                raise reader.fail(header_line, f"the header {h!r} appears twice", k, h)
            seen.add(h)
        weight_at = _find_weight(reader, header, header_line, weight_column)
        others = [k for k in range(len(header)) if k != weight_at]
        if not others:
            raise reader.fail(header_line, "the header names no rank or candidate columns")
        if layout is None:
            numbered = all(_rank_number(header[k]) is not None for k in others)
            layout = "ranks" if numbered else "candidates"
        if layout == "ranks":
            return _read_ranks(
                reader, rows, header, header_line, weight_at, others, candidates, seats, title
            )
        if candidates is not None:
            raise InputError("candidates are named by the header in the 'candidates' layout")
        return _read_candidates(reader, rows, header, header_line, weight_at, others, seats, title)
    except _csv.Error as exc:
        raise BallotFileError(source, rows.line_num or 1, f"not valid CSV: {exc}") from None
    except InputError:
        raise
    except ValueError:  # int() refuses numbers of more than 4300 digits
        raise BallotFileError(source, rows.line_num or 1, "a number is too long to read") from None


def _find_weight(reader: _Reader, header: list[str], line: int, name: str | None) -> int | None:
    if name is not None:
        if name not in header:
            raise reader.fail(line, f"no weight column {name!r} in the header")
        return header.index(name)
    found = [k for k, h in enumerate(header) if h.lower() in WEIGHT_HEADERS]
    if len(found) > 1:
        raise reader.fail(
            line, "more than one weight column: " + ", ".join(header[k] for k in found)
        )
    return found[0] if found else None


def _cells(reader: _Reader, row: list[str], width: int, line: int) -> list[str]:
    if len(row) != width:
        raise reader.fail(line, f"the row has {len(row)} cells but the header has {width}")
    return row


def _read_ranks(
    reader: _Reader,
    rows: _CsvReader,
    header: list[str],
    header_line: int,
    weight_at: int | None,
    others: list[int],
    candidates: Sequence[str] | None,
    seats: int,
    title: str,
) -> Election:
    numbers: list[int] = []
    for k in others:
        number = _rank_number(header[k])
        if number is None:
            raise reader.fail(header_line, "expected a rank number like 'rank1'", k + 1, header[k])
        numbers.append(number)
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        raise reader.fail(
            header_line,
            f"rank columns must be numbered 1..{len(numbers)}, found "
            + ", ".join(map(str, numbers)),
        )
    columns = [k for _, k in sorted(zip(numbers, others, strict=True))]
    fixed = candidates is not None
    names: list[str] = list(candidates) if candidates is not None else []
    index = {name: i for i, name in enumerate(names)}
    if len(index) != len(names):
        raise InputError("the candidates given repeat a name")
    pairs: list[tuple[Ranking, int]] = []
    for row in rows:
        line = rows.line_num
        if not row:
            continue  # an empty line is not a ballot
        _cells(reader, row, len(header), line)
        weight = (
            1
            if weight_at is None
            else _weight(reader, row[weight_at], line, weight_at + 1, header[weight_at])
        )
        ranking: list[Rank] = []
        seen: set[int] = set()
        blank_at: int | None = None
        for rank_no, k in enumerate(columns, start=1):
            name = row[k].strip()
            if not name:
                if blank_at is None:
                    blank_at = rank_no
                continue
            if blank_at is not None:
                reader.gap(line, blank_at, ranking)
                blank_at = None
                if reader.skipped == "truncate":
                    break
            if name not in index:
                if fixed:
                    raise reader.fail(line, f"unknown candidate {name!r}", k + 1, header[k])
                index[name] = len(names)
                names.append(name)
            c = index[name]
            if c in seen:
                reader.note(line, f"{name!r} ranked twice; the later rank is ignored")
                continue
            seen.add(c)
            ranking.append((c,))
        pairs.append((tuple(ranking), weight))
    return _election(reader, names, seats, pairs, title)


def _read_candidates(
    reader: _Reader,
    rows: _CsvReader,
    header: list[str],
    header_line: int,
    weight_at: int | None,
    others: list[int],
    seats: int,
    title: str,
) -> Election:
    names = [header[k] for k in others]
    pairs: list[tuple[Ranking, int]] = []
    for row in rows:
        line = rows.line_num
        if not row:
            continue  # an empty line is not a ballot
        _cells(reader, row, len(header), line)
        weight = (
            1
            if weight_at is None
            else _weight(reader, row[weight_at], line, weight_at + 1, header[weight_at])
        )
        by_rank: dict[int, list[int]] = {}
        for c, k in enumerate(others):
            cell = row[k].strip()
            if not cell:
                continue
            if not (cell.isascii() and cell.isdigit()) or int(cell) == 0:
                raise reader.fail(
                    line, f"expected a rank number (1, 2, ...), found {cell!r}", k + 1, header[k]
                )
            by_rank.setdefault(int(cell), []).append(c)
        ranking: list[Rank] = []
        expected = 1
        for number in sorted(by_rank):
            group = by_rank[number]
            if number != expected:
                reader.gap(line, expected, ranking)
                if reader.skipped == "truncate":
                    break
            if len(group) > 1:
                reader.note(
                    line,
                    f"rank {number} given to {', '.join(names[c] for c in group)}; "
                    "they are ranked equal",
                )
            ranking.append(tuple(group))
            expected = number + 1
        pairs.append((tuple(ranking), weight))
    return _election(reader, names, seats, pairs, title)


def _election(
    reader: _Reader, names: list[str], seats: int, pairs: list[tuple[Ranking, int]], title: str
) -> Election:
    return Election.from_pairs(
        names, seats, pairs, title=title, irregularities=reader.irregular, source=reader.source
    )
