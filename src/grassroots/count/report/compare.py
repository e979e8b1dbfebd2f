"""A rule comparison for people: who is elected under each rule, side by side, and slates.

Text for the terminal and an HTML page that reuses each rule's result fragment (``html.py``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from grassroots.count.compare import Comparison

__all__ = ["render_compare_html", "render_compare_text"]


def _rounded(value: Fraction, places: int) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN))


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for row in rows:
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return out


def render_compare_text(comparison: Comparison) -> str:
    """Candidates down, rules across: the order each was elected in, ``*`` where rules differ."""
    rules = list(comparison.rules)
    lines = [
        f"{comparison.seats} seat(s) counted under {', '.join(rules)}"
        + (" with representation constraints" if comparison.constrained else ""),
        "",
    ]
    differs = set(comparison.differs)
    rows = []
    for name in comparison.candidates:
        cells = []
        for rule in rules:
            elected = comparison.elected_under(rule)
            cells.append(f"elected {elected.index(name) + 1}" if name in elected else "-")
        rows.append([("* " if name in differs else "  ") + name, *cells])
    lines += _table(["  Candidate", *rules], rows)
    lines.append("")
    lines.append("Elected under every rule: " + ("; ".join(comparison.elected_by_all) or "nobody"))
    lines.append("* Elected under some rules only: " + ("; ".join(comparison.differs) or "nobody"))
    if comparison.slates:
        seats = comparison.slate_seats()
        slates = list(next(iter(seats.values())))
        lines += ["", "Seats per slate:"]
        lines += _table(
            ["Slate", *rules], [[s, *(str(seats[r][s]) for r in rules)] for s in slates]
        )
        for rule in rules:
            places = comparison.results[rule].places
            flows = sorted(comparison.slate_flows(rule).items(), key=lambda kv: -kv[1])
            lines += ["", f"Votes transferred between slates under {rule}:"]
            if not flows:
                lines.append("  none")
            for (src, dst), amount in flows:
                lines.append(f"  {src} -> {dst}: {_rounded(amount, places)}")
        lines += [
            "",
            "Transfers are derived from each stage's totals; where several candidates gave at "
            "once they are shared in proportion to what each lost.",
        ]
    lines.append("")
    lines.append(f"Seed for lots: {comparison.seed} (replay with --seed {comparison.seed})")
    return "\n".join(lines) + "\n"


def render_compare_html(comparison: Comparison, *, title: str = "Rule comparison") -> str:
    """A whole, self-contained HTML page: the side-by-side table, then each rule's report."""
    from markupsafe import Markup, escape

    from grassroots.count.report.html import render_fragment, report_css

    rules = list(comparison.rules)
    differs = set(comparison.differs)
    head = "".join(f'<th scope="col">{escape(r)}</th>' for r in rules)
    body = []
    for name in comparison.candidates:
        css = ' class="gr-name gr-differs"' if name in differs else ' class="gr-name"'
        cells = []
        for rule in rules:
            elected = comparison.elected_under(rule)
            cells.append(
                f"<td>elected {elected.index(name) + 1}</td>" if name in elected else "<td>—</td>"
            )
        mark = (
            " <span class='gr-badge gr-badge-constraint'>differs</span>" if name in differs else ""
        )
        body.append(f'<tr><th scope="row"{css}>{escape(name)}{mark}</th>{"".join(cells)}</tr>')
    slate_html = ""
    if comparison.slates:
        seats = comparison.slate_seats()
        slates = list(next(iter(seats.values())))
        slate_rows = "".join(
            f'<tr><th scope="row" class="gr-name">{escape(s)}</th>'
            + "".join(f'<td class="gr-num">{seats[r][s]}</td>' for r in rules)
            + "</tr>"
            for s in slates
        )
        slate_html = (
            "<h2>Seats per slate</h2><div class='gr-table-scroll'>"
            "<table class='gr-stages gr-compare'>"
            f"<thead><tr><th scope='col'>Slate</th>{head}</tr></thead>"
            f"<tbody>{slate_rows}</tbody></table></div>"
        )
    fragments = "".join(
        render_fragment(
            comparison.results[rule],
            slates=comparison.slates or None,
            element_id=f"gr-{i}",
            heading_level=2,
            title=f"Count under {rule}",
        )
        for i, rule in enumerate(rules)
    )
    summary = (
        f"<p>{comparison.seats} seat(s). Elected under every rule: "
        f"{escape('; '.join(comparison.elected_by_all) or 'nobody')}. "
        f"Elected under some rules only: {escape('; '.join(comparison.differs) or 'nobody')}."
        "</p>"
    )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{report_css()}</style>"
        "</head><body><main class='gr-page'>"
        f"<h1>{escape(title)}</h1>{summary}"
        "<h2>Who is elected under each rule</h2>"
        "<div class='gr-table-scroll'><table class='gr-stages gr-compare'>"
        "<caption>Order of election under each rule; highlighted rows differ</caption>"
        f"<thead><tr><th scope='col'>Candidate</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>{slate_html}{fragments}</main></body></html>"
    )
    return str(Markup(page))
