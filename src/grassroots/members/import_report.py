"""What an import report shows, built from a checked file: the same for a file checked in the
request and one checked by a job (which keeps it as JSON until the person chooses).

Plain data only (numbers, strings, lists, dicts), so a job can store it and a page render it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from grassroots.members.csvio import ParseResult

SHOWN = 500  # rows of each kind shown in an import report; the rest are counted

__all__ = ["SHOWN", "build", "summary"]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _label(new: int, updates: int, errors: bool) -> str:
    """The confirming button's words: what pressing it imports."""
    if errors:
        return f"Import the {_plural(new + updates, 'valid row')} and skip the rest"
    return "Import: " + " and ".join(
        p
        for p in (
            f"add {_plural(new, 'new member')}" if new else "",
            f"update {_plural(updates, 'member')}" if updates else "",
        )
        if p
    )


def build(parsed: ParseResult, branch_codes: Mapping[int, str]) -> dict[str, Any]:
    """The report of a checked file; ``branch_codes`` names each branch id by its code."""
    new, updates = len(parsed.rows), len(parsed.updates)
    return {
        "header_ok": parsed.header_ok,
        "total": parsed.total,
        "new": new,
        "updated": updates,
        "unchanged": parsed.unchanged,
        "bad_rows": parsed.bad_rows,
        "problems": len(parsed.errors),
        "importable": parsed.header_ok and bool(new or updates),
        "label": _label(new, updates, bool(parsed.errors)),
        "plan": parsed.plan_digest(),
        "errors": [
            {"row": e.row, "column": e.column, "problem": e.problem} for e in parsed.errors[:SHOWN]
        ],
        "more_errors": max(0, len(parsed.errors) - SHOWN),
        "updates": [
            {
                "row": u.row.row,
                "number": u.row.number,
                "name": u.row.name,
                "changes": [list(c) for c in u.changes],
            }
            for u in parsed.updates[:SHOWN]
        ],
        "more_updates": max(0, updates - SHOWN),
        "new_rows": [
            {
                "row": r.row,
                "number": r.number,
                "name": r.name,
                "branch": branch_codes.get(r.branch_id, ""),
            }
            for r in parsed.rows[:SHOWN]
        ],
        "more_new": max(0, new - SHOWN),
    }


def summary(report: Mapping[str, Any]) -> str:
    """The report's counts in one sentence (the check job's outcome)."""
    if not report["header_ok"]:
        return "The header row is wrong, so no row could be read. Nothing was imported."
    return (
        f"Checked {_plural(report['total'], 'row')}: {_plural(report['new'], 'new member')}, "
        f"{_plural(report['updated'], 'update')}, {report['bad_rows']} with errors. "
        "Nothing is imported until you confirm."
    )
