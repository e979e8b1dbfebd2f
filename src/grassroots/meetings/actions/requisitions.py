"""Requisitions: starting one, signing and withdrawing, and calling the special meeting it asks for.

A member signs for themselves only, if they may sign (signing.py); a branch signs through its
secretary, who records the branch's decision. When a signature brings the standing count to
the body's threshold the requisition is met: the moment and the day by which the secretary
must call the meeting are stored then. A signature can be withdrawn until it is met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from grassroots.audit.log import record
from grassroots.meetings.actions._common import ActionRefused, User, check, now_or
from grassroots.meetings.actions.calling import call_meeting
from grassroots.meetings.models import Body, Meeting, Requisition, Signature
from grassroots.meetings.requisition import requisition_status
from grassroots.meetings.signing import may_sign, signing_branches, standing_of
from grassroots.members.models import Member, Unit


def _subject(r: Requisition) -> str:
    return f"requisition:{r.pk}"


def _user(by: User | None) -> User | None:
    return by if by is not None and by.is_authenticated else None


def _check_signer(
    body: Body,
    by: User | None,
    member: Member | None,
    branch: Unit | None,
    decision: str,
    day: dt.date,
) -> None:
    if (member is None) == (branch is None):
        raise ActionRefused("a signature is a member's or a branch's: name one")
    if member is not None:
        member.refresh_from_db(fields=["user", "branch", "status", "paid_up_to", "join_date"])
        if by is not None and (not by.is_authenticated or member.user_id != by.pk):
            raise ActionRefused(
                f"members sign for themselves only: you cannot sign as {member.name}"
            )
        ok, reasons = may_sign(member, body, day)
        if not ok:
            raise ActionRefused(
                f"{member.name} may not sign a requisition of the {body.name}: "
                + "; ".join(reasons)
            )
    else:
        assert branch is not None
        if not signing_branches(body).filter(pk=branch.pk).exists():
            raise ActionRefused(f"{branch.name} is not one of the branches of {body.unit.name}")
        check(by, "manage_meetings", branch)
        if not decision.strip():
            raise ActionRefused(
                f"a branch signs by its decision: say when {branch.name} decided it and the vote"
            )


def _sign(
    r: Requisition,
    by: User | None,
    member: Member | None,
    branch: Unit | None,
    decision: str,
    at: dt.datetime,
) -> Signature:
    standing = r.signatures.filter(withdrawn_at__isnull=True)
    if member is not None and standing.filter(member=member).exists():
        raise ActionRefused(f"{member.name} has already signed this requisition")
    if branch is not None and standing.filter(branch=branch).exists():
        raise ActionRefused(f"{branch.name} has already signed this requisition")
    s = Signature.objects.create(
        requisition=r,
        member=member,
        branch=branch,
        decision=decision.strip() if branch is not None else "",
        signed_at=at,
        recorded_by=_user(by),
    )
    day = at.astimezone(r.body.zone()).date()
    now_standing = standing_of(r, day)
    met = ""
    if r.met_at is None and now_standing.met_now:
        rule = now_standing.rule
        r.met_at = at
        r.call_by = requisition_status(
            rule,
            member_signatures=now_standing.member_signatures,
            members=now_standing.members,
            branch_signatures=now_standing.branch_signatures,
            branches=now_standing.branches,
            met_on=day,
        ).call_by
        r.save(update_fields=["met_at", "call_by"])
        met = f"; the requisition is met: the meeting must be called by {r.call_by:%d %B %Y}"
    record(
        by,
        "meetings.requisition.sign",
        _subject(r),
        f"{s.signer} signed the requisition “{r.purpose}” ({'; '.join(now_standing.lines)}){met}",
        reason=s.decision,
        detail={"member": member.pk if member else None, "branch": branch.pk if branch else None},
    )
    return s


@transaction.atomic
def start_requisition(
    body: Body,
    *,
    purpose: str,
    by: User | None,
    text: str = "",
    member: Member | None = None,
    branch: Unit | None = None,
    decision: str = "",
    now: dt.datetime | None = None,
) -> Requisition:
    """Start a requisition of a special meeting of ``body``; its starter's signature is first."""
    if body.requisition_rule() is None:
        raise ActionRefused(f"the rules of the {body.name} provide for no requisition")
    if not purpose.strip():
        raise ActionRefused("say what the special meeting is to decide: signers see it")
    at = now_or(now)
    _check_signer(body, by, member, branch, decision, at.astimezone(body.zone()).date())
    r = Requisition.objects.create(
        body=body,
        purpose=purpose.strip(),
        text=text.strip(),
        started_by=member.name if member is not None else str(branch),
        started_at=at,
    )
    record(
        by,
        "meetings.requisition.start",
        _subject(r),
        f"{r.started_by} started a requisition of a special meeting of the {body.name}: "
        f"{r.purpose}",
    )
    _sign(r, by, member, branch, decision, at)
    return r


