"""Stored reports drew their charts with a script the results page no longer loads: each is
written again from a recount of its own published files, with the charts as SVG."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def redraw(apps: Any, schema_editor: Any) -> None:
    from grassroots.elections import publish

    Publication = apps.get_model("elections", "Publication")
    for pub in Publication.objects.select_related("election").iterator():
        if "window.Plotly" not in pub.report_html:
            continue
        try:
            pub.report_html = publish.report(pub.files, pub.election.title)
        except publish.BundleError:
            continue  # kept as it was: its tables and captions still read without the charts
        pub.save(update_fields=["report_html"])


class Migration(migrations.Migration):
    dependencies = [("elections", "0007_roll_without_row_locks")]

    operations = [migrations.RunPython(redraw, migrations.RunPython.noop)]
