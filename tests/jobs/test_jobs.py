"""Jobs run inline in the tests: a mail-out's job page, its outcome, and a retry that reaches
only those the failed run had not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.elections import actions
from grassroots.jobs import actions as job_actions
from grassroots.jobs.models import Delivery, Job
from grassroots.members.models import Member
from tests.elections.conftest import DAY, NOW, make_election
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SENT_BEFORE_DROP: list[int] = [2]


class DroppingBackend(EmailBackend):
    """In-memory mail whose server goes away after a few messages, as a real one might."""

    def send_messages(self, messages: Any) -> int:
        from django.core import mail

        if len(getattr(mail, "outbox", [])) >= SENT_BEFORE_DROP[0]:
            raise ConnectionResetError("connection reset by peer")
        return super().send_messages(messages)


def _members(org: Any, n: int) -> None:
    for i in range(n):
        Member.objects.create(
            number=f"J{i}",
            name=f"Job {i}",
            email=f"j{i}@example.org",
            branch=org.hillford,
            join_date=org.ann.join_date,
            status="full",
            paid_up_to=org.bob.paid_up_to,
        )


def _client(name: str) -> Client:
    c = Client()
    assert c.login(username=name, password=PASSWORD)
    return c


def test_a_failed_mail_out_retried_sends_only_to_those_it_had_not_reached(
    org: Any, mailoutbox: list, settings: Any
) -> None:
    _members(org, 5)
    voting = make_election(org)
    settings.EMAIL_BACKEND = "tests.jobs.test_jobs.DroppingBackend"
    job = actions.start_reminders(voting.election, by=org.users["returning"])
    assert job.state == "failed" and job.retryable()
    assert "could not be reached" in job.error and "after 2 of 5" in job.error
    assert job.done == 2 and job.total == 5
    assert Delivery.objects.filter(job=job, sent_at__isnull=False).count() == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    job = job_actions.retry(job, by=org.users["returning"])
    assert job.state == "done" and job.attempts == 2 and job.outcome == "Sent 5 reminders."
    to = sorted(m.to[0] for m in mailoutbox)
    assert to == sorted(f"j{i}@example.org" for i in range(5))  # each once, over both runs
    # the same message each time: its Message-ID names the job and the recipient
    ids = [m.extra_headers["Message-ID"] for m in mailoutbox]
    assert len(set(ids)) == 5 and all(f"election.remind.{job.pk}." in i for i in ids)
    assert AuditEntry.objects.filter(action="jobs.retry").count() == 1
    assert AuditEntry.objects.get(action="election.remind").summary == "Sent 5 voting reminders"


def test_the_job_page_says_who_started_what_how_far_it_got_and_how_it_ended(
    org: Any, mailoutbox: list
) -> None:
    _members(org, 3)
    voting = make_election(org)
    c = _client("returning")
    r = c.post(f"/elections/{voting.election.pk}/remind/", follow=True)
    job = Job.objects.get()
    # done at once (the tests run jobs inline) and without problems: back to the election
    assert r.redirect_chain[-1][0] == f"/elections/{voting.election.pk}/"
    assert "Sent 3 reminders." in r.content.decode()
    html = c.get(f"/jobs/{job.pk}/").content.decode()
    assert f"Voting reminders for {voting.election.title}" in html
    assert "returning" in html and "Finished" in html
    assert 'max="3" value="3"' in html and "3 of 3 (100%)" in html
    assert "Sent 3 reminders." in html and "Retry" not in html
    assert f'href="/elections/{voting.election.pk}/"' in html  # back where it was started
    # and the remind page lists it with the reminders sent before
    page = c.get(f"/elections/{voting.election.pk}/remind/").content.decode()
    assert f'href="/jobs/{job.pk}/"' in page
    assert f'href="/jobs/{job.pk}/"' in c.get("/jobs/").content.decode()


def test_a_failed_job_is_retried_from_its_page_only_once_confirmed(
    org: Any, mailoutbox: list, settings: Any
) -> None:
    _members(org, 4)
    voting = make_election(org)
    settings.EMAIL_BACKEND = "tests.jobs.test_jobs.DroppingBackend"
    job = actions.start_reminders(voting.election, by=org.users["returning"])
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    c = _client("returning")
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert "What went wrong" in page and "could not be reached" in page
    assert f'href="/jobs/{job.pk}/retry/"' in page
    confirm = c.get(f"/jobs/{job.pk}/retry/").content.decode()
    assert "Nobody it already reached gets anything a second time" in confirm
    assert "2 of 4 are done" in confirm
    assert len(mailoutbox) == 2  # looking at the confirmation sends nothing
    r = c.post(f"/jobs/{job.pk}/retry/", follow=True)
    assert "Sent 4 reminders." in r.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(f"j{i}@example.org" for i in range(4))
    # a finished job cannot be retried: nothing is sent again
    r = c.post(f"/jobs/{job.pk}/retry/", follow=True)
    assert "only a failed or stalled job can be retried" in r.content.decode()
    assert len(mailoutbox) == 4


def test_only_those_who_may_start_the_work_see_or_retry_its_job(
    org: Any, mailoutbox: list, settings: Any
) -> None:
    _members(org, 2)
    voting = make_election(org)
    settings.EMAIL_BACKEND = "tests.jobs.test_jobs.DroppingBackend"
    SENT_BEFORE_DROP[0] = 0
    try:
        job = actions.start_reminders(voting.election, by=org.users["returning"])
    finally:
        SENT_BEFORE_DROP[0] = 2
    assert job.state == "failed"
    for name in ("secretary", "ann"):
        c = _client(name)
        assert c.get(f"/jobs/{job.pk}/").status_code == 403
        assert c.post(f"/jobs/{job.pk}/retry/").status_code == 403
        assert f"/jobs/{job.pk}/" not in c.get("/jobs/").content.decode()
    assert _client("admin").get(f"/jobs/{job.pk}/").status_code == 200  # same permission
    assert Job.objects.get().state == "failed"
    assert Client().get(f"/jobs/{job.pk}/").status_code == 302  # to the login page


def test_a_job_whose_worker_stopped_is_carried_on_by_the_next_worker(
    org: Any, mailoutbox: list, settings: Any
) -> None:
    _members(org, 3)
    voting = make_election(org)
    job = actions.start_reminders(voting.election, by=org.users["returning"])
    first = Delivery.objects.filter(job=job).order_by("pk").first()
    assert first is not None
    # as a killed worker leaves it: running, one recipient recorded, no sign of life since
    Delivery.objects.filter(job=job).exclude(pk=first.pk).delete()
    mailoutbox.clear()
    old = timezone.now() - dt.timedelta(seconds=settings.GRASSROOTS_JOB_STALLED_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(state="running", heartbeat_at=old, done=1)
    page = _client("returning").get(f"/jobs/{job.pk}/").content.decode()
    assert "Stopped without finishing" in page and "Retry" in page
    resumed = job_actions.resume_stalled()
    assert [j.pk for j in resumed] == [job.pk]
    job.refresh_from_db()
    assert job.state == "done" and job.outcome == "Sent 3 reminders."
    assert len(mailoutbox) == 2 and first.member.email not in {m.to[0] for m in mailoutbox}
    # a job still showing signs of life is left alone
    Job.objects.filter(pk=job.pk).update(state="running", heartbeat_at=timezone.now())
    assert job_actions.resume_stalled() == []


def test_calling_a_meeting_sends_its_notice_as_a_job_and_says_so(org: Any) -> None:
    from django.core import mail

    from grassroots.meetings import actions as meeting_actions

    org.ann.email = "ann@example.org"
    org.ann.save()
    body = meeting_actions.create_body(unit=org.hillford, kind="branch", name="Hill", by=None)
    day = timezone.localdate() + dt.timedelta(days=30)
    r = _client("secretary").post(
        f"/units/{org.hillford.code}/meetings/new/",
        {
            "body": body.pk,
            "title": "Branch meeting",
            "purpose": "ordinary",
            "date": day.isoformat(),
            "time": "19:30",
            "place": "Library",
            "agenda": "Apologies",
        },
        follow=True,
    )
    job = Job.objects.get(kind="meeting.notice")
    assert job.state == "done" and job.started_by == org.users["secretary"]
    assert job.total == len(mail.outbox) == 1 and job.done == 1
    assert "Meeting called. Notice sent to 1 member." in r.content.decode()
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<meeting.notice.")


def test_a_register_import_runs_as_a_job_that_imports_only_the_plan_that_was_checked(
    org: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grassroots.members import staging
    from grassroots.members.actions import import_jobs

    settings.IMPORT_STAGING_DIR = tmp_path / "imports"
    text = "number,name,branch,join_date,status\nN1,Nia New,hillford,2020-01-01,full\n"
    r = _client("secretary").post(
        "/units/hillford/import/", {"file": SimpleUploadedFile("reg.csv", text.encode())}
    )
    job = Job.objects.get(kind="members.import")
    assert r.status_code == 302 and r["Location"] == "/units/hillford/"
    assert job.state == "done" and job.outcome == "Imported 1 member(s)."
    assert job.started_by == org.users["secretary"] and job.done == job.total == 1
    assert Member.objects.filter(number="N1").exists()
    assert staging.load(job.params["token"]) is None  # the staged file is gone once imported

    # a plan the register no longer matches imports nothing, and the job page says why
    staging.stage("t" * 32, text.replace("N1", "N2").encode())
    job = import_jobs.start_import(
        org.hillford, by=org.users["secretary"], token="t" * 32, name="old.csv", plan="stale"
    )
    assert job.state == "failed" and "the register changed since" in job.error
    assert not Member.objects.filter(number="N2").exists()
    page = _client("secretary").get(f"/jobs/{job.pk}/").content.decode()
    assert "nothing was imported" in page and "Register import into" in page


def test_the_count_runs_as_a_job_started_by_the_returning_officer(org: Any) -> None:
    voting = make_election(org)
    e = voting.election
    actions.cast(e, org.ann, ["Bea Bold"])
    actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    c = _client("returning")
    r = c.post(f"/elections/{e.pk}/count/", follow=True)
    job = Job.objects.get(kind="election.count")
    assert r.redirect_chain[-1][0] == f"/elections/{e.pk}/count/"
    assert "Not published yet." in r.content.decode()
    assert job.state == "done" and job.started_by == org.users["returning"]
    assert job.outcome.startswith("Counted: elected ")
    e.refresh_from_db()
    assert e.state == "counted"
    # a second count is refused before it reaches the queue
    r = c.post(f"/elections/{e.pk}/count/", follow=True)
    assert "close voting first" in r.content.decode()
    assert Job.objects.filter(kind="election.count").count() == 1
