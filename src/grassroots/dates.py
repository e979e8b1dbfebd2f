"""Dates as members read them: one format everywhere, the app's locale (en-GB by default).

Pure Python. A day is written "5 December 2026" and a moment "5 December 2026, 14:30" (the
templates use the same with Django's ``date:"j F Y"`` and ``date:"j F Y, H:i"``); sentences
built in Python (eligibility reasons, refusals) use these so that they read as the pages do.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["DAY", "MOMENT", "day", "moment"]

# the templates' formats (Django's date filter), kept beside the Python ones they match
DAY = "j F Y"
MOMENT = "j F Y, H:i"

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day(d: dt.date) -> str:
    """``5 December 2026``: no leading zero, the month in words (never 05/12 or 12/05)."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def moment(t: dt.datetime) -> str:
    """``5 December 2026, 14:30``: the caller passes the time in the zone it is meant in."""
    return f"{day(t.date())}, {t:%H:%M}"
