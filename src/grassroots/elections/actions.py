"""Every change to an election: atomic, checked against the timetable and roles, and audited.

Each action refuses with ``ActionRefused`` (a ``ValueError``) naming the precondition that is
not met. ``by=None`` is the trusted operator at the command line. Casting is the one action
with no audit entry: the ``VoterRecord`` it writes *is* the record that the member voted, and
a log line per ballot would add a timestamped, ordered trail beside the anonymous ballots.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.mail import send_mass_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Count
from django.db.models.functions import Cast
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.count.errors import InputError
from grassroots.count.report.html import render_fragment
from grassroots.count.rules import RULES
from grassroots.elections import publish, receipts, thresholds
from grassroots.elections.models import (
    Ballot,
    Candidate,
    Election,
    Nomination,
    Publication,
    RollEntry,
    VoterRecord,
)
from grassroots.elections.photos import Photo
from grassroots.elections.standing import election_rules
from grassroots.members.eligibility import Electorate, RuleSet, evaluate
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import require

__all__ = [
    "ActionRefused",
    "AlreadyVoted",
    "add_candidate",
    "ballot_candidates",
    "cast",
    "close_voting",
    "consent",
    "create_election",
    "nomination_tally",
    "open_voting",
    "publish_result",
    "receipt_for_retry",
    "record_nomination",
    "send_reminders",
    "turnout",
]

User = AbstractBaseUser | AnonymousUser


class ActionRefused(InputError):
    """An election action's precondition is not met; the message says which."""


class AlreadyVoted(ActionRefused):
    """This member's vote is already recorded; a second ballot is never stored."""


def _check(by: User | None, perm: str, unit: Unit) -> None:
    if by is not None:
        require(by, perm, unit)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


