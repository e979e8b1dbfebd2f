"""Open slate primaries: set-up, self-nomination and groups' backing, hustings, voting and the
result, each through the elections app's own actions (its ballot, receipts, count and bundle).

The organisers' permission is checked here; the elections app's actions are called as the
trusted operator (``by=None``) and this module writes the audit entry naming the organiser.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.elections import actions as elections
from grassroots.elections import thresholds
from grassroots.elections.models import Election
from grassroots.elections.photos import Photo
from grassroots.elections.voters import NOT_MINE
from grassroots.members.eligibility import RuleSet
from grassroots.members.fieldrules import NAME_MAX, line_problem
from grassroots.members.models import Member
from grassroots.network.actions.groups import NetworkRefused, User
from grassroots.network.actions.primary_roll import open_roll, voters_unit
from grassroots.network.dedup import normalise_email
from grassroots.network.models import (
    Backing,
    Candidacy,
    Declaration,
    Group,
    GroupMembership,
    HustingsAnswer,
    HustingsQuestion,
    HustingsTheme,
    Network,
    Person,
    Primary,
    PrimaryEntry,
)
from grassroots.network.permissions import require_group_admin, require_organiser

__all__ = [
    "DECLARATION",
    "answer_theme",
    "ask_question",
    "back_candidate",
    "backing_outcome",
    "close_primary",
    "count_primary",
    "create_primary",
    "declare",
    "group_question",
    "network_person",
    "open_primary",
    "publish_primary",
    "resolve_voter",
    "self_nominate",
    "slate_summary",
    "start_theme",
    "threshold_words",
    "voter_card",
]

DECLARATION = (
    "I declare that I am a member of the party in good standing, entitled to take part in "
    "choosing its candidates."
)


def _subject(p: Primary) -> str:
    return f"network-primary:{p.pk}"


def _refused(exc: Exception) -> NetworkRefused:
    return NetworkRefused(str(exc))


@transaction.atomic
def create_primary(
    network: Network,
    *,
    title: str,
    purpose: str,
    seats: int,
    freeze_date: dt.date,
    nominations_open: dt.datetime,
    nominations_close: dt.datetime,
    voting_open: dt.datetime,
    voting_close: dt.datetime,
    constraints: Mapping[str, Any] | None = None,
    backing_threshold: Mapping[str, Any] | None = None,
    requires_party_membership: bool = False,
    rule: str = "scottish",
    by: User,
) -> Primary:
    """An organiser sets up a primary: its election (announced at once), rules and timetable.

    ``constraints``: the elections app's, e.g. ``{"minima": {"women": 5}}``;
    ``backing_threshold``: an ``elections.thresholds`` tree over groups,
    e.g. ``{"kind": "group", "count": 3}`` ("backed by 3 groups").
    """
    require_organiser(by, network)
    if not title.strip():
        raise NetworkRefused("a primary needs a title")
    try:
        thresholds.describe(backing_threshold or {})
        thresholds.met(backing_threshold or {}, [], {"group": 0})
    except (KeyError, ValueError, TypeError) as exc:
        raise NetworkRefused(f"the backing threshold is not one the rules read: {exc}") from None
    try:
        e = elections.create_election(
            title=title.strip(),
            seats=seats,
            rule=rule,
            unit=voters_unit(network),
            eligibility=RuleSet(on=freeze_date, freeze_date=freeze_date),
            freeze_date=freeze_date,
            nominations_open=nominations_open,
            nominations_close=nominations_close,
            voting_open=voting_open,
            voting_close=voting_close,
            threshold={},
            nominating_kinds=(),
            constraints=constraints or {},
            by=None,
        )
    except elections.ActionRefused as exc:
        raise _refused(exc) from None
    p = Primary.objects.create(
        network=network,
        election=e,
        purpose=purpose.strip(),
        backing_threshold=dict(backing_threshold or {}),
        requires_party_membership=requires_party_membership,
        created_by=by,  # type: ignore[misc]
    )
    record(by, "network.primary.create", _subject(p), f"Primary {e.title}: {seats} seats")
    return p


def network_person(network: Network, user: User) -> Person | None:
    """The signed-in user's entry in the network with a current confirmed membership: their
    own (``user``), or one a group listed under their account's e-mail address."""
    if not user.is_authenticated:
        return None
    email = normalise_email(getattr(user, "email", "") or "")
    mine = Q(user_id=user.pk) | (Q(email__iexact=email) if email else Q(pk__in=[]))
    current = GroupMembership.objects.filter(
        confirmed=True, left_on__isnull=True, group__status="accepted"
    ).values("person_id")
    return Person.objects.filter(mine, network=network, pk__in=current).order_by("-user_id").first()


