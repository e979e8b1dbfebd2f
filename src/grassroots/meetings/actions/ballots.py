"""Secret ballots in a meeting, run by the elections app: the chair names the posts and the
candidates nominated from the floor, the roll is the members present with a vote, members vote
on the ordinary ballot page, and the count and its files are published on the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from grassroots.audit.log import record
from grassroots.count.rules import RULES
from grassroots.elections import actions as election_actions
from grassroots.elections.models import Election
from grassroots.meetings.actions._common import ActionRefused, User, check, now_or
from grassroots.meetings.live import presence, touch
from grassroots.meetings.models import Attendance, Meeting, MeetingBallot
from grassroots.members.eligibility import RuleSet

SECOND = dt.timedelta(seconds=1)


def constraint_words(constraints: Mapping[str, Any]) -> list[str]:
    """A ballot's representation rules in words: "at least 2 of those elected must be women"."""
    out = []
    for bound, words in (("minima", "at least"), ("maxima", "at most")):
        for group, n in (constraints.get(bound) or {}).items():
            out.append(f"{words} {n} of those elected must be {group}")
    return out


@transaction.atomic
def hold_ballot(
    meeting: Meeting,
    *,
    title: str,
    seats: int,
    candidates: Sequence[str],
    by: User | None,
    rule: str = "scottish",
    minutes: int = 10,
    constraints: Mapping[str, Any] | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
    continue_inquorate_reason: str = "",
    now: dt.datetime | None = None,
) -> MeetingBallot:
    """Open a secret ballot of those present with a vote, for ``minutes`` minutes."""
    meeting = Meeting.objects.select_for_update().select_related("body__unit").get(pk=meeting.pk)
    check(by, "chair_meetings", meeting.body.unit)
    if meeting.state != "open":
        raise ActionRefused(f"{meeting.title} is not in progress")
    if rule not in RULES:
        raise ActionRefused(f"{rule!r} is not a rule set ({', '.join(RULES)})")
    names = [n.strip() for n in candidates if n.strip()]
    if len(set(names)) != len(names):
        raise ActionRefused("a candidate is named twice")
    if not names:
        raise ActionRefused("name the candidates nominated from the floor")
    grouped = {k.strip(): list(v) for k, v in (groups or {}).items()}
    for name in grouped:
        if name not in names:
            raise ActionRefused(f"“{name}” is given a group but is not among the candidates")
    for bound in ("minima", "maxima"):
        for group, n in ((constraints or {}).get(bound) or {}).items():
            if not isinstance(n, int) or n < 0 or not str(group).strip():
                raise ActionRefused("a representation rule is a group and a whole number")
    if not 1 <= minutes <= 24 * 60:
        raise ActionRefused("a ballot in a meeting lasts between 1 minute and a day")
    now_present = presence(meeting)
    if not now_present.quorum.quorate and not continue_inquorate_reason.strip():
        raise ActionRefused(
            f"the meeting is inquorate ({now_present.quorum.working}); record why it continues"
        )
    roll = list(
        Attendance.objects.filter(
            meeting=meeting, may_vote=True, left_at__isnull=True, member__isnull=False
        ).values_list("member_id", flat=True)
    )
    if not roll:
        raise ActionRefused("nobody present may vote")
    at = now_or(now)
    try:  # the elections app's refusals (bounds no ballot could meet, a roll outside the
        # unit) reach the chair as this action's, with nothing stored
        election = election_actions.create_election(
            title=f"{meeting.title}: {title.strip()}",
            seats=seats,
            rule=rule,
            unit=meeting.body.unit,
            eligibility=RuleSet(on=at.date()),
            freeze_date=at.date(),
            nominations_open=at - 2 * SECOND,
            nominations_close=at - SECOND,
            voting_open=at,
            voting_close=at + dt.timedelta(minutes=minutes),
            threshold={},
            constraints=constraints,
            by=None,  # the chair's authority is checked above; this action is the audited one
            now=at - 2 * SECOND,
        )
        for name in names:
            c = election_actions.add_candidate(
                election,
                name=name,
                groups=grouped.get(name, []),
                by=None,
                now=at - 2 * SECOND,
            )
            election_actions.consent(
                c,
                statement="",
                on_request=(
                    f"nominated from the floor of {meeting.title} and accepted in the meeting"
                ),
                by=None,
                now=at - 2 * SECOND,
            )
        election_actions.open_voting(election, by=None, now=at, roll=roll)
    except election_actions.ActionRefused as exc:
        raise ActionRefused(str(exc)) from None
    ballot = MeetingBallot.objects.create(
        meeting=meeting,
        election=election,
        opened_at=at,
        opened_by=by if by is not None and by.is_authenticated else None,
    )
    record(
        by,
        "meetings.ballot.open",
        f"meeting:{meeting.pk}",
        f"Secret ballot opened: {title.strip()} ({seats} post(s), {rule}), "
        f"{len(roll)} present with a vote on its roll, {len(names)} candidates"
        + "".join(f"; {rule}" for rule in constraint_words(constraints or {})),
        reason=continue_inquorate_reason.strip() if not now_present.quorum.quorate else "",
    )
    return ballot


@transaction.atomic
def close_and_count(
    ballot: MeetingBallot, *, by: User | None, now: dt.datetime | None = None
) -> Election:
    """At its time, close the ballot, count it and publish the result with its files."""
    ballot = MeetingBallot.objects.select_related("meeting__body__unit", "election").get(
        pk=ballot.pk
    )
    check(by, "chair_meetings", ballot.meeting.body.unit)
    e = ballot.election
    if e.state != "voting":
        raise ActionRefused(f"the ballot is {e.get_state_display().lower()}")
    at = now_or(now)
    if at < e.voting_close:
        until = e.voting_close.astimezone(ballot.meeting.body.zone())
        raise ActionRefused(f"the ballot is open until {until:%H:%M}")
    election_actions.close_voting(e, by=None, now=at)
    publication = election_actions.count_votes(e, by=None)
    election_actions.publish_result(e, by=None, digest=election_actions.result_digest(publication))
    record(by, "meetings.ballot.close", f"meeting:{ballot.meeting.pk}", f"{e.title}: counted")
    touch(ballot.meeting_id)  # the live page shows the ballot's state, kept by the elections app
    e.refresh_from_db()
    return e
