"""Opening voting early and closing it early: a timetable change with a reason, refused when
it would be unfair. Each moves the one time it concerns and then opens or closes as usual."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from grassroots.audit.log import record
from grassroots.elections.actions._common import ActionRefused, User, _check, _now, _subject
from grassroots.elections.actions.voting import close_voting, open_voting
from grassroots.elections.models import Election, VoterRecord

__all__ = ["close_voting_early", "open_voting_early"]


def _at(t: dt.datetime) -> str:
    return f"{t:%Y-%m-%d %H:%M}"


@transaction.atomic
def open_voting_early(
    election: Election, *, reason: str, by: User | None, now: dt.datetime | None = None
) -> Election:
    """Open voting before its timetabled time; never while nominations are still open."""
    e = Election.objects.select_for_update().get(pk=election.pk)
    _check(by, "manage_occasions", e.unit)
    at = _now(now)
    reason = reason.strip()
    if not reason:
        raise ActionRefused("give the reason for opening voting early: members will read it")
    if e.state != "draft":
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}: it cannot open again")
    if at >= e.voting_open:
        raise ActionRefused(
            f"voting was timetabled to open at {_at(e.voting_open)}: open it as timetabled"
        )
    if at < e.nominations_close:
        raise ActionRefused(
            f"nominations are open until {_at(e.nominations_close)}: opening voting now would "
            "cut them short"
        )
    was = e.voting_open
    e.voting_open = at
    e.save(update_fields=["voting_open"])
    record(
        by,
        "election.open_early",
        _subject(e),
        f"Voting opens early, at {_at(at)} instead of {_at(was)}",
        reason=reason,
        detail={"voting_open": [was.isoformat(), at.isoformat()]},
    )
    opened = open_voting(e, by=by, now=at)
    election.refresh_from_db()
    return opened


@transaction.atomic
def close_voting_early(
    election: Election, *, reason: str, by: User | None, now: dt.datetime | None = None
) -> Election:
    """Close voting before its timetabled time; only while nobody has voted.

    Once one member has voted, closing early would cut short the time the others were promised.
    """
    e = Election.objects.select_for_update().get(pk=election.pk)
    _check(by, "manage_occasions", e.unit)
    at = _now(now)
    reason = reason.strip()
    if not reason:
        raise ActionRefused("give the reason for closing voting early: members will read it")
    if e.state != "voting":
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}, not open for voting")
    if at >= e.voting_close:
        raise ActionRefused(
            f"voting was timetabled to close at {_at(e.voting_close)}: close it as timetabled"
        )
    voted = VoterRecord.objects.filter(election=e).count()
    if voted:
        raise ActionRefused(
            f"{voted} member{'s have' if voted != 1 else ' has'} voted: closing early would cut "
            f"short the time the others were given, until {_at(e.voting_close)}"
        )
    was = e.voting_close
    e.voting_close = at
    e.save(update_fields=["voting_close"])
    record(
        by,
        "election.close_early",
        _subject(e),
        f"Voting closes early, at {_at(at)} instead of {_at(was)}",
        reason=reason,
        detail={"voting_close": [was.isoformat(), at.isoformat()]},
    )
    closed = close_voting(e, by=by, now=at)
    election.refresh_from_db()
    return closed
