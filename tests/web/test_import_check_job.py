"""A register file over the in-request size is checked by a job: its page shows the check's
progress, then the same report the upload page shows, and nothing is written until the person
confirms there (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from grassroots.audit.models import AuditEntry
from grassroots.jobs.models import Job
from grassroots.jobs.runner import Progress
from grassroots.members import actions, staging
from grassroots.members.actions import import_jobs
from grassroots.members.models import Member
from tests.web.conftest import PASSWORD, Org

FILE = (
    b"number,name,branch,join_date,status\n"
    b"N1,Nat New,hillford,2020-01-01,full\n"
    b"N2,Ned Bad,hillford,2020-02-30,full\n"
    b"M1,Ann Renamed,hillford,2019-01-01,full\n"
    b"N3,Nell New,hillford,2021-03-04,full\n"
)


@pytest.fixture(autouse=True)
def _staging(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


def login(who: str) -> Client:
    c = Client()
    assert c.login(username=who, password=PASSWORD)
    return c


def _upload(c: Client, data: bytes = FILE) -> Any:
    return c.post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("reg.csv", data)},
    )


def _report_html(page: str) -> str:
    """The report's part of a page (the counts, the problems, the updates, the new members)."""
    m = re.search(r'<div id="import-report">.*?</div>\s*(?=<div|<p><a|<form)', page, re.S)
    assert m is not None, page
    start = page.index('<div id="import-report">')
    return page[start : page.index("<form", start)]


def _checked_by_job(c: Client, settings: Any, data: bytes = FILE) -> tuple[Job, str]:
    settings.IMPORT_CHECK_IN_REQUEST_ROWS = 2
    r = _upload(c, data)
    job = Job.objects.get(kind="members.import_check")
    assert r.status_code == 302 and r["Location"] == f"/jobs/{job.pk}/"
    page = c.get(r["Location"]).content.decode()
    return job, page


def test_a_large_file_checked_by_a_job_shows_the_same_report_as_one_checked_in_the_request(
    org: Org, settings: Any
) -> None:
    c = login("secretary")
    in_request = _upload(c)
    assert in_request.status_code == 200
    in_request_page = in_request.content.decode()
    job, job_page = _checked_by_job(c, settings)
    assert job.state == "done" and job.done == job.total == 5  # rows checked of the file's lines
    assert _report_html(job_page) == _report_html(in_request_page)
    # the report itself: the bad row with its problem, the update per column, the counts
    report = staging.load_report(job.params["token"])
    assert report == import_jobs.report(org.hillford, org.users["secretary"], FILE.decode())
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "join_date")]
    assert report["updates"][0]["changes"] == [["name", "Ann Arrears", "Ann Renamed"]]
    assert (report["new"], report["updated"], report["bad_rows"]) == (2, 1, 1)
    assert "Import the 3 valid rows and skip the rest" in job_page
    assert "Cancel: import nothing and discard the file" in job_page


def test_nothing_is_written_until_the_person_confirms_the_check_jobs_report(
    org: Org, settings: Any
) -> None:
    c = login("secretary")
    settings.IMPORT_CHECK_IN_REQUEST_ROWS = 2
    members = Member.objects.count()
    r = c.post(
        reverse("members:import", kwargs={"code": "hillford"}),
        {"file": SimpleUploadedFile("reg.csv", FILE), "import_valid": "on"},
    )
    job = Job.objects.get(kind="members.import_check")
    assert r.status_code == 302 and job.state == "done"
    assert Member.objects.count() == members
    assert Member.objects.get(number="M1").name == "Ann Arrears"
    assert not Job.objects.filter(kind="members.import").exists()

    r = c.post(reverse("members:import_check_confirm", kwargs={"code": "hillford", "pk": job.pk}))
    imp = Job.objects.get(kind="members.import")
    assert r.status_code == 302 and imp.state == "done", imp.error
    assert imp.outcome == "Imported 2 member(s), updated 1; skipped 1 row(s) with errors."
    assert set(Member.objects.values_list("number", flat=True)) == {"M1", "M2", "N1", "N3"}
    assert Member.objects.get(number="M1").name == "Ann Renamed"
    assert list(Path(settings.IMPORT_STAGING_DIR).iterdir()) == []  # file and report gone
    # the job page now says what was chosen, and a second confirmation imports nothing twice
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "You chose to import this file" in page and 'id="import-errors"' not in page
    c.post(reverse("members:import_check_confirm", kwargs={"code": "hillford", "pk": job.pk}))
    assert Job.objects.filter(kind="members.import").count() == 1


