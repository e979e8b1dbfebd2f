"""Decisions not to hold a meeting: recorded with who took them, the vote and the reason.

A body deciding not to meet (a branch's officers deciding not to hold a nominating meeting) is
a decision on the record, never a silence. If it concerns an election's nominations, the
unit's decision not to nominate is recorded with it through the elections app's own action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from grassroots.audit.log import record
from grassroots.elections import actions as elections
from grassroots.elections.models import Election
from grassroots.meetings.actions._common import ActionRefused, User, check, now_or
from grassroots.meetings.models import Body, DecisionNotToMeet, Meeting, Seat
from grassroots.members.models import Member


def _check_present(body: Body, present: Sequence[Member], day: dt.date) -> None:
    if not present:
        raise ActionRefused("name the members present who took the decision")
    if len({m.pk for m in present}) != len(present):
        raise ActionRefused("a member is named twice among those present")
    for m in present:
        if not m.branch.path.startswith(body.unit.path):
            raise ActionRefused(f"{m.name} is not a member in {body.unit.name}")
        if body.seated and not any(
            s.holds_on(day) for s in Seat.objects.filter(body=body, member=m)
        ):
            raise ActionRefused(f"{m.name} held no seat on the {body.name} on {day:%d %B %Y}")


def _check_vote(present: int, votes_for: int, against: int, abstain: int) -> None:
    if min(votes_for, against, abstain) < 0:
        raise ActionRefused("a vote count cannot be negative")
    if votes_for + against + abstain > present:
        raise ActionRefused(
            f"{votes_for} for, {against} against and {abstain} abstaining is "
            f"{votes_for + against + abstain} votes, more than the {present} members present"
        )
    if votes_for <= against:
        raise ActionRefused(
            f"{votes_for} for and {against} against is not carried: a decision not to meet "
            "needs more votes for than against"
        )


@transaction.atomic
def record_decision_not_to_meet(
    body: Body,
    *,
    what: str,
    decided_on: dt.date,
    present: Sequence[Member],
    votes_for: int,
    votes_against: int,
    abstentions: int,
    reason: str,
    by: User | None,
    purpose: str = "ordinary",
    election: Election | None = None,
    now: dt.datetime | None = None,
) -> DecisionNotToMeet:
    """Record that ``body`` decided not to hold a meeting, with who, the vote and why.

    With ``election``, the body's unit's decision not to nominate in it is recorded too,
    by the elections app's ``record_nomination``; if that is refused, nothing is recorded.
    """
    check(by, "manage_meetings", body.unit)
    at = now_or(now)
    if purpose not in dict(Meeting.PURPOSES):
        raise ActionRefused(f"{purpose!r} is not a kind of meeting")
    if not what.strip():
        raise ActionRefused("say which meeting is not to be held")
    if not reason.strip():
        raise ActionRefused("a decision not to meet carries its reason: members read it")
    if decided_on > at.astimezone(body.zone()).date():
        raise ActionRefused(f"{decided_on:%d %B %Y} is still to come: record a decision taken")
    _check_present(body, present, decided_on)
    _check_vote(len(present), votes_for, votes_against, abstentions)
    if election is not None and purpose != "nominating":
        raise ActionRefused(
            "a decision about an election's nominations is about a nominating meeting"
        )
    d = DecisionNotToMeet.objects.create(
        body=body,
        purpose=purpose,
        what=what.strip(),
        decided_on=decided_on,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        reason=reason.strip(),
        election=election,
        recorded_at=at,
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    d.present.set(present)
    if election is not None:
        note = f"{body.name} decided on {decided_on:%d %B %Y} not to hold {d.what}: {d.reason}"
        try:
            d.nomination = elections.record_nomination(
                election, body=body.unit, candidate=None, by=by, note=note[:300], now=at
            )
        except elections.ActionRefused as exc:
            raise ActionRefused(f"the decision not to nominate cannot be recorded: {exc}") from None
        d.save(update_fields=["nomination"])
    record(
        by,
        "meetings.decision_not_to_meet",
        f"body:{body.pk}",
        f"{body.name} decided on {decided_on:%d %B %Y} not to hold {d.what}: "
        f"{votes_for} for, {votes_against} against, {abstentions} abstaining, "
        f"{len(present)} present ({', '.join(m.name for m in present)})",
        reason=d.reason,
        detail={"decision": d.pk, "election": election.pk if election else None},
    )
    return d
