"""A member's meetings for their standing page: those coming up that concern them, and why."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.meetings.entitlement import Standing, member_standing
from grassroots.meetings.models import Attendance, Meeting
from grassroots.members.models import Member
from grassroots.members.sections import Section

__all__ = ["missed_for", "missed_section", "section", "upcoming_for"]

MISSED_WITHIN = 180  # days back that "meetings you missed" looks


def upcoming_for(member: Member) -> list[Standing]:
    """Every meeting still to come of a body over the member's branch, with their standing;
    one cancelled is listed too, marked so with the reason, until its day has passed."""
    path = member.branch.path
    meetings = (
        Meeting.objects.filter(start__gte=timezone.now(), state__in=("called", "cancelled"))
        .select_related("body__unit")
        .order_by("start")
    )
    return [member_standing(member, m) for m in meetings if path.startswith(m.body.unit.path)]


def section(member: Member) -> Section:
    """The meetings part of the member's standing page."""
    return Section(
        title="Meetings",
        template="meetings/_standing.html",
        items=upcoming_for(member),
        empty="No meeting has been called that concerns your branch.",
    )


def missed_for(member: Member) -> list[Standing]:
    """Meetings held in the last months that the member could have attended and did not."""
    since = timezone.now() - dt.timedelta(days=MISSED_WITHIN)
    path = member.branch.path
    attended = set(
        Attendance.objects.filter(member=member, meeting__start__gte=since).values_list(
            "meeting_id", flat=True
        )
    )
    held = (
        Meeting.objects.filter(state="held", start__gte=since)
        .exclude(pk__in=attended)
        .select_related("body__unit")
        .order_by("-start")
    )
    out = []
    for m in held:
        if path.startswith(m.body.unit.path):
            s = member_standing(member, m)
            if s.may_attend:
                out.append(s)
    return out


def missed_section(member: Member) -> Section:
    """Meetings the member was entitled to and missed: their decisions and minutes."""
    return Section(
        title="Meetings you missed",
        template="meetings/_missed.html",
        items=missed_for(member),
        empty="You have not missed a meeting you could attend in the last six months.",
    )
