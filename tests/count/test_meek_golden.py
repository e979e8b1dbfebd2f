"""Meek counts checked stage by stage against Droop's PRF reference rule (``meek-prf``).

Sources: Droop 0.14 (jklundell/droop, GPL-3.0) reference outputs ``test/ref/json`` for its
test ballots, and the anchor runs of Droop 0.14 ``meek-prf`` on 40 real elections (see
``../shared/data/reference/anchor-runs/README.md``). A few are vendored in
``tests/data/meek`` (see its PROVENANCE.md); the rest are read from ``../shared`` if present.

Droop stage ``k`` is Droop round ``k - 1``; the votes compared are those at the end of the
iteration that decided the round. Ties for defeat are broken in ballot order as Droop does.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from grassroots.count.ballots import Election
from grassroots.count.formats import blt
from grassroots.count.rules import CountOptions, meek
from grassroots.count.stages import CountResult
from tests.shared_data import SHARED_DATA, TEST_DATA, require_shared, shared_available

VENDORED = TEST_DATA / "meek"
OUT = Path(__file__).resolve().parents[1] / "out"


def read_droop_blt(path: Path) -> Election:
    """A Droop test ballot file; its ``[tie ...]`` line (none of the counts needs it) dropped."""
    text = path.read_text(encoding="utf-8-sig")
    text = re.sub(r"^\[tie[^\]]*\]\s*$", "", text, flags=re.MULTILINE)
    return blt.loads(text, source=str(path))


def count_like_droop(election: Election, seats: int | None = None) -> CountResult:
    """Meek with Droop's default tie-break: the candidate listed first in the file loses."""
    options = CountOptions("meek", seats or election.seats, seed=0)
    return meek.count(election, options, tie_order=range(len(election.candidates)))


def nine(value: Decimal) -> str:
    return f"{value:.9f}"


def mismatches(result: CountResult, reference: dict[str, Any], *, quirk: bool) -> list[str]:
    """Differences between our stages and Droop's, in words (empty when they agree).

    With ``quirk``, the last stage may show 0 for a candidate defeated in that very stage:
    Droop's anchor JSON records the state after its last action, and when Droop defeats
    several candidates at the end it zeroes all but the last of them (display only; our
    stage keeps the votes the iteration left, so that votes + non-transferable = total).
    """
    problems = []
    if list(result.elected) != reference["elected"]:
        problems.append(f"elected {list(result.elected)}, Droop {reference['elected']}")
    if len(result.stages) != len(reference["stages"]):
        problems.append(f"{len(result.stages)} stages, Droop {len(reference['stages'])}")
    last = len(reference["stages"])
    for ours, theirs in zip(result.stages, reference["stages"], strict=False):
        votes = {name: nine(v) for name, v in ours.votes.items()}
        zeroed = set()
        if quirk and ours.number == last:
            zeroed = {n for n in ours.excluded if theirs["votes"].get(n) == "0.000000000"}
        for name in sorted(set(votes) | set(theirs["votes"])):
            if name in zeroed:
                continue
            if votes.get(name) != theirs["votes"].get(name):
                problems.append(
                    f"stage {ours.number}: {name} has {votes.get(name)}, "
                    f"Droop {theirs['votes'].get(name)}"
                )
        if not zeroed and nine(ours.non_transferable) != theirs["non_transferable"]:
            problems.append(
                f"stage {ours.number}: non-transferable {nine(ours.non_transferable)}, "
                f"Droop {theirs['non_transferable']}"
            )
        if "quota" in theirs and ours.quota is not None and nine(ours.quota) != theirs["quota"]:
            problems.append(f"stage {ours.number}: quota {ours.quota}, Droop {theirs['quota']}")
        for key in ("elected", "excluded"):
            if key in theirs and ours.number > 1 and set(getattr(ours, key)) != set(theirs[key]):
                problems.append(
                    f"stage {ours.number}: {key} {list(getattr(ours, key))}, Droop {theirs[key]}"
                )
    return problems


