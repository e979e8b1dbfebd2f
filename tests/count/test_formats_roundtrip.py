"""Round trips: any election a ballot file can hold is written and read back unchanged."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.count.ballots import Election, group_ballots
from grassroots.count.formats import blt, preflib
from grassroots.count.formats import csv as csv_format
from grassroots.count.formats import json as json_format
from tests.strategies import ballot_file_elections

SETTINGS = settings(max_examples=100, deadline=None)


@SETTINGS
@given(ballot_file_elections())
def test_blt_reads_back_what_it_writes(election: Election) -> None:
    assert blt.loads(blt.dumps(election)) == election


@SETTINGS
@given(ballot_file_elections(), st.lists(st.text(max_size=40), max_size=3))
def test_json_reads_back_what_it_writes_irregularities_included(
    election: Election, notes: list[str]
) -> None:
    noted = Election(
        election.candidates,
        election.seats,
        election.rankings,
        election.weights,
        election.title,
        election.withdrawn,
        tuple(notes),
    )
    assert json_format.loads(json_format.dumps(noted)) == noted


@SETTINGS
@given(ballot_file_elections(withdrawn=False))
def test_preflib_reads_back_what_it_writes_given_the_seats(election: Election) -> None:
    assert preflib.loads(preflib.dumps(election), seats=election.seats) == election


def _candidate_columns_csv(election: Election) -> str:
    """The election as a candidates-layout CSV with a weight column (a test-only writer)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*election.candidates, "__weight__"])
    for ranking, weight in zip(election.rankings, election.weights, strict=True):
        cells = [""] * len(election.candidates)
        for number, rank in enumerate(ranking, start=1):
            for c in rank:
                cells[c] = str(number)
        writer.writerow([*cells, str(weight)])
    return out.getvalue()


def _rank_columns_csv(election: Election) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    width = max([len(r) for r in election.rankings] + [1])
    writer.writerow([*(f"rank{k}" for k in range(1, width + 1)), "weight"])
    for ranking, weight in zip(election.rankings, election.weights, strict=True):
        names = [election.candidates[r[0]] for r in ranking]
        writer.writerow([*names, *[""] * (width - len(names)), str(weight)])
    return out.getvalue()


def _csv_safe(election: Election) -> bool:
    # a blank header is refused, and the reader strips cells
    return all(name and name == name.strip() for name in election.candidates)


@SETTINGS
@given(ballot_file_elections(withdrawn=False))
def test_csv_candidate_columns_read_back_every_ranking_equal_ranks_included(
    election: Election,
) -> None:
    if not _csv_safe(election) or "__weight__" in election.candidates:
        return
    text = _candidate_columns_csv(election)
    read = csv_format.loads(
        text,
        layout="candidates",
        weight_column="__weight__",
        seats=election.seats,
        title=election.title,
    )
    irregular_ties = any(len(rank) > 1 for r in election.rankings for rank in r)
    # a rank is a set: the columns cannot say in which order equal candidates were listed
    expected = group_ballots(
        (tuple(tuple(sorted(rank)) for rank in r), w)
        for r, w in zip(election.rankings, election.weights, strict=True)
    )
    assert read.candidates == election.candidates
    assert (read.rankings, read.weights) == (tuple(expected), tuple(expected.values()))
    assert bool(read.irregularities) == irregular_ties  # equal ranks are recorded


@SETTINGS
@given(ballot_file_elections(withdrawn=False, equal_ranks=False))
def test_csv_rank_columns_read_back_every_strict_ranking(election: Election) -> None:
    if not _csv_safe(election):
        return
    text = _rank_columns_csv(election)
    read = csv_format.loads(
        text, layout="ranks", candidates=election.candidates, seats=election.seats
    )
    assert (read.rankings, read.weights, read.irregularities) == (
        election.rankings,
        election.weights,
        (),
    )
