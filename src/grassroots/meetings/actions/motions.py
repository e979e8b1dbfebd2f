"""Motions before and during a meeting: submitted by a deadline with a mover and seconder,
amended, composited, withdrawn, forwarded to another body; emergency and procedural motions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from grassroots.audit.log import record
from grassroots.meetings.actions._common import ActionRefused, User, check, now_or
from grassroots.meetings.entitlement import member_standing
from grassroots.meetings.models import AgendaItem, Meeting, Motion, MotionSupport
from grassroots.meetings.notice import NoticeRule, is_late, notice_deadline
from grassroots.meetings.procedure import PROCEDURES, Backing, backing_needed
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import can


def _subject(m: Meeting) -> str:
    return f"meeting:{m.pk}"


def motions_close(meeting: Meeting) -> dt.datetime:
    """When motions for ``meeting`` close: the body's clear days before the meeting's day."""
    rule = NoticeRule(meeting.body.motions_close_days, "clear days")
    return notice_deadline(rule, meeting.start, meeting.body.zone())


def _entitled(meeting: Meeting, member: Member | None, role: str) -> None:
    if member is None:
        return
    if not member_standing(member, meeting).may_attend:
        raise ActionRefused(f"the {role}, {member.name}, is not entitled to attend this meeting")


def _may_submit(meeting: Meeting, by: User | None, mover: Member | None) -> None:
    if by is None or can(by, "manage_meetings", meeting.body.unit):
        return
    if mover is None or getattr(by, "pk", None) != mover.user_id:
        raise ActionRefused("a member submits motions in their own name as mover")


@transaction.atomic
def submit_motion(
    meeting: Meeting,
    *,
    title: str,
    text: str,
    by: User | None,
    mover: Member | None = None,
    seconder: Member | None = None,
    from_unit: Unit | None = None,
    item: AgendaItem | None = None,
    emergency_reason: str = "",
    now: dt.datetime | None = None,
) -> Motion:
    """Submit a motion: by its deadline, or after it as an emergency motion with a reason."""
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    if mover is not None:
        mover = Member.objects.select_related("branch").get(pk=mover.pk)
    _may_submit(meeting, by, mover)
    if meeting.state not in ("called", "open"):
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    if not title.strip() or not text.strip():
        raise ActionRefused("a motion needs a title and its text")
    if mover is None and from_unit is None:
        raise ActionRefused("a motion needs a mover: a member, or a branch or affiliated body")
    if mover is not None and seconder is not None and mover.pk == seconder.pk:
        raise ActionRefused("the seconder must be someone other than the mover")
    _entitled(meeting, mover, "mover")
    _entitled(meeting, seconder, "seconder")
    if item is not None and item.meeting_id != meeting.pk:
        raise ActionRefused("the agenda item belongs to another meeting")
    at = now_or(now)
    closes = motions_close(meeting)
    emergency = is_late(at, closes)
    if emergency and not emergency_reason.strip():
        raise ActionRefused(
            f"motions closed {closes.astimezone(meeting.body.zone()):%d %B %Y %H:%M}; an "
            "emergency motion needs a reason why it could not wait, and the meeting decides "
            "whether to take it"
        )
    motion = Motion.objects.create(
        meeting=meeting,
        item=item,
        kind="emergency" if emergency else "motion",
        title=title.strip(),
        text=text.strip(),
        mover=mover,
        seconder=seconder,
        from_unit=from_unit,
        emergency_reason=emergency_reason.strip() if emergency else "",
        submitted_at=at,
        submitted_by=by if by is not None and by.is_authenticated else None,
    )
    who = mover.name if mover is not None else from_unit.name if from_unit is not None else ""
    record(
        by,
        "meetings.motion.submit",
        _subject(meeting),
        f"{motion.get_kind_display()} “{motion.title}” moved by {who}"
        + (f", seconded by {seconder.name}" if seconder is not None else ""),
        reason=motion.emergency_reason,
    )
    return motion


@transaction.atomic
def amend(
    motion: Motion,
    *,
    new_text: str,
    by: User | None,
    mover: Member | None = None,
    seconder: Member | None = None,
    title: str = "",
    now: dt.datetime | None = None,
) -> Motion:
    """Move an amendment: the motion's whole text as it would read, the change shown from it."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__body__unit").get(pk=motion.pk)
    )
    meeting = motion.meeting
    if mover is not None:
        mover = Member.objects.select_related("branch").get(pk=mover.pk)
    _may_submit(meeting, by, mover)
    if motion.kind not in ("motion", "composite", "emergency") or motion.state != "submitted":
        raise ActionRefused(f"“{motion.title}” cannot be amended now")
    if meeting.state not in ("called", "open"):
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    if new_text.strip() == motion.text_now().strip():
        raise ActionRefused("the amendment changes nothing in the motion's text")
    if mover is None:
        raise ActionRefused("an amendment needs a mover")
    if seconder is not None and mover.pk == seconder.pk:
        raise ActionRefused("the seconder must be someone other than the mover")
    _entitled(meeting, mover, "mover")
    _entitled(meeting, seconder, "seconder")
    at = now_or(now)
    amendment = Motion.objects.create(
        meeting=meeting,
        item=motion.item,
        kind="amendment",
        title=title.strip() or f"Amendment to “{motion.title}”",
        text=new_text.strip(),
        amends=motion,
        mover=mover,
        seconder=seconder,
        submitted_at=at,
        submitted_by=by if by is not None and by.is_authenticated else None,
    )
    record(
        by,
        "meetings.motion.amend",
        _subject(meeting),
        f"Amendment to “{motion.title}” moved by {mover.name}",
    )
    return amendment


