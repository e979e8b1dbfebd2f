"""Nomination thresholds as data, and who has met them (with reasons). Pure Python.

Source: DOMAIN.md "Nominations": e.g. "5 branch nominations" (NEC constituency section), or
"10% of body X plus either 5% of branches or 3 affiliates of which 2 unions" (Labour
leadership 2018-20). A threshold is a tree: ``{"all": [...]}``, ``{"any": [...]}``, or a leaf
``{"kind": "branch", "count": 5}`` / ``{"kind": "branch", "percent": 5}`` with an optional
``"subkind": "union", "subcount": 2`` (at least that many of the nominators are of the subkind).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Body", "Outcome", "describe", "met"]


@dataclass(frozen=True)
class Body:
    """A nominating body: its kind (``branch``, ``affiliate``, ``mp`` …) and optional subkind."""

    name: str
    kind: str
    subkind: str = ""


@dataclass(frozen=True)
class Outcome:
    """Whether a candidate's nominations meet the threshold, and in words why or why not."""

    ok: bool
    reasons: tuple[str, ...]


def _leaf(
    node: Mapping[str, Any], nominators: Sequence[Body], totals: Mapping[str, int]
) -> Outcome:
    kind = node["kind"]
    have = [b for b in nominators if b.kind == kind]
    if "percent" in node:
        # "10% of MPs": at least that share of all bodies of the kind, rounded up
        need = math.ceil(node["percent"] * totals.get(kind, 0) / 100)
        label = f"{node['percent']}% of {kind} bodies ({need} of {totals.get(kind, 0)})"
    else:
        need = int(node["count"])
        label = f"{need} {kind} nomination{'s' if need != 1 else ''}"
    ok = len(have) >= need
    reasons = [f"{label}: {len(have)} {'met' if ok else 'not met'}"]
    if "subkind" in node:
        sub = sum(1 for b in have if b.subkind == node["subkind"])
        sub_ok = sub >= int(node["subcount"])
        reasons.append(
            f"of which {node['subcount']} {node['subkind']}: {sub} {'met' if sub_ok else 'not met'}"
        )
        ok = ok and sub_ok
    return Outcome(ok, tuple(reasons))


def met(
    threshold: Mapping[str, Any], nominators: Sequence[Body], totals: Mapping[str, int]
) -> Outcome:
    """Evaluate ``threshold`` for one candidate; ``totals`` counts bodies of each kind."""
    if not threshold:
        return Outcome(True, ("no nominations required",))
    if "all" in threshold or "any" in threshold:
        parts = [met(t, nominators, totals) for t in threshold.get("all", threshold.get("any"))]
        ok = all(p.ok for p in parts) if "all" in threshold else any(p.ok for p in parts)
        joiner = "all of" if "all" in threshold else "one of"
        reasons = tuple(f"{joiner}: {r}" for p in parts for r in p.reasons)
        return Outcome(ok, reasons)
    if "kind" not in threshold or not ("count" in threshold or "percent" in threshold):
        raise ValueError(
            f"threshold {dict(threshold)!r}: a leaf needs a kind and a count or percent"
        )
    return _leaf(threshold, nominators, totals)


def describe(threshold: Mapping[str, Any]) -> str:
    """The threshold in words."""
    if not threshold:
        return "no nominations required"
    if "all" in threshold:
        return " plus ".join(describe(t) for t in threshold["all"])
    if "any" in threshold:
        return "(" + " or ".join(describe(t) for t in threshold["any"]) + ")"
    base = (
        f"{threshold['percent']}% of {threshold['kind']} bodies"
        if "percent" in threshold
        else f"{threshold['count']} {threshold['kind']} nominations"
    )
    if "subkind" in threshold:
        base += f" of which {threshold['subcount']} {threshold['subkind']}"
    return base
