"""grassroots' own JSON ballot file: reader and writer that round-trip an ``Election`` exactly.

The layout (names, not indices, so a person can read it)::

    {"format": "grassroots-ballots", "version": 1,
     "title": "Ward 7", "seats": 3,
     "candidates": ["Ann", "Bob", "Cat"],
     "withdrawn": ["Cat"],
     "ballots": [{"weight": 12, "ranking": ["Ann", ["Bob", "Cat"]]}, ...],
     "irregularities": ["ward7.blt:12: candidate 2 ranked twice; ..."]}

A rank is a name, or a list of names ranked equal. ``withdrawn`` and ``irregularities`` may be
left out. JSON keeps no line numbers once parsed, so structural problems are named by their
path in the document (``ballots[3].weight``); syntax errors name the line.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

from grassroots.count.ballots import Election, Rank, Ranking, group_ballots
from grassroots.count.errors import BallotFileError, InputError
from grassroots.count.formats._text import read_text
from grassroots.count.limits import MAX_BALLOTS, too_many_ballots

__all__ = ["FORMAT", "VERSION", "dump", "dumps", "loads", "read"]

FORMAT = "grassroots-ballots"
VERSION = 1
_KEYS = {"format", "version", "title", "seats", "candidates", "withdrawn", "ballots"}
_KEYS |= {"irregularities"}


def read(path: str | Path) -> Election:
    """Read a grassroots JSON ballot file from disk."""
    return loads(read_text(path), source=str(path))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_STEP = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")
_BLANK = re.compile(r"[ \t\n\r]*")


def _skip(text: str, pos: int) -> int:
    """The position after any JSON white space at ``pos``."""
    match = _BLANK.match(text, pos)
    return match.end() if match else pos


def _locate(text: str, where: str) -> int | None:
    """The line where the value at ``where`` (``ballots[3].weight``) starts, if it can be found.

    Only used to word an error, so any failure to find it gives None rather than an error.
    """
    if where == "the document":
        return None
    decoder = json.JSONDecoder()
    try:
        pos = _skip(text, 0)
        for key, number in _STEP.findall(where):
            if key and text[pos] == "{":
                pos = _skip(text, pos + 1)
                while text[pos] != "}":
                    name, pos = decoder.raw_decode(text, pos)
                    pos = _skip(text, _skip(text, pos) + 1)  # past the colon
                    if name == key:
                        break
                    pos = _skip(text, decoder.raw_decode(text, pos)[1])
                    if text[pos] == ",":
                        pos = _skip(text, pos + 1)
                else:
                    return None
            elif number and text[pos] == "[":
                pos = _skip(text, pos + 1)
                for _ in range(int(number)):
                    pos = _skip(text, decoder.raw_decode(text, pos)[1])
                    if text[pos] != ",":
                        return None
                    pos = _skip(text, pos + 1)
            else:
                return None
    except (ValueError, IndexError, RecursionError):
        return None
    return text.count("\n", 0, pos) + 1


class _Reader:
    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.text = text

    def fail(self, where: str, problem: str) -> BallotFileError:
        return BallotFileError(self.source, _locate(self.text, where), f"{where}: {problem}")

    def strings(self, value: object, where: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(where, f"expected a list of strings, found {_show(value)}")
        return value

    def ranking(self, value: object, where: str, index: dict[str, int]) -> Ranking:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list of ranks, found {_show(value)}")
        try:  # fast path: a strict ranking of known names, each once
            strict = tuple((index[name],) for name in value)
        except (KeyError, TypeError):
            pass
        else:
            if len({r[0] for r in strict}) == len(strict):
                return strict
        ranking: list[Rank] = []
        seen: set[int] = set()
        for k, rank in enumerate(value):
            at = f"{where}[{k}]"
            names = [rank] if isinstance(rank, str) else rank
            if not isinstance(names, list) or not names:
                raise self.fail(at, f"expected a name or a list of names, found {_show(rank)}")
            out: list[int] = []
            for name in names:
                if not isinstance(name, str):
                    raise self.fail(at, f"expected a candidate name, found {_show(name)}")
                if name not in index:
                    raise self.fail(at, f"unknown candidate {name!r}")
                c = index[name]
                if c in seen:
                    # Written by us only from a well-formed Election, so this is a damaged file.
                    raise self.fail(at, f"candidate {name!r} is ranked twice")
                seen.add(c)
                out.append(c)
            ranking.append(tuple(out))
        return tuple(ranking)

    def read(self, data: object) -> Election:
        if not isinstance(data, dict):
            raise self.fail("the document", f"expected a JSON object, found {_show(data)}")
        if data.get("format") != FORMAT:
            raise self.fail("format", f"expected {FORMAT!r}, found {_show(data.get('format'))}")
        if data.get("version") != VERSION:
            raise self.fail("version", f"expected {VERSION}, found {_show(data.get('version'))}")
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise self.fail("the document", f"unknown keys: {', '.join(unknown)}")
        for key in ("seats", "candidates", "ballots"):
            if key not in data:
                raise self.fail("the document", f"missing the key {key!r}")
        title = data.get("title", "")
        if not isinstance(title, str):
            raise self.fail("title", f"expected a string, found {_show(title)}")
        seats = data["seats"]
        if not _is_int(seats) or seats < 0:
            raise self.fail("seats", f"expected a whole number of seats, found {_show(seats)}")
        candidates = self.strings(data["candidates"], "candidates")
        index = {name: i for i, name in enumerate(candidates)}
        if len(index) != len(candidates):
            repeated = sorted(c for c, k in Counter(candidates).items() if k > 1)
            raise self.fail("candidates", f"names repeat: {', '.join(repeated)}")
        withdrawn: set[int] = set()
        for k, name in enumerate(self.strings(data.get("withdrawn", []), "withdrawn")):
            if name not in index:
                raise self.fail(f"withdrawn[{k}]", f"unknown candidate {name!r}")
            withdrawn.add(index[name])
        irregularities = self.strings(data.get("irregularities", []), "irregularities")
        ballots = data["ballots"]
        if not isinstance(ballots, list):
            raise self.fail("ballots", f"expected a list, found {_show(ballots)}")
        pairs: list[tuple[Ranking, int]] = []
        total = 0  # the weights so far, refused where they pass MAX_BALLOTS
        for i, ballot in enumerate(ballots):
            at = f"ballots[{i}]"
            if not isinstance(ballot, dict) or set(ballot) - {"weight", "ranking"}:
                raise self.fail(
                    at, f"expected {{'weight': n, 'ranking': [...]}}, found {_show(ballot)}"
                )
            weight = ballot.get("weight", 1)
            if not _is_int(weight) or weight <= 0:
                raise self.fail(
                    f"{at}.weight", f"expected a positive whole number, found {_show(weight)}"
                )
            total += weight
            if total > MAX_BALLOTS:
                raise self.fail(f"{at}.weight", too_many_ballots(weight, total))
            if "ranking" not in ballot:
                raise self.fail(at, "missing the key 'ranking'")
            pairs.append((self.ranking(ballot["ranking"], f"{at}.ranking", index), weight))
        grouped = group_ballots(pairs)
        if len(grouped) != len(pairs):
            # Keep the file's grouping visible: merging is fine, but say it happened.
            irregularities.append(
                f"{self.source}: {len(pairs) - len(grouped)} repeated rankings merged"
            )
        return Election(
            candidates=tuple(candidates),
            seats=seats,
            rankings=tuple(grouped),
            weights=tuple(grouped.values()),
            title=title,
            withdrawn=frozenset(withdrawn),
            irregularities=tuple(irregularities),
            source=self.source,
        )


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if _jsonable(value) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _jsonable(value: object) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def loads(text: str, *, source: str = "<ballots>") -> Election:
    """Parse grassroots JSON ballots; every problem raises ``BallotFileError``."""
    try:
        text = text.removeprefix("\ufeff")
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BallotFileError(source, exc.lineno, f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise BallotFileError(source, None, "not usable JSON: nested too deeply") from None
    except ValueError:  # int() refuses numbers of more than 4300 digits
        raise BallotFileError(source, None, "not usable JSON: a number is too long") from None
    return _Reader(source, text).read(data)


def to_data(election: Election) -> dict[str, Any]:
    """The election as plain JSON-ready data."""
    if election.is_packed_only:
        raise InputError("an election held only as packed arrays cannot be written as JSON")
    names = election.candidates
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "title": election.title,
        "seats": election.seats,
        "candidates": list(names),
    }
    if election.withdrawn:
        data["withdrawn"] = [names[c] for c in sorted(election.withdrawn)]
    data["ballots"] = [
        {
            "weight": weight,
            "ranking": [names[r[0]] if len(r) == 1 else [names[c] for c in r] for r in ranking],
        }
        for ranking, weight in zip(election.rankings, election.weights, strict=True)
    ]
    if election.irregularities:
        data["irregularities"] = list(election.irregularities)
    return data


def dumps(election: Election) -> str:
    """The election as grassroots JSON text (one ballot per line, readable in a diff)."""
    data = to_data(election)
    ballots = data.pop("ballots")
    head = json.dumps(data, ensure_ascii=False, indent=1)
    lines = [json.dumps(b, ensure_ascii=False) for b in ballots]
    body = ",\n  ".join(lines)
    return (
        head[:-2] + f',\n "ballots": [\n  {body}\n ]\n}}\n'
        if lines
        else (head[:-2] + ',\n "ballots": []\n}\n')
    )


def dump(election: Election, stream: TextIO) -> None:
    """Write the election as grassroots JSON to an open text stream."""
    stream.write(dumps(election))
