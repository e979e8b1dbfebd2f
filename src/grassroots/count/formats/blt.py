"""BLT ballot files (ERS, OpenSTV, Droop, OpaVote): reader and writer.

Layout: ``candidates seats``; an optional line of negative numbers naming withdrawn
candidates; ballot lines ``weight pref pref ... 0`` (``=`` joins equally ranked candidates);
a line ``0``; one quoted name per candidate; a quoted title. ``#`` starts a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from grassroots.count.ballots import Election, Rank, Ranking, group_ballots
from grassroots.count.errors import BallotFileError

__all__ = ["dumps", "loads", "read"]

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\S+')


def read(path: str | Path) -> Election:
    """Read a BLT file from disk."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise BallotFileError(str(p), None, f"cannot read the file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BallotFileError(str(p), line, "the file is not UTF-8 text") from None
    return loads(text, source=str(p))


def _lines(text: str) -> Iterator[tuple[int, list[str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        tokens = []
        for tok in _TOKEN.findall(line):
            if tok.startswith("#"):
                break
            tokens.append(tok)
        if tokens:
            yield number, tokens


def _int(token: str, source: str, line: int, what: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise BallotFileError(source, line, f"expected {what}, found {token!r}") from None


def _unquote(token: str, source: str, line: int, what: str) -> str:
    if len(token) < 2 or not (token.startswith('"') and token.endswith('"')):
        raise BallotFileError(source, line, f"expected {what} in double quotes, found {token!r}")
    return re.sub(r"\\(.)", r"\1", token[1:-1])


def loads(text: str, *, source: str = "<ballots>") -> Election:
    """Parse BLT text; every problem raises ``BallotFileError`` naming the line."""
    lines = list(_lines(text))
    if not lines:
        raise BallotFileError(source, 1, "the file is empty: expected 'candidates seats'")
    it = iter(lines)
    line_no, header = next(it)
    if len(header) != 2:
        raise BallotFileError(
            source,
            line_no,
            f"expected 'candidates seats', found {' '.join(header)!r}",
        )
    n = _int(header[0], source, line_no, "the number of candidates")
    seats = _int(header[1], source, line_no, "the number of seats")
    if n < 1:
        raise BallotFileError(source, line_no, f"expected at least one candidate, found {n}")
    if seats < 0:
        raise BallotFileError(source, line_no, f"the number of seats cannot be negative ({seats})")

    withdrawn: set[int] = set()
    pairs: list[tuple[Ranking, int]] = []
    irregular: list[str] = []
    ended = False
    first_body = True
    for line_no, tokens in it:
        if first_body and tokens[0].startswith("-"):
            for tok in tokens:
                k = _int(tok, source, line_no, "a withdrawn candidate like -3")
                if not -n <= k <= -1:
                    raise BallotFileError(
                        source, line_no, f"withdrawn candidate {tok} is not one of -1..-{n}"
                    )
                withdrawn.add(-k - 1)
            first_body = False
            continue
        first_body = False
        if tokens == ["0"]:
            ended = True
            break
        weight = _int(tokens[0], source, line_no, "a ballot weight")
        if weight <= 0:
            raise BallotFileError(
                source, line_no, f"a ballot weight must be positive, found {weight}"
            )
        if tokens[-1] != "0":
            raise BallotFileError(source, line_no, "a ballot line must end with 0")
        ranking: list[Rank] = []
        seen: set[int] = set()
        for tok in tokens[1:-1]:
            rank: list[int] = []
            for part in tok.split("="):
                c = _int(part, source, line_no, "a candidate number")
                if not 1 <= c <= n:
                    raise BallotFileError(source, line_no, f"candidate {c} is not one of 1..{n}")
                if c - 1 in seen:
                    irregular.append(
                        f"{source}:{line_no}: candidate {c} ranked twice; the later mark is ignored"
                    )
                    continue
                seen.add(c - 1)
                rank.append(c - 1)
            if rank:
                ranking.append(tuple(rank))
        pairs.append((tuple(ranking), weight))
    if not ended:
        raise BallotFileError(source, line_no, "the ballots never end: expected a line '0'")

    names: list[str] = []
    title = ""
    for line_no, tokens in it:
        for tok in tokens:
            if len(names) < n:
                names.append(
                    _unquote(tok, source, line_no, f"the name of candidate {len(names) + 1}")
                )
            elif not title:
                title = _unquote(tok, source, line_no, "the title")
            else:
                raise BallotFileError(source, line_no, f"unexpected text after the title: {tok}")
    if len(names) < n:
        raise BallotFileError(source, line_no, f"expected {n} candidate names, found {len(names)}")
    grouped = group_ballots(pairs)
    return Election(
        candidates=tuple(names),
        seats=seats,
        rankings=tuple(grouped),
        weights=tuple(grouped.values()),
        title=title,
        withdrawn=frozenset(withdrawn),
        irregularities=tuple(irregular),
        source=source,
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dumps(election: Election) -> str:
    """Write an election as BLT text that ``loads`` reads back to an equal election."""
    out = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        out.append(" ".join(str(-(c + 1)) for c in sorted(election.withdrawn)))
    for ranking, weight in zip(election.rankings, election.weights, strict=True):
        prefs = " ".join("=".join(str(c + 1) for c in rank) for rank in ranking)
        out.append(f"{weight} {prefs} 0" if prefs else f"{weight} 0")
    out.append("0")
    out.extend(_quote(name) for name in election.candidates)
    out.append(_quote(election.title))
    return "\n".join(out) + "\n"