def _subject(e: Election) -> str:
    return f"election:{e.pk}"


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
    by: User | None,
) -> Election:
    """A returning officer sets up an election over ``unit`` (in state "draft")."""
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
    )
    record(
        by, "election.create", _subject(e), f"Created election {title!r} ({seats} posts, {rule})"
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
    """Put a person forward for nomination (until nominations close)."""
    _check(by, "manage_occasions", election.unit)
    if _now(now) > election.nominations_close:
        raise ActionRefused(
            f"nominations closed at {election.nominations_close:%Y-%m-%d %H:%M}: "
            "no candidate can be added now"
        )
    if election.candidates.filter(name=name).exists():
        raise ActionRefused(f"{name} is already a candidate in {election}")
    c = Candidate.objects.create(election=election, name=name, member=member, groups=list(groups))
    record(by, "election.candidate", _subject(election), f"Added candidate {name}")
    return c


@transaction.atomic
def consent(
    candidate: Candidate,
    *,
    statement: str,
    by: User | None,
    photo: Photo | None = None,
    remove_photo: bool = False,
    now: dt.datetime | None = None,
) -> Candidate:
    """The candidate consents to stand and gives their statement and photo (before voting opens).

    ``photo`` replaces the candidate's photo (already checked by ``elections.photos``);
    ``remove_photo`` takes it off; with neither, the photo stays as it was.
    """
    e = candidate.election
    own = (
        by is not None
        and candidate.member_id is not None
        and getattr(getattr(by, "member", None), "pk", None) == candidate.member_id
    )
    if not own:
        _check(by, "manage_occasions", e.unit)
    if e.state != "draft" or _now(now) >= e.voting_open:
        raise ActionRefused("voting has opened: consent and statements can no longer change")
    candidate.consented = True
    candidate.statement = statement
    fields = ["consented", "statement"]
    did = f"{candidate.name} consented to stand"
    if photo is not None:
        candidate.photo = photo.data
        fields.append("photo")
        did += f"; photo {photo.width}×{photo.height} saved"
    elif remove_photo and candidate.photo is not None:
        candidate.photo = None
        fields.append("photo")
        did += "; photo removed"
    candidate.save(update_fields=fields)
    record(by, "election.consent", _subject(e), did)
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
    """A body records its nomination, or (``candidate=None``) that it decided not to nominate."""
    # the branch secretary keeps the branch's records, so records its decisions too
    _check(by, "edit_register", body)
    at = _now(now)
    if at < election.nominations_open:
        raise ActionRefused(
            f"nominations open at {election.nominations_open:%Y-%m-%d %H:%M}; "
            f"{body} cannot record a nomination before then"
        )
    if at > election.nominations_close:
        raise ActionRefused(
            f"nominations closed at {election.nominations_close:%Y-%m-%d %H:%M}; "
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
    kinds = election.nominating_kinds
    totals = {
        k["kind"]: k["n"]
        for k in Unit.objects.filter(kind__in=kinds).values("kind").annotate(n=Count("id"))
    }
    out = []
    noms = Nomination.objects.filter(election=election, candidate__isnull=False).select_related(
        "body"
    )
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


@transaction.atomic
def open_voting(election: Election, *, by: User | None, now: dt.datetime | None = None) -> Election:
    """Freeze the roll (fingerprinted), fix the ballot, and open voting."""
    _check(by, "manage_occasions", election.unit)
    e = Election.objects.select_for_update().get(pk=election.pk)
    if e.state != "draft":
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}: it cannot open again")
    if _now(now) < e.nominations_close:
        raise ActionRefused(
            f"nominations are open until {e.nominations_close:%Y-%m-%d %H:%M}; "
            "voting opens after they close"
        )
    on_ballot = ballot_candidates(e)
    if not on_ballot:
        raise ActionRefused("no candidate has met the threshold and consented: nobody to vote for")
    _check_constraints_can_be_met(e, on_ballot)
    roll = _electorate(e)
    RollEntry.objects.bulk_create(
        [RollEntry(election=e, member_id=m, branch_id=b) for m, _, b in roll], batch_size=5000
    )
    e.roll_size = len(roll)
    e.roll_fingerprint = receipts.fingerprint(n for _, n, _ in roll)
    e.ballot = [c.name for c in on_ballot]
    e.state = "voting"
    e.save(update_fields=["roll_size", "roll_fingerprint", "ballot", "state"])
    record(
        by,
        "election.open",
        _subject(e),
        f"Opened voting: {len(roll)} members on the roll, {len(on_ballot)} candidates",
        detail={"roll_fingerprint": e.roll_fingerprint, "candidates": [c.name for c in on_ballot]},
    )
    election.refresh_from_db()
    return e


def _check_bounds(constraints: Mapping[str, Any], seats: int) -> None:
    """Refuse at set-up group bounds that no ballot could meet."""
    minima = constraints.get("minima") or {}
    maxima = constraints.get("maxima") or {}
    for group, n in minima.items():
        if n > seats:
            raise ActionRefused(f"at least {n} seats for {group}, but only {seats} to fill")
        if group in maxima and maxima[group] < n:
            raise ActionRefused(f"{group}: the maximum {maxima[group]} is below the minimum {n}")


def _groups_of(candidates: Iterable[Candidate]) -> dict[str, list[str]]:
    """Each group (e.g. "women") and the names of the candidates in it, for the constraints."""
    groups: dict[str, list[str]] = {}
    for c in candidates:
        for g in c.groups:
            groups.setdefault(g, []).append(c.name)
    return groups


def _check_constraints_can_be_met(e: Election, on_ballot: Sequence[Candidate]) -> None:
    """Refuse to open voting when the candidates on the ballot cannot meet the constraints."""
    names = [c.name for c in on_ballot]
    groups = _groups_of(on_ballot)
    for group, n in (e.constraints.get("minima") or {}).items():
        if n and not groups.get(group):
            raise ActionRefused(
                f"at least {n} seat(s) must go to {group}, but no candidate on the ballot is "
                f"in {group}: add the group to a candidate's record or change the constraint"
            )
    cs = publish.constraint_set(names, {**e.constraints, "groups": groups})
    try:
        cs.check(range(len(names)), e.seats, names)
    except InputError as exc:
        raise ActionRefused(
            f"the candidates on the ballot cannot meet the constraints: {exc}"
        ) from None


def _lock_for_casting(election_id: int) -> Election:
    """Read the election so that closing waits for casts in flight (and they for it).

    PostgreSQL: ``FOR SHARE`` lets casts run side by side while ``close_voting``'s
    ``FOR UPDATE`` waits for all of them, so no ballot lands after the count has read them.
    SQLite serialises writers anyway.
    """
    if connection.vendor == "postgresql":
        table = Election._meta.db_table
        locked = list(
            Election.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [election_id])
        )
        if not locked:
            raise ActionRefused(f"there is no election {election_id}")
        return locked[0]
    return Election.objects.get(pk=election_id)


