"""A nominating meeting's hand-off: its vote becomes the unit's nomination (or its decision not
to nominate) in the elections app, with who was eligible, who attended and the vote."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.audit.log import record
from grassroots.elections import actions as election_actions
from grassroots.elections.models import Candidate
from grassroots.meetings.actions._common import ActionRefused, User, check, now_or
from grassroots.meetings.models import Meeting, Motion, Vote


@transaction.atomic
def propose_nomination(
    meeting: Meeting,
    *,
    candidate: Candidate | None,
    by: User | None,
    now: dt.datetime | None = None,
) -> Motion:
    """Put "that this unit nominates C" (or "makes no nomination") to a nominating meeting."""
    meeting = Meeting.objects.select_related("body__unit", "election").get(pk=meeting.pk)
    check(by, "chair_meetings", meeting.body.unit)
    election = meeting.election
    if election is None:
        raise ActionRefused(f"{meeting.title} is not a nominating meeting for an election")
    if meeting.state not in ("called", "open"):
        raise ActionRefused(f"{meeting.title} is {meeting.get_state_display().lower()}")
    if candidate is not None and candidate.election_id != election.pk:
        raise ActionRefused(f"{candidate.name} is not a candidate in {election.title}")
    unit = meeting.body.unit.name
    title = (
        f"That {unit} nominates {candidate.name} for {election.title}"
        if candidate is not None
        else f"That {unit} makes no nomination for {election.title}"
    )
    motion = Motion.objects.create(
        meeting=meeting,
        kind="motion",
        title=title,
        text=title + ".",
        nomination=True,
        nominates=candidate,
        from_unit=meeting.body.unit,
        submitted_at=now_or(now),
        submitted_by=by if by is not None and by.is_authenticated else None,
    )
    record(by, "meetings.nomination.propose", f"meeting:{meeting.pk}", title)
    return motion


def hand_off(motion: Motion, vote: Vote) -> None:
    """A carried nomination motion records the nomination through the elections app's action,
    its note pointing to the meeting's record (eligible, present, the vote)."""
    meeting = motion.meeting
    assert meeting.election is not None
    note = (
        f"decided at {meeting.title} (meetings/{meeting.pk}): {vote.present_weight} present "
        f"with a vote of {vote.entitled_weight} entitled; {vote.for_votes} for, "
        f"{vote.against_votes} against, {vote.abstentions} abstaining"
    )[:300]
    try:
        election_actions.record_nomination(
            meeting.election,
            body=meeting.body.unit,
            candidate=motion.nominates,
            by=None,  # the meeting decided; the chair's vote is the audited act
            note=note,
            now=vote.closed_at,
        )
    except election_actions.ActionRefused as exc:
        raise ActionRefused(f"the nomination cannot be recorded: {exc}") from None
