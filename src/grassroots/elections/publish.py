"""The export bundle of a counted election, and the independent recount that verifies it.

Pure Python over ``grassroots.count``; no Django. The bundle is a set of text files:

- ``ballots.blt``: every ballot, identical rankings grouped and sorted (no casting order),
- ``receipts.txt``: the receipt hashes, sorted, one a line,
- ``result.json``: the engine's ``CountResult.to_dict()``,
- ``election.json``: title, seats, rule, seed, constraints, roll size and fingerprint,
  turnout, the sha256 of each other file, and a checkpoint of the audit log (the number and
  digest of its last entry when the result was published; ``grassroots verify --audit``).

``verify`` reads only these files, refuses a malformed bundle (``bundle_form``), recounts
``ballots.blt`` with the published rule, seed and constraints, and lists every way the bundle
disagrees with itself or with the recount.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from grassroots.count.ballots import election_from_rankings
from grassroots.count.constraints import ConstraintSet
from grassroots.count.errors import InputError
from grassroots.count.formats import blt
from grassroots.count.groups import constraint_set_from_names
from grassroots.count.rules import count
from grassroots.count.stages import CountResult
from grassroots.elections.bundle_form import BundleError, check_form

__all__ = [
    "FILES",
    "Bundle",
    "BundleError",
    "Verdict",
    "build",
    "constraint_set",
    "report",
    "verify",
]

FILES = ("ballots.blt", "receipts.txt", "result.json", "election.json")


@dataclass(frozen=True)
class Bundle:
    """The published files (name -> text) and the result they were made from."""

    files: dict[str, str]
    result: CountResult


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _dump(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def constraint_set(candidates: Sequence[str], spec: Mapping[str, Any]) -> ConstraintSet:
    """The engine's constraints from ``{"groups": {g: [names]}, "minima": {}, "maxima": {}}``."""
    groups = spec.get("groups", {})
    # a maximum on a group nobody on the ballot belongs to is met whatever happens
    maxima = {g: n for g, n in (spec.get("maxima") or {}).items() if groups.get(g)}
    if not spec.get("minima") and not maxima:
        return ConstraintSet.none()
    return constraint_set_from_names(candidates, groups, spec.get("minima"), maxima)


def build(
    *,
    title: str,
    seats: int,
    rule: str,
    seed: int,
    candidates: Sequence[str],
    rankings: Sequence[Sequence[str]],
    constraints: Mapping[str, Any],
    receipt_hashes: Sequence[str],
    roll_size: int,
    roll_fingerprint: str,
    turnout_by_branch: Mapping[str, int],
    audit_checkpoint: tuple[int, str] | None = None,
    withdrawn: Sequence[str] = (),
) -> Bundle:
    """Count the ballots and write the bundle; rankings are sorted first so order tells nothing.

    ``withdrawn`` names candidates who withdrew once the ballot was fixed: they stay among the
    candidates (the ballot paper) and the count skips them, as ``ballots.blt`` records.
    """
    if len(rankings) != len(receipt_hashes):
        raise InputError(
            f"{len(rankings)} ballots but {len(receipt_hashes)} receipt hashes: they must match"
        )
    names = list(candidates)
    index = {n: i for i, n in enumerate(names)}
    ordered = sorted(rankings, key=lambda r: [index[n] for n in r])
    election = election_from_rankings(names, seats, [list(r) for r in ordered], title=title)
    unknown = sorted(set(withdrawn) - set(names))
    if unknown:
        raise InputError(f"withdrawn candidate(s) {', '.join(unknown)} are not on the ballot")
    if withdrawn:
        election = replace(election, withdrawn=frozenset(index[n] for n in withdrawn))
    cons = constraint_set(names, constraints)
    result = count(election, rule, seats=seats, seed=seed, constraints=cons)
    files = {
        "ballots.blt": blt.dumps(election),
        "receipts.txt": "".join(f"{h}\n" for h in sorted(receipt_hashes)),
        "result.json": _dump(result.to_dict()),
    }
    meta = {
        "title": title,
        "seats": seats,
        "rule": rule,
        "seed": seed,
        "constraints": {
            "groups": {g: sorted(v) for g, v in constraints.get("groups", {}).items()},
            "minima": dict(constraints.get("minima", {})),
            "maxima": dict(constraints.get("maxima", {})),
        },
        "withdrawn": sorted(withdrawn),
        "roll": {"size": roll_size, "fingerprint": roll_fingerprint},
        "turnout": {
            "ballots": len(rankings),
            "roll_size": roll_size,
            "by_branch": dict(sorted(turnout_by_branch.items())),
        },
        "sha256": {name: _sha(text) for name, text in sorted(files.items())},
    }
    if audit_checkpoint is not None:
        entry, digest = audit_checkpoint
        meta["audit"] = {"entry": entry, "digest": digest}
    files["election.json"] = _dump(meta)
    return Bundle(files, result)