def _open(r: Requisition) -> Requisition:
    r = Requisition.objects.select_for_update().select_related("body__unit").get(pk=r.pk)
    if r.meeting_id is not None:
        raise ActionRefused(f"the meeting this requisition asked for has been called: {r.meeting}")
    return r


@transaction.atomic
def sign_requisition(
    requisition: Requisition,
    *,
    by: User | None,
    member: Member | None = None,
    branch: Unit | None = None,
    decision: str = "",
    now: dt.datetime | None = None,
) -> Signature:
    """Add a member's own signature, or a branch's (recorded by its secretary)."""
    r = _open(requisition)
    at = now_or(now)
    _check_signer(r.body, by, member, branch, decision, at.astimezone(r.body.zone()).date())
    return _sign(r, by, member, branch, decision, at)


@transaction.atomic
def withdraw_signature(
    signature: Signature, *, by: User | None, now: dt.datetime | None = None
) -> Signature:
    """Withdraw a signature before the requisition is met; the record of it stays."""
    r = _open(signature.requisition)
    s = Signature.objects.select_for_update().get(pk=signature.pk)
    if s.withdrawn_at is not None:
        raise ActionRefused(f"{s.signer}'s signature was already withdrawn")
    if r.met_at is not None:
        raise ActionRefused(
            f"the requisition was met on {r.met_at:%d %B %Y}: signatures can no longer be withdrawn"
        )
    if s.member is not None:
        if by is not None and (not by.is_authenticated or s.member.user_id != by.pk):
            raise ActionRefused("only the member who signed can withdraw their signature")
    else:
        assert s.branch is not None
        check(by, "manage_meetings", s.branch)
    s.withdrawn_at = now_or(now)
    s.save(update_fields=["withdrawn_at"])
    record(
        by,
        "meetings.requisition.withdraw",
        _subject(r),
        f"{s.signer} withdrew their signature from “{r.purpose}”",
        detail={"signature": s.pk},
    )
    return s


@transaction.atomic
def call_requisitioned_meeting(
    requisition: Requisition,
    *,
    title: str,
    start: dt.datetime,
    by: User | None,
    items: Sequence[str] = (),
    place: str = "",
    join_url: str = "",
    short_notice_reason: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    """Call the special meeting a met requisition asks for, and link it to the requisition."""
    r = _open(requisition)
    check(by, "manage_meetings", r.body.unit)
    if r.met_at is None:
        raise ActionRefused(
            "this requisition has not reached its threshold: the secretary may still call a "
            "special meeting in the ordinary way"
        )
    m = call_meeting(
        r.body,
        title=title,
        start=start,
        by=by,
        items=items,
        place=place,
        join_url=join_url,
        purpose="special",
        short_notice_reason=short_notice_reason,
        now=now,
    )
    r.meeting = m
    r.called_at = m.called_at
    r.save(update_fields=["meeting", "called_at"])
    day = m.called_at.astimezone(r.body.zone()).date()
    assert r.call_by is not None
    late = (day - r.call_by).days
    when = f", {late} days after the {r.call_by:%d %B %Y} it was due by" if late > 0 else ""
    record(
        by,
        "meetings.requisition.called",
        _subject(r),
        f"Called {m.title} for {m.local_start():%d %B %Y %H:%M} in answer to the requisition "
        f"“{r.purpose}”{when}",
        detail={"meeting": m.pk},
    )
    return m