@transaction.atomic
def self_nominate(
    primary: Primary,
    *,
    by: User,
    name: str,
    statement: str,
    stands_as: Sequence[str] = (),
    photo: Photo | None = None,
    photo_consent: bool = False,
    now: dt.datetime | None = None,
) -> Candidacy:
    """A member of a group in the network puts themself forward, with a statement and (with
    their consent to publish it) a photo; ``stands_as`` names the constraint groups they
    stand in (e.g. ``["women"]``)."""
    if network_person(primary.network, by) is None:
        raise NetworkRefused("only members of the network's groups may stand")
    if Candidacy.objects.filter(primary=primary, user_id=by.pk).exists():
        raise NetworkRefused("you have already put yourself forward in this primary")
    problem = (
        line_problem("name", name.strip(), NAME_MAX) if name.strip() else "your name is needed"
    )
    if problem:
        raise NetworkRefused(problem)
    if not statement.strip():
        raise NetworkRefused("a statement is needed: say why members should vote for you")
    if photo is not None and not photo_consent:
        raise NetworkRefused(
            "a photo is published only with your consent: tick the box or leave it out"
        )
    known = set((primary.election.constraints or {}).get("minima", {})) | set(
        (primary.election.constraints or {}).get("maxima", {})
    )
    unknown = [g for g in stands_as if g not in known]
    if unknown:
        raise NetworkRefused(f"{', '.join(unknown)} is not one of this primary's groups")
    try:
        c = elections.add_candidate(
            primary.election, name=name.strip(), groups=list(stands_as), by=None, now=now
        )
        elections.consent(c, statement=statement.strip(), photo=photo, by=None, now=now)
    except elections.ActionRefused as exc:
        raise _refused(exc) from None
    cand = Candidacy.objects.create(
        primary=primary,
        candidate=c,
        user=by,
        photo_consent=photo is not None,  # type: ignore[misc]
    )
    record(by, "network.primary.nominate", _subject(primary), f"{c.name} stands in {primary}")
    return cand


@dataclass(frozen=True)
class BackingOutcome:
    ok: bool
    reasons: tuple[str, ...]
    groups: tuple[str, ...]


def threshold_words(primary: Primary) -> str:
    """The backing threshold in words ("2 group nominations", or none needed)."""
    words = thresholds.describe(primary.backing_threshold)
    return words.replace("group nominations", "groups backing").replace(
        "no nominations required", "no groups' backing needed"
    )


def backing_outcome(candidacy: Candidacy) -> BackingOutcome:
    """Whether the groups backing a candidate meet the primary's threshold, in words."""
    groups = [b.group for b in candidacy.backings.select_related("group")]
    bodies = [thresholds.Body(g.name, "group", g.kind) for g in groups]
    total = Group.objects.filter(network_id=candidacy.primary.network_id, status="accepted")
    out = thresholds.met(candidacy.primary.backing_threshold, bodies, {"group": total.count()})
    return BackingOutcome(out.ok, out.reasons, tuple(g.name for g in groups))


@transaction.atomic
def back_candidate(
    candidacy: Candidacy, group: Group, *, by: User, now: dt.datetime | None = None
) -> Backing:
    """A group's admin records that the group backs a candidate, while nominations are open."""
    require_group_admin(by, group)
    e = candidacy.primary.election
    at = now or timezone.now()
    if group.network_id != candidacy.primary.network_id or group.status != "accepted":
        raise NetworkRefused(f"{group.name} is not an affiliated group of this network")
    if not e.nominations_open <= at <= e.nominations_close:
        raise NetworkRefused("groups back candidates while nominations are open")
    if Backing.objects.filter(candidacy=candidacy, group=group).exists():
        raise NetworkRefused(f"{group.name} already backs {candidacy.candidate.name}")
    b = Backing.objects.create(candidacy=candidacy, group=group, by=by, at=at)  # type: ignore[misc]
    record(
        by,
        "network.primary.back",
        _subject(candidacy.primary),
        f"{group.name} backs {candidacy.candidate.name}",
    )
    return b


