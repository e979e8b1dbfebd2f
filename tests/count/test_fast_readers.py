"""The fast (numpy) readers against the careful ones: identical elections, identical errors.

Each fast reader either returns exactly the ``Election`` its careful reader makes from the same
bytes, or None, and then ``read`` hands the file to the careful reader, which reports the
first problem with file, line and problem. Checked on every ballot file in tests/data and
../shared/data (skipped with a message when ../shared is absent), on every bad-input fixture,
and on files Hypothesis writes and then damages.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.count.ballots import Election
from grassroots.count.errors import BallotFileError, InputError
from grassroots.count.formats import (
    _fast,
    blt,
    blt_fast,
    csv_fast,
    preflib,
    preflib_fast,
    read_ballots,
)
from grassroots.count.formats import csv as csv_format
from grassroots.count.formats._text import decode
from grassroots.count.rules import count
from tests.shared_data import SHARED_DATA, require_shared, shared_available
from tests.strategies import ballot_file_elections

DATA = Path(__file__).resolve().parents[1] / "data"
BAD = DATA / "formats" / "bad"

Fast = Callable[[bytes, str], Election | None]
Careful = Callable[[str, str], Election]
READERS: dict[str, tuple[Fast, Careful]] = {
    "blt": (
        lambda raw, source: blt_fast.loads(raw, source=source),
        lambda text, source: blt.loads(text, source=source),
    ),
    "preflib": (
        lambda raw, source: preflib_fast.loads(raw, source=source),
        lambda text, source: preflib.loads(text, source=source),
    ),
    "csv": (
        lambda raw, source: csv_fast.loads(raw, source=source),
        lambda text, source: csv_format.loads(text, source=source),
    ),
}
SUFFIXES = {
    ".blt": "blt",
    ".soi": "preflib",
    ".toi": "preflib",
    ".soc": "preflib",
    ".toc": "preflib",
}
ELECTIONS = SHARED_DATA / "elections"
DATASETS = sorted(p.name for p in ELECTIONS.iterdir() if p.is_dir()) if shared_available() else []
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def careful_result(kind: str, raw: bytes, source: str) -> Election | InputError:
    """What the careful reader makes of the bytes: an election or its error."""
    try:
        return READERS[kind][1](decode(raw, source), source)
    except InputError as exc:
        return exc


def compare(kind: str, raw: bytes, source: str) -> bool:
    """Check the fast reader against the careful one on these bytes; whether it read them."""
    fast = READERS[kind][0](raw, source)
    careful = careful_result(kind, raw, source)
    if fast is None:
        return False
    assert isinstance(careful, Election), f"{source}: fast read a file the careful one refuses"
    assert fast == careful, source
    assert fast.source == careful.source
    if "packed" in fast.__dict__:  # filled in by the fast reader: as packing would make it
        again = Election.from_pairs(
            fast.candidates, fast.seats, zip(fast.rankings, fast.weights, strict=True)
        ).packed
        for field in ("prefs", "offsets", "weights"):
            assert (getattr(fast.packed, field) == getattr(again, field)).all(), source
        assert fast.packed.cut_at_equal == again.cut_at_equal == 0
    return True


def check_folder(files: list[Path]) -> tuple[int, int]:
    """Compare on every file; (files read fast, files the careful reader accepts)."""
    fast = accepted = 0
    for path in files:
        kind = SUFFIXES[path.suffix.lower()]
        raw = path.read_bytes()
        fast += compare(kind, raw, str(path))
        accepted += isinstance(careful_result(kind, raw, str(path)), Election)
    return fast, accepted


def ballot_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())


def test_fast_and_careful_readers_make_the_same_election_of_every_file_in_tests_data() -> None:
    files = [p for p in ballot_files(DATA) if BAD not in p.parents]
    fast, accepted = check_folder(files)
    assert len(files) >= 50
    # the fast path really runs: it reads all but the few files with ties, comments or options
    assert fast >= accepted * 3 // 4, (fast, accepted)


@pytest.mark.shared
@pytest.mark.parametrize("dataset", DATASETS or ["(shared data absent)"])
def test_fast_and_careful_readers_make_the_same_election_of_every_shared_file(
    dataset: str,
) -> None:
    folder = require_shared("elections", dataset)
    fast, accepted = check_folder(ballot_files(folder))
    assert accepted and fast >= accepted // 2, (fast, accepted)


@pytest.mark.shared
def test_fast_and_careful_readers_agree_on_droops_test_ballots() -> None:
    folder = require_shared("reference", "droop", "blt")
    fast, accepted = check_folder(ballot_files(folder))
    assert accepted >= 40 and fast > 0


@pytest.mark.parametrize("path", ballot_files(BAD), ids=lambda p: p.name)
def test_a_bad_file_gets_the_careful_readers_error_word_for_word(path: Path) -> None:
    kind = SUFFIXES[path.suffix.lower()]
    raw = path.read_bytes()
    assert READERS[kind][0](raw, str(path)) is None
    careful = careful_result(kind, raw, str(path))
    assert isinstance(careful, BallotFileError)
    with pytest.raises(BallotFileError) as caught:
        read_ballots(path)
    assert str(caught.value) == str(careful)
    assert (caught.value.source, caught.value.line) == (careful.source, careful.line)


def test_a_file_spanning_many_chunks_reads_as_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    path = DATA / "formats" / "good" / "shetland_2017_ward6.blt"
    raw = path.read_bytes()
    whole = blt_fast.loads(raw, source="f.blt")
    monkeypatch.setattr(_fast, "CHUNK", 64)
    assert whole is not None and blt_fast.loads(raw, source="f.blt") == whole
    assert compare("blt", raw, "f.blt")


def test_long_rankings_are_grouped_exactly_as_the_careful_reader_groups_them() -> None:
    n = 150
    orders = [list(range(1, n + 1)), list(range(n, 0, -1)), list(range(1, 80)), [5, 4, 3]]
    lines = [f"{n} 3", *(f"{1 + i % 5} {' '.join(map(str, orders[i % 4]))} 0" for i in range(40))]
    lines += ["0", *(f'"C{i}"' for i in range(n)), '"Long"']
    raw = ("\n".join(lines) + "\n").encode()
    assert compare("blt", raw, "long.blt")
    election = blt_fast.loads(raw, source="long.blt")
    assert election is not None and election.weights == (30, 30, 30, 30)


def test_the_careful_reader_names_the_line_of_a_problem_far_into_a_large_file(
    tmp_path: Path,
) -> None:
    lines = ["3 2", *(f"1 {1 + i % 3} {1 + (i + 1) % 3} 0" for i in range(20_000))]
    lines[15_001] = "1 2 2 4 0"  # candidate 4 of 3, on line 15,002
    path = tmp_path / "big.blt"
    path.write_text("\n".join([*lines, "0", '"A"', '"B"', '"C"', '"T"']) + "\n")
    with pytest.raises(BallotFileError) as caught:
        read_ballots(path)
    assert str(caught.value) == f"{path}:15002: candidate 4 is not one of 1..3"


def test_the_command_line_and_the_readers_load_numpy_only_when_a_file_is_read() -> None:
    code = (
        "import sys, grassroots.cli.main, grassroots.count.formats as f\n"
        "print('numpy' in sys.modules)\n"
        f"f.read_ballots({str(DATA / 'formats' / 'good' / '42u.blt')!r})\n"
        "print('numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_a_count_from_the_packed_ballots_never_makes_the_rankings_until_they_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[int] = []
    real = _fast._rankings

    def counted(*args: Any) -> Any:
        made.append(1)
        return real(*args)

    monkeypatch.setattr(_fast, "_rankings", counted)
    lines = ["4 2", *(f"1 {1 + i % 4} {1 + (i + 1 + i // 4 % 3) % 4} 0" for i in range(400)), "0"]
    path = tmp_path / "ward.blt"
    path.write_text("\n".join([*lines, '"A"', '"B"', '"C"', '"D"', '"Ward"']) + "\n")
    election = read_ballots(path)
    result = count(election, "scottish", seed=1)
    assert made == [] and len(result.elected) == 2
    careful = blt.loads(path.read_text(), source=str(path))
    assert election.rankings == careful.rankings and made == [1]
    assert election == careful and hash(election) == hash(careful)
    assert replace(election, seats=1) == replace(careful, seats=1) and made == [1]


# --- files Hypothesis writes, then damages ---------------------------------------------------

_DAMAGE = st.sampled_from([*list('0123456789 -=,:{}[]#"\\\n\r\t;x'), "\r\n", "\ufeff", "é", "\x0b"])


@FUZZ
@given(ballot_file_elections(equal_ranks=False))
def test_the_fast_blt_reader_reads_every_file_the_writer_writes_with_no_ties(
    election: Election,
) -> None:
    raw = blt.dumps(election).encode("utf-8")
    assert compare("blt", raw, "f.blt")
    assert blt_fast.loads(raw, source="f.blt") == election


@FUZZ
@given(ballot_file_elections(), st.lists(st.tuples(st.integers(0, 10**6), _DAMAGE), max_size=4))
def test_the_fast_blt_reader_agrees_with_the_careful_one_on_damaged_files(
    election: Election, damage: list[tuple[int, str]]
) -> None:
    text = blt.dumps(election)
    for at, piece in damage:
        cut = at % (len(text) + 1)
        text = text[:cut] + piece + text[cut:]
    compare("blt", text.encode("utf-8"), "f.blt")


@FUZZ
@given(st.binary(max_size=300))
def test_the_fast_blt_reader_agrees_with_the_careful_one_on_any_bytes(raw: bytes) -> None:
    try:
        decode(raw, "f.blt")
    except BallotFileError:
        assert blt_fast.loads(raw, source="f.blt") is None
        return
    compare("blt", raw, "f.blt")


@FUZZ
@given(ballot_file_elections(equal_ranks=False, withdrawn=False))
def test_the_fast_preflib_reader_reads_every_file_the_writer_writes_with_no_ties(
    election: Election,
) -> None:
    raw = preflib.dumps(election).encode("utf-8")
    assert compare("preflib", raw, "f.soi")


@FUZZ
@given(
    ballot_file_elections(withdrawn=False),
    st.lists(st.tuples(st.integers(0, 10**6), _DAMAGE), max_size=4),
)
def test_the_fast_preflib_reader_agrees_with_the_careful_one_on_damaged_files(
    election: Election, damage: list[tuple[int, str]]
) -> None:
    text = preflib.dumps(election)
    for at, piece in damage:
        cut = at % (len(text) + 1)
        text = text[:cut] + piece + text[cut:]
    compare("preflib", text.encode("utf-8"), "f.soi")


@FUZZ
@given(st.binary(max_size=300))
def test_the_fast_preflib_reader_agrees_with_the_careful_one_on_any_bytes(raw: bytes) -> None:
    try:
        decode(raw, "f.soi")
    except BallotFileError:
        assert preflib_fast.loads(raw, source="f.soi") is None
        return
    compare("preflib", raw, "f.soi")


@st.composite
def candidate_layout_csv(draw: st.DrawFn) -> str:
    """A CSV file of the candidates layout: one column per candidate holding rank numbers."""
    n = draw(st.integers(1, 7))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    weighted = draw(st.booleans())
    header = [f"Cand {i}" for i in range(n)]
    at = draw(st.integers(0, n)) if weighted else None
    if at is not None:
        header.insert(at, draw(st.sampled_from(["weight", "Count", "votes"])))
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 12))):
        order = draw(st.permutations(range(n)))[: draw(st.integers(0, n))]
        cells = [""] * n
        for rank, c in enumerate(order, start=1):
            cells[c] = draw(st.sampled_from([str(rank), f" {rank}", f"0{rank}"]))
        if at is not None:
            cells.insert(at, str(draw(st.integers(1, 10**6))))
        lines.append(delimiter.join(cells))
    if draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), "")
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines) + (ending if draw(st.booleans()) else "")


@FUZZ
@given(candidate_layout_csv())
def test_the_fast_csv_reader_reads_every_plain_file_of_the_candidates_layout(text: str) -> None:
    assert compare("csv", text.encode("utf-8"), "f.csv")


@FUZZ
@given(candidate_layout_csv(), st.lists(st.tuples(st.integers(0, 10**6), _DAMAGE), max_size=4))
def test_the_fast_csv_reader_agrees_with_the_careful_one_on_damaged_files(
    text: str, damage: list[tuple[int, str]]
) -> None:
    for at, piece in damage:
        cut = at % (len(text) + 1)
        text = text[:cut] + piece + text[cut:]
    compare("csv", text.encode("utf-8"), "f.csv")


@FUZZ
@given(st.binary(max_size=300))
def test_the_fast_csv_reader_agrees_with_the_careful_one_on_any_bytes(raw: bytes) -> None:
    try:
        decode(raw, "f.csv")
    except BallotFileError:
        assert csv_fast.loads(raw, source="f.csv") is None
        return
    compare("csv", raw, "f.csv")


@st.composite
def rank_layout_csv(draw: st.DrawFn) -> tuple[str, list[str] | None]:
    """A CSV file of the ranks layout (a candidate's name per rank column), and maybe the
    candidates to pass as fixed."""
    names = draw(
        st.lists(
            st.text(st.characters(exclude_characters=',;\t"\r\n\x00'), min_size=1, max_size=6)
            .map(str.strip)
            .filter(bool),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    k = draw(st.integers(1, len(names)))
    delimiter = ","
    header = [draw(st.sampled_from([f"rank{i}", str(i), f"Pref {i}"])) for i in range(1, k + 1)]
    header = draw(st.permutations(header))
    at = draw(st.one_of(st.none(), st.integers(0, k)))
    if at is not None:
        header.insert(at, "weight")
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 10))):
        order = draw(st.permutations(names))[: draw(st.integers(0, k))]
        by_number = {i: (order[i - 1] if i <= len(order) else "") for i in range(1, k + 1)}
        cells = []
        for h in header:
            if h == "weight":
                cells.append(str(draw(st.integers(1, 1000))))
                continue
            number = int("".join(ch for ch in h if ch.isdigit()))
            cells.append(draw(st.sampled_from(["", " "])) + by_number[number])
        lines.append(delimiter.join(cells))
    fixed = draw(st.one_of(st.none(), st.permutations(names)))
    return "\n".join(lines) + "\n", fixed


@FUZZ
@given(rank_layout_csv(), st.lists(st.tuples(st.integers(0, 10**6), _DAMAGE), max_size=3))
def test_the_fast_csv_reader_agrees_with_the_careful_one_on_the_ranks_layout(
    made: tuple[str, list[str] | None], damage: list[tuple[int, str]]
) -> None:
    text, fixed = made
    raw = text.encode("utf-8")
    fast = csv_fast.loads(raw, source="f.csv", candidates=fixed)
    careful = csv_format.loads(text, source="f.csv", candidates=fixed)
    if not damage:
        assert fast == careful  # a plain file is read by the fast reader
    for at, piece in damage:
        cut = at % (len(text) + 1)
        text = text[:cut] + piece + text[cut:]
    raw = text.encode("utf-8")
    fast = csv_fast.loads(raw, source="f.csv", candidates=fixed)
    if fast is not None:
        assert fast == csv_format.loads(text, source="f.csv", candidates=fixed)