def test_a_register_changed_between_the_report_and_the_confirmation_imports_nothing(
    org: Org, settings: Any
) -> None:
    c = login("secretary")
    job, _ = _checked_by_job(c, settings)
    # someone adds N1 by hand after the report was shown
    actions.create_member(
        by=None, number="N1", name="Nat Hand", branch=org.hillford,
        join_date=org.ann.join_date, status="full",
    )  # fmt: skip
    before = set(Member.objects.values_list("number", "name"))
    c.post(reverse("members:import_check_confirm", kwargs={"code": "hillford", "pk": job.pk}))
    imp = Job.objects.get(kind="members.import")
    assert imp.state == "failed" and "the register changed since the file was checked" in imp.error
    assert set(Member.objects.values_list("number", "name")) == before


def test_only_those_who_may_edit_that_units_register_see_or_confirm_the_check_jobs_report(
    org: Org, settings: Any
) -> None:
    job, page = _checked_by_job(login("secretary"), settings)
    assert "Nat New" in page
    confirm = reverse("members:import_check_confirm", kwargs={"code": "hillford", "pk": job.pk})
    cancel = reverse("members:import_check_cancel", kwargs={"code": "hillford", "pk": job.pk})
    for who in ("moorsec", "ann"):  # another branch's secretary; a member
        c = login(who)
        r = c.get(f"/jobs/{job.pk}/")
        assert r.status_code == 403 and b"Nat New" not in r.content
        assert c.post(confirm).status_code == 403
        assert c.post(cancel).status_code == 403
    # through another unit's address the job is not found
    wrong = reverse("members:import_check_confirm", kwargs={"code": "moorside", "pk": job.pk})
    assert login("moorsec").post(wrong).status_code == 404
    assert not Job.objects.filter(kind="members.import").exists()
    assert staging.load_report(job.params["token"]) is not None  # the report still waits


def test_cancelling_a_checked_file_discards_it_and_imports_nothing(org: Org, settings: Any) -> None:
    c = login("secretary")
    job, _ = _checked_by_job(c, settings)
    members = Member.objects.count()
    r = c.post(reverse("members:import_check_cancel", kwargs={"code": "hillford", "pk": job.pk}))
    assert r.status_code == 302 and r["Location"] == "/units/hillford/import/"
    assert Member.objects.count() == members
    assert list(Path(settings.IMPORT_STAGING_DIR).iterdir()) == []
    assert AuditEntry.objects.filter(action="import_cancel", subject=f"job:{job.pk}").exists()
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "You chose not to import this file" in page
    r = c.post(
        reverse("members:import_check_confirm", kwargs={"code": "hillford", "pk": job.pk}),
        follow=True,
    )
    assert "already chosen what to do with that file" in r.content.decode()
    assert not Job.objects.filter(kind="members.import").exists()


def test_a_check_whose_file_has_gone_fails_saying_so_and_writes_nothing(org: Org) -> None:
    staging.stage("a" * 32, FILE)
    members = Member.objects.count()
    real = staging.count_lines

    def swept_first(token: str) -> int | None:
        staging.discard(token)  # the file is swept just before the worker reads it
        return real(token)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(staging, "count_lines", swept_first)
        job = import_jobs.start_check(
            org.hillford, by=org.users["secretary"], token="a" * 32, name="reg.csv"
        )
    assert job.state == "failed" and "has expired or was discarded" in job.error
    assert Member.objects.count() == members


def test_a_small_file_is_still_checked_in_the_request(org: Org) -> None:
    r = _upload(login("secretary"))
    assert r.status_code == 200 and "Import report: reg.csv" in r.content.decode()
    assert not Job.objects.filter(kind="members.import_check").exists()
    assert settings.IMPORT_CHECK_IN_REQUEST_ROWS >= 1000  # the shipped threshold


class _Recorder(Progress):
    """A job's progress as its page would show it at every write."""

    def __init__(self, job: Job) -> None:
        super().__init__(job, every=0)
        self.seen: list[tuple[str, int, int | None]] = []

    def _write(self, *, force: bool = False) -> None:
        super()._write(force=True)
        self.seen.append((self.job.phase, self.job.done, self.job.total))


