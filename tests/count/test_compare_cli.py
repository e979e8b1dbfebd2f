"""``grassroots compare`` and the constraint and HTML options of ``grassroots count``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from grassroots.cli.main import app

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = str(REPO / "examples" / "edinburgh-2017-ward1.blt")
DATA = REPO / "tests" / "data" / "constraints"
WOMEN = ["--group", "women=Pamela MITCHELL (SNP),Louise YOUNG (LD)"]

runner = CliRunner()


def test_compare_prints_who_is_elected_under_each_rule_and_marks_differences() -> None:
    result = runner.invoke(app, ["compare", EXAMPLE, "--rules", "scottish,fptp", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "scottish" in result.output and "fptp" in result.output
    assert "* Pamela MITCHELL (SNP)" in result.output
    assert "Elected under every rule:" in result.output


def test_compare_json_lists_elected_and_differences() -> None:
    result = runner.invoke(
        app, ["compare", EXAMPLE, "--rules", "scottish,meek,block", "--seed", "1", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rules"] == ["scottish", "meek", "block"]
    assert data["elected"]["scottish"][0] == "Kevin LANG (LD)"
    assert set(data["differs"]) <= set(data["candidates"])


def test_compare_with_slates_reports_seats_per_slate(tmp_path: Path) -> None:
    slates = tmp_path / "slates.csv"
    slates.write_text("Kevin LANG (LD),LD\nLouise YOUNG (LD),LD\nNorrie WORK (SNP),SNP\n")
    result = runner.invoke(
        app,
        ["compare", EXAMPLE, "--rules", "scottish,fptp", "--seed", "1", "--slates", str(slates)],
    )
    assert result.exit_code == 0, result.output
    assert "Seats per slate:" in result.output
    assert "Votes transferred between slates under scottish:" in result.output


def test_compare_with_a_minimum_counts_every_rule_under_it() -> None:
    result = runner.invoke(
        app,
        [
            "compare",
            EXAMPLE,
            "--rules",
            "scottish,meek",
            "--seed",
            "1",
            "-f",
            "json",
            *WOMEN,
            "--min",
            "women=2",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["constrained"] is True
    for elected in data["elected"].values():
        assert {"Pamela MITCHELL (SNP)", "Louise YOUNG (LD)"} <= set(elected)


def test_compare_html_page_holds_the_side_by_side_table_and_each_rules_report(
    tmp_path: Path,
) -> None:
    out = tmp_path / "compare.html"
    result = runner.invoke(
        app,
        [
            "compare",
            EXAMPLE,
            "--rules",
            "scottish,meek",
            "--seed",
            "1",
            "-f",
            "html",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "Who is elected under each rule" in html
    assert html.count('class="gr-report"') == 2


def test_count_writes_an_html_report_with_constraint_actions(tmp_path: Path) -> None:
    out = tmp_path / "result.html"
    result = runner.invoke(
        app,
        [
            "count",
            EXAMPLE,
            "--seed",
            "1",
            "--format",
            "html",
            "--output",
            str(out),
            *WOMEN,
            "--min",
            "women=2",
        ],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.startswith("<!doctype html>")
    assert "Constraint actions" in html
    assert "at least 2 of the seats to women" in html


def test_count_reads_groups_from_a_candidates_file(tmp_path: Path) -> None:
    groups = tmp_path / "groups.csv"
    groups.write_text("name,groups\nPamela MITCHELL (SNP),women\nLouise YOUNG (LD),women\n")
    result = runner.invoke(
        app,
        [
            "count",
            EXAMPLE,
            "--seed",
            "1",
            "-f",
            "json",
            "--groups",
            str(groups),
            "--min",
            "women=2",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "Pamela MITCHELL (SNP)" in data["elected"]
    assert any(s["action"] == "constraint" for s in data["stages"])


def test_count_names_an_unknown_candidate_in_a_group_and_exits_2() -> None:
    result = runner.invoke(
        app, ["count", EXAMPLE, "--group", "women=Pamela MITCHEL", "--min", "women=1"]
    )
    assert result.exit_code == 2
    assert "'Pamela MITCHEL' is not a candidate" in result.output
    assert "did you mean 'Pamela MITCHELL (SNP)'?" in result.output


def test_count_refuses_an_infeasible_minimum_before_counting() -> None:
    result = runner.invoke(app, ["count", EXAMPLE, *WOMEN, "--min", "women=3"])
    assert result.exit_code == 2
    assert "only 2 candidate(s) in women are standing" in result.output


def test_count_refuses_a_malformed_groups_file_naming_its_line() -> None:
    bad = DATA / "groups_bad_columns.csv"
    result = runner.invoke(app, ["count", EXAMPLE, "--groups", str(bad), "--min", "women=1"])
    assert result.exit_code == 2
    assert f"{bad}:1: expected 'name,group1;group2'" in result.output
