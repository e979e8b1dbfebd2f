"""Fuzzing every ballot file reader: random text and bytes, and mutations of valid files.

Whatever the input, a reader either returns a valid ``Election`` or raises the documented
``BallotFileError`` naming the file and a line of it. Any other exception (even another
``InputError``, whose message would not say where) is a bug.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.count.ballots import Election
from grassroots.count.errors import BallotFileError
from grassroots.count.formats import blt, preflib, read_ballots
from grassroots.count.formats import csv as csv_format
from grassroots.count.formats import json as json_format
from tests.strategies import ballot_file_elections

GOOD = Path(__file__).resolve().parents[1] / "data" / "formats" / "good"

Loads = Callable[[str], Election]
READERS: dict[str, Loads] = {
    "blt": lambda text: blt.loads(text, source="f.blt"),
    "preflib": lambda text: preflib.loads(text, source="f.soi"),
    "csv": lambda text: csv_format.loads(text, source="f.csv"),
    "csv-ranks": lambda text: csv_format.loads(text, source="f.csv", layout="ranks"),
    "csv-candidates": lambda text: csv_format.loads(text, source="f.csv", layout="candidates"),
    "json": lambda text: json_format.loads(text, source="f.json"),
}
WRITERS: dict[str, Callable[[Election], str]] = {
    "blt": blt.dumps,
    "preflib": lambda e: preflib.dumps(e) if not e.withdrawn else blt.dumps(e),
    "json": json_format.dumps,
}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that matter to at least one format, mixed with anything at all.
_SYNTAX = st.sampled_from([*list('0123456789 -=,:{}[]#"\\\n\r\t;.x'), "\ufeff", "é"])
_TEXTISH = st.text(st.one_of(_SYNTAX, st.characters()), max_size=300)


def _parses_or_refuses(load: Loads, text: str) -> None:
    try:
        election = load(text)
    except BallotFileError as exc:
        # the message names the file and a line that exists (or one past the end)
        assert str(exc).startswith(
            f"{exc.source}:" if exc.line is None else f"{exc.source}:{exc.line}: "
        )
        lines = len(text.splitlines()) + 1
        assert exc.line is None or 1 <= exc.line <= max(lines, 1) + text.count("\r"), exc
        return
    assert isinstance(election, Election)
    n = len(election.candidates)
    for ranking in election.rankings:
        seen = [c for rank in ranking for c in rank]
        assert len(seen) == len(set(seen)), "a reader must never leave a candidate ranked twice"
        assert all(0 <= c < n for c in seen)
        assert all(rank for rank in ranking)


@pytest.mark.parametrize("reader", sorted(READERS))
@FUZZ
@given(text=_TEXTISH)
def test_random_text_is_read_or_refused_with_a_documented_error(reader: str, text: str) -> None:
    _parses_or_refuses(READERS[reader], text)


@st.composite
def _mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few random edits: characters or whole lines inserted, dropped, changed."""
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["char", "drop-line", "dup-line", "swap-lines", "cut"]))
        if kind == "char" or len(lines) < 2:
            at = draw(st.integers(min_value=0, max_value=len(text)))
            width = draw(st.integers(min_value=0, max_value=3))
            text = text[:at] + draw(st.text(_SYNTAX, max_size=3)) + text[at + width :]
        elif kind == "drop-line":
            del lines[draw(st.integers(min_value=0, max_value=len(lines) - 1))]
            text = "\n".join(lines)
        elif kind == "dup-line":
            k = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines.insert(k, lines[k])
            text = "\n".join(lines)
        elif kind == "swap-lines":
            i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:
            text = text[: draw(st.integers(min_value=0, max_value=len(text)))]
    return text


@pytest.mark.parametrize("fmt", sorted(WRITERS))
@FUZZ
@given(data=st.data())
def test_mutations_of_a_valid_file_are_read_or_refused_with_a_documented_error(
    fmt: str, data: st.DataObject
) -> None:
    election = data.draw(ballot_file_elections(max_candidates=5, max_ballots=6))
    text = data.draw(_mutated(WRITERS[fmt](election)))
    reader = READERS[fmt] if not (fmt == "preflib" and election.withdrawn) else READERS["blt"]
    _parses_or_refuses(reader, text)


@pytest.mark.parametrize("reader", ["csv", "csv-ranks", "csv-candidates"])
@FUZZ
@given(data=st.data())
def test_mutations_of_a_valid_csv_are_read_or_refused_with_a_documented_error(
    reader: str, data: st.DataObject
) -> None:
    header = data.draw(st.sampled_from(["rank1,rank2,rank3,weight", "Ann,Bob,Cat,count"]))
    rows = data.draw(
        st.lists(
            st.lists(
                st.sampled_from(["", "1", "2", "3", "Ann", "Bob", "Cat"]), min_size=3, max_size=3
            ),
            max_size=6,
        )
    )
    text = header + "\n" + "".join(",".join([*r, "2"]) + "\n" for r in rows)
    _parses_or_refuses(READERS[reader], data.draw(_mutated(text)))


REAL = sorted(p.name for p in GOOD.iterdir() if p.suffix in {".blt", ".soi"})


@pytest.mark.parametrize("name", REAL)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_mutations_of_real_files_are_read_or_refused_with_a_documented_error(
    name: str, data: st.DataObject
) -> None:
    text = (GOOD / name).read_text(encoding="utf-8-sig")
    reader = READERS["blt" if name.endswith(".blt") else "preflib"]
    _parses_or_refuses(reader, data.draw(_mutated(text)))


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=200), ext=st.sampled_from([".blt", ".soi", ".toi", ".csv", ".json"]))
def test_random_bytes_on_disk_are_read_or_refused_with_a_documented_error(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes, ext: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"ballots{ext}"
    path.write_bytes(raw)
    with contextlib.suppress(BallotFileError):
        read_ballots(path)


def test_a_missing_file_is_a_ballot_file_error(tmp_path: Path) -> None:
    with pytest.raises(BallotFileError, match="cannot read the file"):
        read_ballots(tmp_path / "absent.blt")
