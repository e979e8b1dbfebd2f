"""Meeting bodies and their seats: creating a body with its rules, appointing and ending seats."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction

from grassroots.audit.log import record
from grassroots.meetings.actions._common import ActionRefused, User, check
from grassroots.meetings.models import BODY_KINDS, Body, Seat
from grassroots.meetings.notice import NoticeRule
from grassroots.meetings.quorum import QuorumRule
from grassroots.meetings.requisition import RequisitionRule
from grassroots.meetings.speakers import ALTERNATIONS
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Member, Unit


def _check_rules(
    notice_amount: int, notice_unit: str, quorum_number: int, quorum_fraction: str, combine: str
) -> None:
    try:
        NoticeRule(notice_amount, notice_unit)  # type: ignore[arg-type]
        fraction = Fraction(quorum_fraction) if quorum_fraction else None
        QuorumRule(quorum_number, fraction, combine)  # type: ignore[arg-type]
    except (ValueError, ZeroDivisionError) as exc:
        raise ActionRefused(str(exc)) from None


@transaction.atomic
def create_body(
    *,
    unit: Unit,
    kind: str,
    name: str,
    by: User | None,
    notice_amount: int = 7,
    notice_unit: str = "clear days",
    quorum_number: int = 0,
    quorum_fraction: str = "",
    quorum_combine: str = "both",
    attend_rules: dict[str, Any] | None = None,
    visitors_admitted: bool = False,
    late_cutoff_minutes: int | None = None,
    debate_limit_minutes: int | None = None,
    speech_limit_minutes: int | None = None,
    speakers_alternate: str = "none",
    motion_supporters: int = 0,
    motions_seconded: bool = True,
    papers_public: bool = True,
    time_zone: str = "Europe/London",
    requisition_members: int | None = None,
    requisition_members_fraction: str = "",
    requisition_branches_fraction: str = "",
    requisition_call_within_days: int = 28,
) -> Body:
    """Set up a body that meets, with its rules as data."""
    check(by, "manage_meetings", unit)
    try:
        if requisition_members or requisition_members_fraction or requisition_branches_fraction:
            RequisitionRule(
                members=requisition_members,
                fraction_of_members=Fraction(requisition_members_fraction or 0) or None,
                fraction_of_branches=Fraction(requisition_branches_fraction or 0) or None,
                call_within_days=requisition_call_within_days,
            )
    except (ValueError, ZeroDivisionError) as exc:
        raise ActionRefused(f"requisitions: {exc}") from None
    if kind not in dict(BODY_KINDS):
        raise ActionRefused(f"{kind!r} is not a kind of body ({', '.join(dict(BODY_KINDS))})")
    if speakers_alternate not in ALTERNATIONS:
        raise ActionRefused(f"speakers alternate {speakers_alternate!r}: not a rule we know")
    _check_rules(notice_amount, notice_unit, quorum_number, quorum_fraction, quorum_combine)
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ActionRefused(f"{time_zone!r} is not a time zone") from None
    rules = dict(attend_rules or {})
    rules.pop("on", None)
    try:
        RuleSet.from_dict({**rules, "on": dt.date.today().isoformat()})
    except (TypeError, ValueError) as exc:
        raise ActionRefused(f"who may attend: {exc}") from None
    body = Body.objects.create(
        unit=unit,
        kind=kind,
        name=name.strip(),
        notice_amount=notice_amount,
        notice_unit=notice_unit,
        quorum_number=quorum_number,
        quorum_fraction=quorum_fraction,
        quorum_combine=quorum_combine,
        attend_rules=rules,
        visitors_admitted=visitors_admitted,
        late_cutoff_minutes=late_cutoff_minutes,
        debate_limit_minutes=debate_limit_minutes,
        speech_limit_minutes=speech_limit_minutes,
        speakers_alternate=speakers_alternate,
        motion_supporters=motion_supporters,
        motions_seconded=motions_seconded,
        papers_public=papers_public,
        time_zone=time_zone,
        requisition_members=requisition_members,
        requisition_members_fraction=requisition_members_fraction,
        requisition_branches_fraction=requisition_branches_fraction,
        requisition_call_within_days=requisition_call_within_days,
    )
    record(
        by,
        "meetings.body.create",
        f"unit:{unit.code}",
        f"Set up {body.name} ({body.get_kind_display()}): {body.notice_rule().describe()}, "
        f"quorum {body.quorum_rule().describe()}",
    )
    return body


@transaction.atomic
def appoint(
    body: Body,
    member: Member,
    *,
    by: User | None,
    role: str = "Member",
    represents: Unit | None = None,
    appointed_by: str = "",
    on: dt.date | None = None,
) -> Seat:
    """Give ``member`` a seat on a seated body (an executive role, or a delegate's place)."""
    check(by, "manage_meetings", body.unit)
    if not body.seated:
        raise ActionRefused(f"{body.name} is open to all members: it has no seats to appoint")
    if not member.branch.path.startswith(body.unit.path):
        raise ActionRefused(f"{member.name} is not a member in {body.unit.name}")
    day = on or dt.date.today()
    if any(s.holds_on(day) for s in Seat.objects.filter(body=body, member=member)):
        raise ActionRefused(f"{member.name} already holds a seat on {body.name}")
    seat = Seat.objects.create(
        body=body,
        member=member,
        role=role.strip() or "Member",
        represents=represents,
        appointed_by=appointed_by.strip(),
        appointed_on=day,
    )
    via = f" by {seat.appointed_by}" if seat.appointed_by else ""
    record(
        by,
        "meetings.seat.appoint",
        f"body:{body.pk}",
        f"{member.name} ({member.number}) appointed {seat.role} of {body.name}{via} from {day}",
    )
    return seat
