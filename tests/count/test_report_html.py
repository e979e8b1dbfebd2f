"""The HTML result report as markup: structure, accessibility hooks, escaping, self-containment.

What a person sees in a browser is checked in tests/e2e/test_report_browser.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from grassroots.count.ballots import election_from_rankings
from grassroots.count.groups import constraint_set_from_names
from grassroots.count.report.html import plotly_js, render_fragment, render_page
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
    charts = [a for t, a in page.tags if t == "div" and "gr-chart" in (a.get("class") or "")]
    assert charts and all(a.get("role") == "img" and a.get("aria-label") for a in charts)


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


def test_candidate_names_are_escaped_in_markup_and_in_chart_data() -> None:
    html = render_fragment(constrained_result())
    assert "<script>Smith" not in html
    assert "Cat &lt;script&gt;Smith" in html
    data = re.search(r'<script type="application/json" id="gr-result-data">(.*?)</script>', html)
    assert data is not None
    charts = json.loads(data.group(1))
    assert "Cat <script>Smith" in [t["name"] for t in charts["votes"]["data"]]


def test_chart_data_holds_a_line_per_candidate_the_quota_and_a_sankey() -> None:
    html = render_fragment(constrained_result(), element_id="r1")
    data = re.search(r'<script type="application/json" id="r1-data">(.*?)</script>', html)
    assert data is not None
    charts = json.loads(data.group(1))
    names = [t["name"] for t in charts["votes"]["data"]]
    assert names[-1] == "Quota"
    assert len(names) == 5
    assert charts["votes"]["data"][1]["y"] == [30.0, 0.0, 0.0]
    sankey = charts["flows"]["data"][0]
    assert sankey["type"] == "sankey"
    assert sum(sankey["link"]["value"]) == pytest.approx(30 + 6)


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
    assert plotly_js()[:2000] in html
    assert ("lang", "en") in page.tags[0][1].items() or page.tags[0][0] == "html"
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in page.tags)


def test_the_inlined_library_cannot_end_its_script_element_early() -> None:
    assert "</script" not in plotly_js().lower()


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
