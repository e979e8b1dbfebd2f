"""A readable stage-by-stage result sheet, laid out like an official declaration.

Candidates run down the rows, stages across the columns, so that a ward's whole count
reads like the sheets returning officers publish.
"""

from __future__ import annotations

from decimal import Decimal

from grassroots.count.stages import CountResult, format_votes

__all__ = ["render_text"]


def _describe(stage_action: str, subject: tuple[str, ...]) -> str:
    who = ", ".join(subject)
    return {
        "first": "First preferences",
        "surplus": f"Surplus of {who}",
        "exclusion": f"Exclusion of {who}",
        "constraint": f"Constraint: {who} excluded",
        "iteration": f"Round ({who})" if who else "Round",
        "round": f"Round ({who})" if who else "Round",
    }.get(stage_action, stage_action)


def render_text(result: CountResult, *, width: int = 100) -> str:
    """The result as plain text: header, stage table (wrapped to ``width``), elected, notes."""
    p = result.places
    lines = []
    title = result.title or "Election"
    lines.append(f"{title}: {result.seats} seat(s), counted under {result.rule}")
    lines.append(f"Valid votes {format_votes(result.valid_votes, p)}")
    if result.quota is not None:
        lines.append(f"Quota {format_votes(result.quota, p)}")
    lines.append("")

    stages = result.stages
    names = list(stages[0].votes) if stages else list(result.candidates)
    name_w = max([len("Non-transferable"), *(len(n) for n in names)]) + 2
    cells = [
        [
            *(format_votes(s.votes.get(n, Decimal(0)), p) for n in names),
            format_votes(s.non_transferable, p),
            format_votes(s.total, p),
        ]
        for s in stages
    ]
    col_w = max([len(f"Stage {len(stages)}"), *(len(c) for row in cells for c in row)]) + 2
    per_block = max(1, (width - name_w) // col_w)
    labels = [*names, "Non-transferable", "Total"]
    for start in range(0, len(stages), per_block):
        block = range(start, min(start + per_block, len(stages)))
        lines.append(
            " " * name_w + "".join(f"Stage {stages[i].number}".rjust(col_w) for i in block)
        )
        for r, label in enumerate(labels):
            if r == len(names):
                lines.append(
                    " " * name_w + "".join(("-" * (col_w - 2)).rjust(col_w) for _ in block)
                )
            lines.append(label.ljust(name_w) + "".join(cells[i][r].rjust(col_w) for i in block))
        lines.append("")

    lines.append("Stages:")
    for s in stages:
        text = f"  {s.number}. {_describe(s.action, s.subject)}"
        if s.elected:
            text += f"; elected {', '.join(s.elected)}"
        if s.excluded and s.action not in ("exclusion", "constraint"):
            text += f"; excluded {', '.join(s.excluded)}"
        if s.note:
            text += f" ({s.note})"
        lines.append(text)
    lines.append("")
    lines.append("Elected, in order: " + ("; ".join(result.elected) or "nobody"))
    for line in (*result.tie_breaks, *result.notes):
        lines.append(f"Note: {line}")
    if result.irregularities:
        lines.append(f"Irregular papers ({len(result.irregularities)}):")
        lines.extend(f"  {line}" for line in result.irregularities)
    if result.seed is not None and result.tie_breaks:
        lines.append(f"Seed for lots: {result.seed} (replay with --seed {result.seed})")
    return "\n".join(lines) + "\n"