def report(name: str, result: CountResult, problems: list[str]) -> str:
    """Write our count to tests/out for diffing and say where."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"meek-{name}.json"
    path.write_text(json.dumps(result.to_dict(), indent=1, ensure_ascii=False))
    return f"{name}: {len(problems)} difference(s), ours in {path}:\n  " + "\n  ".join(
        problems[:10]
    )


# --- vendored: Droop's own test ballots and two anchor runs ---------------------------------

PRF_REFS = sorted(VENDORED.glob("droop/*-meek-prf-o6-fixed-p9-d9.json"))


def test_the_vendored_droop_references_are_present() -> None:
    assert len(PRF_REFS) == 9


@pytest.mark.parametrize("ref", PRF_REFS, ids=lambda p: p.name.split("-meek")[0])
def test_meek_matches_droop_meek_prf_stage_by_stage_on_its_test_ballots(ref: Path) -> None:
    reference = json.loads(ref.read_text(encoding="utf-8"))
    election = read_droop_blt(ref.parent / (ref.name.split("-meek")[0] + ".blt"))
    result = count_like_droop(election)
    problems = mismatches(result, reference, quirk=False)
    assert not problems, report(ref.name, result, problems)


@pytest.mark.parametrize("name", ["eq1", "eq2"])
def test_equal_rankings_are_shared_as_droop_shares_them(name: str) -> None:
    """Droop has no meek-prf reference for ``=`` rankings, only its 18+9-digit ``meek``.

    That rule's quota has no 10**-9 added and its arithmetic is finer, so we ask for the
    same stages, the same decisions and the same figures to 7 decimal places.
    """
    ref = VENDORED / "droop" / f"{name}-meek-o9-guarded-p18-g9-d18.json"
    reference = json.loads(ref.read_text(encoding="utf-8"))
    result = count_like_droop(read_droop_blt(VENDORED / "droop" / f"{name}.blt"))
    assert list(result.elected) == reference["elected"]
    assert len(result.stages) == len(reference["stages"])
    for ours, theirs in zip(result.stages, reference["stages"], strict=True):
        for cand, value in ours.votes.items():
            assert abs(value - Decimal(theirs["votes"][cand])) < Decimal("1e-7"), (ours, cand)
        assert abs(ours.non_transferable - Decimal(theirs["non_transferable"])) < Decimal("1e-7")
        if ours.number > 1:
            assert set(ours.elected) == set(theirs["elected"])
            assert set(ours.excluded) == set(theirs["excluded"])


VENDORED_ANCHORS = sorted(p for p in (VENDORED / "anchor").iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", VENDORED_ANCHORS, ids=lambda p: p.name)
def test_meek_matches_droop_on_vendored_real_elections(folder: Path) -> None:
    reference = json.loads((folder / "droop-0.14-meek-prf.json").read_text(encoding="utf-8"))
    result = count_like_droop(blt.read(folder / "ballots.blt"), reference["seats"])
    problems = mismatches(result, reference, quirk=True)
    assert not problems, report(folder.name, result, problems)


# --- full shared data: every Droop test ballot and all 40 anchor runs ----------------------

DROOP = SHARED_DATA / "reference" / "droop"
ANCHORS = SHARED_DATA / "reference" / "anchor-runs"


def _anchor_runs() -> list[str]:
    if not shared_available():
        return ["(shared data absent)"]
    return sorted(
        str(p.parent.relative_to(ANCHORS)) for p in ANCHORS.glob("*/*/droop-0.14-meek-prf.json")
    )


def anchor_ballots(run: str) -> Path:
    """The ballot file each anchor run counted (preflib-ers keeps its rewritten copy)."""
    local = ANCHORS / run / "ballots.blt"
    return local if local.exists() else require_shared("elections", run, "ballots.blt")


@pytest.mark.shared
@pytest.mark.parametrize("run", _anchor_runs())
def test_meek_matches_droop_meek_prf_on_every_anchor_run(run: str) -> None:
    path = require_shared("reference", "anchor-runs", run, "droop-0.14-meek-prf.json")
    reference = json.loads(path.read_text(encoding="utf-8"))
    result = count_like_droop(blt.read(anchor_ballots(run)), reference["seats"])
    problems = mismatches(result, reference, quirk=True)
    assert not problems, report(run.replace("/", "-"), result, problems)


@pytest.mark.shared
def test_the_vendored_references_are_faithful_extracts_of_droops_records() -> None:
    """The compact files in tests/data/meek agree with Droop's full JSON records."""
    require_shared("reference", "droop", "ref", "json")
    import importlib.util

    spec = importlib.util.spec_from_file_location("extract", VENDORED / "extract.py")
    assert spec is not None and spec.loader is not None
    extract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extract)
    for ref in PRF_REFS:
        raw = DROOP / "ref" / "json" / ref.name.replace(".json", ".txt")
        assert extract.droop_stages(raw) == json.loads(ref.read_text(encoding="utf-8"))
