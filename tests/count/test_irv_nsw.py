"""``irv`` on NSW Legislative Assembly contests (2015-2023, optional preferential voting).

Source: PrefLib ED-00058 (NSWEC data, CC BY 4.0), in ``../shared/data/elections/nsw-la-irv``
(see its PROVENANCE.md). No official results are stored, so these tests check what must hold
anyway: exact totals at every stage, the winner's majority of continuing votes, agreement with
a deliberately naive recount written here, and a winner that no seed or ballot order changes;
then every one of the 186 contests for totals and lots.
Optional preferential voting needs nothing special: a paper whose marked preferences run out
is exhausted.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from grassroots.count.ballots import Election
from grassroots.count.formats import blt
from grassroots.count.rules import count
from tests.shared_data import SHARED_DATA, require_shared, shared_available

NSW = SHARED_DATA / "elections" / "nsw-la-irv"


def sample() -> list[str]:
    """A fixed spread: the first and last contest of each general election in the folder."""
    if not shared_available():
        return ["nsw-la-irv-absent"]  # the fixture's require_shared skips it
    names = sorted(p.name for p in NSW.iterdir() if (p / "ballots.blt").exists())
    chosen = []
    for year in ("2015", "2019", "2023"):
        of_year = [n for n in names if n.endswith(year)]
        chosen += [of_year[0], of_year[-1]]
    return chosen


def naive_rounds(election: Election, order: list[str]) -> list[dict[str, int]]:
    """Each round's tallies, recounted from scratch, excluding candidates in ``order``."""
    names = election.candidates
    rounds = []
    out: set[str] = set()
    for excluded in [None, *order]:
        if excluded is not None:
            out.add(excluded)
        tally = {names[c]: 0 for c in election.hopeful if names[c] not in out}
        for ranking, weight in election.effective_rankings():
            for rank in ranking:
                live = [names[c] for c in rank if names[c] not in out]
                if live:
                    if len(live) == 1:
                        tally[live[0]] += weight
                    break
        rounds.append(tally)
    return rounds


@pytest.fixture(scope="module", params=sample())
def contest(request: pytest.FixtureRequest) -> Election:
    path: Path = require_shared("elections", "nsw-la-irv", request.param, "ballots.blt")
    return blt.read(path)


def test_irv_totals_are_exact_and_the_winner_has_a_majority_of_continuing_votes(
    contest: Election,
) -> None:
    result = count(contest, "irv", seed=1)
    valid = Decimal(sum(w for _, w in contest.effective_rankings()))
    assert result.valid_votes == valid
    for stage in result.stages:
        assert sum(stage.votes.values(), Decimal(0)) + stage.non_transferable == valid
    last = result.stages[-1]
    (winner,) = result.elected
    live = valid - last.non_transferable
    assert 2 * last.votes[winner] > live or sum(1 for v in last.votes.values() if v) == 1
    # Exhausted papers only accumulate.
    nts = [s.non_transferable for s in result.stages]
    assert nts == sorted(nts)


def test_irv_agrees_stage_by_stage_with_a_naive_recount(contest: Election) -> None:
    result = count(contest, "irv", seed=1)
    order = [name for stage in result.stages for name in stage.excluded]
    for stage, tally in zip(result.stages, naive_rounds(contest, order), strict=True):
        assert {k: v for k, v in stage.votes.items() if k in tally} == tally, stage.number


def test_irv_winner_does_not_depend_on_the_seed_or_the_ballot_order(contest: Election) -> None:
    first = count(contest, "irv", seed=1)
    reordered = Election(
        contest.candidates,
        contest.seats,
        tuple(reversed(contest.rankings)),
        tuple(reversed(contest.weights)),
        title=contest.title,
    )
    again = count(reordered, "irv", seed=2)
    assert first.elected == again.elected
    if not first.tie_breaks and not again.tie_breaks:
        assert [s.to_dict(0)["votes"] for s in first.stages] == [
            s.to_dict(0)["votes"] for s in again.stages
        ]


def test_every_nsw_contest_counts_with_exact_totals_and_a_winner_no_lot_changes() -> None:
    root = require_shared("elections", "nsw-la-irv")
    contests = sorted(p for p in root.iterdir() if (p / "ballots.blt").exists())
    assert len(contests) >= 180
    lots = []
    for directory in contests:
        election = blt.read(directory / "ballots.blt")
        first = count(election, "irv", seed=1)
        for stage in first.stages:
            assert stage.total == first.valid_votes, (directory.name, stage.number)
        if first.tie_breaks:
            lots.append(directory.name)
            for seed in range(2, 6):
                assert count(election, "irv", seed=seed).elected == first.elected, directory.name
    # One contest needs a lot (newcastle-2019: two candidates level on first preferences).
    assert len(lots) <= 3, lots
