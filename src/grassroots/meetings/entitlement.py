"""Who may attend a meeting, and why not: the body's seats, or the unit's members by its rules.

Read side only. A seated body (General Committee, executive) is attended by those holding a
seat on the meeting's day; any other body by the members of its unit (a ward's: those who name
it as their ward) whom its eligibility rules admit on that day (members/eligibility.py, with
its reasons). The rules are evaluated in bulk for a whole unit and one at a time, with
reasons, for a member's own page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from grassroots.meetings.models import Body, Meeting, Seat
from grassroots.members.eligibility import Decision, Electorate, decide, evaluate
from grassroots.members.models import Member

__all__ = ["Standing", "entitled_ids", "member_standing"]


def _in_unit(body: Body) -> Q:
    """The members in ``body``'s unit: those whose branch is in it, and for a ward (members
    name their ward beside their branch) those who name it."""
    q = Q(branch__path__startswith=body.unit.path)
    return q | Q(ward_id=body.unit_id) if body.unit.kind == "ward" else q


def _members_of(body: Body) -> list[tuple[int, str, str, str, int]]:
    return list(
        Member.objects.filter(_in_unit(body))
        .annotate(j=Cast("join_date", CharField()), p=Cast("paid_up_to", CharField()))
        .values_list("id", "j", "p", "status", "branch_id")
    )


def entitled_ids(body: Body, day: dt.date) -> list[int]:
    """The member ids entitled to attend ``body``'s meeting on ``day``."""
    if body.seated:
        seats = Seat.objects.filter(body=body, appointed_on__lte=day).exclude(ended_on__lte=day)
        return sorted(set(seats.values_list("member_id", flat=True)))
    rows = _members_of(body)
    if not rows:
        return []
    ids, joins, paids, statuses, branches = zip(*rows, strict=True)
    e = Electorate.from_iso(joins, paids, statuses, branches)  # type: ignore[arg-type]
    ok = evaluate(body.rules_on(day), e).eligible
    return [ids[i] for i in range(len(rows)) if ok[i]]


@dataclass(frozen=True)
class Standing:
    """One meeting as it concerns one member: may they attend, and if not, why."""

    meeting: Meeting
    may_attend: bool
    reasons: tuple[str, ...]
    fixes: tuple[str, ...]
    seat: Seat | None = None
    on_payment: bool = False  # may attend once they pay their arrears on the day


def member_standing(member: Member, meeting: Meeting) -> Standing:
    """Whether ``member`` may attend ``meeting``, with the reasons and fixes if not."""
    body = meeting.body
    day = meeting.local_start().date()
    in_ward = body.unit.kind == "ward" and member.ward_id == body.unit_id
    if not (in_ward or member.branch.path.startswith(body.unit.path)):
        return Standing(meeting, False, (f"not a member in {body.unit.name}",), ())
    if body.seated:
        seat = next(
            (s for s in Seat.objects.filter(body=body, member=member) if s.holds_on(day)), None
        )
        if seat is None:
            return Standing(
                meeting,
                False,
                (f"you hold no seat on the {body.name} on {day:%d %B %Y}",),
                ("a delegate is appointed by their branch or affiliated body",),
            )
        return Standing(meeting, True, (), (), seat)
    decision: Decision = decide(body.rules_on(day), member.facts())
    return Standing(
        meeting, decision.ok, decision.reasons, decision.fixes, on_payment=decision.on_payment
    )