def test_the_import_jobs_progress_never_shows_all_done_while_writing_remains(org: Org) -> None:
    text = FILE.replace(b"N2,Ned Bad,hillford,2020-02-30", b"N2,Ned Good,hillford,2020-02-03")
    report = import_jobs.report(org.hillford, None, text.decode())
    staging.stage("b" * 32, text)
    job = Job.objects.create(
        kind="members.import", title="t", unit=org.hillford, permission="edit_register",
        params={"unit": org.hillford.pk, "token": "b" * 32, "name": "reg.csv",
                "plan": report["plan"]},
        state="running", attempts=1,
    )  # fmt: skip
    progress = _Recorder(job)
    members = Member.objects.count()

    def written_yet() -> int:
        return Member.objects.count() - members

    seen_with_rows: list[tuple[str, int, int | None, int]] = []
    original = progress._write

    def watch(*, force: bool = False) -> None:
        original(force=force)
        seen_with_rows.append((*progress.seen[-1], written_yet()))

    progress._write = watch  # type: ignore[method-assign]
    assert import_jobs.run_import(job, progress) == "Imported 3 member(s), updated 1."
    phases = [p for p, _, _, _ in seen_with_rows]
    assert phases[0].startswith("Checking the file again") and import_jobs.WRITING in phases
    writing = [(d, t) for p, d, t, _ in seen_with_rows if p == import_jobs.WRITING]
    assert writing[0] == (0, 4) and (4, 4) in writing  # 3 new rows and 1 update
    # once every row is written, the page says the audit entry and the commit remain, with no
    # count (so no 100 %) until they are done
    i = phases.index(import_jobs.SAVING)
    assert seen_with_rows[i][1:3] == (0, None) and seen_with_rows[i - 1][1:3] == (4, 4)
    assert seen_with_rows[-1][:3] == (import_jobs.WRITING, 4, 4)


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_rows_written_are_on_the_job_page_before_the_import_commits() -> None:
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: there the figures land with the commit")
    from tests.web.conftest import _org

    org = _org()
    report = import_jobs.report(org.hillford, None, FILE.decode())
    staging.stage("c" * 32, FILE)
    job = Job.objects.create(
        kind="members.import", title="t", unit=org.hillford, permission="edit_register",
        params={"unit": org.hillford.pk, "token": "c" * 32, "name": "reg.csv",
                "plan": report["plan"]},
        state="running", attempts=1,
    )  # fmt: skip
    members = Member.objects.count()
    progress = Progress(job, every=0)
    outside: list[tuple[str, int, int | None, int]] = []

    def look() -> None:  # what another connection (the job page's) sees
        try:
            j = Job.objects.get(pk=job.pk)
            outside.append((j.phase, j.done, j.total, Member.objects.count() - members))
        finally:
            connections.close_all()

    step = progress.step

    def step_and_look(done: int) -> None:
        step(done)
        if progress.job.phase == import_jobs.WRITING and done:
            t = threading.Thread(target=look)
            t.start()
            t.join()

    progress.step = step_and_look  # type: ignore[method-assign]
    import_jobs.run_import(job, progress)
    # while the import's transaction was open: its 3 rows counted on the page, none visible yet
    assert (import_jobs.WRITING, 3, 3, 0) in outside
    assert Member.objects.count() == members + 2  # (N2's bad row skipped; M1 updated)


def test_cancelling_a_file_checked_in_the_request_discards_it_and_imports_nothing(
    org: Org,
) -> None:
    c = login("secretary")
    page = _upload(c).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    assert staging.load(token) is not None
    r = c.post(reverse("members:import_cancel", kwargs={"code": "hillford"}), {"token": token})
    assert r.status_code == 302 and staging.load(token) is None
    assert not Member.objects.filter(number__in=["N1", "N3"]).exists()
    # another's token (not in this session) discards nothing
    staging.stage("d" * 32, FILE)
    login("secretary").post(
        reverse("members:import_cancel", kwargs={"code": "hillford"}), {"token": "d" * 32}
    )
    assert staging.load("d" * 32) is not None


def test_a_file_with_a_byte_order_mark_and_windows_line_ends_gets_the_same_report_either_way(
    org: Org, settings: Any
) -> None:
    data = b"\xef\xbb\xbf" + FILE.replace(b"\n", b"\r\n").replace(
        b"Nell New", b'"Nell\r\nNew"'
    )  # a quoted name with a line break in it: an error on its row either way
    c = login("secretary")
    in_request = _upload(c, data).content.decode()
    job, job_page = _checked_by_job(c, settings, data)
    assert _report_html(job_page) == _report_html(in_request)
    report = staging.load_report(job.params["token"])
    assert report is not None and report["total"] == 4
    assert [e["column"] for e in report["errors"]] == ["join_date", "name"]
