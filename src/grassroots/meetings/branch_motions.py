"""Motions a branch or affiliated body sends to the meetings of the bodies it sends to.

Read side only (the action is ``actions.branch_motions.send_branch_motion``). A branch, ward or
affiliated body sends motions to the General Committee of the unit directly above it (whose
delegates it appoints) and to the all-member meetings and AGMs of any unit above it (its
party's, the national body's); never to an executive, whose business is its own members'. The
motion cites the decision of the branch's own meeting that adopted it: a carried vote on the
record where the branch meets through grassroots, else the day and the vote in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from grassroots.meetings.models import Body, Meeting, Motion, Vote
from grassroots.members.models import Unit

__all__ = [
    "RECEIVING_KINDS",
    "SENDING_KINDS",
    "Outcome",
    "carried_motions",
    "citable_decisions",
    "outcome",
    "receives_from",
    "receiving_meetings",
    "sent_by",
]

SENDING_KINDS = ("branch", "ward", "affiliate")
RECEIVING_KINDS = ("general_committee", "all_member", "agm")


def _above(unit: Unit) -> list[int]:
    """The ids of the units strictly above ``unit`` (its parent, and so on to the top)."""
    return [int(p) for p in unit.path.split("/") if p and int(p) != unit.pk]


def receives_from(body: Body, unit: Unit) -> str:
    """Why ``body`` takes no motions from ``unit`` (empty when it does)."""
    if unit.kind not in SENDING_KINDS:
        return f"{unit.name} is not a branch or affiliated body"
    if body.unit_id not in _above(unit):
        return (
            f"{unit.name} is not under {body.unit.name}: the {body.name} takes no motions from it"
        )
    if body.kind not in RECEIVING_KINDS:
        return (
            f"the {body.name} is an {body.get_kind_display().lower()}: it takes motions from its "
            "own members, not from branches"
        )
    if body.kind == "general_committee" and unit.parent_id != body.unit_id:
        return f"{unit.name} sends no delegates to the {body.name}"
    return ""


def receiving_meetings(unit: Unit) -> QuerySet[Meeting]:
    """Meetings called or in progress of the bodies ``unit`` sends motions to, soonest first."""
    return (
        Meeting.objects.filter(state__in=("called", "open"), body__kind__in=RECEIVING_KINDS)
        .filter(
            Q(body__unit_id__in=_above(unit), body__kind__in=("all_member", "agm"))
            | Q(body__unit_id=unit.parent_id, body__kind="general_committee")
        )
        .select_related("body__unit")
        .order_by("start", "pk")
    )


def citable_decisions(unit: Unit) -> QuerySet[Vote]:
    """Carried votes of the meetings of ``unit``'s own bodies, newest first: the decisions a
    motion it sends may cite."""
    return (
        Vote.objects.filter(carried=True, closed_at__isnull=False, meeting__body__unit=unit)
        .select_related("meeting__body", "motion")
        .order_by("-closed_at", "-pk")
    )


def carried_motions(unit: Unit) -> QuerySet[Motion]:
    """Motions carried at the meetings of ``unit``'s own bodies, which it may forward."""
    return (
        Motion.objects.filter(
            state="carried",
            meeting__body__unit=unit,
            kind__in=("motion", "composite", "emergency"),
        )
        .select_related("meeting__body")
        .order_by("-meeting__start", "-pk")
    )


def sent_by(unit: Unit) -> QuerySet[Motion]:
    """Motions ``unit`` sent to other bodies' meetings, newest first."""
    return (
        Motion.objects.filter(from_unit=unit)
        .exclude(meeting__body__unit=unit)  # its own bodies' motions (minutes, nominations)
        .select_related("meeting__body__unit", "from_unit", "origin__meeting__body", "decision")
        .order_by("-submitted_at", "-pk")
    )


@dataclass(frozen=True)
class Outcome:
    """What became of a motion, in words, and the vote that decided it (if any)."""

    state: str  # "carried", "lost", "submitted"…
    words: str
    vote: Vote | None


def outcome(motion: Motion) -> Outcome:
    """What became of ``motion`` at the meeting it was sent to."""
    vote = motion.votes.filter(closed_at__isnull=False).order_by("-closed_at", "-pk").first()
    if motion.state == "composited":
        merged = motion.composites.order_by("pk").first()
        if merged is not None:
            then = outcome(merged)
            return Outcome(
                motion.state, f"merged into the composite “{merged.title}”: {then.words}", then.vote
            )
    if motion.state == "submitted":
        when = motion.meeting.start.astimezone(motion.meeting.body.zone())
        words = (
            f"not debated: the meeting was cancelled ({motion.meeting.cancel_reason})"
            if motion.meeting.state == "cancelled"
            else f"to be debated at the meeting on {when.day} {when:%B %Y}"
        )
        return Outcome(motion.state, words, None)
    words = motion.get_state_display().lower()
    if vote is not None and vote.working:
        words += f" ({vote.working})"
    if motion.state_reason:
        words += f": {motion.state_reason}"
    return Outcome(motion.state, words, vote)
