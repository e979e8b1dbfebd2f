"""The HTML result report as markup: structure, accessibility hooks, escaping, self-containment.

What a person sees in a browser is checked in tests/e2e/test_report_browser.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grassroots.count.ballots import election_from_rankings
from grassroots.count.groups import constraint_set_from_names
from grassroots.count.report.html import candidate_colours, render_fragment, render_page
from grassroots.count.rules import count
from tests.count.report_fixtures import constrained_result

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "edinburgh-2017-ward1.blt"


class _Collector(HTMLParser):
    """Tags with their attributes, and the text inside each kind of element."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in {"meta", "br", "link", "img", "input"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.stack and data.strip():
            self.text.setdefault(self.stack[-1], []).append(data.strip())


def _parse(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    return parser


def test_fragment_has_headings_a_captioned_table_with_scoped_headers_and_figures() -> None:
    page = _parse(render_fragment(constrained_result()))
    assert page.text["h2"] == ["Worked example: youth seat"]
    assert {"Elected", "Constraint actions", "Result sheet", "Votes across the count"} <= set(
        page.text["h3"]
    )
    scopes = [a.get("scope") for t, a in page.tags if t == "th"]
    assert None not in scopes, "every table header says what it heads"
    assert {"col", "row", "colgroup"} <= set(scopes)
    assert page.text["caption"]
    assert len(page.text["figcaption"]) == 2
    charts = [a for t, a in page.tags if t == "svg" and "gr-chart" in (a.get("class") or "")]
    assert len(charts) == 2
    assert all(a.get("role") == "img" and a.get("aria-label") for a in charts)
    # each chart's text alternative is also its caption, for everyone
    assert [a["aria-label"] for a in charts] == [
        c.split(" Transfers as a table")[0] for c in page.text["figcaption"]
    ]


def test_result_sheet_shows_every_stage_transfer_and_total_with_the_quota_line() -> None:
    html = render_fragment(constrained_result())
    sheet = html[html.index('<table class="gr-stages">') : html.index("</table>")]
    # whole stages without decimals, a stage with a fraction in it with the rule's decimals
    for text in ("Stage 1", "Stage 3", "Transfer", ">+15<", ">\u221230<", "24.50"):
        assert text in sheet
    assert "Non-transferable" in sheet
    assert re.search(r'class="gr-quota">\s*<th scope="row" class="gr-name">Quota</th>', sheet)
    quota_row = sheet[sheet.index('class="gr-quota"') :]
    assert quota_row.count(">34<") == 3, "the quota line has one figure per stage"


def test_figures_that_are_whole_votes_have_no_trailing_zeros_and_the_rule_is_named() -> None:
    result = constrained_result()
    html = render_fragment(result)
    sheet = html[html.index('<table class="gr-stages">') : html.index("</table>")]
    first = next(s for s in result.stages if s.number == 1)
    for votes in first.votes.values():
        assert f">{int(votes)}" in sheet  # first preferences: "30", not "30.00"
    facts = html[html.index('class="gr-facts"') : html.index("</dl>")]
    assert "<dd>100</dd>" in facts and "<dd>34</dd>" in facts and ".00" not in facts
    assert "<dd>Scottish STV (SSI 2007/42 rules 45-52)</dd>" in facts  # not "scottish (…)"


def test_constraint_stage_is_highlighted_and_named_with_its_reason() -> None:
    html = render_fragment(constrained_result())
    assert 'class="gr-stage gr-action-constraint"' in html
    assert "gr-is-constraint-excluded" in html
    constraints = html[html.index('class="gr-constraint-list"') :]
    assert "Stage 2: Bob Jones excluded" in constraints
    assert "at least 1 of the seats to youth" in constraints


def _chart(html: str, css: str) -> str:
    start = html.index(f'<svg class="gr-chart {css}"')
    return html[start : html.index("</svg>", start) + 6]


def test_candidate_names_are_escaped_in_markup_and_in_the_charts() -> None:
    html = render_fragment(constrained_result())
    assert "<script>Smith" not in html
    assert "Cat &lt;script&gt;Smith" in html
    votes = _chart(html, "gr-chart-votes")
    assert "<script>" not in votes and 'data-name="Cat &lt;script&gt;Smith"' in votes


def test_the_votes_chart_draws_a_line_per_candidate_and_the_quota_dashed() -> None:
    result = constrained_result()
    votes = _chart(render_fragment(result, element_id="r1"), "gr-chart-votes")
    names = re.findall(r'<g class="gr-series" data-name="([^"]+)"', votes)
    assert [n.replace("&lt;", "<").replace("&gt;", ">") for n in names] == list(
        result.stages[0].votes
    )
    assert votes.count('class="gr-quota-line"') == 1 and 'stroke-dasharray="6 4"' in votes
    # a point per candidate per stage, each saying its figure on hover
    assert votes.count("<circle") == len(names) * len(result.stages)
    assert "Bob Jones, First preferences: 30</title>" in votes
    assert "Constraint stage" in votes  # the constraint stage is shaded


def test_the_transfers_chart_has_a_band_per_transfer_in_the_table() -> None:
    html = render_fragment(constrained_result())
    flows = _chart(html, "gr-chart-flows")
    table = html[html.index('<table class="gr-flows">') :]
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td><td class="gr-num">([^<]+)<', table
    )
    bands = re.findall(r'<path class="gr-band"[^>]*><title>([^<]+)</title>', flows)
    assert len(bands) == len(rows) > 0
    for (source, target, votes), band in zip(rows, bands, strict=True):
        assert band == f"{source} \u2192 {target}: {votes} votes"


