"""A meeting called in the meetings app, for a gathering held as a meeting."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.meetings.actions.bodies import create_body
from grassroots.meetings.actions.calling import call_meeting
from grassroots.meetings.models import Meeting
from grassroots.members import actions as members


def called_meeting() -> Meeting:
    nat = members.create_unit(
        kind="national", code="national", name="Test Party", parent=None, by=None
    )
    body = create_body(unit=nat, kind="all_member", name="National assembly", by=None)
    return call_meeting(
        body,
        title="National assembly, spring",
        start=timezone.now() + dt.timedelta(days=30),
        by=None,
        place="Hillford Hall",
        join_url="https://video.example.org/assembly",
    )
