"""The meeting pages as people meet them: the public record, the secretary's forms, papers
for members only where the body says so, calendars, and refusals in plain words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from grassroots.meetings import actions
from grassroots.meetings.models import Meeting, Paper
from grassroots.members.models import Member
from tests.meetings.test_calling import PDF
from tests.web.conftest import PASSWORD, Org


def client_for(org: Org, who: str | None) -> Client:
    c = Client()
    if who is not None:
        assert c.login(username=org.users[who].username, password=PASSWORD)
    return c


def soon(days: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


def test_a_secretary_calls_a_meeting_from_the_form_and_the_notice_goes_out(org: Org) -> None:
    org.ann.email = "ann@example.org"
    org.ann.save()
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    c = client_for(org, "secretary")
    day = soon(20).date()
    r = c.post(
        "/units/hillford/meetings/new/",
        {
            "body": body.pk,
            "title": "Nominating meeting",
            "purpose": "nominating",
            "date": day.isoformat(),
            "time": "19:30",
            "place": "Hillford Library",
            "agenda": "Apologies\n\nNominations for the executive\n",
        },
        follow=True,
    )
    assert r.status_code == 200
    m = Meeting.objects.get()
    assert m.local_start().date() == day and m.local_start().hour == 19
    assert [i.title for i in m.items.all()] == ["Apologies", "Nominations for the executive"]
    assert "Meeting called. Notice sent to 1 member." in r.content.decode()
    assert r.redirect_chain[-1][0] == f"/meetings/{m.pk}/"
    assert len(mail.outbox) == 1


def test_the_form_names_what_is_missing_instead_of_failing(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    c = client_for(org, "secretary")
    r = c.post(
        "/units/hillford/meetings/new/", {"body": body.pk, "title": "x", "date": "2026-13-45"}
    )
    assert r.status_code == 200
    text = r.content.decode()
    assert "Enter a valid date" in text and "Give a place, an online link, or both" in text
    assert not Meeting.objects.exists()


def test_the_public_record_shows_notice_agenda_papers_and_late_ones(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    start = soon(3)  # inside the 7 clear days: short notice
    m = actions.call_meeting(
        body,
        title="Emergency meeting",
        start=start,
        by=None,
        items=["The closure"],
        place="Hall",
        short_notice_reason="the council's decision came on Monday",
    )
    actions.add_paper(
        m.items.get(),
        title="Council letter",
        name="letter.pdf",
        data=PDF,
        by=None,
        reason="arrived today",
    )
    page = Client().get(f"/meetings/{m.pk}/").content.decode()
    assert "Called at short notice" in page and "the council&#x27;s decision came on Monday" in page
    assert "late paper" in page and "arrived today" in page
    assert Paper.objects.get().sha256 in page
    listing = Client().get("/units/hillford/meetings/").content.decode()
    assert "Emergency meeting" in listing and "short notice" in listing
    r = Client().get(f"/meetings/{m.pk}/papers/{Paper.objects.get().pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["X-Content-Type-Options"] == "nosniff"


def test_an_executives_papers_are_for_its_members_only(org: Org) -> None:
    exe = actions.create_body(
        unit=org.hillford, kind="executive", name="Hillford executive", by=None, papers_public=False
    )
    actions.appoint(
        exe, org.ann, by=None, role="Chair", on=timezone.localdate() - dt.timedelta(days=1)
    )
    m = actions.call_meeting(
        exe, title="Executive", start=soon(10), by=None, items=["Budget"], place="Hall"
    )
    p = actions.add_paper(m.items.get(), title="Draft budget", name="budget.pdf", data=PDF, by=None)
    url = f"/meetings/{m.pk}/papers/{p.pk}/"
    assert Client().get(url).status_code == 404
    assert client_for(org, "officer").get(url).status_code == 404
    ann = Client()
    assert ann.login(username="ann", password=PASSWORD)
    r = ann.get(url)
    # reading the file to the end closes it the way the test client expects (a bare close()
    # would fire request_finished and close the test's database connection on PostgreSQL)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert "for its members" in Client().get(f"/meetings/{m.pk}/").content.decode()


def test_the_online_link_is_shown_only_to_those_who_may_attend(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    m = actions.call_meeting(
        body, title="Online", start=soon(12), by=None, join_url="https://meet.example.org/abc"
    )
    assert "meet.example.org/abc" not in Client().get(f"/meetings/{m.pk}/").content.decode()
    ann = Client()
    assert ann.login(username="ann", password=PASSWORD)
    assert "meet.example.org/abc" in ann.get(f"/meetings/{m.pk}/").content.decode()


def test_a_members_standing_page_lists_the_meetings_they_may_attend(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    m = actions.call_meeting(body, title="December meeting", start=soon(12), by=None, place="Hall")
    ann = Client()
    assert ann.login(username="ann", password=PASSWORD)
    text = ann.get("/me/").content.decode()
    assert "December meeting" in text and "You may attend" in text
    assert f"/meetings/{m.pk}/" in text


def test_a_units_calendar_feed_holds_its_meetings(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    m = actions.call_meeting(body, title="December meeting", start=soon(12), by=None, place="Hall")
    r = Client().get("/units/hillford/meetings.ics")
    assert r["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(r.content).walk("VEVENT")
    assert str(event.get("uid")) == f"meeting-{m.pk}@grassroots"
    assert event.decoded("dtstart") == m.start


def test_people_who_may_not_keep_the_agenda_are_refused(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    m = actions.call_meeting(body, title="M", start=soon(12), by=None, items=["A"], place="Hall")
    for who in ("member", "officer", "moorsec", "returning"):
        c = client_for(org, who) if who != "member" else Client()
        if who == "member":
            assert c.login(username="ann", password=PASSWORD)
        for url in (
            f"/meetings/{m.pk}/items/add/",
            f"/meetings/{m.pk}/papers/add/",
            f"/meetings/{m.pk}/cancel/",
            "/units/hillford/meetings/new/",
        ):
            assert c.get(url).status_code == 403, (who, url)
        assert c.post(f"/meetings/{m.pk}/items/add/", {"title": "Sneaky"}).status_code == 403
    assert m.items.count() == 1


def test_a_malformed_upload_gets_a_clear_error_and_the_papers_stay(org: Org) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    m = actions.call_meeting(body, title="M", start=soon(12), by=None, items=["A"], place="Hall")
    c = client_for(org, "secretary")
    item = m.items.get()
    good = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
    assert (
        c.post(f"/meetings/{m.pk}/papers/add/", {"item": item.pk, "file": good}).status_code == 302
    )
    bad = SimpleUploadedFile("report.pdf", b"GIF89a....", content_type="application/pdf")
    r = c.post(f"/meetings/{m.pk}/papers/add/", {"item": item.pk, "file": bad})
    assert r.status_code == 200
    assert "report.pdf: the contents are not a PDF file" in r.content.decode()
    assert list(Paper.objects.values_list("filename", flat=True)) == ["minutes.pdf"]


def test_odd_addresses_answer_not_found(org: Org, client: Any) -> None:
    assert client.get("/meetings/999999/").status_code == 404
    assert client.get("/units/no-such-unit/meetings/").status_code == 404
    assert client.get("/meetings/1/papers/999/").status_code == 404


def test_a_members_page_lists_the_meetings_they_missed_and_not_those_they_attended(
    org: Org,
) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    from grassroots.members.models import Member

    Member.objects.filter(pk=org.ann.pk).update(paid_up_to=dt.date(2030, 1, 1))
    for title, days, came in (("Missed it", 20, False), ("Was there", 10, True)):
        start = timezone.now() - dt.timedelta(days=days)
        m = actions.call_meeting(
            body,
            title=title,
            start=start,
            by=None,
            place="Hall",
            now=start - dt.timedelta(days=20),
        )
        if came:
            actions.check_in(m, org.ann, by=None, now=start)
        actions.open_meeting(m, by=None, now=start)
        actions.close_meeting(m, by=None, now=start + dt.timedelta(hours=1))
    ann = Client()
    assert ann.login(username="ann", password=PASSWORD)
    text = ann.get("/me/").content.decode()
    assert "Meetings you missed" in text, text[-3000:]
    missed = text[text.index("Meetings you missed") :]
    assert "Missed it" in missed and "Was there" not in missed


def test_the_secretary_confirms_a_cancellation_and_members_are_told_and_see_it(org: Org) -> None:
    from grassroots.jobs import actions as job_actions
    from grassroots.jobs.models import Job

    Member.objects.filter(pk=org.ann.pk).update(email="ann@example.org")
    body = actions.create_body(unit=org.hillford, kind="branch", name="Hillford branch", by=None)
    m = actions.call_meeting(
        body, title="Winter", start=soon(20), by=None, items=["A"], place="Hall"
    )
    actions.send_notice(m, by=None)
    mail.outbox.clear()
    c = client_for(org, "secretary")
    page = c.get(f"/meetings/{m.pk}/cancel/").content.decode()
    assert "The <strong>1 member</strong> sent the notice will be e-mailed" in page
    r = c.post(f"/meetings/{m.pk}/cancel/", {"reason": "the hall flooded"})
    assert r.status_code == 200 and "This field is required" in r.content.decode()
    m.refresh_from_db()
    assert m.state == "called" and not mail.outbox  # not confirmed: nothing done
    r = c.post(
        f"/meetings/{m.pk}/cancel/", {"reason": "the hall flooded", "confirm": "on"}, follow=True
    )
    page = r.content.decode()
    assert "Meeting cancelled; its record stays, marked so. Cancellation sent to 1 member." in page
    assert "This meeting is cancelled" in page and "the hall flooded" in page
    (msg,) = mail.outbox
    assert msg.to == ["ann@example.org"] and "the hall flooded" in msg.body
    assert msg.extra_headers["Message-ID"].startswith("<meeting.cancel.")
    job = Job.objects.get(kind="meeting.cancel")
    job.state = "failed"  # as if the worker had died: a retry tells nobody twice
    job.save()
    job_actions.retry(job, by=org.users["secretary"])
    assert len(mail.outbox) == 1
    unit_page = Client().get("/units/hillford/meetings/").content.decode()
    assert "(cancelled: the hall flooded)" in unit_page
    ann = Client()
    assert ann.login(username="ann", password=PASSWORD)
    me = ann.get("/me/").content.decode()
    assert "Winter" in me and "Cancelled" in me and "the hall flooded" in me
    home = ann.get("/").content.decode()
    assert "cancelled</span>: the hall flooded" in home and "you may attend" not in home
