"""A count's result as an HTML page people can read: result sheet, charts, constraint actions.

``render_fragment`` returns a self-contained ``<section>`` (the web app's results page embeds
it); ``render_page`` wraps it into a whole page with the CSS inlined, so the file opens with
no network at all (issue 3, "Reports"). The charts are SVG drawn here (``report.svg``), with
their text alternatives: no charting script, so a page or a report weighs kilobytes.

The result sheet shows exact figures as the rule wrote them; the charts are drawn from the
same figures as floating point, which is fine for a picture and never used for a decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from grassroots.count.compare import NON_TRANSFERABLE, flow_totals, stage_flows
from grassroots.count.constraints import ConstraintSet
from grassroots.count.report.svg import Flow, Series, flows_chart, votes_chart
from grassroots.count.rules import RULES
from grassroots.count.stages import CountResult, Stage, format_votes

__all__ = [
    "candidate_colours",
    "constraint_outcomes",
    "render_fragment",
    "render_page",
    "report_css",
]

RGB = tuple[int, int, int]

# Ten clear colours, then a darker set: one colour per candidate up to 20 before any
# repeats. Every chart takes a candidate's colour from ``candidate_colours``.
_PALETTE: tuple[RGB, ...] = (
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
    (17, 66, 110),
    (166, 82, 0),
    (20, 95, 20),
    (130, 20, 22),
    (88, 54, 120),
    (84, 50, 42),
    (150, 60, 120),
    (60, 60, 60),
    (120, 120, 10),
    (10, 110, 120),
)
_NON_TRANSFERABLE_RGB: RGB = (90, 90, 90)


def candidate_colours(names: Sequence[str]) -> dict[str, RGB]:
    """Each name's colour, by its place in ``names`` (the ballot's order): every chart of a
    count colours a candidate (or slate) the same way, whatever order the chart meets them in."""
    return {name: _PALETTE[i % len(_PALETTE)] for i, name in enumerate(names)}


def constraint_outcomes(result: CountResult, constraints: ConstraintSet) -> list[str]:
    """One sentence per representation constraint: whether the elected meet it, and whether
    the count had to act for it, so a constraint that changed nothing is still stated."""
    index = {name: i for i, name in enumerate(result.candidates)}
    elected = [index[n] for n in result.elected if n in index]
    acted = [s.number for s in result.stages if s.action == "constraint"]
    out = []
    for c in constraints.constraints:
        members = constraints.groups.get(c.group, frozenset())
        k = sum(1 for i in elected if i in members)
        met = k >= c.minimum and (c.maximum is None or k <= c.maximum)
        got = f"{k} elected from {c.group}"
        if not met:
            how = f"not met ({got})"
        elif not acted:
            how = f"met without any constraint action ({got})"
        else:
            stages = "stages" if len(acted) > 1 else "stage"
            at = ", ".join(str(n) for n in acted)
            how = f"met ({got}); the count acted on the constraints at {stages} {at}"
        words = c.describe()
        out.append(f"{words[:1].upper()}{words[1:]}: {how}")
    return out


_ACTION_WORDS = {
    "first": "First preferences",
    "surplus": "Surplus of {who}",
    "exclusion": "Exclusion of {who}",
    "constraint": "Constraint: {who} excluded",
    "iteration": "Round ({who})",
    "round": "Round ({who})",
}


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("grassroots.count.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


@cache
def report_css() -> str:
    """The report's stylesheet (also served by the web app)."""
    return (
        resources.files("grassroots.count.report")
        .joinpath("static/report.css")
        .read_text(encoding="utf-8")
    )


def _label(stage: Stage, *, short: bool = False) -> str:
    who = ", ".join(stage.subject)
    if short and len(stage.subject) > 2:
        # A column header stays narrow; the full list is in the stage list and the tooltip.
        who = f"{len(stage.subject)} candidates"
    text = _ACTION_WORDS.get(stage.action, stage.action).format(who=who)
    return text.removesuffix(" ()")


def _whole(stage: Stage) -> bool:
    """Whether every figure of a stage is a whole number of votes (first preferences always
    are): such a stage is written without decimals, as "12" rather than "12.00000"."""
    figures = [*stage.votes.values(), stage.non_transferable, stage.total]
    if stage.quota is not None:
        figures.append(stage.quota)
    return all(v == v.to_integral_value() for v in figures)


def _plain(value: Decimal, places: int) -> str:
    """A figure on its own (valid votes, the quota): no decimals if it is a whole number."""
    return format_votes(value, 0 if value == value.to_integral_value() else places)


