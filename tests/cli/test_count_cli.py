"""``grassroots count``: the documented JSON shape, the text sheet, exit codes and errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from grassroots.cli.main import app
from grassroots.count.formats import blt
from tests.shared_data import REPO

EXAMPLE = REPO / "examples" / "edinburgh-2017-ward1.blt"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_output_has_the_documented_shape_with_names_from_the_file() -> None:
    code, out, _ = run("count", str(EXAMPLE), "--format", "json")
    assert code == 0
    data = json.loads(out)
    names = set(blt.read(EXAMPLE).candidates)
    assert data["rule"] == "scottish"
    assert data["seats"] == 4
    assert data["quota"] == "2842.00000"  # floor(14207 / 5) + 1, at the rule's 5 places
    assert len(data["elected"]) == 4 and set(data["elected"]) <= names
    first = data["stages"][0]
    assert first["number"] == 1 and first["action"] == "first" and first["subject"] is None
    assert set(first["votes"]) == names
    assert all(v.count(".") == 1 and len(v.split(".")[1]) == 5 for v in first["votes"].values())
    assert first["non_transferable"] == "0.00000"
    assert isinstance(first["note"], str)
    assert [s["number"] for s in data["stages"]] == list(range(1, len(data["stages"]) + 1))


def test_text_output_is_a_stage_by_stage_sheet() -> None:
    code, out, _ = run("count", str(EXAMPLE))
    assert code == 0
    assert out.startswith("Ward 1 - Almond: 4 seat(s), counted under scottish")
    assert "Stage 1" in out and "Non-transferable" in out
    assert "Elected, in order:" in out


def test_seats_option_overrides_the_files_own(tmp_path: Path) -> None:
    code, out, _ = run("count", str(EXAMPLE), "--seats", "2", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["seats"] == 2 and len(data["elected"]) == 2
    assert data["quota"] == "4736.00000"  # floor(14207 / 3) + 1


def test_output_option_writes_the_result_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    code, out, _ = run("count", str(EXAMPLE), "--format", "json", "--output", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["rule"] == "scottish"


def test_the_seed_is_recorded_so_a_count_can_be_replayed() -> None:
    code, out, _ = run("count", str(EXAMPLE), "--format", "json", "--seed", "42")
    assert code == 0 and json.loads(out)["seed"] == 42


def test_a_malformed_file_exits_2_with_one_line_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "ward7.blt"
    bad.write_text('3 1\n1 1 2 0\nx 2 0\n0\n"A"\n"B"\n"C"\n"T"\n', encoding="utf-8")
    code, out, err = run("count", str(bad))
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0
    assert f"{bad}:3:" in err and "'x'" in err


def test_an_unknown_rule_exits_2_listing_the_rules() -> None:
    code, _, err = run("count", str(EXAMPLE), "--rule", "condorcet")
    assert code == 2
    assert "unknown rule 'condorcet'" in err and "scottish" in err


def test_a_missing_file_exits_2_saying_so(tmp_path: Path) -> None:
    code, _, err = run("count", str(tmp_path / "absent.blt"))
    assert code == 2 and "cannot read the file" in err


def test_python_dash_m_grassroots_runs_the_same_command() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "grassroots",
            "count",
            str(EXAMPLE),
            "--rule",
            "meek",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout)["rule"] == "meek"


def test_irregular_papers_are_listed_in_the_json_and_the_text_result(tmp_path: Path) -> None:
    ballots = tmp_path / "marked-twice.blt"
    ballots.write_text('2 1\n3 1 2 1 0\n2 2 0\n0\n"Asha"\n"Ben"\n"Twice"\n', encoding="utf-8")
    code, out, _ = run("count", str(ballots), "--rule", "irv", "--format", "json")
    assert code == 0
    assert json.loads(out)["irregularities"] == [
        f"{ballots}:2: candidate 1 ranked twice; the later mark is ignored"
    ]
    code, out, _ = run("count", str(ballots), "--rule", "irv")
    assert "Irregular papers (1):" in out and f"{ballots}:2: candidate 1 ranked twice" in out
