"""Every example in the user guide runs as the guide shows, so the guide cannot drift.

Sources: ``docs/guide/counting.md``, ``docs/guide/rules.md`` and ``README.md``. In a fenced
``console`` block, a line ``$ grassroots ...`` is a command, run from the repository root with
typer's in-process runner; the lines under it, up to the next ``$``, are output lines that must
appear in that order, each as a whole line (``...`` stands for lines left out). A command whose
shown output has a line starting ``error:`` must exit with 2, any other with 0. A file named
by ``--output``/``-o`` is written under the test's temporary folder and must not be empty.
A fenced block right after ``<!-- file: PATH -->`` must be exactly the contents of PATH. The
guide's JSON field tables and its list of stage actions are checked against what the program
writes, and its promise that a recorded seed replays a count is checked too.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grassroots.cli.main import app
from grassroots.count.stages import ACTIONS
from tests.shared_data import REPO

GUIDES = (
    REPO / "docs" / "guide" / "counting.md",
    REPO / "docs" / "guide" / "rules.md",
    REPO / "README.md",
)
FENCE = re.compile(r"^```(\w*)\s*$")
FILE_MARK = re.compile(r"^<!-- file: (\S+) -->\s*$")
PROGRAM_NAMES = ("grassroots", ".venv/bin/grassroots")
OUTPUT_OPTIONS = ("--output", "-o")

# Examples that fail because of a known bug in the program, not in the guide: the reason
# names the bug. Keyed by the command line as written in the guide.
KNOWN_BUGS: dict[str, str] = {}


@dataclass(frozen=True)
class Example:
    """One ``$ grassroots ...`` line of a guide and the output shown under it."""

    source: str
    line: int
    command: str
    shown: tuple[str, ...]

    @property
    def exit_code(self) -> int:
        """2 where the guide shows an error line, else 0."""
        return 2 if any(s.startswith("error:") for s in self.shown) else 0


@dataclass(frozen=True)
class ShownFile:
    """A fenced block that the guide says is the contents of a file."""

    source: str
    line: int
    path: str
    text: str


def fenced_blocks(path: Path) -> list[tuple[int, str, list[str], str | None]]:
    """(first line number, language, lines, file named just above) of each fenced block."""
    blocks: list[tuple[int, str, list[str], str | None]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    marked: str | None = None
    while i < len(lines):
        mark = FILE_MARK.match(lines[i])
        if mark:
            marked = mark.group(1)
            i += 1
            continue
        fence = FENCE.match(lines[i])
        if fence:
            start = i + 1
            end = start
            while end < len(lines) and lines[end].rstrip() != "```":
                end += 1
            blocks.append((start + 1, fence.group(1), lines[start:end], marked))
            marked = None
            i = end + 1
            continue
        if lines[i].strip():
            marked = None
        i += 1
    return blocks


def examples_in(path: Path) -> list[Example]:
    """The console examples of one guide."""
    found: list[Example] = []
    source = path.relative_to(REPO).as_posix()
    for first, language, lines, _ in fenced_blocks(path):
        if language != "console":
            continue
        current: tuple[int, str] | None = None
        shown: list[str] = []
        for offset, line in enumerate(lines):
            if line.startswith("$ "):
                if current is not None:
                    found.append(Example(source, current[0], current[1], tuple(shown)))
                current, shown = (first + offset, line[2:].strip()), []
            elif current is not None:
                shown.append(line.rstrip())
        if current is not None:
            found.append(Example(source, current[0], current[1], tuple(shown)))
    return found


def shown_files_in(path: Path) -> list[ShownFile]:
    """The blocks a guide presents as the contents of a named file."""
    source = path.relative_to(REPO).as_posix()
    return [
        ShownFile(source, first, marked, "\n".join(lines) + "\n")
        for first, _, lines, marked in fenced_blocks(path)
        if marked is not None
    ]


EXAMPLES = [e for guide in GUIDES if guide.exists() for e in examples_in(guide)]
SHOWN_FILES = [f for guide in GUIDES if guide.exists() for f in shown_files_in(guide)]


def arguments(example: Example, tmp_path: Path) -> tuple[list[str], list[Path]]:
    """The command's arguments for the runner, with output files moved under ``tmp_path``."""
    words = shlex.split(example.command)
    assert words and words[0] in PROGRAM_NAMES, (
        f"{example.source}:{example.line}: an example must run grassroots, found {words[:1]}"
    )
    args = words[1:]
    outputs: list[Path] = []
    for k, word in enumerate(args[:-1]):
        if word in OUTPUT_OPTIONS:
            target = tmp_path / Path(args[k + 1]).name
            args[k + 1] = str(target)
            outputs.append(target)
    return args, outputs


def appear_in_order(shown: tuple[str, ...], printed: list[str]) -> str | None:
    """The first shown line missing from ``printed`` (in order), or ``None`` if all appear."""
    position = 0
    for line in shown:
        if line.strip() in ("", "..."):
            continue
        try:
            position = printed.index(line, position) + 1
        except ValueError:
            return line
    return None


def example_id(example: Example) -> str:
    return f"{example.source}:{example.line}"


def marks(example: Example) -> list[pytest.MarkDecorator]:
    reason = KNOWN_BUGS.get(example.command)
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


