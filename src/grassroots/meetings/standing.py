"""A member's meetings for their standing page: those coming up that concern them, and why."""

from __future__ import annotations

from django.utils import timezone

from grassroots.meetings.entitlement import Standing, member_standing
from grassroots.meetings.models import Meeting
from grassroots.members.models import Member
from grassroots.members.sections import Section

__all__ = ["section", "upcoming_for"]


def upcoming_for(member: Member) -> list[Standing]:
    """Every meeting still to come of a body over the member's branch, with their standing."""
    path = member.branch.path
    meetings = (
        Meeting.objects.filter(start__gte=timezone.now(), state="called")
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