def _signed(value: Decimal, places: int) -> str:
    if value == 0:
        return ""
    text = format_votes(abs(value), places)
    return f"+{text}" if value > 0 else f"\u2212{text}"


def _first_stage(stages: tuple[Stage, ...], attr: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for s in stages:
        for name in getattr(s, attr):
            found.setdefault(name, s.number)
    return found


def _rows(result: CountResult) -> list[dict[str, Any]]:
    p = result.places
    stages = result.stages
    names = list(stages[0].votes) if stages else list(result.candidates)
    elected_at = _first_stage(stages, "elected")
    excluded_at = _first_stage(stages, "excluded")
    by_constraint = {n for s in stages if s.action == "constraint" for n in s.excluded}
    by_constraint |= {n for s in stages if s.action == "constraint" for n in s.subject}
    for s in stages:
        if s.action == "constraint":
            for n in s.subject:
                excluded_at.setdefault(n, s.number)
    places = [0 if _whole(s) else p for s in stages]
    rows = []
    for name in names:
        cells = []
        previous = Decimal(0)
        for i, s in enumerate(stages):
            value = s.votes.get(name, Decimal(0))
            here = places[i]
            step = here if i == 0 else max(here, places[i - 1])
            css = []
            mark = ""
            title = ""
            if s.action == "constraint":
                css.append("gr-in-constraint")
            if elected_at.get(name) == s.number:
                css.append("gr-is-elected")
                mark = "elected"
            elif excluded_at.get(name) == s.number:
                if name in by_constraint:
                    css.append("gr-is-constraint-excluded")
                    mark = "excluded (constraint)"
                else:
                    css.append("gr-is-excluded")
                    mark = "excluded"
            elif name in excluded_at and excluded_at[name] < s.number:
                css.append("gr-gone")
                title = "excluded earlier"
            cells.append(
                {
                    "change": "" if i == 0 else _signed(value - previous, step),
                    "total": format_votes(value, here),
                    "css": " ".join(css),
                    "mark": mark,
                    "title": title,
                }
            )
            previous = value
        if name in elected_at:
            outcome, outcome_css = "elected", "elected"
        elif name in by_constraint:
            outcome, outcome_css = "excluded by constraint", "constraint"
        else:
            outcome, outcome_css = "", ""
        rows.append(
            {
                "name": name,
                "cells": cells,
                "outcome": outcome,
                "outcome_css": outcome_css,
                "css": "gr-row-elected" if name in elected_at else "",
            }
        )
    return rows


def _votes_chart(result: CountResult, colours: Mapping[str, RGB], label: str) -> str:
    stages = result.stages
    names = list(stages[0].votes) if stages else []
    series = [
        Series(name, colours[name], [float(s.votes.get(name, Decimal(0))) for s in stages])
        for name in names
    ]
    quota = None
    if any(s.quota is not None for s in stages) or result.quota is not None:
        quota = [float(s.quota if s.quota is not None else result.quota or 0) for s in stages]
    return votes_chart(
        label,
        [_label(s) for s in stages],
        series,
        quota=quota,
        shaded=[i for i, s in enumerate(stages) if s.action == "constraint"],
    )


def _flows(
    result: CountResult,
    slates: Mapping[str, str] | None,
    colours: Mapping[str, RGB],
    label: str,
) -> tuple[list[dict[str, str]], str | None]:
    """The transfers as a table (biggest first) and as a Sankey diagram (None if none)."""
    totals = flow_totals(stage_flows(result), slates)
    # Sorted by size so the table reads from the biggest transfer down.
    items = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    items = [(k, v) for k, v in items if v > 0]
    if not items:
        return [], None
    p = result.places
    quantum = Decimal(1).scaleb(-p)
    table = [
        {
            "source": src,
            "target": dst,
            "votes": str((Decimal(v.numerator) / Decimal(v.denominator)).quantize(quantum)),
        }
        for (src, dst), v in items
    ]
    # slates (when the flows are grouped by slate) take the colours after the candidates'
    names = list(dict.fromkeys(n for (src, dst), _ in items for n in (src, dst)))
    extra = candidate_colours([*colours, *(n for n in names if n not in colours)])
    palette = {n: _NON_TRANSFERABLE_RGB if n == NON_TRANSFERABLE else extra[n] for n in names}
    # Givers on the left and receivers on the right: a candidate who both gave and received
    # appears once on each side, so the diagram never loops back on itself.
    chart = flows_chart(
        label,
        [
            Flow(src, dst, float(v), row["votes"])
            for ((src, dst), v), row in zip(items, table, strict=True)
        ],
        palette,
    )
    return table, chart


def _context(
    result: CountResult,
    slates: Mapping[str, str] | None,
    element_id: str,
    heading_level: int,
    title: str | None = None,
    constraints: ConstraintSet | None = None,
) -> dict[str, Any]:
    p = result.places
    stages = []
    for s in result.stages:
        stages.append(
            {
                "number": s.number,
                "action": s.action,
                "label": _label(s),
                "short_label": _label(s, short=True),
                "subject": s.subject,
                "note": s.note,
                "elected": s.elected,
                "excluded": s.excluded,
                "total": format_votes(s.total, 0 if _whole(s) else p),
                "quota": _plain(s.quota, p)
                if s.quota is not None
                else (_plain(result.quota, p) if result.quota is not None else ""),
            }
        )
    nt_cells = []
    previous = Decimal(0)
    places = [0 if _whole(s) else p for s in result.stages]
    for i, s in enumerate(result.stages):
        step = places[i] if i == 0 else max(places[i], places[i - 1])
        nt_cells.append(
            {
                "change": "" if i == 0 else _signed(s.non_transferable - previous, step),
                "total": format_votes(s.non_transferable, places[i]),
            }
        )
        previous = s.non_transferable
    elected_at = _first_stage(result.stages, "elected")
    elected = [{"name": n, "stage": elected_at.get(n, "—")} for n in result.elected]
    names = list(result.stages[0].votes) if result.stages else []
    colours = candidate_colours(
        [*result.candidates, *(n for n in names if n not in result.candidates)]
    )
    by_slate = bool(slates)
    votes_alt = (
        f"Line chart of the votes held by each of the {len(names)} candidates at each of the "
        f"{len(result.stages)} stages"
        + (", with the quota as a dashed line" if result.quota is not None else "")
        + ". "
        + (f"Elected: {', '.join(result.elected)}. " if result.elected else "")
        + "The result sheet above gives the exact figures."
    )
    flows_alt = (
        "Sankey diagram of the votes transferred over the whole count, from those who gave "
        "(left) to those who received (right)"
        + (", grouped by slate" if by_slate else "")
        + ". Derived from the change in each stage's totals; where several gave at once, each "
        "receipt is shared among them in proportion to what they lost."
    )
    flows, flows_svg = _flows(result, slates, colours, flows_alt)
    notes = [*result.tie_breaks, *result.notes]
    if result.seed is not None and result.tie_breaks:
        notes.append(f"Seed for lots: {result.seed} (replay with --seed {result.seed}).")
    description = RULES.get(result.rule, ("", result.rule))[1]
    return {
        "id": element_id,
        "level": heading_level,
        "title": title or result.title or "Election result",
        "rule": description or result.rule,
        "seats": result.seats,
        "valid_votes": _plain(result.valid_votes, p),
        "quota": _plain(result.quota, p) if result.quota is not None else "",
        "stages": stages,
        "rows": _rows(result),
        "nt_cells": nt_cells,
        "elected": elected,
        "constraint_stages": [s for s in stages if s["action"] == "constraint"],
        "constraint_outcomes": constraint_outcomes(result, constraints) if constraints else [],
        "flows": flows,
        "by_slate": by_slate,
        "votes_alt": votes_alt,
        "flows_alt": flows_alt,
        "notes": notes,
        "votes_svg": Markup(_votes_chart(result, colours, votes_alt)),
        "flows_svg": Markup(flows_svg) if flows_svg else None,
    }


def render_fragment(
    result: CountResult,
    *,
    slates: Mapping[str, str] | None = None,
    element_id: str = "gr-result",
    heading_level: int = 2,
    title: str | None = None,
    constraints: ConstraintSet | None = None,
) -> str:
    """The result as an HTML ``<section>``: headings, result sheet, charts, constraint actions.

    The charts are inline SVG; the page needs ``report_css()``; ``element_id``
    keeps several results on one page apart. With ``constraints`` (those the
    count ran under) each is stated with its outcome, whether or not it changed the count.
    """
    if not 1 <= heading_level <= 5:
        raise ValueError(f"heading_level must be 1 to 5, found {heading_level}")
    template = _environment().get_template("result_fragment.html.j2")
    return template.render(
        **_context(result, slates, element_id, heading_level, title, constraints)
    )


def render_page(
    result: CountResult, *, slates: Mapping[str, str] | None = None, title: str | None = None
) -> str:
    """A whole HTML page for one result, with its CSS inlined: it needs no network.

    ``title`` names the election when the result carries no title of its own.
    """
    fragment = render_fragment(result, slates=slates, heading_level=1, title=title)
    template = _environment().get_template("result_page.html.j2")
    return template.render(
        title=title or result.title or "Election result",
        css=Markup(report_css()),
        fragment=Markup(fragment),
    )
