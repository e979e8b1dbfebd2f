"""Attendance from one roll: stewards check members in at the door, members check themselves
in online, visitors are recorded apart; the chair opens and closes the meeting."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.audit.log import record
from grassroots.meetings.actions._common import ActionRefused, User, check, now_or
from grassroots.meetings.entitlement import member_standing
from grassroots.meetings.models import Attendance, Meeting
from grassroots.meetings.notice import late_arrival_cutoff
from grassroots.members import actions as member_actions
from grassroots.members.models import Member

# check-in opens this long before the start, so stewards can work through a queue
CHECK_IN_OPENS = dt.timedelta(hours=2)


def _subject(m: Meeting) -> str:
    return f"meeting:{m.pk}"


def _hhmm(m: Meeting, at: dt.datetime) -> str:
    return f"{at.astimezone(m.body.zone()):%H:%M}"


def _doors(meeting: Meeting, at: dt.datetime) -> None:
    if meeting.state not in ("called", "open"):
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    opens = meeting.start - CHECK_IN_OPENS
    if at < opens:
        raise ActionRefused(
            f"check-in opens at {_hhmm(meeting, opens)}, two hours before the start"
        )
    cutoff = late_arrival_cutoff(meeting.start, meeting.body.late_cutoff_minutes)
    if cutoff is not None and at > cutoff:
        raise ActionRefused(
            f"the doors closed at {_hhmm(meeting, cutoff)}: the {meeting.body.name} admits "
            f"nobody more than {meeting.body.late_cutoff_minutes} minutes after the start"
        )


@transaction.atomic
def check_in(
    meeting: Meeting,
    member: Member,
    *,
    by: User | None,
    how: str = "door",
    pay_on_day: bool = False,
    as_visitor: bool = False,
    now: dt.datetime | None = None,
) -> Attendance:
    """Put ``member`` on the meeting's roll, deciding from the body's rules whether they vote.

    At the door a steward checks members in; online a member checks in themselves. A member in
    arrears who may pay on the day is admitted with a vote once the steward records the
    payment; a member not entitled is admitted as a visitor only where the body admits them.
    """
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    member = Member.objects.select_related("branch").get(pk=member.pk)  # as stored now
    if how == "door":
        check(by, "check_in", meeting.body.unit)
    elif how == "online":
        if by is not None and getattr(by, "pk", None) != member.user_id:
            raise ActionRefused("members check themselves in online; stewards check in at the door")
        if not meeting.join_url:
            raise ActionRefused(f"{meeting.title} is held in person only")
    else:
        raise ActionRefused(f"{how!r} is neither at the door nor online")
    at = now_or(now)
    _doors(meeting, at)
    earlier = Attendance.objects.filter(meeting=meeting, member=member).first()
    if earlier is not None and earlier.present:
        raise ActionRefused(
            f"{member.name} is already checked in ({earlier.get_how_display().lower()}, "
            f"{_hhmm(meeting, earlier.arrived_at)})"
        )
    standing = member_standing(member, meeting)
    may_vote, paid, reasons = standing.may_attend, False, ""
    if not may_vote:
        if standing.on_payment and pay_on_day and how == "door":
            rules = meeting.body.rules_on(meeting.local_start().date())
            assert rules.paid_up_to is not None  # on_payment means arrears were the only reason
            member_actions.record_payment(
                member,
                paid_up_to=rules.paid_up_to,
                by=None,
                reason=f"paid on the day at {meeting.title}, recorded by the steward",
            )
            may_vote, paid = True, True
        elif as_visitor and meeting.body.visitors_admitted:
            reasons = "; ".join(standing.reasons)
        else:
            why = "; ".join(standing.reasons)
            if standing.on_payment:
                how_to = (
                    "they may pay on the day at the door"
                    if how == "online"
                    else ("record their payment on the day to admit them")
                )
                raise ActionRefused(f"{member.name} may not vote yet: {why}; {how_to}")
            visitors = (
                " They may come in as a visitor, without a vote."
                if meeting.body.visitors_admitted
                else " Visitors are not admitted."
            )
            raise ActionRefused(f"{member.name} may not attend: {why}.{visitors}")
    user = by if by is not None and by.is_authenticated else None
    if earlier is not None:  # back after leaving: the same line of the roll
        earlier.left_at = None
        earlier.may_vote, earlier.reasons = may_vote, reasons
        earlier.save(update_fields=["left_at", "may_vote", "reasons"])
        attendance = earlier
    else:
        attendance = Attendance.objects.create(
            meeting=meeting,
            member=member,
            how=how,
            may_vote=may_vote,
            reasons=reasons,
            paid_on_day=paid,
            arrived_at=at,
            checked_in_by=user,
        )
    as_what = "with a vote" if may_vote else "as a visitor, without a vote"
    record(
        by,
        "meetings.check_in",
        _subject(meeting),
        f"{member.name} ({member.number}) checked in {attendance.get_how_display().lower()} "
        f"{as_what}" + (" after paying on the day" if paid else ""),
        reason=reasons,
    )
    return attendance


@transaction.atomic
def admit_visitor(
    meeting: Meeting, *, name: str, by: User | None, now: dt.datetime | None = None
) -> Attendance:
    """Record a visitor who is not on the register, where the body admits visitors."""
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    check(by, "check_in", meeting.body.unit)
    if not meeting.body.visitors_admitted:
        raise ActionRefused(f"the {meeting.body.name} does not admit visitors")
    if not name.strip():
        raise ActionRefused("give the visitor's name")
    at = now_or(now)
    _doors(meeting, at)
    attendance = Attendance.objects.create(
        meeting=meeting,
        visitor_name=name.strip()[:200],
        how="door",
        may_vote=False,
        reasons="not on the register",
        arrived_at=at,
        checked_in_by=by if by is not None and by.is_authenticated else None,
    )
    record(by, "meetings.visitor", _subject(meeting), f"Visitor {attendance.visitor_name} admitted")
    return attendance


@transaction.atomic
def leave(attendance: Attendance, *, by: User | None, now: dt.datetime | None = None) -> Attendance:
    """Record that someone has left: they no longer count towards the quorum or vote."""
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("meeting__body__unit")
        .get(pk=attendance.pk)
    )
    meeting = attendance.meeting
    own = attendance.member is not None and getattr(by, "pk", None) == attendance.member.user_id
    if not own:
        check(by, "check_in", meeting.body.unit)
    if not attendance.present:
        raise ActionRefused(f"{attendance} has already left")
    attendance.left_at = now_or(now)
    attendance.save(update_fields=["left_at"])
    record(by, "meetings.leave", _subject(meeting), f"{attendance} left")
    return attendance


@transaction.atomic
def open_meeting(meeting: Meeting, *, by: User | None, now: dt.datetime | None = None) -> Meeting:
    """The chair opens the meeting: from now its business is on the record."""
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    check(by, "chair_meetings", meeting.body.unit)
    if meeting.state != "called":
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    at = now_or(now)
    if at < meeting.start - CHECK_IN_OPENS:
        raise ActionRefused(f"{meeting.title} starts at {meeting.local_start():%d %B %Y %H:%M}")
    meeting.state, meeting.opened_at = "open", at
    meeting.save(update_fields=["state", "opened_at"])
    record(by, "meetings.open", _subject(meeting), f"Opened {meeting.title}")
    return meeting


@transaction.atomic
def close_meeting(meeting: Meeting, *, by: User | None, now: dt.datetime | None = None) -> Meeting:
    """The chair closes the meeting; the roll and every vote stay as they were."""
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    check(by, "chair_meetings", meeting.body.unit)
    if meeting.state != "open":
        raise ActionRefused(f"{meeting.title} is not in progress")
    at = now_or(now)
    meeting.state, meeting.closed_at = "held", at
    meeting.save(update_fields=["state", "closed_at"])
    Attendance.objects.filter(meeting=meeting, left_at__isnull=True).update(left_at=at)
    record(by, "meetings.close", _subject(meeting), f"Closed {meeting.title}")
    return meeting