@transaction.atomic
def ask_question(primary: Primary, text: str, *, by: User) -> HustingsQuestion:
    """A member of a group in the network asks the candidates a question (published)."""
    if network_person(primary.network, by) is None:
        raise NetworkRefused("only members of the network's groups may ask the candidates")
    if not primary.hustings_open or primary.election.state != "draft":
        raise NetworkRefused("the hustings is closed to new questions")
    if not text.strip():
        raise NetworkRefused("the question is empty")
    if len(text) > 2000:
        raise NetworkRefused(f"the question is {len(text)} characters long; at most 2000")
    q = HustingsQuestion.objects.create(primary=primary, asked_by=by, text=text.strip())  # type: ignore[misc]
    record(by, "network.hustings.ask", _subject(primary), "a question for the candidates")
    return q


@transaction.atomic
def start_theme(primary: Primary, title: str, *, by: User) -> HustingsTheme:
    """An organiser opens a theme under which members' questions are grouped."""
    require_organiser(by, primary.network)
    problem = (
        line_problem("theme", title.strip(), 200) if title.strip() else "a theme needs a title"
    )
    if problem:
        raise NetworkRefused(problem)
    t = HustingsTheme.objects.create(
        primary=primary, title=title.strip(), position=primary.themes.count() + 1
    )
    record(by, "network.hustings.theme", _subject(primary), f"theme: {t.title}")
    return t


@transaction.atomic
def group_question(question: HustingsQuestion, theme: HustingsTheme, *, by: User) -> None:
    """An organiser puts a question under a theme of the same primary."""
    require_organiser(by, question.primary.network)
    if theme.primary_id != question.primary_id:
        raise NetworkRefused("that theme belongs to another primary")
    question.theme = theme
    question.save(update_fields=["theme"])
    record(by, "network.hustings.group", _subject(question.primary), f"a question → {theme}")


@transaction.atomic
def answer_theme(
    candidacy: Candidacy, theme: HustingsTheme, text: str, *, by: User
) -> HustingsAnswer:
    """A candidate answers a theme's questions in writing (published as written)."""
    if candidacy.user_id != by.pk:
        raise NetworkRefused("only the candidate answers for themself")
    if theme.primary_id != candidacy.primary_id:
        raise NetworkRefused("that theme belongs to another primary")
    if candidacy.primary.election.state not in ("draft", "voting"):
        raise NetworkRefused("answers are closed once voting has closed")
    if not text.strip():
        raise NetworkRefused("the answer is empty")
    a, made = HustingsAnswer.objects.update_or_create(
        theme=theme, candidacy=candidacy, defaults={"text": text.strip()}
    )
    record(
        by,
        "network.hustings.answer",
        _subject(candidacy.primary),
        f"{candidacy.candidate.name} {'answered' if made else 'changed their answer to'} {theme}",
    )
    return a


@transaction.atomic
def open_primary(
    primary: Primary, *, by: User, now: dt.datetime | None = None, base_url: str = ""
) -> int:
    """An organiser opens voting: candidates short of the groups' backing are withdrawn (with
    the reasons), the roll is made at the freeze date, and the election opens with it. Once
    that is committed, with ``base_url`` (the site's scheme and host), the people on the roll
    with an address and no account are each sent a sign-in link (``roll_invitations``)."""
    require_organiser(by, primary.network)
    at = now or timezone.now()
    for cand in primary.candidacies.select_related("candidate"):
        outcome = backing_outcome(cand)
        if not outcome.ok and not cand.candidate.withdrawn:
            cand.candidate.withdrawn = True
            cand.candidate.save(update_fields=["withdrawn"])
            record(
                by,
                "network.primary.short",
                _subject(primary),
                f"{cand.candidate.name} is not on the ballot: {'; '.join(outcome.reasons)}",
            )
    made = open_roll(primary, by=by, now=at)
    record(by, "network.primary.open", _subject(primary), f"Voting open: {made.people} on the roll")
    if base_url:
        from grassroots.network.actions.roll_invitations import invite_roll

        # after the commit (the job reads the roll); a failure to queue it leaves voting open
        # and the organiser's "invite everyone on the roll who has no account" to send them
        transaction.on_commit(lambda: invite_roll(primary, by=by, base_url=base_url), robust=True)
    return made.people


