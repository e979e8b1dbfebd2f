"""A branch (or affiliated body) sends a motion to a meeting of a body it sends to, through one
of its officers, citing the decision of its own meeting that adopted it; or forwards a motion
its meeting carried, keeping its origin. The deadline is the body's, as for members' motions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.audit.log import record
from grassroots.meetings.actions._common import ActionRefused, User, now_or
from grassroots.meetings.actions.motions import motions_close
from grassroots.meetings.branch_motions import receives_from
from grassroots.meetings.models import AgendaItem, Meeting, Motion, Vote
from grassroots.meetings.notice import is_late
from grassroots.members.models import Unit
from grassroots.members.permissions import can

__all__ = ["send_branch_motion"]


def _day(meeting: Meeting) -> dt.date:
    return meeting.start.astimezone(meeting.body.zone()).date()


def _cited(branch: Unit, vote: Vote) -> Vote:
    vote = Vote.objects.select_related("meeting__body", "motion").get(pk=vote.pk)
    if vote.meeting.body.unit_id != branch.pk:
        raise ActionRefused(
            f"the vote “{vote.question}” was taken by the {vote.meeting.body.name}, not at a "
            f"meeting of {branch.name}"
        )
    if vote.closed_at is None or vote.carried is not True:
        raise ActionRefused(f"the vote “{vote.question}” was not carried")
    return vote


def _carrying_vote(motion: Motion) -> Vote | None:
    return (
        motion.votes.filter(closed_at__isnull=False, carried=True)
        .order_by("-closed_at", "-pk")
        .first()
    )


@transaction.atomic
def send_branch_motion(
    meeting: Meeting,
    *,
    branch: Unit,
    by: User | None,
    title: str = "",
    text: str = "",
    decision: Vote | None = None,
    decided_on: dt.date | None = None,
    decision_note: str = "",
    forwards: Motion | None = None,
    item: AgendaItem | None = None,
    emergency_reason: str = "",
    now: dt.datetime | None = None,
) -> Motion:
    """Send ``branch``'s motion to ``meeting``, moved by the branch.

    The motion is either new words adopted by a decision of the branch's meeting (``decision``,
    a carried vote of one of the branch's bodies; or, where its meeting is not on the record,
    ``decided_on`` with the vote in words in ``decision_note``), or a motion the branch's
    meeting carried (``forwards``), sent on as it stands with its origin.
    """
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    branch = Unit.objects.get(pk=branch.pk)
    if by is not None and not can(by, "move_branch_motions", branch):
        raise ActionRefused(f"only an officer of {branch.name} sends its motions")
    problem = receives_from(meeting.body, branch)
    if problem:
        raise ActionRefused(problem)
    if meeting.state not in ("called", "open"):
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    if item is not None and item.meeting_id != meeting.pk:
        raise ActionRefused("the agenda item belongs to another meeting")
    at = now_or(now)
    origin: Motion | None = None
    if forwards is not None:
        origin = Motion.objects.select_related("meeting__body").get(pk=forwards.pk)
        if origin.meeting.body.unit_id != branch.pk:
            raise ActionRefused(f"“{origin.title}” was not moved at a meeting of {branch.name}")
        if origin.state != "carried":
            raise ActionRefused(
                f"“{origin.title}” is {origin.get_state_display().lower()}: only a motion "
                f"{branch.name}'s meeting carried is forwarded"
            )
        if Motion.objects.filter(meeting=meeting, origin=origin).exists():
            raise ActionRefused(f"“{origin.title}” has already been sent to {meeting.title}")
        decision = _carrying_vote(origin)
        title, text = origin.title, origin.text_now()
        decided_on, decision_note = _day(origin.meeting), ""
    else:
        if not title.strip() or not text.strip():
            raise ActionRefused("a motion needs a title and its text")
        if decision is not None:
            decision = _cited(branch, decision)
            decided_on, decision_note = _day(decision.meeting), ""
        else:
            if decided_on is None or not decision_note.strip():
                raise ActionRefused(
                    f"cite the decision of {branch.name}'s meeting that adopted the motion: "
                    "pick it from the branch's recorded decisions, or give the day of the "
                    "meeting and the vote"
                )
            if decided_on > at.astimezone(meeting.body.zone()).date():
                raise ActionRefused(
                    f"the decision is dated {decided_on:%d %B %Y}, after today: a branch sends "
                    "a motion once its meeting has adopted it"
                )
    closes = motions_close(meeting)
    emergency = is_late(at, closes)
    if emergency and not emergency_reason.strip():
        raise ActionRefused(
            f"motions for {meeting.title} closed "
            f"{closes.astimezone(meeting.body.zone()):%d %B %Y %H:%M}; {branch.name} can send "
            "only an emergency motion now, with the reason it could not wait, and the meeting "
            "decides whether to take it"
        )
    motion = Motion.objects.create(
        meeting=meeting,
        item=item,
        kind="emergency" if emergency else "motion",
        title=title.strip(),
        text=text.strip(),
        from_unit=branch,
        origin=origin,
        decision=decision,
        decided_on=decided_on,
        decision_note=decision_note.strip(),
        emergency_reason=emergency_reason.strip() if emergency else "",
        submitted_at=at,
        submitted_by=by if by is not None and by.is_authenticated else None,
    )
    record(
        by,
        "meetings.motion.branch",
        f"meeting:{meeting.pk}",
        f"{motion.get_kind_display()} “{motion.title}” sent to {meeting.title} "
        f"({meeting.body.name}), moved by {motion.moved_by()}"
        + (f"; forwarded from {origin.meeting.title}" if origin is not None else ""),
        reason=motion.emergency_reason or motion.decision_note,
        detail={
            "branch": branch.pk,
            "decision_vote": decision.pk if decision is not None else None,
            "origin": origin.pk if origin is not None else None,
        },
    )
    return motion
