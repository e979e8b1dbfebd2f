"""A secretary uploads a register file too large to check in the request: a job checks it, its
page shows how far the check got and then the report, and she imports the valid rows from there
(issue 14). At a desktop and a phone width, with axe's checks on the job's page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grassroots.jobs.models import Job
from grassroots.members.models import Member
from tests.e2e.test_accessibility import DESKTOP, PHONE, axe_violations, sideways_scroll
from tests.e2e.test_browser import BAD, log_in
from tests.web.conftest import Org


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_secretary_imports_the_valid_rows_of_a_large_file_from_its_check_jobs_page(
    live_server: Any, live_org: Org, browser: Any, tmp_path: Path, settings: Any, size: Any
) -> None:
    settings.IMPORT_CHECK_IN_REQUEST_ROWS = 2  # BAD's three rows count as a large file here
    csv_file = tmp_path / "hillford.csv"
    csv_file.write_text(BAD, encoding="utf-8")
    context = browser.new_context(viewport=size)
    try:
        page = context.new_page()
        page.set_default_timeout(60000)
        log_in(page, live_server.url, "secretary")
        page.goto(f"{live_server.url}/units/hillford/import/")
        page.get_by_label("Register file (CSV)").set_input_files(str(csv_file))
        page.get_by_role("button", name="Check and import").click()
        page.get_by_role(
            "heading", name="Register file check for Hillford: hillford.csv"
        ).wait_for()
        # the job's page: the check's progress, then the report; nothing imported yet
        assert page.locator("#job-state").inner_text() == "Finished"
        assert page.locator("#job-progress").get_attribute("value") == "4"
        assert "4 of 4" in page.locator("#job-facts").inner_text()
        page.get_by_role("heading", name="Import report: hillford.csv").wait_for()
        assert "Nothing has been imported." in page.locator("#import-report").inner_text()
        rows = page.locator("#import-errors tbody tr")
        assert rows.count() == 2
        assert "you may not add members to 'moorside'" in rows.nth(0).inner_text()
        assert "'2021-31-04'" in rows.nth(1).inner_text()
        assert not Member.objects.filter(number__startswith="E").exists()
        problems = axe_violations(page)
        assert problems == [], problems
        assert sideways_scroll(page) is None
        page.get_by_role("button", name="Import the 1 valid row and skip the rest").click()
        page.get_by_text("Imported 1 member(s); skipped 2 row(s) with errors.").wait_for()
        numbers = Member.objects.filter(number__startswith="E").values_list("number", flat=True)
        assert list(numbers) == ["E1"]
        check = Job.objects.get(kind="members.import_check")
        page.goto(f"{live_server.url}/jobs/{check.pk}/")
        assert "You chose to import this file" in page.locator("#import-choice").inner_text()
        assert axe_violations(page) == []
    finally:
        context.close()
