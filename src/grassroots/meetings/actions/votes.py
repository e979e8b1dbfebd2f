"""Votes of a meeting: the chair opens one with the roll frozen, members vote online or the
chair types the show of hands, card votes carry each delegation's card; closing decides it.

A vote cannot be opened while the meeting is inquorate unless the chair records that it
continues inquorate under the body's rules, with the reason. Nobody but the chair records a
show of hands; nobody changes an online vote once cast.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.db import transaction

from grassroots.audit.log import record
from grassroots.meetings.actions._common import ActionRefused, User, check, now_or
from grassroots.meetings.actions.motions import unbacked
from grassroots.meetings.actions.nominating import hand_off
from grassroots.meetings.actions.record import approve_from_vote
from grassroots.meetings.cards import CardError, cards_for
from grassroots.meetings.live import presence
from grassroots.meetings.majority import CHOICES, RULES, Tally, card_weights, decide
from grassroots.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Motion,
    Vote,
    VoteCast,
    VoteRoll,
)
from grassroots.meetings.procedure import PROCEDURES, decide_first
from grassroots.members.models import Member


def _subject(m: Meeting) -> str:
    return f"meeting:{m.pk}"


def _frac(s: str) -> Fraction:
    return Fraction(s)


@transaction.atomic
def open_vote(
    meeting: Meeting,
    *,
    question: str = "",
    motion: Motion | None = None,
    late_item: AgendaItem | None = None,
    method: str = "hands",
    majority: str = "simple",
    by: User | None,
    continue_inquorate_reason: str = "",
    now: dt.datetime | None = None,
) -> Vote:
    """Open a vote on ``motion`` (or a question), freezing who may vote and their weights."""
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    check(by, "chair_meetings", meeting.body.unit)
    if meeting.state != "open":
        raise ActionRefused(f"{meeting.title} is not in progress: votes are taken in the meeting")
    if method not in dict(Vote.METHODS):
        raise ActionRefused(f"{method!r} is not a way of voting")
    if majority not in RULES:
        raise ActionRefused(f"{majority!r} is not a majority rule ({', '.join(RULES)})")
    if meeting.votes.filter(closed_at__isnull=True).exists():
        raise ActionRefused("another vote is still open: close it first")
    if motion is not None:
        motion = Motion.objects.get(pk=motion.pk)
        if motion.meeting_id != meeting.pk:
            raise ActionRefused("that motion belongs to another meeting")
        if motion.state != "submitted":
            raise ActionRefused(f"“{motion.title}” is {motion.get_state_display().lower()}")
        pending = [
            p.procedure
            for p in meeting.motions.filter(kind="procedural", state="submitted").exclude(
                pk=motion.pk
            )
        ]
        first = decide_first(pending)
        if first is not None and (
            motion.kind != "procedural"
            or PROCEDURES[first].precedence < PROCEDURES[motion.procedure].precedence
        ):
            raise ActionRefused(f"the procedural motion “{PROCEDURES[first].wording}” comes first")
        if motion.kind != "amendment" and motion.amendments.filter(state="submitted").exists():
            raise ActionRefused(f"the amendments to “{motion.title}” are voted on first")
        why_not = unbacked(motion)
        if why_not:
            raise ActionRefused(why_not)
        question = question.strip() or motion.title
    if late_item is not None:
        late_item = AgendaItem.objects.get(pk=late_item.pk)
        if late_item.meeting_id != meeting.pk or not late_item.late:
            raise ActionRefused("only a late item of this meeting is put to the meeting")
        if late_item.taken is not None:
            raise ActionRefused(f"the meeting has already decided on “{late_item.title}”")
        question = f"That the late item “{late_item.title}” be taken"
    if not question.strip():
        raise ActionRefused("say what the vote is on")
    now_present = presence(meeting)
    reason = continue_inquorate_reason.strip()
    if not now_present.quorum.quorate and not reason:
        raise ActionRefused(
            f"the meeting is inquorate ({now_present.quorum.working}); a vote needs the chair "
            "to record that it continues inquorate under the body's rules, and why"
        )
    here = list(
        Attendance.objects.filter(meeting=meeting, left_at__isnull=True, may_vote=True)
        .select_related("member")
        .exclude(member__isnull=True)
    )
    weights: dict[int, Fraction]
    if method == "card":
        try:
            cards, delegates, _ = cards_for(meeting)
        except CardError as exc:
            raise ActionRefused(str(exc)) from None
        by_number = card_weights(cards, delegates, [a.member.number for a in here])
        weights = {a.member.pk: by_number.get(a.member.number, Fraction(0)) for a in here}
        entitled = Fraction(sum(cards.values()))
    else:
        weights = {a.member.pk: Fraction(1) for a in here}
        entitled = Fraction(now_present.entitled)
    vote = Vote.objects.create(
        meeting=meeting,
        motion=motion,
        late_item=late_item,
        question=question.strip()[:300],
        method=method,
        majority=majority,
        opened_at=now_or(now),
        opened_by=by if by is not None and by.is_authenticated else None,
        inquorate_reason=reason if not now_present.quorum.quorate else "",
        present_weight=str(sum(weights.values(), Fraction(0))),
        entitled_weight=str(entitled),
    )
    VoteRoll.objects.bulk_create(
        VoteRoll(vote=vote, member_id=pk, weight=str(w)) for pk, w in weights.items() if w > 0
    )
    record(
        by,
        "meetings.vote.open",
        _subject(meeting),
        f"Vote opened ({vote.get_method_display().lower()}, {RULES[majority].name}): "
        f"{vote.question}; {len(weights)} may vote",
        reason=vote.inquorate_reason,
    )
    return vote


@transaction.atomic
def cast_online(
    vote: Vote, member: Member, choice: str, *, by: User | None, now: dt.datetime | None = None
) -> VoteCast:
    """A present member votes from their own device: once, never changed.

    The vote's row is locked while the cast is checked and written, so closing waits for casts
    in flight and a second cast (a double tap) is refused before anything is written.
    """
    if choice not in CHOICES:
        raise ActionRefused(f"{choice!r} is not for, against or abstain")
    if by is not None and getattr(by, "pk", None) != member.user_id:
        raise ActionRefused("each member votes for themselves")
    v = Vote.objects.select_for_update().get(pk=vote.pk)
    if v.method not in ("online", "card"):
        raise ActionRefused("this vote is a show of hands: the chair counts it")
    if not v.is_open:
        raise ActionRefused("this vote has closed")
    if not VoteRoll.objects.filter(vote=v, member=member).exists():
        raise ActionRefused(
            f"{member.name} was not on this vote's roll (present, with a vote, when it opened)"
        )
    if VoteCast.objects.filter(vote=v, member=member).exists():
        raise ActionRefused("you have already voted in this vote; a vote is not changed")
    return VoteCast.objects.create(vote=v, member=member, choice=choice, cast_at=now_or(now))


@transaction.atomic
def record_hands(vote: Vote, *, for_: int, against: int, abstain: int, by: User | None) -> Vote:
    """The chair types the show-of-hands count; it cannot exceed those who may vote."""
    vote = Vote.objects.select_for_update().select_related("meeting__body__unit").get(pk=vote.pk)
    check(by, "chair_meetings", vote.meeting.body.unit)
    if vote.method != "hands":
        raise ActionRefused("only a show of hands is counted by the chair")
    if not vote.is_open:
        raise ActionRefused("this vote has closed; its count stands")
    if min(for_, against, abstain) < 0:
        raise ActionRefused("a count cannot be negative")
    most = int(_frac(vote.present_weight))
    if for_ + against + abstain > most:
        raise ActionRefused(f"{for_ + against + abstain} hands counted, but only {most} may vote")
    vote.for_votes, vote.against_votes, vote.abstentions = str(for_), str(against), str(abstain)
    vote.save(update_fields=["for_votes", "against_votes", "abstentions"])
    return vote


def _apply(motion: Motion, carried: bool) -> None:
    motion.state = "carried" if carried else "lost"
    motion.save(update_fields=["state"])
    if not carried:
        return
    if motion.kind == "amendment" and motion.amends is not None:
        parent = motion.amends
        parent.current_text = motion.text
        parent.save(update_fields=["current_text"])
    if motion.kind == "procedural" and motion.applies_to is not None:
        target = motion.applies_to
        if motion.procedure == "next_business" and target.state == "submitted":
            target.state, target.state_reason = "fallen", "the meeting moved to next business"
            target.save(update_fields=["state", "state_reason"])
        elif motion.procedure == "refer_back" and target.state == "submitted":
            target.state, target.state_reason = "referred", "referred back by the meeting"
            target.save(update_fields=["state", "state_reason"])


@transaction.atomic
def close_vote(vote: Vote, *, by: User | None, now: dt.datetime | None = None) -> Vote:
    """Close the vote and decide it under its majority rule; the result and working are kept."""
    vote = Vote.objects.select_for_update().select_related("meeting__body__unit").get(pk=vote.pk)
    check(by, "chair_meetings", vote.meeting.body.unit)
    if not vote.is_open:
        raise ActionRefused("this vote has already closed")
    if vote.method == "hands":
        if vote.for_votes == "":
            raise ActionRefused("type the show of hands first")
        tally = Tally(int(vote.for_votes), int(vote.against_votes), int(vote.abstentions))
    else:
        weights = {r.member_id: _frac(r.weight) for r in vote.roll.all()}
        totals = {c: Fraction(0) for c in CHOICES}
        for cast in vote.casts.all():
            totals[cast.choice] += weights[cast.member_id]  # type: ignore[index]
        tally = Tally(totals["for"], totals["against"], totals["abstain"])
        vote.for_votes = str(tally.for_)
        vote.against_votes = str(tally.against)
        vote.abstentions = str(tally.abstain)
    outcome = decide(
        RULES[vote.majority],
        tally,
        present=_frac(vote.present_weight),
        entitled=_frac(vote.entitled_weight),
    )
    vote.closed_at = now_or(now)
    vote.carried = outcome.carried
    vote.working = outcome.working
    vote.save()
    if vote.late_item is not None:
        item = vote.late_item
        item.taken, item.taken_by_vote = outcome.carried, vote
        item.save(update_fields=["taken", "taken_by_vote"])
    if vote.motion is not None:
        _apply(vote.motion, outcome.carried)
        if outcome.carried and vote.motion.approves_id is not None:
            approve_from_vote(vote.motion, vote.pk, vote.closed_at)
        if outcome.carried and vote.motion.nomination:
            hand_off(vote.motion, vote)
    record(
        by,
        "meetings.vote.close",
        _subject(vote.meeting),
        f"{vote.question}: {'carried' if outcome.carried else 'not carried'} ({outcome.working})",
    )
    return vote