def test_each_candidate_keeps_one_colour_in_every_chart() -> None:
    result = constrained_result()
    html = render_fragment(result)
    colours = {
        n: "rgb({},{},{})".format(*c) for n, c in candidate_colours(result.candidates).items()
    }
    assert len(set(colours.values())) == len(colours), "no two candidates share a colour"
    votes, flows = _chart(html, "gr-chart-votes"), _chart(html, "gr-chart-flows")
    for name, colour in colours.items():
        shown = name.replace("<", "&lt;").replace(">", "&gt;")
        assert f'data-name="{shown}" fill="{colour}" stroke="{colour}"' in votes
        r, g, b = candidate_colours(result.candidates)[name]
        for band in re.findall(
            rf'<path class="gr-band"[^>]*fill="([^"]+)"><title>{re.escape(shown)} ', flows
        ):
            assert band == f"rgba({r},{g},{b},0.35)"


def test_several_fragments_on_one_page_keep_their_ids_apart() -> None:
    one = render_fragment(constrained_result(), element_id="a")
    two = render_fragment(constrained_result(), element_id="b")
    ids = re.findall(r'id="([^"]+)"', one + two)
    assert len(ids) == len(set(ids))


def test_page_is_self_contained_with_no_external_resources() -> None:
    html = render_page(constrained_result())
    page = _parse(html)
    for tag, attrs in page.tags:
        assert not (tag == "script" and attrs.get("src")), "scripts are inlined"
        assert tag != "link", "styles are inlined"
        assert tag != "img"
        assert not any(v and "http" in v for k, v in attrs.items() if k != "xmlns")
    assert ("lang", "en") in page.tags[0][1].items() or page.tags[0][0] == "html"
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in page.tags)


def test_a_ward_report_weighs_kilobytes_and_carries_no_charting_library() -> None:
    from grassroots.count.formats import blt

    html = render_page(count(blt.read(EXAMPLE), "scottish", seed=1))
    assert len(html.encode()) < 200_000  # the limit is 1 MB; the library alone was 4.6 MB
    assert "Plotly" not in html and "<svg" in html


def test_a_real_scottish_count_renders_with_every_candidate_row() -> None:
    from grassroots.count.formats import blt

    result = count(blt.read(EXAMPLE), "scottish", seed=1)
    html = render_fragment(result)
    for name in result.candidates:
        assert f'<th scope="row" class="gr-name">{name}' in html.replace("&#39;", "'")
    assert html.count('class="gr-stage gr-action-') == len(result.stages)


def test_a_constrained_real_count_lists_its_constraint_actions() -> None:
    from grassroots.count.formats import blt

    election = blt.read(EXAMPLE)
    cons = constraint_set_from_names(
        election.candidates,
        {"women": ["Pamela MITCHELL (SNP)", "Louise YOUNG (LD)"]},
        minima={"women": 2},
    )
    result = count(election, "scottish", seed=1, constraints=cons)
    html = render_fragment(result)
    assert "Constraint actions" in html
    assert "at least 2 of the seats to women" in html


def test_a_count_with_no_transfers_says_so_instead_of_drawing_an_empty_chart() -> None:
    election = election_from_rankings(["A", "B"], 1, [["A"], ["A"], ["B"]])
    html = render_fragment(count(election, "fptp", seed=1))
    assert "No votes were transferred" in html


def test_the_report_never_imports_django() -> None:
    code = (
        "import sys\n"
        "import grassroots.count.report.html, grassroots.count.report.compare\n"
        "import grassroots.count.compare, grassroots.count.groups\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_heading_level_outside_one_to_five_is_refused() -> None:
    with pytest.raises(ValueError, match="heading_level"):
        render_fragment(constrained_result(), heading_level=6)
