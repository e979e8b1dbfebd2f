"""Calling a meeting: the notice deadline from the body's rules, short notice, late items and
papers with their hashes, the notice e-mailed with a calendar invitation, and who may do it."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from icalendar import Calendar

from grassroots.audit.models import AuditEntry
from grassroots.meetings import actions
from grassroots.meetings.entitlement import entitled_ids, member_standing
from grassroots.meetings.models import Meeting, Notice, Paper
from grassroots.members import actions as member_actions
from tests.web.conftest import Org

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
START = dt.datetime(2026, 12, 17, 19, 30, tzinfo=LONDON)  # 7 clear days: notice by the 9th
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def branch_meeting(org: Org, **rules: Any) -> Any:
    return actions.create_body(
        unit=org.hillford,
        kind="branch",
        name="Hillford branch meeting",
        by=None,
        quorum_number=5,
        attend_rules=rules,
    )


def call(body: Any, *, now: dt.datetime = NOW, **kw: Any) -> Meeting:
    values: dict[str, Any] = {
        "title": "December branch meeting",
        "start": START,
        "by": None,
        "items": ["Apologies", "Minutes of the last meeting", "Nominations"],
        "place": "Hillford Library",
        "now": now,
    }
    values.update(kw)
    return actions.call_meeting(body, **values)


def test_the_notice_deadline_follows_from_the_bodys_notice_period(org: Org) -> None:
    m = call(branch_meeting(org))
    assert m.local_deadline() == dt.datetime(2026, 12, 10, 0, 0, tzinfo=LONDON)
    assert not m.short_notice
    assert [i.title for i in m.items.all()] == [
        "Apologies",
        "Minutes of the last meeting",
        "Nominations",
    ]
    entry = AuditEntry.objects.filter(action="meetings.call").get()
    assert "notice deadline 10 December 2026 00:00" in entry.summary


def test_a_meeting_called_after_its_deadline_needs_a_reason_and_is_flagged(org: Org) -> None:
    body = branch_meeting(org)
    late = dt.datetime(2026, 12, 12, 9, 0, tzinfo=LONDON)
    with pytest.raises(actions.ActionRefused, match="needs 7 clear days' notice"):
        call(body, now=late)
    assert not Meeting.objects.exists()
    m = call(body, now=late, short_notice_reason="the nominations timetable was published late")
    assert m.short_notice and "published late" in m.short_notice_reason


def test_a_meeting_needs_a_place_or_a_link_and_a_time_to_come(org: Org) -> None:
    body = branch_meeting(org)
    with pytest.raises(actions.ActionRefused, match="a place, an online link"):
        call(body, place="")
    with pytest.raises(actions.ActionRefused, match="time still to come"):
        call(body, now=START + dt.timedelta(minutes=1))
    online = call(body, place="", join_url="https://meet.example.org/hillford")
    assert online.online and not online.in_person


def test_items_and_papers_after_the_deadline_are_late_with_who_when_and_why(org: Org) -> None:
    m = call(branch_meeting(org))
    on_time = actions.add_item(m, title="Treasurer's report", by=None, now=NOW)
    assert not on_time.late and on_time.position == 4
    after = dt.datetime(2026, 12, 14, 12, 0, tzinfo=LONDON)
    with pytest.raises(actions.ActionRefused, match="late item needs a reason"):
        actions.add_item(m, title="Emergency motion", by=None, now=after)
    item = actions.add_item(
        m, title="Emergency motion", by=None, now=after, reason="the closure was announced on 13th"
    )
    assert item.late and item.position == 5 and item.added_at == after
    paper = actions.add_paper(
        item, title="Motion text", name="motion.pdf", data=PDF, by=None, reason="same", now=after
    )
    assert paper.late and paper.sha256 == hashlib.sha256(PDF).hexdigest()
    with paper.file.open("rb") as f:
        assert f.read() == PDF


def test_a_new_version_of_a_paper_keeps_the_old_one_and_when_each_was_published(org: Org) -> None:
    m = call(branch_meeting(org))
    item = m.items.get(position=2)
    first = actions.add_paper(item, title="Minutes", name="minutes.pdf", data=PDF, by=None, now=NOW)
    later = NOW + dt.timedelta(days=2)
    second = actions.add_paper(
        item,
        title="Minutes (corrected)",
        name="minutes-v2.pdf",
        data=PDF + b"%corrected\n",
        by=None,
        replaces=first,
        now=later,
    )
    assert not first.current and second.current and second.replaces == first
    assert (first.published_at, second.published_at) == (NOW, later)
    assert first.sha256 != second.sha256
    with pytest.raises(actions.ActionRefused, match="already been replaced"):
        actions.add_paper(
            item, title="x", name="x.pdf", data=PDF, by=None, replaces=first, now=later
        )


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("minutes.pdf", b"<html>not a pdf</html>", "not a PDF file"),
        ("run.exe", b"MZ\x90\x00", "papers must be one of"),
        ("empty.pdf", b"", "the file is empty"),
        ("notes.txt", b"\xff\xfe\x00bad", "not UTF-8 text"),
    ],
)
def test_a_malformed_paper_is_refused_naming_it_and_nothing_is_stored(
    org: Org, name: str, data: bytes, problem: str
) -> None:
    m = call(branch_meeting(org))
    actions.add_paper(
        m.items.get(position=1), title="Good", name="good.pdf", data=PDF, by=None, now=NOW
    )
    with pytest.raises(actions.ActionRefused, match=problem) as info:
        actions.add_paper(
            m.items.get(position=1), title="Bad", name=name, data=data, by=None, now=NOW
        )
    assert name.split(".")[0] in str(info.value)
    assert list(Paper.objects.values_list("title", flat=True)) == ["Good"]


def test_the_notice_goes_to_every_entitled_member_with_a_calendar_invitation(org: Org) -> None:
    org.bob.email = "bob@example.org"
    org.bob.save()
    org.ann.email = "ann@example.org"
    org.ann.save()
    m = call(branch_meeting(org))
    sent, failed = actions.send_notice(m, by=None, base_url="https://party.example.org/")
    assert (sent, failed) == (1, 0)  # Bob is in Moorside: not entitled to Hillford's meeting
    (msg,) = mail.outbox
    assert msg.to == ["ann@example.org"]
    assert "Hillford Library" in msg.body and "3. Nominations" in msg.body
    assert "https://party.example.org/meetings/" in msg.body
    (name, content, mimetype) = msg.attachments[0]
    assert name == "meeting.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == START
    assert str(event.get("location")) == "Hillford Library"


def test_sending_the_notice_again_sends_nobody_a_second_copy(org: Org) -> None:
    org.ann.email = "ann@example.org"
    org.ann.save()
    m = call(branch_meeting(org))
    actions.send_notice(m, by=None)
    assert actions.send_notice(m, by=None) == (0, 0)
    assert len(mail.outbox) == 1
    assert Notice.objects.filter(meeting=m, sent_at__isnull=False).count() == 1


def test_one_address_that_fails_is_recorded_and_the_others_still_get_the_notice(
    org: Org, monkeypatch: Any
) -> None:
    from django.core.mail.backends.locmem import EmailBackend

    for number, email in [("M3", "bad@example.org"), ("M4", "cat@example.org")]:
        member_actions.create_member(
            by=None,
            number=number,
            name=f"Member {number}",
            branch=org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            email=email,
        )
    real = EmailBackend.send_messages

    def flaky(self: Any, messages: Any) -> int:
        if messages[0].to == ["bad@example.org"]:
            raise OSError("mailbox unavailable")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    m = call(branch_meeting(org))
    assert actions.send_notice(m, by=None) == (1, 1)
    assert [msg.to for msg in mail.outbox] == [["cat@example.org"]]
    assert Notice.objects.get(member__number="M3").failure == "mailbox unavailable"
    monkeypatch.setattr(EmailBackend, "send_messages", real)
    assert actions.send_notice(m, by=None) == (1, 0)  # the retry reaches only the one missed


def test_who_may_attend_follows_the_bodys_rules_with_reasons(org: Org) -> None:
    body = branch_meeting(org, paid_up_to="2026-12-01")
    m = call(body)
    assert entitled_ids(body, START.date()) == []  # Ann is in arrears
    standing = member_standing(org.ann, m)
    assert not standing.may_attend
    assert any("arrears" in r or "paid up" in r for r in standing.reasons)
    assert not member_standing(org.bob, m).may_attend  # another branch


def test_a_seated_body_is_attended_by_those_holding_a_seat_on_the_day(org: Org) -> None:
    gc = actions.create_body(
        unit=org.hillford, kind="general_committee", name="Hillford GC", by=None
    )
    actions.appoint(
        gc,
        org.ann,
        by=None,
        role="Delegate",
        represents=org.hillford_east,
        appointed_by="Hillford East ward meeting",
        on=dt.date(2026, 11, 1),
    )
    m = call(gc)
    assert entitled_ids(gc, START.date()) == [org.ann.pk]
    assert member_standing(org.ann, m).seat is not None
    with pytest.raises(actions.ActionRefused, match="already holds a seat"):
        actions.appoint(gc, org.ann, by=None, on=dt.date(2026, 11, 2))
    with pytest.raises(actions.ActionRefused, match="not a member in Hillford"):
        actions.appoint(gc, org.bob, by=None)


@pytest.mark.parametrize("who", ["member", "officer", "returning", "moorsec"])
def test_only_the_units_secretary_or_an_administrator_calls_its_meetings(
    org: Org, who: str
) -> None:
    body = branch_meeting(org)
    with pytest.raises(PermissionDenied):
        call(body, by=org.users[who])
    m = call(body, by=org.users["secretary"])
    with pytest.raises(PermissionDenied):
        actions.add_item(m, title="x", by=org.users[who], now=NOW)
    assert call(body, by=org.users["admin"]).called_by == org.users["admin"]


def test_a_cancelled_meeting_keeps_its_record_and_takes_no_more_papers(org: Org) -> None:
    m = call(branch_meeting(org))
    with pytest.raises(actions.ActionRefused, match="say why"):
        actions.cancel_meeting(m, by=None, reason=" ")
    actions.cancel_meeting(m, by=None, reason="the library flooded")
    m.refresh_from_db()
    assert m.state == "cancelled" and m.items.count() == 3
    with pytest.raises(actions.ActionRefused, match="cancelled"):
        actions.add_item(m, title="x", by=None, now=NOW)


def test_a_cancellation_reaches_each_member_sent_the_notice_once_with_a_calendar_cancel(
    org: Org, monkeypatch: Any
) -> None:
    from django.core.mail.backends.locmem import EmailBackend

    for number, email in [("M3", "bad@example.org"), ("M4", "cat@example.org")]:
        member_actions.create_member(
            by=None,
            number=number,
            name=f"Member {number}",
            branch=org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            email=email,
        )
    m = call(branch_meeting(org))
    assert actions.send_notice(m, by=None, base_url="https://party.example.org/") == (2, 0)
    notice_uid = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]["uid"]
    member_actions.create_member(  # joins after the notice: never sent it, so not told
        by=None,
        number="M5",
        name="Member M5",
        branch=org.hillford,
        join_date=dt.date(2019, 1, 1),
        status="full",
        email="dan@example.org",
    )
    with pytest.raises(actions.ActionRefused, match="not cancelled"):
        actions.send_cancellation(m, by=None)
    actions.cancel_meeting(m, by=None, reason="the library flooded", now=NOW)
    mail.outbox.clear()
    real = EmailBackend.send_messages

    def flaky(self: Any, messages: Any) -> int:
        if messages[0].to == ["bad@example.org"]:
            raise OSError("mailbox unavailable")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    assert actions.send_cancellation(m, by=None, base_url="https://party.example.org/") == (1, 1)
    (msg,) = mail.outbox
    assert msg.to == ["cat@example.org"]
    assert msg.subject == "Cancelled: December branch meeting (Hillford branch meeting)"
    assert "is CANCELLED" in msg.body and "Why: the library flooded" in msg.body
    (name, content, mimetype) = msg.attachments[0]
    assert name == "cancel.ics" and mimetype == "text/calendar; method=CANCEL"
    cal = Calendar.from_ical(content)
    event = cal.walk("VEVENT")[0]
    assert str(cal["method"]) == "CANCEL"
    assert event["uid"] == notice_uid and int(event["sequence"]) == 1
    assert str(event["status"]) == "CANCELLED"
    assert "the library flooded" in str(event["description"])
    assert Notice.objects.get(member__number="M3").cancel_failure == "mailbox unavailable"
    monkeypatch.setattr(EmailBackend, "send_messages", real)
    assert actions.send_cancellation(m, by=None) == (1, 0)  # only the one missed
    assert actions.send_cancellation(m, by=None) == (0, 0)  # nobody twice
    assert sorted(x.to[0] for x in mail.outbox) == ["bad@example.org", "cat@example.org"]
    assert not Notice.objects.filter(meeting=m, cancel_sent_at__isnull=True).exists()
