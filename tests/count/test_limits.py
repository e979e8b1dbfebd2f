"""The engine never overflows silently: at each rule's limit it counts exactly, past it it refuses.

The limits come from the 64-bit arithmetic of the packed ballots (see ``count/limits.py`` and
docs/guide/counting.md). Each rule is counted at its limit twice: from grouped rankings and
from packed arrays only, so both the Python and the numpy paths are held to it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grassroots.cli.main import app
from grassroots.count.ballots import Election
from grassroots.count.errors import BallotFileError, InputError
from grassroots.count.formats import read_ballots
from grassroots.count.limits import INT64_MAX, MAX_BALLOTS, ballot_limit
from grassroots.count.rules import RULES, count

NAMES = ("A", "B", "C")
LIMITS = {
    "scottish": 92_233_720_368_547,  # (2**63 - 1) // 10**5
    "ers97": INT64_MAX,
    "meek": 9_223_372_036,  # (2**63 - 1) // 10**9
    "warren": 9_223_372_036,
    "irv": INT64_MAX,
    "fptp": INT64_MAX,
    "block": INT64_MAX,
    "borda": INT64_MAX // 6,  # three candidates: 3 x 2 half points a paper at most
}


def test_every_rule_has_a_limit_in_this_table() -> None:
    assert set(LIMITS) == set(RULES)
    assert all(ballot_limit(rule, 3) == limit for rule, limit in LIMITS.items())


def three_way(total: int, *, packed: bool) -> tuple[Election, tuple[int, int, int]]:
    """Ballots "A B" x w1, "B" x w2, "C A" x w3, with w1 + w2 + w3 = total."""
    w1, w2 = total // 2, total // 3
    w3 = total - w1 - w2
    election = Election.from_pairs(
        NAMES, 1, [(((0,), (1,)), w1), (((1,),), w2), (((2,), (0,)), w3)], source="big.blt"
    )
    if packed:
        election = Election.from_packed(NAMES, 1, election.packed)
    return election, (w1, w2, w3)


@pytest.mark.parametrize("packed", [False, True], ids=["grouped", "packed"])
@pytest.mark.parametrize("rule", list(LIMITS))
def test_each_rule_counts_exactly_at_its_limit(rule: str, packed: bool) -> None:
    election, (w1, w2, w3) = three_way(LIMITS[rule], packed=packed)
    result = count(election, rule, seed=1)
    first = result.stages[0].votes
    if rule == "borda":  # 2 points for first place, 1 for second
        expected = {"A": 2 * w1 + w3, "B": w1 + 2 * w2, "C": 2 * w3}
        assert result.valid_votes == 3 * LIMITS[rule]
    else:
        expected = {"A": w1, "B": w2, "C": w3}
        assert result.valid_votes == LIMITS[rule]
    assert dict(first) == {name: Decimal(v) for name, v in expected.items()}
    assert all(stage.total == result.valid_votes for stage in result.stages)
    assert result.elected == ("A",)


@pytest.mark.parametrize("packed", [False, True], ids=["grouped", "packed"])
@pytest.mark.parametrize("rule", [r for r, limit in LIMITS.items() if limit < MAX_BALLOTS])
def test_each_rule_refuses_one_ballot_past_its_limit(rule: str, packed: bool) -> None:
    election, _ = three_way(LIMITS[rule] + 1, packed=packed)
    with pytest.raises(InputError) as caught:
        count(election, rule, seed=1)
    message = str(caught.value)
    assert f"the ballots add up to {LIMITS[rule] + 1}, more than the {LIMITS[rule]}" in message
    assert f"that the {rule} rule counts exactly" in message and "\n" not in message


@pytest.mark.parametrize("packed", [False, True], ids=["grouped", "packed"])
def test_ballots_past_two_to_the_63_are_refused_before_any_rule_counts(packed: bool) -> None:
    if packed:
        # Each weight fits int64, but their sum would wrap round to a negative number.
        grouped, _ = three_way(INT64_MAX, packed=False)
        arrays = grouped.packed
        arrays.weights[0] += 1  # the sum is now 2**63
        with pytest.raises(InputError, match=f"adding up to at most {MAX_BALLOTS}"):
            Election.from_packed(NAMES, 1, arrays)
        return
    with pytest.raises(InputError) as caught:
        three_way(MAX_BALLOTS + 1, packed=False)
    assert str(caught.value) == (
        "big.blt: the ballot weights add up to 9223372036854775808, more than "
        "9223372036854775807, the most ballots counted"
    )


def blt(path: Path, weights: list[int]) -> Path:
    lines = ["3 1", *(f"{w} {k % 3 + 1} 0" for k, w in enumerate(weights)), "0"]
    path.write_text("\n".join([*lines, '"A"', '"B"', '"C"', '"big"']) + "\n", encoding="utf-8")
    return path


runner = CliRunner()


@pytest.mark.parametrize("rule", list(LIMITS))
def test_the_cli_counts_at_the_limit_and_refuses_past_it_with_one_line(
    tmp_path: Path, rule: str
) -> None:
    limit = LIMITS[rule]
    at = blt(tmp_path / "at.blt", [limit // 2, limit // 3, limit - limit // 2 - limit // 3])
    assert runner.invoke(app, ["count", str(at), "--rule", rule, "--seed", "1"]).exit_code == 0
    past = blt(tmp_path / "past.blt", [limit // 2, limit // 3, limit - limit // 2 - limit // 3 + 1])
    result = runner.invoke(app, ["count", str(past), "--rule", rule, "--seed", "1"])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    if limit < MAX_BALLOTS:
        assert line.startswith(f"error: {past}: the ballots add up to {limit + 1}, more than")
    else:  # the file itself passes 2**63 - 1 at its fourth line
        assert line == (
            f"error: {past}:4: the ballot weights add up to {limit + 1} by here, more than "
            f"{MAX_BALLOTS}, the most ballots counted"
        )


BIG = 10**19


@pytest.mark.parametrize(
    ("name", "text", "line", "where"),
    [
        ("weight.blt", f'2 1\n3 1 2 0\n{BIG} 2 0\n0\n"A"\n"B"\n"t"\n', 3, ""),
        ("weight.csv", f"weight,1,2\n3,A,B\n{BIG},B,\n", 3, "column 1 (weight): "),
        (
            "weight.json",
            '{"format": "grassroots-ballots", "version": 1, "seats": 1,\n'
            ' "candidates": ["A", "B"],\n'
            f' "ballots": [{{"weight": 3, "ranking": ["A"]}},\n  {{"weight": {BIG}, '
            '"ranking": ["B"]}]}\n',
            4,
            "ballots[1].weight: ",
        ),
        (
            "weight.soi",
            "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n"
            f"3: 1,2\n{BIG}: 2\n",
            5,
            "",
        ),
    ],
)
def test_every_reader_refuses_a_weight_past_2_to_the_63_naming_the_line(
    tmp_path: Path, name: str, text: str, line: int, where: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BallotFileError) as caught:
        read_ballots(path)
    assert str(caught.value) == (
        f"{path}:{line}: {where}a ballot weight of {BIG} is more than {MAX_BALLOTS}, "
        "the most ballots counted"
    )
