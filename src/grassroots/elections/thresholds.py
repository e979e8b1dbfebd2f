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

__all__ = ["Body", "Condition", "Outcome", "describe", "from_conditions", "met", "to_conditions"]


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


@dataclass(frozen=True)
class Condition:
    """One line of the set-up form: "[or|and also] at least [5] [branches] [of which 2 unions]".

    ``join`` ties the line to the one before: ``"or"`` makes it an alternative, ``"and"`` a
    further requirement (the first line's join is ignored). ``or`` binds first, so the lines
    read as a sentence: "5% of branches or 3 affiliates, and also 10% of MPs".
    """

    count: int
    kind: str
    percent: bool = False
    subcount: int = 0
    subkind: str = ""
    join: str = "and"

    def leaf(self) -> dict[str, Any]:
        node: dict[str, Any] = {"kind": self.kind}
        node["percent" if self.percent else "count"] = self.count
        if self.subkind and self.subcount:
            node["subkind"] = self.subkind
            node["subcount"] = self.subcount
        return node


def from_conditions(conditions: Sequence[Condition]) -> dict[str, Any]:
    """The threshold the form's lines describe; no lines: no nominations needed (``{}``)."""
    groups: list[list[dict[str, Any]]] = []
    for i, c in enumerate(conditions):
        if i and c.join == "or":
            groups[-1].append(c.leaf())
        else:
            groups.append([c.leaf()])
    parts = [g[0] if len(g) == 1 else {"any": g} for g in groups]
    if not parts:
        return {}
    return parts[0] if len(parts) == 1 else {"all": parts}


def _as_condition(node: Mapping[str, Any], join: str) -> Condition | None:
    if "kind" not in node or not ("count" in node or "percent" in node):
        return None
    return Condition(
        count=int(node["percent"] if "percent" in node else node["count"]),
        kind=str(node["kind"]),
        percent="percent" in node,
        subcount=int(node.get("subcount", 0)),
        subkind=str(node.get("subkind", "")),
        join=join,
    )


def to_conditions(threshold: Mapping[str, Any]) -> list[Condition] | None:
    """The form's lines for a threshold; None if it nests deeper than lines can show."""
    if not threshold:
        return []
    parts = threshold.get("all", [threshold])
    out: list[Condition] = []
    for part in parts:
        leaves = part.get("any", [part])
        for k, leaf in enumerate(leaves):
            c = _as_condition(leaf, "or" if k else "and")
            if c is None:
                return None
            out.append(c)
    return out
