"""Correcting an election: announcing, editing, withdrawals, cancelling, deleting a draft.

Every change is audited with its reason. What is fair depends on how far the election has got:
a draft nobody has seen may change freely; once announced, a time already passed stays as it
was and nominations are never cut short; once voting opens the rules, posts and timetable are
fixed (only ``timetable.open_voting_early``/``close_voting_early`` move a time, with a reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from grassroots.audit.log import record
from grassroots.count.rules import RULES
from grassroots.elections import thresholds
from grassroots.elections.actions._common import ActionRefused, User, _check, _now, _subject
from grassroots.elections.actions.constraints import _check_bounds, _check_constraints_can_be_met
from grassroots.elections.models import Candidate, Election, Nomination, VoterRecord
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Unit

__all__ = [
    "EDITABLE",
    "announce",
    "cancel_election",
    "delete_draft",
    "edit_candidate",
    "edit_election",
    "withdraw_candidate",
]

TIMES = ("nominations_open", "nominations_close", "voting_open", "voting_close")
# what ``edit_election`` may change, and the words used for it in the audit log and messages
EDITABLE = {
    "title": "title",
    "seats": "posts to fill",
    "rule": "rule set",
    "unit": "electorate",
    "eligibility": "eligibility rules",
    "freeze_date": "freeze date",
    "nominations_open": "nominations open",
    "nominations_close": "nominations close",
    "voting_open": "voting open",
    "voting_close": "voting close",
    "threshold": "nomination threshold",
    "nominating_kinds": "nominating bodies",
    "body_subkinds": "kinds of nominating body",
    "constraints": "representation",
}


def _plain(value: Any) -> Any:
    """A value as JSON-ready data for the audit entry."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Unit):
        return value.name
    if isinstance(value, RuleSet):
        return value.to_dict()
    return value


def _need_reason(e: Election, reason: str) -> str:
    reason = reason.strip()
    if e.announced_at is not None and not reason:
        raise ActionRefused(f"{e} has been announced: give the reason for the change")
    return reason


def _at(t: dt.datetime) -> str:
    return f"{t:%Y-%m-%d %H:%M}"


def _check_times(e: Election, new: Mapping[str, Any], at: dt.datetime) -> None:
    """The timetable's order, and once announced: no past time moves, no new time is past."""
    times = {k: new.get(k, getattr(e, k)) for k in TIMES}
    if not (
        times["nominations_open"]
        <= times["nominations_close"]
        <= times["voting_open"]
        < times["voting_close"]
    ):
        raise ActionRefused(
            "the timetable must run nominations open ≤ nominations close ≤ voting open "
            "< voting close"
        )
    if e.announced_at is None:
        return
    for k in TIMES:
        old, want = getattr(e, k), times[k]
        if want == old:
            continue
        if old <= at:
            raise ActionRefused(
                f"{EDITABLE[k]} was {_at(old)}, which has passed: it can no longer change"
            )
        if want < at:
            raise ActionRefused(f"{EDITABLE[k]} cannot be moved into the past ({_at(want)})")
    if at >= e.nominations_open and times["nominations_close"] < e.nominations_close:
        raise ActionRefused(
            f"nominations are open until {_at(e.nominations_close)}: they may be given longer, "
            "never cut short"
        )
    if "freeze_date" in new and new["freeze_date"] < e.freeze_date:
        raise ActionRefused(
            f"members were told the roll freezes on {e.freeze_date}: an earlier freeze date "
            "would leave off members who joined in time"
        )


def _check_nominations_fit(e: Election, new: Mapping[str, Any]) -> None:
    """Recorded nominations must still be valid under new posts and nominating bodies."""
    noms = Nomination.objects.filter(election=e, candidate__isnull=False).select_related("body")
    if "seats" in new:
        per_body: dict[str, int] = {}
        for n in noms:
            per_body[n.body.name] = per_body.get(n.body.name, 0) + 1
        over = sorted(b for b, k in per_body.items() if k > new["seats"])
        if over:
            raise ActionRefused(
                f"{', '.join(over)} already nominated more than {new['seats']}: "
                "posts cannot go below the nominations a body has made"
            )
    if "nominating_kinds" in new:
        lost = sorted({n.body.name for n in noms if n.body.kind not in new["nominating_kinds"]})
        if lost:
            raise ActionRefused(
                f"{', '.join(lost)} has nominated: its kind of body cannot be taken off "
                "the nominating bodies"
            )


