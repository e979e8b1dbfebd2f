"""Readers stay linear: 200,000 candidates or 300,000 CSV columns read in seconds.

Each test builds its file in tmp_path and checks what was read. The time is not asserted
(bench/bench_readers.py measures it, docs/benchmarks.md records it); a ceiling of two
minutes, some forty times what a linear reader takes on a busy machine, only stops a
quadratic reader, which needs a quarter of an hour or more for these files.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from grassroots.count.errors import BallotFileError
from grassroots.count.formats import read_ballots

CANDIDATES = 200_000
COLUMNS = 300_000
CEILING = 120.0  # seconds


@contextmanager
def ceiling() -> Iterator[None]:
    def stop(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"reading took more than {CEILING:.0f} s: the reader is not linear")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, CEILING)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def names(n: int) -> list[str]:
    return [f"Candidate {i}" for i in range(n)]


def test_a_blt_file_with_200000_candidates_reads_whole(tmp_path: Path) -> None:
    path = tmp_path / "many.blt"
    quoted = "\n".join(f'"{name}"' for name in names(CANDIDATES))
    path.write_text(
        f'{CANDIDATES} 2\n3 1 2 0\n2 {CANDIDATES} 5 0\n0\n{quoted}\n"Many"\n', encoding="utf-8"
    )
    with ceiling():
        election = read_ballots(path)
    assert len(election.candidates) == CANDIDATES
    assert election.candidates[-1] == f"Candidate {CANDIDATES - 1}"
    assert election.rankings == (((0,), (1,)), ((CANDIDATES - 1,), (4,)))
    assert election.weights == (3, 2) and election.title == "Many"


def test_a_blt_name_repeated_among_200000_is_found_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "repeat.blt"
    listed = [*names(CANDIDATES - 1), "Candidate 7"]
    quoted = "\n".join(f'"{name}"' for name in listed)
    path.write_text(f'{CANDIDATES} 1\n1 1 0\n0\n{quoted}\n"t"\n', encoding="utf-8")
    with ceiling(), pytest.raises(BallotFileError) as caught:
        read_ballots(path)
    where = f"{path}:{CANDIDATES + 3}"
    assert str(caught.value) == f"{where}: candidate name 'Candidate 7' is given twice"


def test_a_csv_file_with_300000_candidate_columns_reads_whole(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    row = [""] * COLUMNS
    row[0], row[7], row[COLUMNS - 1] = "1", "2", "3"
    path.write_text(",".join(names(COLUMNS)) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    with ceiling():
        election = read_ballots(path)
    assert len(election.candidates) == COLUMNS
    assert election.rankings == (((0,), (7,), (COLUMNS - 1,)),)


def test_a_csv_file_with_300000_rank_columns_reads_whole(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    header = ",".join(f"rank{k}" for k in range(1, COLUMNS + 1))
    forwards = ",".join(names(COLUMNS))
    backwards = ",".join(reversed(names(COLUMNS)))
    path.write_text(f"{header}\n{forwards}\n{backwards}\n", encoding="utf-8")
    with ceiling():
        election = read_ballots(path)
    assert len(election.candidates) == COLUMNS
    assert election.rankings[0][:2] == ((0,), (1,))
    assert election.rankings[1][:2] == ((COLUMNS - 1,), (COLUMNS - 2,))
    assert len(election.rankings[1]) == COLUMNS


def test_a_csv_header_repeated_among_300000_columns_is_found_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "repeat.csv"
    header = [*names(COLUMNS - 1), "Candidate 3"]
    path.write_text(",".join(header) + "\n" + ",".join(["1"] + [""] * (COLUMNS - 1)) + "\n")
    with ceiling(), pytest.raises(BallotFileError) as caught:
        read_ballots(path)
    assert str(caught.value) == (
        f"{path}:1: column {COLUMNS} (Candidate 3): the header 'Candidate 3' appears twice"
    )


def test_json_and_preflib_name_the_repeat_among_200000_candidates(tmp_path: Path) -> None:
    listed = [*names(CANDIDATES - 1), "Candidate 9"]
    as_json = tmp_path / "repeat.json"
    as_json.write_text(
        json.dumps(
            {"format": "grassroots-ballots", "version": 1, "seats": 1, "candidates": listed}
            | {"ballots": []}
        ),
        encoding="utf-8",
    )
    as_preflib = tmp_path / "repeat.soi"
    header = "".join(f"# ALTERNATIVE NAME {i}: {n}\n" for i, n in enumerate(listed, start=1))
    as_preflib.write_text(f"# NUMBER ALTERNATIVES: {CANDIDATES}\n{header}1: 1\n")
    with ceiling():
        with pytest.raises(BallotFileError, match=r"names repeat: Candidate 9$"):
            read_ballots(as_json)
        with pytest.raises(BallotFileError, match=r"alternative names repeat: Candidate 9$"):
            read_ballots(as_preflib)