def _cast_statement() -> str:
    """PostgreSQL: the whole cast as ONE statement, so one round trip and its own transaction.

    ``e`` takes ``FOR SHARE`` on the election row only if voting is open at ``at`` and every
    ranked name is on the ballot (``@>``); if ``close_voting`` committed while this waited for
    the lock, PostgreSQL re-checks the row's new version and ``e`` is empty. ``v`` inserts the
    voter record from the member's roll entry (none if not on the roll; a second insert for
    the same member fails on the ``votes_once`` constraint and the statement, ballot included,
    rolls back). ``b`` inserts the ballot only if ``v`` did. A data-modifying statement is
    atomic, so both rows or neither, exactly as the two inserts in one transaction were.
    """
    return (
        "WITH e AS ("
        f" SELECT id FROM {Election._meta.db_table}"
        " WHERE id = %s AND state = 'voting' AND voting_open <= %s AND voting_close >= %s"
        " AND ballot @> %s::jsonb FOR SHARE"
        "), v AS ("
        f" INSERT INTO {VoterRecord._meta.db_table} (election_id, member_id, branch_id, voted_on)"
        f" SELECT r.election_id, r.member_id, r.branch_id, %s FROM {RollEntry._meta.db_table} r"
        " JOIN e ON r.election_id = e.id WHERE r.member_id = %s"
        " RETURNING election_id"
        "), b AS ("
        f" INSERT INTO {Ballot._meta.db_table} (id, election_id, ranking, receipt_hash, cast_on)"
        " SELECT %s, election_id, %s::jsonb, %s, %s FROM v RETURNING 1"
        ") SELECT count(*) FROM b"
    )


_CAST_SQL = _cast_statement()


def _cast_postgresql(
    election_id: int, member_id: int, ranking: Sequence[str], at: dt.datetime, receipt: str
) -> bool:
    """Run the one-statement cast; True if a ballot was stored (False: refused, say why)."""
    names = json.dumps(list(ranking))
    day = at.date()
    params = [election_id, at, at, names, day, member_id, uuid.uuid4(), names, receipt, day]

    def run() -> bool:
        with connection.cursor() as cur:
            cur.execute(_CAST_SQL, params)
            row = cur.fetchone()
        return bool(row and row[0])

    if connection.in_atomic_block:  # inside a caller's transaction: a savepoint, as before
        with transaction.atomic():
            return run()
    return run()  # autocommit: the statement is its own transaction


def _cast_other(
    election_id: int, member: Member, ranking: Sequence[str], at: dt.datetime, receipt: str
) -> bool:
    """Any other database (SQLite): the two inserts in one transaction, the roll read first."""
    with transaction.atomic():
        e = _lock_for_casting(election_id)
        if e.state != "voting" or not e.voting_open <= at <= e.voting_close:
            return False
        on_roll = RollEntry.objects.filter(election=e, member=member).values_list(
            "branch_id", flat=True
        )
        branch = next(iter(on_roll[:1]), None)
        if branch is None:
            return False
        _check_ranking(ranking, e.ballot)
        VoterRecord.objects.create(election=e, member=member, branch_id=branch, voted_on=at.date())
        Ballot.objects.create(
            election=e, ranking=list(ranking), receipt_hash=receipt, cast_on=at.date()
        )
    return True


