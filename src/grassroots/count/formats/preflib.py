"""PrefLib ordinal preference files (``.soi``, ``.toi``, ``.soc``, ``.toc``): reader and writer.

Source: the PrefLib data format (Mattei & Walsh, preflib.org, "Data Types", 2022 revision):
header lines ``# KEY: value`` (``NUMBER ALTERNATIVES``, ``ALTERNATIVE NAME i``, ``TITLE``,
``NUMBER VOTERS``, ``NUMBER UNIQUE ORDERS``, ...), then one line per distinct order,
``count: a,b,{c,d}``, alternatives numbered from 1 and ``{...}`` grouping alternatives ranked
equal. The older layout (before 2022) is read too: a line with the number of alternatives,
``i,name`` lines, a ``voters,sum,unique`` line, then ``count,a,b,{c,d}`` lines.

PrefLib records no number of seats: the reader sets ``seats`` to 0 unless told otherwise, and
the caller chooses. The counts in the header are checked against the orders: a file whose
orders do not add up to its ``NUMBER VOTERS`` is damaged and is refused.

Policy for irregular orders (recorded in ``Election.irregularities``): an alternative listed
twice in one order keeps its first (highest) place; the later mention is ignored.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TextIO

from grassroots.count.ballots import Election, Rank, Ranking
from grassroots.count.errors import BallotFileError, InputError
from grassroots.count.formats._text import decode, read_bytes, split_lines
from grassroots.count.limits import MAX_BALLOTS, too_many_ballots

__all__ = ["dump", "dumps", "loads", "read"]

_HEADER = re.compile(r"#\s*([^:]*?)\s*:\s?(.*)$")
_NAME_KEY = re.compile(r"ALTERNATIVE NAME (\d+)$")


def read(path: str | Path, *, seats: int = 0) -> Election:
    """Read a PrefLib file from disk (``seats`` is not in the file: say how many).

    The fast reader reads it when its orders are plain; otherwise, and for every error, the
    careful one does."""
    raw = read_bytes(path)
    if seats >= 0:
        from grassroots.count.formats import preflib_fast  # numpy, only when a file is read

        election = preflib_fast.loads(raw, source=str(path), seats=seats)
        if election is not None:
            return election
    return loads(decode(raw, str(path)), source=str(path), seats=seats)


def _is_number(token: str) -> bool:
    return token.isascii() and token.isdigit()


class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = split_lines(text)
        self.n = 0
        self.line = 1  # the line being read, for errors raised outside the reader's checks
        self.irregular: list[str] = []
        self.singles: list[Rank] = []
        self.total = 0  # the counts so far, refused where they pass MAX_BALLOTS

    def fail(self, line: int, problem: str) -> BallotFileError:
        return BallotFileError(self.source, line, problem)

    def count_of(self, token: str, line: int) -> int:
        token = token.strip()
        if not _is_number(token) or int(token) == 0:
            raise self.fail(line, f"expected a positive count of voters, found {token!r}")
        count = int(token)
        self.total += count
        if self.total > MAX_BALLOTS:
            raise self.fail(line, too_many_ballots(count, self.total))
        return count

    def alternative(self, token: str, line: int) -> int:
        token = token.strip()
        if not _is_number(token):
            raise self.fail(line, f"expected an alternative number, found {token!r}")
        a = int(token)
        if not 1 <= a <= self.n:
            raise self.fail(line, f"alternative {a} is not one of 1..{self.n}")
        return a - 1

    def order(self, text: str, line: int) -> Ranking:
        """One order: ``a,b,{c,d}``."""
        text = text.strip()
        if not text:
            return ()
        if "{" not in text and "}" not in text:
            parts = text.split(",")
            joined = "".join(parts)
            if joined.isascii() and joined.isdigit() and all(parts):
                ints = list(map(int, parts))
                top = min(self.n, len(self.singles) - 1)
                if min(ints) >= 1 and max(ints) <= top and len(set(ints)) == len(ints):
                    return tuple(map(self.singles.__getitem__, ints))
        ranks: list[list[str]] = []
        pos = 0
        while pos <= len(text):
            if text.startswith("{", pos):
                close = text.find("}", pos)
                if close < 0:
                    raise self.fail(line, "a '{' has no closing '}'")
                inner = text[pos + 1 : close]
                if "{" in inner:
                    raise self.fail(line, "'{...}' groups cannot nest")
                if not inner.strip():
                    raise self.fail(line, "an empty group '{}'")
                ranks.append(inner.split(","))
                pos = close + 1
                rest = text[pos:].lstrip()
                if rest and not rest.startswith(","):
                    raise self.fail(line, f"expected ',' after '}}', found {rest[:10]!r}")
                pos = len(text) - len(rest) + 1
                if not rest:
                    break
            else:
                comma = text.find(",", pos)
                end = len(text) if comma < 0 else comma
                item = text[pos:end]
                if "}" in item or "{" in item:
                    raise self.fail(line, f"misplaced brace in {item.strip()!r}")
                ranks.append([item])
                pos = end + 1
                if comma < 0:
                    break
        ranking: list[Rank] = []
        seen: set[int] = set()
        for group in ranks:
            rank: list[int] = []
            for token in group:
                a = self.alternative(token, line)
                if a in seen:
                    self.irregular.append(
                        f"{self.source}:{line}: alternative {a + 1} listed twice; the later "
                        "mention is ignored"
                    )
                    continue
                seen.add(a)
                rank.append(a)
            if rank:
                ranking.append(tuple(rank))
        return tuple(ranking)

    def set_alternatives(self, n: int, line: int) -> None:
        if n < 1:
            raise self.fail(line, "expected at least one alternative, found 0")
        self.n = n
        # prebuilt for speed, but a huge header number must not allocate
        self.singles = [(), *((c,) for c in range(min(n, 4096)))]

    def read(self, seats: int) -> Election:
        first = next((i for i, text in enumerate(self.lines) if text.strip()), None)
        if first is None:
            raise self.fail(1, "the file is empty: expected PrefLib header lines '# KEY: value'")
        if self.lines[first].lstrip().startswith("#"):
            return self.read_current(seats)
        return self.read_old(seats, first)

    def read_header(self) -> tuple[dict[str, tuple[int, str]], dict[int, str], int]:
        """The ``# KEY: value`` lines: the header, the names, and the index of the next line."""
        header: dict[str, tuple[int, str]] = {}
        names: dict[int, str] = {}
        for i, text in enumerate(self.lines):
            line = self.line = i + 1
            stripped = text.strip()
            if not stripped:
                continue
            if not stripped.startswith("#"):
                return header, names, i
            m = _HEADER.match(stripped)
            if m is None:
                continue  # a comment, not a KEY: value line
            key, value = m.group(1).upper(), m.group(2).strip()
            if key in header or key == "":
                raise self.fail(line, f"the header key {m.group(1)!r} appears twice")
            header[key] = (line, value)
            named = _NAME_KEY.match(key)
            if named:
                names[int(named.group(1))] = value
        return header, names, len(self.lines)

    def read_current(self, seats: int) -> Election:
        header, names, start = self.read_header()
        pairs: list[tuple[Ranking, int]] = []
        for i in range(start, len(self.lines)):
            text = self.lines[i]
            line = self.line = i + 1
            stripped = text.strip()
            if not stripped:
                continue
            if stripped.startswith("#"):
                raise self.fail(line, "a header line '#' after the orders began")
            if not self.n:
                self.start_orders(header, names, line)
            count, sep, order = stripped.partition(":")
            if not sep:
                raise self.fail(line, f"expected 'count: order', found {stripped[:40]!r}")
            pairs.append((self.order(order, line), self.count_of(count, line)))
        if not self.n:
            self.start_orders(header, names, len(self.lines))
        self.check_totals(header, sum(w for _, w in pairs), len(pairs))
        title = header.get("TITLE", (0, ""))[1]
        return self.election([names[k] for k in range(1, self.n + 1)], seats, pairs, title)

    def start_orders(
        self, header: dict[str, tuple[int, str]], names: dict[int, str], line: int
    ) -> None:
        if "NUMBER ALTERNATIVES" not in header:
            raise self.fail(line, "the header has no '# NUMBER ALTERNATIVES: n' line")
        at, value = header["NUMBER ALTERNATIVES"]
        if not _is_number(value):
            raise self.fail(at, f"expected the number of alternatives, found {value!r}")
        self.set_alternatives(int(value), at)
        if sum(1 for k in names if k <= self.n) < self.n:
            # the first missing name; never loop up to a huge declared number
            missing = next(k for k in range(1, len(names) + 2) if k not in names)
            raise self.fail(line, f"the header has no '# ALTERNATIVE NAME {missing}: ...' line")
        extra = sorted(k for k in names if k > self.n)
        if extra:
            raise self.fail(
                header[f"ALTERNATIVE NAME {extra[0]}"][0],
                f"alternative {extra[0]} is not one of 1..{self.n}",
            )

    def check_totals(self, header: dict[str, tuple[int, str]], voters: int, orders: int) -> None:
        """The header's ``NUMBER VOTERS`` and ``NUMBER UNIQUE ORDERS`` against the orders."""
        for key, actual, what in (
            ("NUMBER VOTERS", voters, "the orders' counts add up to"),
            ("NUMBER UNIQUE ORDERS", orders, "the file has order lines:"),
        ):
            if key in header:
                at, value = header[key]
                if not _is_number(value):
                    raise self.fail(at, f"expected a number for {key}, found {value!r}")
                if int(value) != actual:
                    raise self.fail(at, f"{key} says {int(value)} but {what} {actual}")

    def read_old(self, seats: int, first: int) -> Election:
        """The layout before 2022: counts and names as comma-separated lines."""
        rows = [(i + 1, t.strip()) for i, t in enumerate(self.lines) if t.strip()]
        line, text = rows[0]
        self.line = line
        if not _is_number(text):
            raise self.fail(
                line, f"expected '# KEY: value' or the number of alternatives, found {text[:40]!r}"
            )
        self.set_alternatives(int(text), line)
        names: list[str] = []
        for k in range(1, self.n + 1):
            if k >= len(rows):
                raise self.fail(rows[-1][0], f"expected {self.n} alternative names, found {k - 1}")
            line, text = rows[k]
            self.line = line
            number, sep, name = text.partition(",")
            if not sep or number.strip() != str(k):
                raise self.fail(line, f"expected '{k},name', found {text[:40]!r}")
            names.append(name.strip())
        if self.n + 1 >= len(rows):
            raise self.fail(rows[-1][0], "expected the line 'voters,sum of counts,unique orders'")
        line, text = rows[self.n + 1]
        self.line = line
        totals = text.split(",")
        if len(totals) != 3 or not all(_is_number(t.strip()) for t in totals):
            raise self.fail(
                line, f"expected 'voters,sum of counts,unique orders', found {text[:40]!r}"
            )
        pairs: list[tuple[Ranking, int]] = []
        for at, text in rows[self.n + 2 :]:
            self.line = at
            count, sep, order = text.partition(",")
            pairs.append((self.order(order, at), self.count_of(count, at)))
        _voters, total, unique = (int(t) for t in totals)
        if total != sum(w for _, w in pairs):
            raise self.fail(line, f"the counts add up to {sum(w for _, w in pairs)}, not {total}")
        if unique != len(pairs):
            raise self.fail(line, f"the file has {len(pairs)} order lines, not {unique}")
        return self.election(names, seats, pairs, "")

    def election(
        self, names: list[str], seats: int, pairs: list[tuple[Ranking, int]], title: str
    ) -> Election:
        if len(set(names)) != len(names):
            repeated = sorted(n for n, k in Counter(names).items() if k > 1)
            raise self.fail(1, f"alternative names repeat: {', '.join(repeated)}")
        return Election.from_pairs(
            names, seats, pairs, title=title, irregularities=self.irregular, source=self.source
        )