def voter_card(primary: Primary, user: User) -> Member | None:
    """The voter record ``user`` votes with in ``primary`` (None: not on its roll)."""
    if not user.is_authenticated:
        return None
    email = normalise_email(getattr(user, "email", "") or "")
    mine = Q(person__user_id=user.pk) | (Q(person__email__iexact=email) if email else Q(pk__in=[]))
    entry = PrimaryEntry.objects.filter(mine, primary=primary).select_related("card").first()
    return entry.card if entry is not None else None


def needs_declaration(primary: Primary, card: Member) -> bool:
    """Whether this voter must declare party membership before their ballot is given."""
    if not primary.requires_party_membership:
        return False
    linked = PrimaryEntry.objects.filter(
        primary=primary, card=card, person__member__isnull=False
    ).exists()
    return not linked and not Declaration.objects.filter(primary=primary, card=card).exists()


@transaction.atomic
def declare(primary: Primary, *, by: User) -> Declaration:
    """A voter not in the party register (as the network knows it) declares their membership."""
    card = voter_card(primary, by)
    if card is None:
        raise NetworkRefused("you are not on this primary's roll")
    if not primary.requires_party_membership:
        raise NetworkRefused("this primary asks for no declaration")
    d, made = Declaration.objects.get_or_create(
        primary=primary, card=card, defaults={"text": DECLARATION}
    )
    if made:
        record(by, "network.primary.declare", _subject(primary), "a voter declared membership")
    return d


def resolve_voter(user: User, election: Election) -> Member | object | None:
    """For the elections app's ballot (``elections.voters``): a primary's voter record.

    Whether the election is a primary's is asked in plain SQL: every ballot page and every
    cast asks it, and building the query with the ORM cost more than answering it.
    """
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id FROM {Primary._meta.db_table} WHERE election_id = %s", [election.pk]
        )
        found = cur.fetchone()
    if found is None:
        return NOT_MINE
    primary = Primary.objects.get(pk=found[0])
    card = voter_card(primary, user)
    if card is None or needs_declaration(primary, card):
        return None
    return card


@transaction.atomic
def close_primary(primary: Primary, *, by: User, now: dt.datetime | None = None) -> None:
    require_organiser(by, primary.network)
    try:
        elections.close_voting(primary.election, by=None, now=now)
    except elections.ActionRefused as exc:
        raise _refused(exc) from None
    record(by, "network.primary.close", _subject(primary), "Voting closed")


@transaction.atomic
def count_primary(primary: Primary, *, by: User) -> str:
    """Count (the elections app's count with its constraints); returns the result's digest."""
    require_organiser(by, primary.network)
    try:
        pub = elections.count_votes(primary.election, by=None)
    except elections.ActionRefused as exc:
        raise _refused(exc) from None
    record(by, "network.primary.count", _subject(primary), "Counted (not yet published)")
    return elections.result_digest(pub)


@transaction.atomic
def publish_primary(primary: Primary, *, by: User, digest: str = "") -> None:
    require_organiser(by, primary.network)
    try:
        elections.publish_result(primary.election, by=None, digest=digest)
    except elections.ActionRefused as exc:
        raise _refused(exc) from None
    record(by, "network.primary.publish", _subject(primary), "Result published")


@dataclass(frozen=True)
class SlateSummary:
    """How the slate was chosen, in figures anyone can check against the bundle."""

    elected: tuple[str, ...]
    seats: int
    rule: str
    constraints: Mapping[str, Any]
    groups: int
    entries: int
    people: int
    excluded: int
    ballots: int
    stages: int
    candidates: int


def slate_summary(primary: Primary) -> SlateSummary | None:
    """The published result's summary (None until published)."""
    e = primary.election
    if e.state != "published":
        return None
    files = e.publication.files
    result = json.loads(files["result.json"])
    meta = json.loads(files["election.json"])
    return SlateSummary(
        elected=tuple(result.get("elected", [])),
        seats=e.seats,
        rule=e.rule_name,
        constraints=e.constraints,
        groups=primary.groups_count or 0,
        entries=primary.entries_count or 0,
        people=e.roll_size or 0,
        excluded=primary.excluded_count or 0,
        ballots=int(meta["turnout"]["ballots"]),
        stages=len(result.get("stages", [])),
        candidates=len(e.ballot),
    )
