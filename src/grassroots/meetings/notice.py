"""Notice deadlines from a body's notice period, computed in the meeting's own time zone.

Source: DOMAIN.md "Meetings": notice periods (e.g. 7 days for a nominating meeting); items
and papers added after the deadline are late and need the meeting's agreement. Rule books say
"N days' notice" or "N clear days' notice"; both are counted in calendar days of the place
where the meeting is held, so a change of the clocks between the notice and the meeting moves
neither the day nor the hour. A notice period in hours is counted in elapsed time.

Every deadline is *exclusive*: notice given strictly before it is in time, at or after it is
late. Datetimes must be timezone-aware; a naive one is refused, since its instant is unknown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

__all__ = ["UNITS", "NoticeRule", "is_late", "late_arrival_cutoff", "notice_deadline"]

Unit = Literal["clear days", "days", "hours"]
UNITS: tuple[Unit, ...] = ("clear days", "days", "hours")


@dataclass(frozen=True)
class NoticeRule:
    """How much notice a body's meetings need: ``amount`` of ``unit``."""

    amount: int
    unit: Unit = "clear days"

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"notice period: unit {self.unit!r} is not one of {', '.join(UNITS)}")
        if self.amount < 0:
            raise ValueError(f"notice period: {self.amount} {self.unit} is negative")

    def describe(self) -> str:
        """The rule in the words a rule book uses, e.g. "7 clear days' notice"."""
        unit = self.unit if self.amount != 1 else self.unit.rstrip("s")
        return (
            f"{self.amount} {unit}' notice"
            if unit.endswith("s")
            else f"{self.amount} {unit}'s notice"
        )


def _aware(at: dt.datetime, what: str) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} {at.isoformat()} has no time zone")


def _local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    # Round-trip through UTC so that a midnight inside a clock change lands on a real instant.
    naive = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    return naive.astimezone(dt.UTC).astimezone(zone)


def notice_deadline(rule: NoticeRule, start: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The instant from which notice of a meeting starting at ``start`` is late.

    * clear days: neither the day notice is given nor the meeting's day counts, so the notice
      must be given by the end of the day ``amount + 1`` days before the meeting's day;
    * days: notice given on the day ``amount`` days before the meeting's day is in time;
    * hours: notice given at least ``amount`` hours (elapsed) before the start is in time.
    """
    _aware(start, "the meeting's start")
    if rule.unit == "hours":
        # exclusive bound: given at exactly ``amount`` hours before is in time
        # in UTC: arithmetic on a zoned datetime is wall-clock time, not elapsed time
        utc = start.astimezone(dt.UTC)
        return utc - dt.timedelta(hours=rule.amount) + dt.timedelta(microseconds=1)
    meeting_day = start.astimezone(zone).date()
    last_day = meeting_day - dt.timedelta(
        days=rule.amount + (1 if rule.unit == "clear days" else 0)
    )
    return _local_midnight(last_day + dt.timedelta(days=1), zone)


def is_late(given_at: dt.datetime, deadline: dt.datetime) -> bool:
    """Whether notice (or a paper, or an item) given at ``given_at`` missed ``deadline``."""
    _aware(given_at, "the time given")
    return given_at >= deadline


def late_arrival_cutoff(start: dt.datetime, minutes: int | None) -> dt.datetime | None:
    """When the doors close to late arrivals (``None``: the body admits late arrivals)."""
    _aware(start, "the meeting's start")
    if minutes is None:
        return None
    if minutes < 0:
        raise ValueError(f"late-arrival cut-off: {minutes} minutes is negative")
    return (start.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(start.tzinfo)