@transaction.atomic
def composite(
    meeting: Meeting,
    motions: Sequence[Motion],
    *,
    title: str,
    text: str,
    agreed_by: str,
    by: User | None,
    now: dt.datetime | None = None,
) -> Motion:
    """Merge several motions into one composite, recording which and who agreed it."""
    check(by, "manage_meetings", meeting.body.unit)
    sources = list(Motion.objects.select_for_update().filter(pk__in=[m.pk for m in motions]))
    if len(sources) < 2:
        raise ActionRefused("a composite merges at least two motions")
    for m in sources:
        if m.meeting_id != meeting.pk or m.kind not in ("motion", "emergency"):
            raise ActionRefused(f"“{m.title}” is not a motion of this meeting")
        if m.state != "submitted":
            raise ActionRefused(f"“{m.title}” is {m.get_state_display().lower()}")
    if not agreed_by.strip():
        raise ActionRefused("say who agreed the composite (the movers of the motions merged)")
    if not title.strip() or not text.strip():
        raise ActionRefused("a composite needs a title and its text")
    merged = Motion.objects.create(
        meeting=meeting,
        kind="composite",
        title=title.strip(),
        text=text.strip(),
        composite_agreed_by=agreed_by.strip(),
        submitted_at=now_or(now),
        submitted_by=by if by is not None and by.is_authenticated else None,
        item=sources[0].item,
    )
    merged.composite_of.set(sources)
    Motion.objects.filter(pk__in=[m.pk for m in sources]).update(
        state="composited", state_reason=f"merged into “{merged.title}”"
    )
    record(
        by,
        "meetings.motion.composite",
        _subject(meeting),
        f"Composite “{merged.title}” of {', '.join(f'“{m.title}”' for m in sources)}, "
        f"agreed by {merged.composite_agreed_by}",
    )
    return merged


