"""The report's two charts drawn as SVG on the server: no script, no library, a few kilobytes.

``votes_chart`` is a line per candidate across the stages (the quota dashed, constraint stages
shaded); ``flows_chart`` a Sankey diagram from those who gave votes (left) to those who
received them (right). Each ``<svg>`` is one image to assistive technology (``role="img"``
with the caller's text alternative as its label); every line, point, node and band carries a
``<title>`` that a pointer shows on hover. Colours come from the caller, one per candidate.
Names are escaped here: the markup is safe to place in a page as it is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Flow", "Series", "flows_chart", "votes_chart"]

RGB = tuple[int, int, int]

_WIDTH = 640  # viewBox units; the image scales to its box's width
_FONT = 'font-family="system-ui, sans-serif"'
_INK = "#1a1a1a"
# dark text with a white outline under it: readable over the coloured bands
_HALO = f'fill="{_INK}" stroke="#ffffff" stroke-width="3" paint-order="stroke"'


@dataclass(frozen=True)
class Series:
    """One candidate's line: name, colour, votes at each stage."""

    name: str
    colour: RGB
    values: Sequence[float]


@dataclass(frozen=True)
class Flow:
    """Votes that went from ``source`` to ``target`` over the count."""

    source: str
    target: str
    votes: float
    label: str  # the figure as the report writes it


def _rgb(c: RGB, alpha: float | None = None) -> str:
    r, g, b = c
    return f"rgb({r},{g},{b})" if alpha is None else f"rgba({r},{g},{b},{alpha})"