def _refusal(election: Election, member: Member, ranking: Sequence[str], at: dt.datetime) -> None:
    """Why a cast stored nothing: raise the reason (only on the refused path, so not hot)."""
    e = Election.objects.filter(pk=election.pk).first()
    if e is None:
        raise ActionRefused(f"there is no election {election.pk}")
    if e.state != "voting" or not e.voting_open <= at <= e.voting_close:
        raise ActionRefused(f"voting in {e} is not open now")
    if not RollEntry.objects.filter(election=e, member=member).exists():
        raise ActionRefused(f"{member.name} is not on the roll of {e} (frozen on {e.freeze_date})")
    _check_ranking(ranking, e.ballot)
    raise ActionRefused(f"voting in {e} is not open now")  # closed while this cast waited


def _receipt_code(election: Election, member: Member, token: str | None) -> str:
    if token is None:
        return receipts.new_code()
    return receipts.code_from_token(settings.SECRET_KEY, str(election.pk), str(member.pk), token)


def cast(
    election: Election,
    member: Member,
    ranking: Sequence[str],
    *,
    now: dt.datetime | None = None,
    token: str | None = None,
) -> str:
    """Record that ``member`` voted and store their anonymous ballot; return the receipt code.

    Both rows are written in one transaction, so a crash leaves both or neither. A second cast
    by the same member (another tab, a retried request) fails on the unique constraint of
    ``VoterRecord`` and raises ``AlreadyVoted``; its ballot is rolled back with it.

    ``token`` is the random one-time token of the ballot page (``receipts.new_token``), kept
    only in that page: the receipt code is then derived from it (``receipts.code_from_token``)
    so that a retried request can be given the same receipt again (``receipt_for_retry``).
    Without a token the code is simply random. Either way only its hash is stored.
    """
    at = _now(now)
    code = _receipt_code(election, member, token)
    receipt = receipts.receipt_hash(str(election.pk), code)
    try:
        if not ranking or len(set(ranking)) != len(ranking):
            stored = False  # malformed: _refusal names the problem, in the usual order
        elif connection.vendor == "postgresql":
            stored = _cast_postgresql(election.pk, member.pk, ranking, at, receipt)
        else:
            stored = _cast_other(election.pk, member, ranking, at, receipt)
    except IntegrityError:
        if VoterRecord.objects.filter(election=election, member=member).exists():
            raise AlreadyVoted(
                f"{member.name} has already voted in {election}; the first ballot stands"
            ) from None
        raise
    if not stored:
        _refusal(election, member, ranking, at)
    return code


def receipt_for_retry(election: Election, member: Member, token: str) -> str | None:
    """The receipt again for a member whose cast with this page's ``token`` was stored.

    Nothing links a voter to a ballot, so this derives the code from the token once more and
    answers only if a ballot of this election holds that code's hash: a retried request (the
    first response was lost) gets its receipt back; any other token gets ``None``.
    """
    if not VoterRecord.objects.filter(election=election, member=member).exists():
        return None
    code = _receipt_code(election, member, token)
    h = receipts.receipt_hash(str(election.pk), code)
    return code if Ballot.objects.filter(election=election, receipt_hash=h).exists() else None


def _check_ranking(ranking: Sequence[str], names: Sequence[str]) -> None:
    if not ranking:
        raise ActionRefused("a ballot must rank at least one candidate")
    unknown = [n for n in ranking if n not in names]
    if unknown:
        raise ActionRefused(f"{', '.join(unknown)} is not on this ballot")
    if len(set(ranking)) != len(ranking):
        raise ActionRefused("a candidate is ranked more than once")


@transaction.atomic
def close_voting(
    election: Election, *, by: User | None, now: dt.datetime | None = None
) -> Election:
    """Close voting once the timetable says so; waits for casts in flight to finish."""
    _check(by, "manage_occasions", election.unit)
    e = Election.objects.select_for_update().get(pk=election.pk)
    if e.state != "voting":
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}, not open for voting")
    if _now(now) < e.voting_close:
        raise ActionRefused(f"voting is open until {e.voting_close:%Y-%m-%d %H:%M}")
    e.state = "closed"
    e.save(update_fields=["state"])
    _rewrite_ballots_in_random_order(e)
    votes = VoterRecord.objects.filter(election=e).count()
    record(by, "election.close", _subject(e), f"Closed voting: {votes} ballots cast")
    election.refresh_from_db()
    return e


