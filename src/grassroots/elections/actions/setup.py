"""Setting an election up: creation, candidates, consent, nominations and the tally."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import CharField, Count, QuerySet
from django.db.models.functions import Cast
from django.utils.timezone import localtime

from grassroots.audit.log import record
from grassroots.count.rules import RULES
from grassroots.dates import moment
from grassroots.elections import thresholds
from grassroots.elections.actions._common import ActionRefused, User, _check, _now, _subject
from grassroots.elections.actions.constraints import _check_bounds
from grassroots.elections.models import (
    Candidate,
    Election,
    Nomination,
)
from grassroots.elections.photos import Photo
from grassroots.elections.standing import election_rules
from grassroots.members.eligibility import Electorate, RuleSet, evaluate
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import can


@transaction.atomic
def create_election(
    *,
    title: str,
    seats: int,
    rule: str,
    unit: Unit,
    eligibility: RuleSet,
    freeze_date: dt.date,
    nominations_open: dt.datetime,
    nominations_close: dt.datetime,
    voting_open: dt.datetime,
    voting_close: dt.datetime,
    threshold: Mapping[str, Any] | None = None,
    nominating_kinds: Sequence[str] = ("branch",),
    body_subkinds: Mapping[str, str] | None = None,
    constraints: Mapping[str, Any] | None = None,
    announced: bool = True,
    by: User | None,
    now: dt.datetime | None = None,
) -> Election:
    """A returning officer sets up an election over ``unit`` (in state "draft").

    ``announced=False`` keeps it a draft that only those who manage it see, until ``announce``;
    the set-up page makes drafts. Otherwise members see it at once.
    """
    _check(by, "manage_occasions", unit)
    if rule not in RULES:
        raise ActionRefused(f"rule {rule!r} is not one of {', '.join(RULES)}")
    if seats < 1:
        raise ActionRefused(f"an election needs at least one post to fill, found {seats}")
    if not nominations_open <= nominations_close <= voting_open < voting_close:
        raise ActionRefused(
            "the timetable must run nominations open ≤ nominations close ≤ voting open "
            "< voting close"
        )
    if threshold:
        thresholds.describe(threshold)  # raises on a malformed threshold
    _check_bounds(constraints or {}, seats)
    from grassroots.count.tiebreak import new_seed

    e = Election.objects.create(
        title=title,
        seats=seats,
        rule=rule,
        unit=unit,
        eligibility=eligibility.to_dict(),
        freeze_date=freeze_date,
        nominations_open=nominations_open,
        nominations_close=nominations_close,
        voting_open=voting_open,
        voting_close=voting_close,
        threshold=dict(threshold or {}),
        nominating_kinds=list(nominating_kinds),
        body_subkinds=dict(body_subkinds or {}),
        constraints=dict(constraints or {}),
        seed=new_seed(),
        announced_at=_now(now) if announced else None,
    )
    record(
        by,
        "election.create",
        _subject(e),
        f"Created election {title!r} ({seats} posts, {rule})"
        + ("" if announced else " as a draft"),
    )
    return e


@transaction.atomic
def add_candidate(
    election: Election,
    *,
    name: str,
    member: Member | None = None,
    groups: Sequence[str] = (),
    by: User | None,
    now: dt.datetime | None = None,
) -> Candidate:
    """Put a person forward for nomination (until nominations close).

    A candidate linked to their membership record (``member``) with a login gives their own
    consent, statement and photo.
    """
    _check(by, "manage_occasions", election.unit)
    if member is not None and election.candidates.filter(member=member).exists():
        raise ActionRefused(f"{member} is already a candidate in {election}")
    if election.state != "draft":
        raise ActionRefused(
            f"{election} is {election.get_state_display().lower()}: no candidate can be added"
        )
    if _now(now) > election.nominations_close:
        raise ActionRefused(
            f"nominations closed at {moment(localtime(election.nominations_close))}: "
            "no candidate can be added now"
        )
    if election.candidates.filter(name=name).exists():
        raise ActionRefused(f"{name} is already a candidate in {election}")
    c = Candidate.objects.create(election=election, name=name, member=member, groups=list(groups))
    record(by, "election.candidate", _subject(election), f"Added candidate {name}")
    return c


def acts_for_self(candidate: Candidate, user: User | None) -> bool:
    """Whether ``user`` is the candidate themself (a member with a login, linked to them)."""
    member_id = getattr(getattr(user, "member", None), "pk", None)
    return candidate.member_id is not None and member_id == candidate.member_id


def may_consent(candidate: Candidate, *, by: User | None, now: dt.datetime | None = None) -> None:
    """Refuse unless ``by`` (the candidate, or the returning officer) may give ``candidate``'s
    consent, statement and photo now, before voting opens.

    ``consent`` asks it; the consent page asks it first, before an uploaded photo is decoded,
    so nobody else, and nobody after voting opens, makes the server decode an image.
    """
    e = candidate.election
    if not (by is not None and acts_for_self(candidate, by)):
        _check(by, "manage_occasions", e.unit)
    if e.state != "draft" or _now(now) >= e.voting_open:
        raise ActionRefused("voting has opened: consent and statements can no longer change")


@transaction.atomic
def consent(
    candidate: Candidate,
    *,
    statement: str,
    by: User | None,
    photo: Photo | None = None,
    remove_photo: bool = False,
    on_request: str = "",
    now: dt.datetime | None = None,
) -> Candidate:
    """The candidate consents to stand and gives their statement and photo (before voting opens).

    The candidate does this themself. The returning officer may do it for them only on their
    documented request: ``on_request`` says how and when the candidate asked, and is kept with
    the candidate and in the audit log. ``photo`` replaces the candidate's photo (already
    checked by ``elections.photos``); ``remove_photo`` takes it off; with neither, the photo
    stays as it was.
    """
    e = candidate.election
    own = by is not None and acts_for_self(candidate, by)
    on_request = on_request.strip()
    may_consent(candidate, by=by, now=now)
    if not own and by is not None and not on_request:
        raise ActionRefused(
            f"only {candidate.name} gives their consent, statement and photo; an official "
            "may do it for them only on their documented request: say how and when they "
            "asked"
        )
    candidate.consented = True
    candidate.statement = statement
    candidate.consent_request = "" if own else on_request
    fields = ["consented", "statement", "consent_request"]
    did = f"{candidate.name} consented to stand"
    if photo is not None:
        candidate.photo = photo.data
        fields.append("photo")
        did += f"; photo {photo.width}×{photo.height} saved"
    elif remove_photo and candidate.photo is not None:
        candidate.photo = None
        fields.append("photo")
        did += "; photo removed"
    if not own and on_request:
        did += f" (given for them on their request: {on_request})"
    candidate.save(update_fields=fields)
    record(
        by,
        "election.consent",
        _subject(e),
        did,
        detail={"candidate": candidate.pk, "by_candidate": own, "on_request": on_request},
    )
    return candidate


@transaction.atomic
def record_nomination(
    election: Election,
    *,
    body: Unit,
    candidate: Candidate | None,
    by: User | None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Nomination:
    """A body records its nomination, or (``candidate=None``) that it decided not to nominate.

    The body's secretary records it (they keep the body's records), or the returning officer
    does for any body inside the election's unit. Only bodies inside that unit nominate.
    """
    if not election.unit.path or not body.path.startswith(election.unit.path):
        raise ActionRefused(
            f"{body} is not part of {election.unit}: only bodies inside the election's unit "
            "nominate"
        )
    if by is not None and not can(by, "manage_occasions", election.unit):
        _check(by, "edit_register", body)
    at = _now(now)
    if election.state != "draft" or election.announced_at is None:
        what = "not been announced" if election.state == "draft" else "no nominations open"
        raise ActionRefused(f"{election} has {what}: no nomination can be recorded")
    if at < election.nominations_open:
        raise ActionRefused(
            f"nominations open at {moment(localtime(election.nominations_open))}; "
            f"{body} cannot record a nomination before then"
        )
    if at > election.nominations_close:
        raise ActionRefused(
            f"nominations closed at {moment(localtime(election.nominations_close))}; "
            f"{body}'s nomination can no longer be recorded or changed"
        )
    if body.kind not in election.nominating_kinds:
        kinds = ", ".join(election.nominating_kinds) or "none"
        raise ActionRefused(f"{body} is a {body.kind}; in {election} only {kinds} bodies nominate")
    if candidate is not None and candidate.election_id != election.pk:
        raise ActionRefused(f"{candidate} is not a candidate in {election}")
    existing = Nomination.objects.filter(election=election, body=body)
    if candidate is None:
        # "decided not to nominate" replaces whatever the body recorded before
        created = not existing.exists()
        existing.delete()
        n = Nomination.objects.create(
            election=election, body=body, candidate=None, decided_on=at.date(), note=note
        )
    else:
        existing.filter(candidate__isnull=True).delete()
        if existing.filter(candidate=candidate).exists():
            raise ActionRefused(f"{body} has already nominated {candidate.name}")
        if existing.count() >= election.seats:
            raise ActionRefused(
                f"{body} has already made {election.seats} nomination(s), one per post"
            )
        created = True
        n = Nomination.objects.create(
            election=election, body=body, candidate=candidate, decided_on=at.date(), note=note
        )
    what = f"nominated {candidate.name}" if candidate else "decided not to nominate"
    record(
        by,
        "election.nomination",
        _subject(election),
        f"{body} {what}" + ("" if created else " (changing its earlier decision)"),
        detail={"body": body.pk, "candidate": candidate.pk if candidate else None},
    )
    return n


def nomination_tally(
    election: Election,
) -> list[tuple[Candidate, list[Unit], thresholds.Outcome]]:
    """Each candidate's nominating bodies and whether the threshold is met, with reasons."""
    totals = {
        k["kind"]: k["n"]
        for k in nominating_bodies(election).order_by().values("kind").annotate(n=Count("id"))
    }
    out = []
    noms = Nomination.objects.filter(
        election=election, candidate__isnull=False, body__path__startswith=election.unit.path
    ).select_related("body")  # a body outside the unit counts for nothing, however recorded
    by_candidate: dict[int, list[Unit]] = {}
    for n in noms:
        assert n.candidate_id is not None
        by_candidate.setdefault(n.candidate_id, []).append(n.body)
    for c in election.candidates.filter(withdrawn=False):
        bodies = by_candidate.get(c.pk, [])
        outcome = thresholds.met(
            election.threshold,
            [
                thresholds.Body(b.name, b.kind, election.body_subkinds.get(b.code, ""))
                for b in bodies
            ],
            totals,
        )
        out.append((c, bodies, outcome))
    return out


