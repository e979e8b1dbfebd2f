"""A primary's hustings held online as a meeting of the meetings app: the meeting keeps its
notice, attendance and record, and the primary's pages link to it (as a gathering can be a
meeting, ``gatherings.create_gathering``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.meetings.models import Meeting
from grassroots.network.actions.groups import NetworkRefused, User
from grassroots.network.models import Gathering, Primary
from grassroots.network.permissions import require_organiser

__all__ = ["hold_hustings_as_meeting", "meetings_to_choose"]


def meetings_to_choose(now: dt.datetime | None = None) -> list[Meeting]:
    """Meetings an organiser may hold a hustings as: called, still to come, and neither a
    gathering nor another primary's hustings already."""
    return list(
        Meeting.objects.filter(
            start__gt=now or timezone.now(),
            state="called",
            network_gathering__isnull=True,
            network_hustings__isnull=True,
        )
        .select_related("body")
        .order_by("start")[:100]
    )


@transaction.atomic
def hold_hustings_as_meeting(
    primary: Primary, meeting: Meeting, *, by: User, now: dt.datetime | None = None
) -> Primary:
    """An organiser holds the primary's hustings as ``meeting`` (once, before voting opens)."""
    require_organiser(by, primary.network)
    p = Primary.objects.select_for_update().select_related("election").get(pk=primary.pk)
    if p.hustings_meeting_id is not None:
        raise NetworkRefused("the hustings is already held as a meeting")
    if p.election.state != "draft":
        raise NetworkRefused("voting has opened: the hustings is over")
    if meeting.state != "called" or meeting.start <= (now or timezone.now()):
        raise NetworkRefused(f"the meeting '{meeting.title}' is not one still to come")
    if Gathering.objects.filter(meeting=meeting).exists():
        raise NetworkRefused(f"the meeting '{meeting.title}' is already a gathering")
    if Primary.objects.filter(hustings_meeting=meeting).exists():
        raise NetworkRefused(f"the meeting '{meeting.title}' is already another hustings")
    p.hustings_meeting = meeting
    p.save(update_fields=["hustings_meeting"])
    record(
        by,
        "network.hustings.meeting",
        f"network-primary:{p.pk}",
        f"The hustings of {p.election.title} is held as the meeting '{meeting.title}'",
    )
    primary.hustings_meeting = meeting
    return p
