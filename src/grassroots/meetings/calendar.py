"""Meetings as iCalendar (RFC 5545): one event for a notice's attachment, or a unit's feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event

from grassroots.meetings.models import Meeting

__all__ = ["calendar_for", "cancellation_for"]

# a meeting's length is not part of its record; calendars need an end, so assume two hours
ASSUMED_LENGTH = dt.timedelta(hours=2)


def _line(text: str) -> str:
    """One line: a name or place stored with a line break would break the calendar's line."""
    return " ".join(text.split())


def _lines(text: str) -> str:
    """Line breaks as the calendar writes them (escaped), whichever kind was stored."""
    return "\n".join(text.splitlines())


def _event(m: Meeting, base_url: str) -> Event:
    ev = Event()
    ev.add("uid", f"meeting-{m.pk}@grassroots")
    ev.add("summary", _line(f"{m.title} ({m.body.name})"))
    ev.add("dtstamp", m.called_at)
    ev.add("dtstart", m.start)
    ev.add("dtend", m.start + ASSUMED_LENGTH)
    where = [w for w in (m.place, m.join_url) if w]
    if where:
        ev.add("location", _line("; ".join(where)))
    url = f"{base_url.rstrip('/')}/meetings/{m.pk}/"
    ev.add("url", url)
    agenda = "\n".join(f"{i.position}. {_line(i.title)}" for i in m.items.all())
    ev.add("description", _lines(f"Agenda:\n{agenda}\n\nPapers and record: {url}"))
    ev.add("status", "CANCELLED" if m.state == "cancelled" else "CONFIRMED")
    return ev


def _calendar(name: str, method: str = "") -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//grassroots//meetings//EN")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", _line(name))
    return cal


def calendar_for(
    meetings: Iterable[Meeting], *, name: str, base_url: str = "", method: str = ""
) -> bytes:
    """An iCalendar file holding ``meetings`` (cancelled ones marked so, never dropped);
    ``method`` ("PUBLISH") where it is sent as an invitation (RFC 5546)."""
    cal = _calendar(name, method)
    for m in meetings:
        cal.add_component(_event(m, base_url))
    return bytes(cal.to_ical())


def cancellation_for(meeting: Meeting, *, base_url: str = "") -> bytes:
    """The iCalendar cancellation (METHOD:CANCEL, RFC 5546) of the event the notice sent: the
    same UID, a later sequence, status CANCELLED and the reason, so a calendar that took the
    notice's event removes or marks it."""
    cal = _calendar(meeting.body.name, "CANCEL")
    ev = _event(meeting, base_url)
    ev.add("sequence", 1)
    if meeting.cancelled_at is not None:
        ev.pop("dtstamp")
        ev.add("dtstamp", meeting.cancelled_at)
    url = f"{base_url.rstrip('/')}/meetings/{meeting.pk}/"
    ev.pop("description")
    ev.add("description", _lines(f"Cancelled: {meeting.cancel_reason}\n\nThe record: {url}"))
    cal.add_component(ev)
    return bytes(cal.to_ical())
