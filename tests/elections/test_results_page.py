"""The results page and the count page weigh kilobytes: the charts are SVG in the stored report,
its stylesheet a static file, and no charting library is sent with any page; a report stored
with the old script-drawn charts is drawn again as SVG."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.apps import apps
from django.test import Client

from grassroots.elections.models import Publication
from tests.elections.test_publish import _vote_and_publish
from tests.web.conftest import PASSWORD, Org


def test_the_results_page_weighs_kilobytes_with_its_charts_inline_and_no_script_library(
    client: Client, org: Org
) -> None:
    s, _ = _vote_and_publish(org)
    assert client.login(username="ann", password=PASSWORD)
    r = client.get(f"/elections/{s.election.pk}/results/")
    assert r.status_code == 200
    html = r.content.decode()
    assert len(r.content) < 100_000  # it was 4.8 MB with the charting library inlined
    assert html.count('<svg class="gr-chart') == 2 and 'role="img"' in html
    assert '<link rel="stylesheet" href="/static/report/report.css">' in html
    assert "Plotly" not in html and "<style>" not in html


def test_the_count_page_before_publishing_weighs_kilobytes_too(client: Client, org: Org) -> None:
    s, _ = _vote_and_publish(org)
    assert client.login(username="returning", password=PASSWORD)
    s.election.state = "counted"
    s.election.save(update_fields=["state"])
    r = client.get(f"/elections/{s.election.pk}/count/")
    assert r.status_code == 200 and len(r.content) < 100_000
    assert r.content.decode().count('<svg class="gr-chart') == 2


def test_the_report_stylesheet_is_a_static_file() -> None:
    from django.contrib.staticfiles import finders

    found = finders.find("report/report.css")
    assert found is not None and ".gr-chart" in Path(found).read_text(encoding="utf-8")


def test_a_report_stored_with_script_drawn_charts_is_drawn_again_as_svg(org: Org) -> None:
    s, _ = _vote_and_publish(org)
    pub = Publication.objects.get(election=s.election)
    now = pub.report_html
    old = now.replace("<svg", "<div").replace("</svg>", "</div>") + (
        "<script>if (typeof window.Plotly === 'undefined') { return; }</script>"
    )
    Publication.objects.filter(pk=pub.pk).update(report_html=old)
    migration = importlib.import_module(
        "grassroots.elections.migrations.0008_reports_with_svg_charts"
    )
    migration.redraw(apps, None)
    pub.refresh_from_db()
    assert pub.report_html == now  # the recount draws the very report the count wrote
