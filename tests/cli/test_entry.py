"""The ``grassroots`` console script: ``count`` by the quick path, the same bytes as typer.

Every case runs twice in a fresh interpreter, once through the console script's entry point
(``grassroots.cli.entry:main``) and once through the typer app it used to be, and the two
must agree byte for byte on standard output, standard error and the exit code, whether the
quick path or typer answers.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from grassroots.cli.entry import count_arguments
from tests.shared_data import REPO

EXAMPLE = str(REPO / "examples" / "edinburgh-2017-ward1.blt")
CONSTRAINTS = REPO / "tests" / "data" / "constraints"
WOMEN = ["--group", "women=Pamela MITCHELL (SNP),Louise YOUNG (LD)"]

_ENTRY = "import sys; sys.argv[0] = 'grassroots'; from grassroots.cli.entry import main; main()"
_TYPER = "import sys; sys.argv[0] = 'grassroots'; from grassroots.cli.main import app; app()"


def run(code: str, args: list[str], cwd: Path) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, cwd=cwd, timeout=120
    )
    return done.returncode, done.stdout, done.stderr


def bad_blt(tmp_path: Path) -> str:
    bad = tmp_path / "ward7.blt"
    bad.write_text('3 1\n1 1 2 0\nx 2 0\n0\n"A"\n"B"\n"C"\n"T"\n', encoding="utf-8")
    return str(bad)


CASES: dict[str, list[str]] = {
    "text": ["count", EXAMPLE, "--seed", "7"],
    "json": ["count", EXAMPLE, "--format", "json", "--seed", "7"],
    "html": ["count", EXAMPLE, "-f", "html", "--seed", "7"],
    "short options and an option before the file": [
        "count",
        "-r",
        "meek",
        "-s",
        "2",
        EXAMPLE,
        "--seed",
        "5",
    ],
    "equals signs": ["count", EXAMPLE, "--rule=ers97", "--seats=3", "--format=json", "--seed=1"],
    "groups and a minimum": ["count", EXAMPLE, *WOMEN, "--min", "women=2", "--seed", "1"],
    "a groups file": [
        "count",
        EXAMPLE,
        "--groups",
        str(CONSTRAINTS / "groups_bad_columns.csv"),
        "--min",
        "women=1",
    ],
    "an unknown candidate in a group": ["count", EXAMPLE, "--group", "women=Pamela MITCHEL"],
    "an infeasible minimum": ["count", EXAMPLE, *WOMEN, "--min", "women=3"],
    "a maximum and a slates file": [
        "count",
        EXAMPLE,
        "--max",
        "women=1",
        *WOMEN,
        "--slates",
        str(CONSTRAINTS / "slates.csv"),
        "--seed",
        "3",
    ],
    "an unknown rule": ["count", EXAMPLE, "--rule", "condorcet"],
    "no seats": ["count", EXAMPLE, "--seats", "0"],
    "a missing file": ["count", "absent.blt"],
    "an unknown extension": ["count", "ballots.txt"],
    "a missing groups file": ["count", EXAMPLE, "--groups", "absent.csv"],
    "--help": ["count", "--help"],
    "help after the file": ["count", EXAMPLE, "--help"],
    "an unknown option": ["count", EXAMPLE, "--sets", "2"],
    "no file": ["count"],
    "two files": ["count", EXAMPLE, EXAMPLE],
    "a missing value": ["count", EXAMPLE, "--seats"],
    "a word for seats": ["count", EXAMPLE, "--seats", "two"],
    "a negative seed": ["count", EXAMPLE, "--seed", "-1", "-f", "json"],
    "seats with a leading zero": ["count", EXAMPLE, "--seats", "02", "--seed", "5"],
    "seats given twice": ["count", EXAMPLE, "-s", "2", "-s", "3", "--seed", "5"],
    "an unknown format": ["count", EXAMPLE, "--format", "xml"],
    "a format in capitals": ["count", EXAMPLE, "--format", "JSON"],
    "the double dash": ["count", "--", EXAMPLE],
    "the whole program's help": ["--help"],
    "no command": [],
    "another command": ["compare", EXAMPLE, "--rules", "scottish,meek", "--seed", "2"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_console_script_answers_byte_for_byte_as_the_typer_app(
    case: str, tmp_path: Path
) -> None:
    args = CASES[case]
    ours = run(_ENTRY, args, tmp_path)
    theirs = run(_TYPER, args, tmp_path)
    assert ours == theirs
    assert theirs[0] in (0, 2)


def test_a_malformed_ballot_file_gives_the_same_one_line_error_both_ways(tmp_path: Path) -> None:
    args = ["count", bad_blt(tmp_path), "-f", "json"]
    ours = run(_ENTRY, args, tmp_path)
    assert ours == run(_TYPER, args, tmp_path)
    assert ours[0] == 2 and ours[1] == b""
    assert ours[2].decode().startswith(f"error: {tmp_path}/ward7.blt:3:")


def test_an_output_file_is_written_the_same_both_ways(tmp_path: Path) -> None:
    for code, name in ((_ENTRY, "ours.json"), (_TYPER, "theirs.json")):
        done = run(code, ["count", EXAMPLE, "-f", "json", "--seed", "4", "-o", name], tmp_path)
        assert done == (0, b"", b"")
    assert (tmp_path / "ours.json").read_bytes() == (tmp_path / "theirs.json").read_bytes()


def test_a_count_from_the_console_script_loads_neither_typer_nor_click_nor_pydantic(
    tmp_path: Path,
) -> None:
    code = (
        "import sys\n"
        "from grassroots.cli.entry import main\n"
        "try:\n"
        f"    main(['count', {EXAMPLE!r}, '--format', 'json', '-o', 'out.json'])\n"
        "except SystemExit as done:\n"
        "    print(done.code)\n"
        "heavy = ('typer', 'click', 'pydantic', 'django', 'rich')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert done.stdout.split("\n")[:2] == ["0", "[]"]
    assert (tmp_path / "out.json").exists()


def test_the_plain_count_arguments_are_read_and_anything_else_is_left_to_typer() -> None:
    assert count_arguments(
        [EXAMPLE, "-r", "meek", "--seats=3", "--min", "a=1", "--min", "b=1"]
    ) == {
        "file": Path(EXAMPLE),
        "rule": "meek",
        "seats": 3,
        "minimum": ["a=1", "b=1"],
    }
    for args in (
        [EXAMPLE, "--help"],
        [EXAMPLE, "-s=3"],
        [EXAMPLE, "--seats", "+3"],
        [EXAMPLE, "--seats", "٣"],
        [EXAMPLE, "--seed", "1" * 19],
        [EXAMPLE, "--output", ""],
        [EXAMPLE, "--rule"],
        ["", "--rule", "meek"],
    ):
        assert count_arguments(args) is None, args


def test_the_installed_script_is_the_quick_entry_point() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["grassroots"] == "grassroots.cli.entry:main"