def loads(text: str, *, source: str = "<ballots>", seats: int = 0) -> Election:
    """Parse PrefLib text; every problem raises ``BallotFileError`` naming the line."""
    if seats < 0:
        raise InputError(f"seats must not be negative, found {seats}")
    reader = _Reader(text.removeprefix("\ufeff"), source)
    try:
        return reader.read(seats)
    except InputError:
        raise
    except ValueError:  # int() refuses numbers of more than 4300 digits
        raise BallotFileError(source, reader.line, "a number is too long to read") from None


def _one_line(text: str, what: str) -> str:
    if text != text.strip() or "\n" in text or "\r" in text:
        raise InputError(
            f"a PrefLib header cannot hold {what} {text!r} (line break or leading/trailing blanks)"
        )
    return text


def dumps(election: Election) -> str:
    """PrefLib text (``toi`` layout; ``soi`` when no ranks are equal). Seats are not kept."""
    if election.withdrawn:
        raise InputError("PrefLib files cannot mark withdrawn candidates")
    strict = all(len(rank) == 1 for ranking in election.rankings for rank in ranking)
    kind = "soi" if strict else "toi"
    out = [
        f"# TITLE: {_one_line(election.title, 'the title')}",
        f"# DATA TYPE: {kind}",
        f"# NUMBER ALTERNATIVES: {len(election.candidates)}",
        f"# NUMBER VOTERS: {sum(election.weights)}",
        f"# NUMBER UNIQUE ORDERS: {len(election.rankings)}",
    ]
    out.extend(
        f"# ALTERNATIVE NAME {i}: {_one_line(name, 'the name')}"
        for i, name in enumerate(election.candidates, start=1)
    )
    for ranking, weight in zip(election.rankings, election.weights, strict=True):
        ranks = (
            str(r[0] + 1) if len(r) == 1 else "{" + ",".join(str(c + 1) for c in r) + "}"
            for r in ranking
        )
        out.append(f"{weight}: {','.join(ranks)}")
    return "\n".join(out) + "\n"


def dump(election: Election, stream: TextIO) -> None:
    """Write the election as PrefLib text to an open text stream."""
    stream.write(dumps(election))