def _rewrite_ballots_in_random_order(e: Election) -> None:
    """Delete and re-insert the ballots, shuffled, so storage no longer mirrors casting.

    Rows written by one transaction share PostgreSQL's hidden ``xmin``, and physical order
    (``ctid``, SQLite's ``rowid``) follows insertion; either could pair a ballot with its voter
    record for someone reading the database directly. After this rewrite every ballot carries
    this transaction's ``xmin`` and sits in random order (dead copies go at the next VACUUM).
    """
    rows = list(Ballot.objects.filter(election=e))
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.filter(election=e).delete()
    Ballot.objects.bulk_create(rows, batch_size=2000)


def turnout(election: Election) -> dict[str, Any]:
    """Counts only: ballots cast and roll size, overall and per branch."""
    voted = dict(
        VoterRecord.objects.filter(election=election)
        .values_list("branch__name")
        .annotate(n=Count("id"))
        .values_list("branch__name", "n")
    )
    roll = dict(
        RollEntry.objects.filter(election=election)
        .values_list("branch__name")
        .annotate(n=Count("id"))
        .values_list("branch__name", "n")
    )
    return {
        "voted": sum(voted.values()),
        "roll": election.roll_size or 0,
        "branches": [
            {"branch": b, "voted": voted.get(b, 0), "roll": n} for b, n in sorted(roll.items())
        ],
    }


@transaction.atomic
def publish_result(election: Election, *, by: User | None) -> Publication:
    """Count the ballots with the engine and publish the bundle and report."""
    _check(by, "manage_occasions", election.unit)
    e = Election.objects.select_for_update().get(pk=election.pk)
    if e.state != "closed":
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}: close voting first")
    candidates = list(e.ballot)
    groups = _groups_of(e.candidates.filter(name__in=candidates))
    rows = list(Ballot.objects.filter(election=e).values_list("ranking", "receipt_hash"))
    t = turnout(e)
    bundle = publish.build(
        title=e.title,
        seats=e.seats,
        rule=e.rule,
        seed=e.seed,
        candidates=candidates,
        rankings=[r for r, _ in rows],
        constraints={**e.constraints, "groups": groups},
        receipt_hashes=[h for _, h in rows],
        roll_size=e.roll_size or 0,
        roll_fingerprint=e.roll_fingerprint,
        turnout_by_branch={b["branch"]: b["voted"] for b in t["branches"]},
    )
    pub = Publication.objects.create(
        election=e, files=bundle.files, report_html=render_fragment(bundle.result, title=e.title)
    )
    e.state = "published"
    e.save(update_fields=["state"])
    record(
        by,
        "election.publish",
        _subject(e),
        f"Counted and published: elected {', '.join(bundle.result.elected)}",
        detail={
            "election.json": hashlib.sha256(bundle.files["election.json"].encode()).hexdigest()
        },
    )
    election.refresh_from_db()
    return pub


def send_reminders(election: Election, *, by: User | None, base_url: str = "") -> int:
    """E-mail every member on the roll who has not voted yet; returns how many were sent."""
    _check(by, "manage_occasions", election.unit)
    if election.state != "voting":
        raise ActionRefused(f"{election} is not open for voting: no reminders to send")
    voted = VoterRecord.objects.filter(election=election).values("member_id")
    emails = list(
        Member.objects.filter(
            pk__in=RollEntry.objects.filter(election=election).values("member_id")
        )
        .exclude(pk__in=voted)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    subject = f"Reminder: vote in {election.title}"
    body = (
        f"You have not yet voted in {election.title}. Voting closes "
        f"{election.voting_close:%Y-%m-%d %H:%M}.\n{base_url}"
    )
    sent = send_mass_mail([(subject, body, None, [m]) for m in emails], fail_silently=False)
    with transaction.atomic():
        record(by, "election.remind", _subject(election), f"Sent {sent} voting reminders")
    return sent
