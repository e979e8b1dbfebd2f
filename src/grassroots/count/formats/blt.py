"""BLT ballot files (ERS, OpenSTV, Droop, OpaVote): reader and writer.

Layout, as written by the ERS's counting programs and read by OpenSTV and Droop:

- ``candidates seats``;
- optionally a line of negative numbers naming withdrawn candidates (``-4`` = candidate 4);
- ballot lines ``weight pref pref ... 0``; ``=`` joins candidates ranked equal (``2=3``);
- a line ``0`` ending the ballots;
- one double-quoted name per candidate, then a double-quoted title.

``#`` starts a comment. Droop's extensions are read where they make sense: ``[nick a b c]``
gives candidates nicknames that ballot lines may use, ``[withdrawn 4]`` (numbers or
nicknames) withdraws candidates. ``[tie ...]`` (a tie-break order), ``[droop ...]`` (counting
options) and any other ``[...]`` line are refused with a message saying why: grassroots breaks
ties as the chosen rule says, and rule options are chosen when counting, not by the file.
Quoted strings after the title (Droop reads them as source and comment) and any other text
there are not used; that is recorded in ``Election.irregularities``.

Policy for irregular ballots (recorded in ``Election.irregularities``, never silent): a
candidate marked twice on one ballot keeps its first (highest) mark; the later mark is ignored.
Blank ballots (``1 0``) are kept as empty rankings: they count towards the ballots cast but
never towards a candidate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from grassroots.count.ballots import Election, Rank, Ranking
from grassroots.count.errors import BallotFileError, InputError
from grassroots.count.formats._text import decode, read_bytes, split_lines
from grassroots.count.limits import MAX_BALLOTS, too_many_ballots

__all__ = ["dump", "dumps", "loads", "read"]

# A double-quoted string (backslash escapes \" and \\) or a run of non-blank characters.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\S+')
_UNESCAPE = re.compile(r'\\([\\"])')
_TOO_LONG = "a number is too long to read"
_PREBUILT = 4096  # candidates whose single-candidate ranks are prebuilt
_REFUSED_OPTIONS = {
    "tie": "a tie-break order ([tie ...]) is not supported: grassroots breaks ties as the "
    "counting rule says (looking back, then by lot with a recorded seed); remove the line",
    "droop": "Droop's counting options ([droop ...]) are not read from ballot files: choose "
    "the rule and its options when counting; remove the line",
}


def read(path: str | Path) -> Election:
    """Read a BLT file from disk: the fast reader first, the careful one where it gives up."""
    raw = read_bytes(path)
    from grassroots.count.formats import blt_fast  # numpy, only when a file is read

    election = blt_fast.loads(raw, source=str(path))
    if election is not None:
        return election
    return loads(decode(raw, str(path)), source=str(path))


def _is_number(token: str) -> bool:
    return token.isascii() and token.isdigit()


def _tokens(line: str) -> list[str]:
    """The tokens of one line, comments removed (``#`` inside quotes is kept)."""
    if '"' not in line:
        cut = line.find("#")
        return (line if cut < 0 else line[:cut]).split()
    out: list[str] = []
    for tok in _TOKEN.findall(line):
        if tok.startswith("#"):
            break
        out.append(tok)
    return out


def _unquote(token: str, source: str, line: int, what: str) -> str:
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        if token.startswith('"'):
            raise BallotFileError(source, line, f"{what} has no closing double quote: {token}")
        raise BallotFileError(source, line, f"expected {what} in double quotes, found {token!r}")
    inner = token[1:-1]
    return _UNESCAPE.sub(r"\1", inner) if "\\" in inner else inner


class _Reader:
    """One pass over the lines of a BLT file."""

    def __init__(self, text: str, source: str, *, offset: int = 0) -> None:
        self.source = source
        self.lines = split_lines(text)
        self.offset = offset  # lines of the file before ``text`` (the fast reader's names)
        self.pos = 0  # index of the next line to read
        self.n = 0
        self.nicks: dict[str, int] = {}
        self.irregular: list[str] = []

    def fail(self, line: int, problem: str) -> BallotFileError:
        return BallotFileError(self.source, line, problem)

    def next_tokens(self) -> tuple[int, list[str]] | None:
        """The next line that has tokens, with its number, or None at the end."""
        while self.pos < len(self.lines):
            self.pos += 1
            tokens = _tokens(self.lines[self.pos - 1])
            if tokens:
                return self.pos + self.offset, tokens
        return None

    def candidate(self, token: str, line: int) -> int:
        """A candidate's index from its number (1-based) or Droop nickname."""
        if _is_number(token):
            c = int(token)
            if not 1 <= c <= self.n:
                raise self.fail(line, f"candidate {c} is not one of 1..{self.n}")
            return c - 1
        if token in self.nicks:
            return self.nicks[token]
        if self.nicks:
            raise self.fail(line, f"expected a candidate number or nickname, found {token!r}")
        raise self.fail(line, f"expected a candidate number, found {token!r}")

    def header(self) -> int:
        first = self.next_tokens()
        if first is None:
            raise self.fail(1, "the file is empty: expected 'candidates seats'")
        line, tokens = first
        if len(tokens) != 2 or not all(_is_number(t) for t in tokens):
            raise self.fail(line, f"expected 'candidates seats', found {' '.join(tokens)!r}")
        self.n = int(tokens[0])
        if self.n < 1:
            raise self.fail(line, "expected at least one candidate, found 0")
        return int(tokens[1])

    def option(self, line: int, tokens: list[str], withdrawn: set[int]) -> None:
        """A Droop option line ``[keyword ...]``."""
        text = " ".join(tokens)
        if not text.endswith("]"):
            raise self.fail(line, f"an option line must end with ']', found {text!r}")
        words = text[1:-1].split()
        if not words:
            raise self.fail(line, "an empty option line '[]'")
        keyword, args = words[0], words[1:]
        if keyword == "nick":
            if len(args) > self.n:
                raise self.fail(line, f"[nick] gives {len(args)} nicknames for {self.n} candidates")
            for i, nick in enumerate(args):
                if _is_number(nick) or nick in self.nicks or "=" in nick:
                    raise self.fail(line, f"nickname {nick!r} is a number, repeated or has '='")
                self.nicks[nick] = i
        elif keyword == "withdrawn":
            if not args:
                raise self.fail(line, "[withdrawn] names no candidate")
            withdrawn.update(self.candidate(arg, line) for arg in args)
        elif keyword in _REFUSED_OPTIONS:
            raise self.fail(line, _REFUSED_OPTIONS[keyword])
        else:
            raise self.fail(
                line,
                f"unknown option line [{keyword} ...]; grassroots reads "
                "[nick ...] and [withdrawn ...] only",
            )

    def withdrawn_line(self, line: int, tokens: list[str], withdrawn: set[int]) -> None:
        """The OpenSTV withdrawn line: ``-2 -5``."""
        for tok in tokens:
            if not (tok.startswith("-") and _is_number(tok[1:])):
                raise self.fail(line, f"expected a withdrawn candidate like -3, found {tok!r}")
            c = int(tok[1:])
            if not 1 <= c <= self.n:
                raise self.fail(line, f"withdrawn candidate {tok} is not one of -1..-{self.n}")
            withdrawn.add(c - 1)

    def ranking(self, line: int, prefs: Sequence[str]) -> tuple[Ranking, list[str]]:
        """The ranking on one ballot line (without weight and final 0), and its irregularities."""
        ranking: list[Rank] = []
        problems: list[str] = []
        seen: set[int] = set()
        for tok in prefs:
            rank: list[int] = []
            for part in tok.split("="):
                if part == "0":
                    raise self.fail(line, "a 0 before the end of a ballot line")
                if not part:
                    raise self.fail(line, f"an '=' must join two candidates, found {tok!r}")
                c = self.candidate(part, line)
                if c in seen:
                    problems.append(f"candidate {part} ranked twice; the later mark is ignored")
                    continue
                seen.add(c)
                rank.append(c)
            if rank:
                ranking.append(tuple(rank))
        return tuple(ranking), problems

    def preamble(self, withdrawn: set[int]) -> int:
        """Option and withdrawn lines before the first ballot, stopping before it.

        Returns the number of the last line read that had tokens (the header's if none).
        """
        last = self.pos + self.offset
        while True:
            start = self.pos
            got = self.next_tokens()
            if got is None:
                return last
            line, tokens = got
            if tokens[0].startswith("["):
                self.option(line, tokens, withdrawn)
            elif tokens[0].startswith("-"):
                self.withdrawn_line(line, tokens, withdrawn)
            else:
                self.pos = start
                return last
            last = line

    def ballots(self, withdrawn: set[int]) -> list[tuple[Ranking, int]]:
        last_line = self.preamble(withdrawn)
        pairs: list[tuple[Ranking, int]] = []
        # number -> rank, prebuilt for speed (a huge header number must not allocate)
        singles: list[Rank] = [(), *((c,) for c in range(min(self.n, _PREBUILT)))]
        n = self.n
        total = 0  # the weights so far, refused where they pass MAX_BALLOTS
        lines = self.lines
        while self.pos < len(lines):
            text = lines[self.pos]
            self.pos += 1
            line = self.pos
            tokens = _tokens(text)
            if not tokens:
                continue
            last_line = line
            first = tokens[0]
            prefs = tokens[1:-1]
            joined = "".join(tokens)
            if joined.isdigit() and joined.isascii() and tokens[-1] == "0" and len(tokens) > 1:
                # Fast path: weight, candidate numbers, 0.
                weight = int(first)
                ints = list(map(int, prefs))
                in_range = not ints or (min(ints) >= 1 and max(ints) <= n)
                if weight and in_range and len(set(ints)) == len(ints):
                    total += weight
                    if total > MAX_BALLOTS:
                        raise self.fail(line, too_many_ballots(weight, total))
                    if n <= _PREBUILT:
                        pairs.append((tuple(map(singles.__getitem__, ints)), weight))
                    else:
                        pairs.append((tuple((c - 1,) for c in ints), weight))
                    continue
            if len(tokens) == 1 and first == "0":
                return pairs
            if not _is_number(first):
                if first.startswith('"'):
                    raise self.fail(
                        line, "the ballots never end: expected a line '0' before the names"
                    )
                if first.startswith("["):
                    raise self.fail(line, "option lines [...] must come before the ballots")
                raise self.fail(line, f"expected a ballot weight, found {first!r}")
            weight = int(first)
            if weight == 0:
                raise self.fail(line, "a ballot weight must be positive, found 0")
            if tokens[-1] != "0" or len(tokens) == 1:
                raise self.fail(line, "a ballot line must end with 0")
            total += weight
            if total > MAX_BALLOTS:
                raise self.fail(line, too_many_ballots(weight, total))
            ranking, problems = self.ranking(line, prefs)
            self.irregular.extend(f"{self.source}:{line}: {p}" for p in problems)
            pairs.append((ranking, weight))
        raise self.fail(last_line, "the ballots never end: expected a line '0'")

    def names(self) -> tuple[list[str], str]:
        names: list[str] = []
        seen: set[str] = set()  # a set, so 200,000 names are checked in linear time
        title: str | None = None
        last_line = self.pos
        while True:
            got = self.next_tokens()
            if got is None:
                break
            line, tokens = got
            last_line = line
            for i, tok in enumerate(tokens):
                if len(names) < self.n:
                    what = f"the name of candidate {len(names) + 1}"
                    name = _unquote(tok, self.source, line, what)
                    if name in seen:
                        raise self.fail(line, f"candidate name {name!r} is given twice")
                    seen.add(name)
                    names.append(name)
                elif title is None:
                    title = _unquote(tok, self.source, line, "the title")
                else:
                    rest = " ".join(tokens[i:])
                    more = len(self.lines) + self.offset - line
                    tail = f" (and {more} more lines)" if more else ""
                    self.irregular.append(
                        f"{self.source}:{line}: text after the title is not used: {rest!r}{tail}"
                    )
                    return names, title
        if len(names) < self.n:
            raise self.fail(last_line, f"expected {self.n} candidate names, found {len(names)}")
        return names, title or ""

    def read(self) -> Election:
        seats = self.header()
        withdrawn: set[int] = set()
        pairs = self.ballots(withdrawn)
        names, title = self.names()
        return Election.from_pairs(
            names,
            seats,
            pairs,
            title=title,
            withdrawn=withdrawn,
            irregularities=self.irregular,
            source=self.source,
        )


def loads(text: str, *, source: str = "<ballots>") -> Election:
    """Parse BLT text; every problem raises ``BallotFileError`` naming the line."""
    reader = _Reader(text.removeprefix("\ufeff"), source)
    try:
        return reader.read()
    except InputError:
        raise
    except ValueError:  # int() refuses numbers of more than 4300 digits
        raise BallotFileError(source, max(reader.pos, 1), _TOO_LONG) from None


def _quote(text: str, what: str) -> str:
    if "\n" in text or "\r" in text:
        raise InputError(f"a BLT file cannot hold {what} with a line break: {text!r}")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dumps(election: Election) -> str:
    """Write an election as BLT text that ``loads`` reads back to an equal election.

    Irregularities the reader recorded are not part of the ballots and are not written.
    """
    out = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        out.append(" ".join(f"-{c + 1}" for c in sorted(election.withdrawn)))
    for ranking, weight in zip(election.rankings, election.weights, strict=True):
        if any(not rank for rank in ranking):
            raise InputError("a ranking has an empty rank, which BLT cannot write")
        prefs = " ".join("=".join(str(c + 1) for c in rank) for rank in ranking)
        out.append(f"{weight} {prefs} 0" if prefs else f"{weight} 0")
    out.append("0")
    out.extend(_quote(name, "a candidate name") for name in election.candidates)
    out.append(_quote(election.title, "a title"))
    return "\n".join(out) + "\n"


def dump(election: Election, stream: TextIO) -> None:
    """Write an election as BLT text to an open text stream."""
    stream.write(dumps(election))