def nominating_bodies(election: Election) -> QuerySet[Unit]:
    """The bodies that may nominate: units of the nominating kinds inside the election's unit."""
    return Unit.objects.filter(
        kind__in=election.nominating_kinds, path__startswith=election.unit.path
    ).order_by("name")


@dataclass(frozen=True)
class BodyDecision:
    """What one nominating body recorded: the candidates it nominated, or none at all."""

    body: Unit
    nominated: tuple[Candidate, ...]  # empty: it decided not to nominate
    decided_on: dt.date
    notes: tuple[str, ...]


def body_decisions(election: Election) -> list[BodyDecision]:
    """Every body's recorded decision, nominations and decisions not to nominate alike."""
    rows: dict[int, list[Nomination]] = {}
    inside = Nomination.objects.filter(election=election, body__path__startswith=election.unit.path)
    for n in inside.select_related("body", "candidate"):
        rows.setdefault(n.body_id, []).append(n)
    out = []
    for noms in rows.values():
        cands = tuple(
            n.candidate for n in noms if n.candidate is not None and not n.candidate.withdrawn
        )
        if not cands and any(n.candidate is not None for n in noms):
            continue  # its only candidates withdrew: nothing left to show for it
        out.append(
            BodyDecision(
                noms[0].body,
                tuple(sorted(cands, key=lambda c: c.name)),
                max(n.decided_on for n in noms),
                tuple(n.note for n in noms if n.note),
            )
        )
    return sorted(out, key=lambda d: d.body.name)


def ballot_candidates(election: Election) -> list[Candidate]:
    """Who is on the ballot: consented, not withdrawn, and over the nomination threshold."""
    return [c for c, _, o in nomination_tally(election) if o.ok and c.consented]


def _electorate(election: Election) -> list[tuple[int, str, int]]:
    """(member id, number, branch id) of every member the election's rules admit."""
    rows = list(
        Member.objects.filter(branch__path__startswith=election.unit.path)
        .annotate(j=Cast("join_date", CharField()), p=Cast("paid_up_to", CharField()))
        .values_list("id", "number", "branch_id", "j", "p", "status")
    )
    if not rows:
        return []
    ids, numbers, branches, joins, paids, statuses = zip(*rows, strict=True)
    e = Electorate.from_iso(joins, paids, statuses, branches)  # type: ignore[arg-type]
    ok = evaluate(election_rules(election), e).eligible
    return [(ids[i], numbers[i], branches[i]) for i in range(len(rows)) if ok[i]]
