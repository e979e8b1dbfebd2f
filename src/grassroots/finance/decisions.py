"""Which meeting decisions a unit's books may cite: a carried vote of a body of the unit (or of
a unit above it), at a meeting whose minutes are circulated or approved, so that anyone can
read the minute that records it. The executive's decisions are votes of its executive body."""

from __future__ import annotations

from django.db.models import QuerySet

from grassroots.meetings.models import Minutes, Vote
from grassroots.members.models import Unit

__all__ = ["citable", "minute_of", "problem_with"]


def citable(unit: Unit) -> QuerySet[Vote]:
    """Carried votes a spend, budget or set of accounts of ``unit`` may cite, newest first."""
    ancestors = [p for p in unit.path.split("/") if p]
    return (
        Vote.objects.filter(
            carried=True,
            closed_at__isnull=False,
            meeting__body__unit_id__in=[int(p) for p in ancestors],
            meeting__minutes__state__in=["circulated", "approved"],
        )
        .select_related("meeting", "meeting__body", "motion")
        .distinct()
        .order_by("-closed_at", "-pk")
    )


def problem_with(unit: Unit, vote: Vote, *, body_kind: str | None = None) -> str:
    """Why ``vote`` may not be cited for ``unit`` (empty when it may)."""
    if vote.closed_at is None or vote.carried is not True:
        return f"the vote “{vote.question}” was not carried"
    body = vote.meeting.body
    if not unit.path.startswith(body.unit.path):
        return f"the vote was taken by {body.name}, a body of {body.unit.name}, not of {unit.name}"
    if body_kind is not None and body.kind != body_kind:
        return f"the vote was taken by {body.name}, not by {unit.name}'s {body_kind.upper()}"
    if minute_of(vote) is None:
        return (
            f"the minutes of {vote.meeting.title} are not yet circulated: "
            "a decision is cited with the minute that records it"
        )
    return ""


def minute_of(vote: Vote) -> Minutes | None:
    """The minutes recording ``vote``: the approved ones if any, else the circulated ones."""
    minutes = Minutes.objects.filter(
        meeting_id=vote.meeting_id, state__in=["circulated", "approved"]
    )
    return minutes.order_by("state", "-pk").first()  # "approved" sorts first