def _num(x: float) -> str:
    """A coordinate, short: 12.5 rather than 12.500000001."""
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _figure(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"


def _ticks(top: float) -> tuple[float, list[float]]:
    """A rounded top of the axis at or above ``top`` and 4-6 evenly spaced ticks from 0."""
    if top <= 0:
        return 1.0, [0.0, 1.0]
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return n * step, [i * step for i in range(n + 1)]


def _open(label: str, height: float, css: str) -> str:
    return (
        f'<svg class="{css}" viewBox="0 0 {_WIDTH} {_num(height)}" role="img" '
        f'aria-label="{escape(label)}" focusable="false" xmlns="http://www.w3.org/2000/svg">'
    )


def votes_chart(
    label: str,
    stages: Sequence[str],
    series: Sequence[Series],
    *,
    quota: Sequence[float] | None = None,
    shaded: Sequence[int] = (),
) -> str:
    """The votes of each candidate at each stage, as lines; ``shaded``: stage indexes to mark.

    ``label`` is the chart's text alternative. A legend under the lines names each colour.
    """
    left, right, top, plot_h = 64, 16, 16, 260
    n = max(len(stages), 1)
    plot_w = _WIDTH - left - right
    legend_rows = math.ceil(len(series) / 2) + (1 if quota is not None else 0)
    height = top + plot_h + 56 + 22 * legend_rows
    highest = max([v for s in series for v in s.values] + list(quota or []) + [0.0])
    y_top, ticks = _ticks(highest)
    col = plot_w / n

    def x(i: int) -> float:
        return left + col * (i + 0.5)

    def y(v: float) -> float:
        return top + plot_h - (v / y_top) * plot_h

    out = [_open(label, height, "gr-chart gr-chart-votes"), f'<g {_FONT} font-size="13">']
    for i in shaded:
        out.append(
            f'<rect x="{_num(left + col * i)}" y="{top}" width="{_num(col)}" height="{plot_h}" '
            'fill="#ffd08a" fill-opacity="0.45"><title>Constraint stage</title></rect>'
        )
    for t in ticks:
        out.append(
            f'<line x1="{left}" x2="{_WIDTH - right}" y1="{_num(y(t))}" y2="{_num(y(t))}" '
            'stroke="#d9d9d9" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_num(y(t) + 4)}" text-anchor="end" fill="{_INK}">'
            f"{escape(_figure(t))}</text>"
        )
    step = max(1, math.ceil(n / 16))  # at most 16 stage numbers on the axis
    for i, name in enumerate(stages):
        if i % step == 0 or i == n - 1:
            out.append(
                f'<text x="{_num(x(i))}" y="{top + plot_h + 18}" text-anchor="middle" '
                f'fill="{_INK}"><title>{escape(name)}</title>{i + 1}</text>'
            )
    out.append(
        f'<text x="{_num(left + plot_w / 2)}" y="{top + plot_h + 38}" text-anchor="middle" '
        f'fill="{_INK}">Stage</text>'
        f'<text transform="translate(16 {_num(top + plot_h / 2)}) rotate(-90)" '
        f'text-anchor="middle" fill="{_INK}">Votes</text>'
    )
    if quota is not None:
        pts = " ".join(f"{_num(x(i))},{_num(y(v))}" for i, v in enumerate(quota))
        out.append(
            f'<polyline class="gr-quota-line" points="{pts}" fill="none" stroke="{_INK}" '
            'stroke-width="2" stroke-dasharray="6 4">'
            f"<title>Quota: {escape(' / '.join(_figure(v) for v in quota))}</title></polyline>"
        )
    for s in series:
        colour = _rgb(s.colour)
        name = escape(s.name)
        pts = " ".join(f"{_num(x(i))},{_num(y(v))}" for i, v in enumerate(s.values))
        out.append(
            f'<g class="gr-series" data-name="{name}" fill="{colour}" stroke="{colour}">'
            f'<polyline points="{pts}" fill="none" stroke-width="2.5"><title>{name}</title>'
            "</polyline>"
        )
        for i, v in enumerate(s.values):
            out.append(
                f'<circle cx="{_num(x(i))}" cy="{_num(y(v))}" r="3.5">'
                f"<title>{name}, {escape(stages[i])}: {escape(_figure(v))}</title></circle>"
            )
        out.append("</g>")
    # the legend: two columns of colour and name under the axis
    base = top + plot_h + 60
    items: list[tuple[str, str, bool]] = [(_rgb(s.colour), s.name, False) for s in series]
    if quota is not None:
        items.append((_INK, "Quota", True))
    half = _WIDTH / 2
    for k, (colour, name, dashed) in enumerate(items):
        lx = left - 40 + (k % 2) * half if k < len(series) else left - 40
        ly = base + 22 * (k // 2 if k < len(series) else math.ceil(len(series) / 2))
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        out.append(
            f'<line class="gr-key" x1="{_num(lx)}" x2="{_num(lx + 24)}" y1="{_num(ly - 4)}" '
            f'y2="{_num(ly - 4)}" stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{_num(lx + 30)}" y="{_num(ly)}" fill="{_INK}">{escape(_clip(name, 38))}'
            "</text>"
        )
    out.append("</g></svg>")
    return "".join(out)


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "\u2026"


def flows_chart(
    label: str,
    flows: Sequence[Flow],
    colours: Mapping[str, RGB],
) -> str:
    """A Sankey diagram of ``flows``: givers on the left, receivers on the right, each band as
    wide as its votes and coloured as its giver."""
    sources = list(dict.fromkeys(f.source for f in flows))
    targets = list(dict.fromkeys(f.target for f in flows))
    gave = {s: sum(f.votes for f in flows if f.source == s) for s in sources}
    got = {t: sum(f.votes for f in flows if f.target == t) for t in targets}
    total = sum(f.votes for f in flows) or 1.0
    pad, node_w, top = 16.0, 14.0, 8.0
    rows = max(len(sources), len(targets))
    span = max(220.0, 34.0 * rows)  # room for every name beside its node
    height = top * 2 + span
    scale = (span - pad * (rows - 1)) / total

    def stack(names: list[str], sizes: Mapping[str, float]) -> dict[str, tuple[float, float]]:
        heights = {n: max(sizes[n] * scale, 2.0) for n in names}
        used = sum(heights.values()) + pad * (len(names) - 1)
        y = top + (span - used) / 2
        placed = {}
        for n in names:
            placed[n] = (y, heights[n])
            y += heights[n] + pad
        return placed

    left_nodes, right_nodes = stack(sources, gave), stack(targets, got)
    x0, x1 = node_w, _WIDTH - node_w
    out = [_open(label, height, "gr-chart gr-chart-flows"), f'<g {_FONT} font-size="13">']
    out_used = {s: 0.0 for s in sources}
    in_used = {t: 0.0 for t in targets}
    for f in flows:
        ys, hs = left_nodes[f.source]
        yt, ht = right_nodes[f.target]
        # each band's share of its node, so that the bands fill the node from the top
        w_s = hs * f.votes / gave[f.source] if gave[f.source] else 0.0
        w_t = ht * f.votes / got[f.target] if got[f.target] else 0.0
        a, b = ys + out_used[f.source], yt + in_used[f.target]
        out_used[f.source] += w_s
        in_used[f.target] += w_t
        mid = (x0 + x1) / 2
        path = (
            f"M{_num(x0)},{_num(a)} C{_num(mid)},{_num(a)} {_num(mid)},{_num(b)} "
            f"{_num(x1)},{_num(b)} L{_num(x1)},{_num(b + w_t)} C{_num(mid)},{_num(b + w_t)} "
            f"{_num(mid)},{_num(a + w_s)} {_num(x0)},{_num(a + w_s)} Z"
        )
        out.append(
            f'<path class="gr-band" d="{path}" fill="{_rgb(colours[f.source], 0.35)}">'
            f"<title>{escape(f.source)} \u2192 {escape(f.target)}: {escape(f.label)} votes</title>"
            "</path>"
        )
    for nodes, sizes, x, anchor, dx, verb in (
        (left_nodes, gave, 0.0, "start", node_w + 6, "gave"),
        (right_nodes, got, x1, "end", -6.0, "received"),
    ):
        for name, (y, h) in nodes.items():
            words = escape(f"{name}: {verb} {_figure(sizes[name])} votes")
            out.append(
                f'<rect class="gr-node" x="{_num(x)}" y="{_num(y)}" width="{_num(node_w)}" '
                f'height="{_num(h)}" fill="{_rgb(colours[name], 0.9)}" stroke="#333" '
                f'stroke-width="0.5"><title>{words}</title></rect>'
                f'<text x="{_num(x + dx)}" y="{_num(y + h / 2 + 4)}" text-anchor="{anchor}" '
                f"{_HALO}>{escape(_clip(name, 34))}</text>"
            )
    out.append("</g></svg>")
    return "".join(out)