@transaction.atomic
def edit_election(
    election: Election,
    *,
    reason: str = "",
    by: User | None,
    now: dt.datetime | None = None,
    **changes: Any,
) -> list[str]:
    """Change an election being prepared; returns the words for what changed.

    ``changes`` are any of ``EDITABLE`` with new values (unchanged ones are ignored). Refused
    once voting has opened, and on an announced election without a reason.
    """
    e = Election.objects.select_for_update().get(pk=election.pk)
    _check(by, "manage_occasions", e.unit)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ActionRefused(f"{', '.join(unknown)} cannot be edited")
    if e.state != "draft":
        raise ActionRefused(
            f"{e} is {e.get_state_display().lower()}: its rules, posts and timetable are fixed"
        )
    at = _now(now)
    if "eligibility" in changes:
        changes["eligibility"] = changes["eligibility"].to_dict()
    if "unit" in changes:
        _check(by, "manage_occasions", changes["unit"])
    new = {k: v for k, v in changes.items() if v != getattr(e, k)}
    if not new:
        raise ActionRefused("nothing was changed")
    reason = _need_reason(e, reason)
    if new.get("rule", e.rule) not in RULES:
        raise ActionRefused(f"rule {new['rule']!r} is not one of {', '.join(RULES)}")
    if new.get("seats", e.seats) < 1:
        raise ActionRefused("an election needs at least one post to fill")
    if new.get("threshold"):
        thresholds.describe(new["threshold"])  # raises on a malformed threshold
    _check_bounds(new.get("constraints", e.constraints) or {}, new.get("seats", e.seats))
    _check_times(e, new, at)
    _check_nominations_fit(e, new)
    before = {k: _plain(getattr(e, k)) for k in new}
    for k, v in new.items():
        setattr(e, k, v)
    e.save(update_fields=list(new))
    words = [EDITABLE[k] for k in new]
    record(
        by,
        "election.edit",
        _subject(e),
        f"Changed {', '.join(words)}",
        reason=reason,
        detail={k: [before[k], _plain(v)] for k, v in new.items()},
    )
    election.refresh_from_db()
    return words


@transaction.atomic
def announce(election: Election, *, by: User | None, now: dt.datetime | None = None) -> Election:
    """Show a draft to members. Nominations open no earlier than the announcement."""
    e = Election.objects.select_for_update().get(pk=election.pk)
    _check(by, "manage_occasions", e.unit)
    if not e.is_draft:
        raise ActionRefused(f"{e} has already been announced")
    at = _now(now)
    if at >= e.nominations_close:
        raise ActionRefused(
            f"nominations were to close at {_at(e.nominations_close)}, before this announcement: "
            "change the timetable first"
        )
    e.announced_at = at
    fields = ["announced_at"]
    said = "Announced to members"
    if e.nominations_open < at:
        said += f"; nominations open now (they were set for {_at(e.nominations_open)})"
        e.nominations_open = at
        fields.append("nominations_open")
    e.save(update_fields=fields)
    record(by, "election.announce", _subject(e), said)
    election.refresh_from_db()
    return e


@transaction.atomic
def delete_draft(election: Election, *, by: User | None) -> str:
    """Delete a draft nobody but its managers has seen; returns its title."""
    e = Election.objects.select_for_update().get(pk=election.pk)
    _check(by, "manage_occasions", e.unit)
    if not e.is_draft:
        raise ActionRefused(
            f"{e} has been announced to members: it can be cancelled with a reason, not deleted"
        )
    title, subject = e.title, _subject(e)
    e.candidates.all().delete()
    e.delete()
    record(by, "election.delete", subject, f"Deleted the draft election {title!r}")
    return title