@transaction.atomic
def propose_procedure(
    meeting: Meeting,
    *,
    procedure: str,
    by: User | None,
    mover: Member | None = None,
    applies_to: Motion | None = None,
    now: dt.datetime | None = None,
) -> Motion:
    """The chair records a procedural motion moved from the floor; it is decided first."""
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    check(by, "chair_meetings", meeting.body.unit)
    if meeting.state != "open":
        raise ActionRefused("procedural motions are moved while the meeting is in progress")
    if procedure not in PROCEDURES:
        raise ActionRefused(f"{procedure!r} is not a procedural motion")
    if applies_to is not None and applies_to.meeting_id != meeting.pk:
        raise ActionRefused("the motion it applies to belongs to another meeting")
    _entitled(meeting, mover, "mover")
    p = PROCEDURES[procedure]
    motion = Motion.objects.create(
        meeting=meeting,
        kind="procedural",
        procedure=procedure,
        title=p.wording,
        text=f"{p.wording}: if carried, {p.effect}.",
        applies_to=applies_to,
        mover=mover,
        submitted_at=now_or(now),
        submitted_by=by if by is not None and by.is_authenticated else None,
    )
    record(by, "meetings.motion.procedural", _subject(meeting), f"Moved: {p.wording}")
    return motion


@transaction.atomic
def withdraw(motion: Motion, *, by: User | None, reason: str = "") -> Motion:
    """The mover (or the secretary for them) withdraws a motion not yet decided."""
    motion = (
        Motion.objects.select_for_update()
        .select_related("meeting__body__unit", "mover")
        .get(pk=motion.pk)
    )
    own = motion.mover is not None and getattr(by, "pk", None) == motion.mover.user_id
    if not own:
        check(by, "manage_meetings", motion.meeting.body.unit)
    if motion.state != "submitted":
        raise ActionRefused(f"“{motion.title}” is {motion.get_state_display().lower()}")
    motion.state, motion.state_reason = "withdrawn", reason.strip()
    motion.save(update_fields=["state", "state_reason"])
    record(
        by,
        "meetings.motion.withdraw",
        _subject(motion.meeting),
        f"Withdrawn: “{motion.title}”",
        reason=reason,
    )
    return motion


@transaction.atomic
def forward(
    motion: Motion, to: Meeting, *, by: User | None, now: dt.datetime | None = None
) -> Motion:
    """Send a carried motion on to another body's meeting (a branch's to its party's), keeping
    its origin: the new motion is moved by the body that carried it."""
    motion = Motion.objects.select_related("meeting__body__unit").get(pk=motion.pk)
    check(by, "manage_meetings", motion.meeting.body.unit)
    if motion.state != "carried":
        raise ActionRefused("only a carried motion is forwarded")
    if to.pk == motion.meeting_id:
        raise ActionRefused("forward it to another meeting")
    if to.state != "called":
        raise ActionRefused(f"{to.title} is not taking motions")
    at = now_or(now)
    if is_late(at, motions_close(to)):
        raise ActionRefused(f"motions for {to.title} have closed")
    carried = (
        motion.votes.filter(closed_at__isnull=False, carried=True).order_by("-closed_at").first()
    )
    sent = Motion.objects.create(
        meeting=to,
        kind="motion",
        title=motion.title,
        text=motion.text_now(),
        origin=motion,
        from_unit=motion.meeting.body.unit,
        decision=carried,
        decided_on=motion.meeting.start.astimezone(motion.meeting.body.zone()).date(),
        submitted_at=at,
        submitted_by=by if by is not None and by.is_authenticated else None,
    )
    record(
        by,
        "meetings.motion.forward",
        _subject(motion.meeting),
        f"“{motion.title}” forwarded to {to.title} ({to.body.name})",
    )
    return sent


