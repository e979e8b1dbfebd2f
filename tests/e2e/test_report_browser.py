"""The HTML result report as a person sees it: rendered in headless Chromium via Playwright.

Checks what is on the page (headings, table cells, the constraint stage highlighted, both
charts drawn), that nothing was fetched from the network and nothing logged an error, at a
desktop and a phone width; screenshots go to ``tests/out/`` (gitignored) for a human look.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from grassroots.count.report.html import render_page
from tests.count.report_fixtures import constrained_result

CHROMIUM = Path("/usr/bin/chromium")
OUT = Path(__file__).resolve().parents[1] / "out"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SLATES = {"Ann Black": "Left", "Bob Jones": "Right", "Cat <script>Smith": "Left"}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium to run the browser checks")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report_file() -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "report_constrained.html"
    path.write_text(render_page(constrained_result(), slates=SLATES), encoding="utf-8")
    return path


def _open(
    browser: object, path: Path, width: int, height: int
) -> tuple[object, list[str], list[str]]:
    context = browser.new_context(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("svg.gr-chart", timeout=60000)
    return page, errors, requests


def test_report_page_shows_the_result_sheet_charts_and_constraint_stage(
    browser: object, report_file: Path
) -> None:
    page, errors, requests = _open(browser, report_file, 1280, 900)
    page.wait_for_selector("#gr-result-flows-chart svg.gr-chart", timeout=60000)  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "Worked example: youth seat"  # type: ignore[attr-defined]
    headings = page.locator("h2").all_inner_texts()  # type: ignore[attr-defined]
    for expected in (
        "Elected",
        "Constraint actions",
        "Result sheet",
        "Votes across the count",
        "Transfers between slates",
    ):
        assert expected in headings
    table = page.locator("table.gr-stages")  # type: ignore[attr-defined]
    assert table.locator("th[scope=row]", has_text="Dan Wu").count() == 1
    assert table.locator("td", has_text="24.50").count() == 1
    assert "Quota" in table.locator("tfoot").inner_text()
    # The candidate whose name holds markup is shown as text, not run as a script.
    assert table.locator("th[scope=row]", has_text="Cat <script>Smith").count() == 1
    constraint_head = table.locator("thead th.gr-action-constraint").first
    assert "Constraint" in constraint_head.inner_text()
    bg = constraint_head.evaluate("e => getComputedStyle(e).backgroundColor")
    assert bg == "rgb(255, 240, 214)"
    assert "at least 1 of the seats to youth" in page.locator(".gr-constraint-list").inner_text()  # type: ignore[attr-defined]
    # Both charts drew: one line per candidate plus the quota, and a Sankey with links.
    assert page.locator("#gr-result-votes-chart .gr-series").count() == 4  # type: ignore[attr-defined]
    assert page.locator("#gr-result-votes-chart .gr-quota-line").count() == 1  # type: ignore[attr-defined]
    assert page.locator("#gr-result-flows-chart .gr-band").count() >= 3  # type: ignore[attr-defined]
    # each chart is one image to assistive technology, named by its text alternative
    for chart in page.get_by_role("img").all():  # type: ignore[attr-defined]
        assert chart.get_attribute("aria-label").startswith(("Line chart", "Sankey diagram"))
    assert page.locator("figure figcaption").count() == 2  # type: ignore[attr-defined]
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []
    page.screenshot(path=str(OUT / "report_desktop.png"), full_page=True)  # type: ignore[attr-defined]


def test_a_ward_report_opens_offline_with_its_charts_and_under_a_megabyte(browser: object) -> None:
    from grassroots.count.formats import blt
    from grassroots.count.rules import count

    example = Path(__file__).resolve().parents[2] / "examples" / "edinburgh-2017-ward1.blt"
    path = OUT / "report_ward.html"
    path.write_text(render_page(count(blt.read(example), "scottish", seed=1)), encoding="utf-8")
    assert path.stat().st_size < 1_000_000
    context = browser.new_context(offline=True, viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path.as_uri())
        # both charts are there without any network: SVG in the file itself
        assert page.locator("svg.gr-chart .gr-series").count() == 10
        assert page.locator("svg.gr-chart .gr-band").count() > 10
        box = page.locator("svg.gr-chart").first.bounding_box()
        assert box is not None and box["height"] > 200  # drawn at a readable size on a phone
        assert errors == []
    finally:
        context.close()


def test_report_page_fits_a_phone_with_the_stage_table_scrolling_sideways(
    browser: object, report_file: Path
) -> None:
    page, errors, _ = _open(browser, report_file, 390, 844)
    page_width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert page_width <= 390, "the page itself must not scroll sideways on a phone"
    scroller = page.locator(".gr-table-scroll").first  # type: ignore[attr-defined]
    assert scroller.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert scroller.evaluate("e => e.scrollWidth > e.clientWidth")
    assert errors == []
    page.screenshot(path=str(OUT / "report_phone.png"), full_page=True)  # type: ignore[attr-defined]


def test_compare_page_shows_the_side_by_side_table_and_every_rules_charts(browser: object) -> None:
    from grassroots.count.compare import compare
    from grassroots.count.formats import blt
    from grassroots.count.report.compare import render_compare_html

    example = Path(__file__).resolve().parents[2] / "examples" / "edinburgh-2017-ward1.blt"
    slates = {"Kevin LANG (LD)": "LD", "Louise YOUNG (LD)": "LD", "Norrie WORK (SNP)": "SNP"}
    comparison = compare(blt.read(example), ["scottish", "meek"], seed=1, slates=slates)
    path = OUT / "compare.html"
    path.write_text(render_compare_html(comparison, title="Ward 1 - Almond"), encoding="utf-8")
    page, errors, requests = _open(browser, path, 1280, 900)
    assert page.locator("h1").inner_text() == "Ward 1 - Almond"  # type: ignore[attr-defined]
    table = page.locator("table.gr-compare").first  # type: ignore[attr-defined]
    assert table.locator("thead th").all_inner_texts() == ["Candidate", "scottish", "meek"]
    assert table.locator("tbody tr").count() == 10
    page.wait_for_selector("#gr-1-flows-chart svg.gr-chart", timeout=60000)  # type: ignore[attr-defined]
    assert page.locator(".gr-report").count() == 2  # type: ignore[attr-defined]
    assert page.locator("svg.gr-chart").count() == 4  # type: ignore[attr-defined]
    assert errors == []
    assert [u for u in requests if not u.startswith("file://")] == []
    page.screenshot(path=str(OUT / "compare_desktop.png"), full_page=False)  # type: ignore[attr-defined]