def report(files: Mapping[str, str], title: str) -> str:
    """The HTML report of a bundle, from a recount of its own ballots (as ``verify`` runs it).

    What the web app shows for a count written before the report's current form: the recount
    gives the published result (``verify`` compares them), so the report is the one a count
    would write now. A malformed bundle raises ``BundleError``.
    """
    from grassroots.count.report.html import render_fragment

    form = check_form(files, FILES)
    meta = form.meta
    try:
        cons = constraint_set(form.election.candidates, meta["constraints"])
        result = count(
            form.election, meta["rule"], seats=meta["seats"], seed=meta["seed"], constraints=cons
        )
    except InputError as exc:
        raise BundleError(f"election.json: the recount cannot run: {exc}") from None
    return render_fragment(result, title=title, constraints=cons)


@dataclass
class Verdict:
    """Whether the bundle holds together and recounts to the published result, and if not why."""

    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(files: Mapping[str, str]) -> Verdict:
    """Recount the published ballots and compare with every published figure.

    A malformed bundle raises ``BundleError`` (see ``bundle_form``); a well-formed one gives
    a ``Verdict`` listing every way it disagrees with itself or with the recount.
    """
    v = Verdict()
    form = check_form(files, FILES)
    meta, published, receipts, election = form.meta, form.result, form.receipts, form.election
    for name, digest in sorted(meta["sha256"].items()):
        if _sha(files[name]) != digest:
            v.problems.append(f"{name}: its sha256 differs from the one in election.json")
    v.checked.append("file hashes")
    withdrawn = meta.get("withdrawn", [])
    marked = sorted(election.candidates[c] for c in election.withdrawn)
    if not isinstance(withdrawn, list) or sorted(map(str, withdrawn)) != marked:
        v.problems.append(
            f"election.json names {withdrawn!r} as withdrawn, ballots.blt {marked}: they must agree"
        )
    ballots = sum(election.weights)
    if len(set(receipts)) != len(receipts):
        v.problems.append("receipts.txt: a receipt hash appears more than once")
    turnout = meta["turnout"]["ballots"]
    if not (ballots == len(receipts) == turnout):
        v.problems.append(
            f"ballots.blt holds {ballots} ballots, receipts.txt {len(receipts)} hashes, "
            f"election.json a turnout of {turnout}: all three must be equal"
        )
    roll = meta["roll"]["size"]
    if turnout > roll:
        v.problems.append(f"election.json: turnout {turnout} is more than the roll of {roll}")
    v.checked.append("ballot, receipt and turnout totals")
    try:
        cons = constraint_set(election.candidates, meta["constraints"])
        recount = count(
            election, meta["rule"], seats=meta["seats"], seed=meta["seed"], constraints=cons
        )
    except InputError as exc:
        # the published rule, seats or constraints cannot be used: the bundle is malformed
        raise BundleError(f"election.json: the recount cannot run: {exc}") from None
    mine = json.loads(json.dumps(recount.to_dict()))
    for key in sorted(set(mine) | set(published)):
        if mine.get(key) != published.get(key):
            if key == "stages":
                v.problems.append(_first_stage_difference(mine["stages"], published.get(key)))
            else:
                v.problems.append(
                    f"result.json: {key} is {published.get(key)!r}, the recount gives "
                    f"{mine.get(key)!r}"
                )
    v.checked.append(f"recount under {meta['rule']} with seed {meta['seed']}")
    return v


def _first_stage_difference(mine: list[Any], theirs: Any) -> str:
    if not isinstance(theirs, list):
        return "result.json: stages is not a list"
    for a, b in zip(mine, theirs, strict=False):
        if a != b:
            return f"result.json: stage {a.get('number')} differs from the recount's"
    return f"result.json: {len(theirs)} stages, the recount has {len(mine)}"