@transaction.atomic
def support_motion(
    motion: Motion, member: Member, *, by: User | None, now: dt.datetime | None = None
) -> MotionSupport:
    """A member entitled to attend supports a motion, where the body counts supporters."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__body__unit").get(pk=motion.pk)
    )
    meeting = motion.meeting
    member = Member.objects.select_related("branch").get(pk=member.pk)
    if by is not None and getattr(by, "pk", None) != member.user_id:
        raise ActionRefused("members support motions in their own name")
    if meeting.body.motion_supporters == 0:
        raise ActionRefused(
            f"the {meeting.body.name} takes motions with a seconder, not supporters"
        )
    if motion.state != "submitted" or motion.kind not in ("motion", "emergency", "composite"):
        raise ActionRefused(f"“{motion.title}” is not a motion open for support")
    if motion.mover_id == member.pk:
        raise ActionRefused("the mover's own motion needs others' support")
    _entitled(meeting, member, "supporter")
    if MotionSupport.objects.filter(motion=motion, member=member).exists():
        raise ActionRefused(f"{member.name} already supports “{motion.title}”")
    at = now_or(now)
    if motion.kind != "emergency" and is_late(at, motions_close(meeting)):
        raise ActionRefused(f"motions for {meeting.title} have closed")
    support = MotionSupport.objects.create(motion=motion, member=member, supported_at=at)
    record(
        by,
        "meetings.motion.support",
        _subject(meeting),
        f"{member.name} supports “{motion.title}”",
    )
    return support


def backing(motion: Motion) -> Backing:
    """What ``motion`` needs recorded, besides its mover, under its body's rules."""
    body = motion.meeting.body
    return backing_needed(
        motion.kind,
        moved_by_body=motion.from_unit_id is not None,
        seconded_rule=body.motions_seconded,
        supporters_rule=body.motion_supporters,
    )


def support_needed(motion: Motion) -> tuple[int, int]:
    """(supporters, needed) where the body counts supporters; needed is 0 otherwise."""
    needed = backing(motion).supporters
    if needed == 0:
        return (0, 0)
    return (motion.supporters.count(), needed)


def unbacked(motion: Motion) -> str:
    """Why ``motion`` may not be put yet (no seconder, too few supporters), or ""."""
    need = backing(motion)
    have = motion.supporters.count() if need.supporters else 0
    if need.met(seconded=motion.seconder_id is not None, supporters=have):
        return ""
    if need.supporters:
        return (
            f"“{motion.title}” has {have} of the {need.supporters} supporters the "
            f"{motion.meeting.body.name}'s rules need before it is put"
        )
    return (
        f"“{motion.title}” has no seconder: the {motion.meeting.body.name}'s rules put a "
        f"{motion.get_kind_display().lower()} to the vote only once it is seconded (a member "
        "entitled to attend seconds it from the meeting's page, or the chair records a "
        "seconder from the floor)"
    )


@transaction.atomic
def second_motion(motion: Motion, seconder: Member, *, by: User | None) -> Motion:
    """Record a motion's seconder: a member seconding it in their own name, or the chair (or
    secretary) recording a seconder from the floor. Once seconded it stays seconded."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__body__unit").get(pk=motion.pk)
    )
    meeting = motion.meeting
    seconder = Member.objects.select_related("branch").get(pk=seconder.pk)
    own = by is not None and getattr(by, "pk", None) == seconder.user_id
    if (
        by is not None
        and not own
        and not (
            can(by, "manage_meetings", meeting.body.unit)
            or can(by, "chair_meetings", meeting.body.unit)
        )
    ):
        raise ActionRefused("members second motions in their own name")
    if meeting.state not in ("called", "open"):
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    if motion.state != "submitted":
        raise ActionRefused(f"“{motion.title}” is {motion.get_state_display().lower()}")
    if not backing(motion).seconder:
        if backing(motion).supporters:
            raise ActionRefused(
                f"the {meeting.body.name} takes motions with supporters, not a seconder"
            )
        raise ActionRefused(f"“{motion.title}” needs no seconder")
    if motion.seconder_id is not None:
        raise ActionRefused(f"“{motion.title}” is already seconded by {motion.seconder}")
    if motion.mover_id == seconder.pk:
        raise ActionRefused("the seconder must be someone other than the mover")
    _entitled(meeting, seconder, "seconder")
    motion.seconder = seconder
    motion.save(update_fields=["seconder"])
    record(
        by,
        "meetings.motion.second",
        _subject(meeting),
        f"“{motion.title}” seconded by {seconder.name}"
        + ("" if own else " (recorded by the chair)"),
    )
    return motion