def test_the_guides_have_examples_to_run() -> None:
    assert len(EXAMPLES) >= 30, [example_id(e) for e in EXAMPLES]
    assert any(e.exit_code == 2 for e in EXAMPLES)
    assert len(SHOWN_FILES) >= 5


def test_every_option_of_count_and_compare_appears_in_an_example() -> None:
    used = {word for e in EXAMPLES for word in shlex.split(e.command)}
    options = {"--rule", "--seats", "--format", "--output", "--seed", "--groups", "--group"}
    options |= {"--min", "--max", "--slates", "--rules", "compare", "count"}
    assert options <= used, sorted(options - used)
    for fmt in ("json", "html"):
        assert any(f"--format {fmt}" in e.command for e in EXAMPLES), fmt
    for rule in ("scottish", "ers97", "meek", "warren", "irv", "fptp", "block", "borda"):
        assert any(rule in e.command for e in EXAMPLES), rule


@pytest.mark.parametrize(
    "example",
    [pytest.param(e, id=example_id(e), marks=marks(e)) for e in EXAMPLES],
)
def test_a_guide_example_exits_and_prints_as_the_guide_shows(
    example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    args, outputs = arguments(example, tmp_path)
    result = CliRunner().invoke(app, args)
    where = f"{example.source}:{example.line}: {example.command}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{where}: raised {result.exception!r}"
    )
    assert result.exit_code == example.exit_code, (
        f"{where}: exit {result.exit_code}\n{result.output}"
    )
    printed = [line.rstrip() for line in result.output.splitlines()]
    missing = appear_in_order(example.shown, printed)
    assert missing is None, (
        f"{where}: the guide shows a line the program did not print (in order):\n"
        f"{missing}\n--- printed:\n{result.output}"
    )
    for target in outputs:
        assert target.is_file() and target.stat().st_size > 0, f"{where}: {target.name} not written"
    if outputs and not example.shown:
        assert result.output == "", f"{where}: the guide says nothing is printed with --output"


@pytest.mark.parametrize("shown", [pytest.param(f, id=f"{f.source}:{f.line}") for f in SHOWN_FILES])
def test_a_file_the_guide_shows_is_exactly_the_file_in_the_repository(shown: ShownFile) -> None:
    path = REPO / shown.path
    assert path.is_file(), f"{shown.source}:{shown.line}: {shown.path} does not exist"
    assert path.read_text(encoding="utf-8") == shown.text, (
        f"{shown.source}:{shown.line}: the block differs from {shown.path}"
    )


def test_a_shown_line_missing_from_the_output_is_caught() -> None:
    printed = ["a", "b", "c"]
    assert appear_in_order(("a", "...", "c"), printed) is None
    assert appear_in_order(("c", "a"), printed) == "a"
    assert appear_in_order(("d",), printed) == "d"


def test_an_error_line_makes_the_example_expect_exit_two() -> None:
    assert Example("x", 1, "grassroots count f", ("error: f: bad",)).exit_code == 2
    assert Example("x", 1, "grassroots count f", ("Elected, in order: A",)).exit_code == 0


def documented_fields(heading: str) -> list[str]:
    """The field names in the first column of the table after the guide's ``heading``."""
    text = GUIDES[0].read_text(encoding="utf-8")
    after = text[text.index(heading) :]
    rows = re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)? \|", after, flags=re.MULTILINE)
    fields: list[str] = []
    for row in rows:
        fields.extend(name for name in row if name)
    return fields


def test_the_json_fields_the_guide_lists_are_the_fields_the_program_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(
        app, ["count", "tests/docs/data/branch.blt", "--format", "json", "--seed", "1"]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    top = documented_fields("The top level:")
    assert top[: len(data)] == list(data), "the top-level table is out of date"
    stage = documented_fields("Each stage:")
    assert set(stage[: len(data["stages"][0])]) == set(data["stages"][0]), (
        "the stage table is out of date"
    )
    actions = set(re.findall(r"`(\w+)` \(", GUIDES[0].read_text(encoding="utf-8")))
    assert actions >= ACTIONS, sorted(ACTIONS - actions)


def test_a_count_replayed_with_its_recorded_seed_is_identical_as_the_guide_promises(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(REPO)
    for rule in ("irv", "fptp", "scottish", "meek"):
        args = ["count", "tests/docs/data/tie.blt", "--rule", rule, "--format", "json"]
        first = CliRunner().invoke(app, args)
        assert first.exit_code == 0
        seed = json.loads(first.stdout)["seed"]
        again = CliRunner().invoke(app, [*args, "--seed", str(seed)])
        assert again.stdout == first.stdout, rule


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.MULTILINE)}


def test_every_link_between_the_guides_leads_somewhere() -> None:
    for guide in GUIDES:
        text = guide.read_text(encoding="utf-8")
        for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]+))?\)", text):
            if target.startswith("http"):
                continue
            path = (guide.parent / target) if target else guide
            assert path.exists(), f"{guide.name}: link to missing {target}"
            if anchor:
                assert anchor in anchors(path), f"{guide.name}: no heading for #{anchor}"


@pytest.mark.parametrize("command", ["count", "compare"])
def test_every_option_the_program_offers_is_in_the_guide(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    offered = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", result.output)) - {"--help"}
    guide = GUIDES[0].read_text(encoding="utf-8")
    assert offered, result.output
    missing = sorted(o for o in offered if f"`{o}" not in guide)
    assert not missing, f"grassroots {command} offers options the guide does not explain"