@transaction.atomic
def cancel_election(
    election: Election, *, reason: str, by: User | None, now: dt.datetime | None = None
) -> Election:
    """Cancel an election before anyone has voted; it stays listed, with the reason."""
    e = Election.objects.select_for_update().get(pk=election.pk)
    _check(by, "manage_occasions", e.unit)
    reason = reason.strip()
    if not reason:
        raise ActionRefused("give the reason for cancelling: members will read it")
    if e.state not in ("draft", "voting"):
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}: it cannot be cancelled")
    voted = VoterRecord.objects.filter(election=e).count()
    if voted:
        raise ActionRefused(
            f"{voted} member{'s have' if voted != 1 else ' has'} voted: their ballots must be "
            "counted, so the election can no longer be cancelled"
        )
    e.state = "cancelled"
    e.cancel_reason = reason
    e.save(update_fields=["state", "cancel_reason"])
    record(by, "election.cancel", _subject(e), "Cancelled the election", reason=reason)
    election.refresh_from_db()
    return e


@transaction.atomic
def edit_candidate(
    candidate: Candidate,
    *,
    name: str,
    groups: Sequence[str],
    reason: str = "",
    by: User | None,
) -> Candidate:
    """Correct a candidate's name or groups while the election is being prepared."""
    e = candidate.election
    _check(by, "manage_occasions", e.unit)
    if e.state != "draft":
        raise ActionRefused(
            f"{e} is {e.get_state_display().lower()}: the ballot is fixed, candidates cannot change"
        )
    name = name.strip()
    if not name:
        raise ActionRefused("a candidate needs a name")
    groups = list(dict.fromkeys(g for g in groups if g))
    if name == candidate.name and groups == candidate.groups:
        raise ActionRefused("nothing was changed")
    reason = _need_reason(e, reason)
    if name != candidate.name and e.candidates.filter(name=name).exists():
        raise ActionRefused(f"{name} is already a candidate in {e}")
    detail = {
        k: [old, new]
        for k, old, new in (("name", candidate.name, name), ("groups", candidate.groups, groups))
        if old != new
    }
    candidate.name, candidate.groups = name, groups
    candidate.save(update_fields=["name", "groups"])
    record(
        by,
        "election.candidate_edit",
        _subject(e),
        f"Corrected candidate {detail.get('name', [name])[0]}: {', '.join(detail)}",
        reason=reason,
        detail=detail,
    )
    return candidate


@transaction.atomic
def withdraw_candidate(
    candidate: Candidate, *, reason: str, by: User | None, now: dt.datetime | None = None
) -> Candidate:
    """Record a candidate's withdrawal.

    Before voting opens they leave the ballot. Once it is open the ballot paper stays as it is
    and the count treats them as withdrawn (their votes pass to the next preference). Once
    voting has closed a withdrawal could be made knowing the votes, so it is refused.
    """
    e = Election.objects.select_for_update().get(pk=candidate.election_id)
    _check(by, "manage_occasions", e.unit)
    c = Candidate.objects.select_for_update().get(pk=candidate.pk)
    reason = reason.strip()
    if not reason:
        raise ActionRefused("give the reason for the withdrawal")
    if c.withdrawn:
        raise ActionRefused(f"{c.name} has already withdrawn")
    if e.state not in ("draft", "voting"):
        raise ActionRefused(
            f"voting in {e} has closed: a withdrawal now could be made knowing the votes"
        )
    if e.state == "voting":
        _check_still_countable(e, c)
        how = "stays on the ballot paper and is counted as withdrawn"
    else:
        how = "leaves the ballot"
    c.withdrawn = True
    c.save(update_fields=["withdrawn"])
    record(
        by,
        "election.withdraw",
        _subject(e),
        f"{c.name} withdrew and {how}",
        reason=reason,
        detail={"candidate": c.name, "voting_open": e.state == "voting"},
    )
    candidate.refresh_from_db()
    return c


def _check_still_countable(e: Election, leaving: Candidate) -> None:
    """Voting is open: the others on the ballot must still be able to meet the constraints."""
    standing = list(e.candidates.filter(name__in=e.ballot, withdrawn=False).exclude(pk=leaving.pk))
    if not standing:
        raise ActionRefused(
            f"{leaving.name} is the last candidate standing: the election could not be counted"
        )
    try:
        _check_constraints_can_be_met(e, standing)
    except ActionRefused as exc:
        raise ActionRefused(f"without {leaving.name}, {exc}; the count could not be run") from None
