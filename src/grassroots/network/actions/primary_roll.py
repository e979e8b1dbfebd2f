"""A primary's roll: the union of the affiliated groups' members at the freeze date, each
person once, matched by keyed hashes (``network.dedup``), then handed to the elections app.

Each person on the roll gets one voter record (``members.Member``) in the network's own unit,
which the elections app's roll, casting and turnout key on. Where the primary requires party
membership in good standing, a person linked to the party register is checked by the register's
eligibility rules (left off with the reasons when not eligible); anyone else declares it
themself before their ballot is given (``declare``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from grassroots.audit.log import record
from grassroots.elections import actions as elections
from grassroots.elections.models import VoterRecord
from grassroots.members.eligibility import RuleSet, decide
from grassroots.members.models import Member, Unit
from grassroots.network import dedup
from grassroots.network.actions.groups import NetworkRefused, User
from grassroots.network.models import (
    Group,
    GroupMembership,
    Network,
    NetworkVoters,
    Primary,
    PrimaryEntry,
    PrimaryExclusion,
    PrimaryGroupFigure,
)

__all__ = ["GroupTurnout", "RollMade", "make_roll", "turnout_by_group", "voters_unit"]


def voters_unit(network: Network) -> Unit:
    """The network's unit for its voters' records: a root of its own beside the party's tree."""
    held = NetworkVoters.objects.filter(network=network).select_related("unit").first()
    if held is not None:
        return held.unit
    code = f"network-{network.slug}"[:40]
    unit = Unit(kind="affiliate", code=code, name=f"{network.name} (primaries' voters)", path="")
    unit.save()
    unit.path = f"/{unit.pk}/"
    unit.save(update_fields=["path"])
    NetworkVoters.objects.create(network=network, unit=unit)
    return unit


def _at_freeze(primary: Primary) -> list[tuple[int, int, int, str, str, int | None, str]]:
    """(membership, group, person, e-mail, membership number, register member, name) of every
    confirmed membership of an affiliated group current at the freeze date."""
    freeze = primary.election.freeze_date
    current = Q(left_on__isnull=True) | Q(left_on__gt=freeze)
    return list(
        GroupMembership.objects.filter(
            current,
            group__network_id=primary.network_id,
            group__status="accepted",
            confirmed=True,
            joined_on__lte=freeze,
        )
        .order_by()
        .values_list(
            "pk",
            "group_id",
            "person_id",
            "person__email",
            "person__membership_number",
            "person__member_id",
            "person__name",
        )
    )


@dataclass(frozen=True)
class RollMade:
    entries: int
    groups: int
    people: int
    excluded: int


def _copy_rows(model: type, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Insert many rows: PostgreSQL's COPY, else batched inserts."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cur:
            raw = cur.cursor
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    model.objects.bulk_create(objs, batch_size=2000)  # type: ignore[attr-defined]


_CARD_COLUMNS = (
    "number",
    "name",
    "email",
    "branch_id",
    "join_date",
    "status",
    "rate_band",
    "gender",
)


def _card_number(prefix: str, i: int) -> str:
    """The ``i``-th voter record's number, zero-padded so that the records are written in the
    order of their numbers: each insert then lands at the end of the number's indexes, which
    made writing 350,000 records about a fifth quicker than "P1-1", "P1-10", "P1-100"."""
    return f"{prefix}{i + 1:07d}"


def _insert_cards(rows: Sequence[Sequence[object]], unit: Unit, prefix: str) -> list[int]:
    """Write the voter records (``_CARD_COLUMNS``, in order; numbered by ``_card_number``) and
    return their ids, in order: read back by number in one query (drawing the ids from the
    table's sequence first cost the server more than reading them back)."""
    _copy_rows(Member, _CARD_COLUMNS, rows)
    card_of = dict(
        Member.objects.filter(branch=unit, number__startswith=prefix)
        .order_by()
        .values_list("number", "pk")
    )
    return [card_of[_card_number(prefix, i)] for i in range(len(rows))]


def make_roll(primary: Primary, *, by: User | None) -> RollMade:
    """Build the primary's roll (once): dedup, figures per group, voter records, exclusions.

    Runs inside the caller's transaction (``open_primary``).
    """
    rows = _at_freeze(primary)
    hasher = dedup.KeyedHasher(bytes(primary.key))
    result = dedup.dedupe(
        hasher.entry(g, m, email, number) for m, g, _, email, number, _, _ in rows
    )
    by_ref = {r[0]: r for r in rows}
    PrimaryGroupFigure.objects.bulk_create(
        [
            PrimaryGroupFigure(
                primary=primary,
                group_id=o.group,
                entries=o.entries,
                people=o.people,
                found_elsewhere=o.found_elsewhere,
            )
            for o in result.groups.values()
        ]
    )
    rules = None
    if primary.requires_party_membership:
        e = primary.election
        rules = RuleSet.from_dict({**e.eligibility, "on": e.freeze_date.isoformat()})
    linked = {r[5] for r in rows if r[5] is not None}
    facts = {m.pk: m.facts() for m in Member.objects.filter(pk__in=linked).select_related("branch")}
    unit = voters_unit(primary.network)
    excluded: list[PrimaryExclusion] = []
    kept: list[tuple[int, ...]] = []
    for refs in result.people:
        members = sorted({by_ref[r][5] for r in refs if by_ref[r][5] is not None})
        if rules is not None and members:
            decisions = [decide(rules, facts[m]) for m in members if m in facts]
            if decisions and not any(d.ok for d in decisions):
                reasons = sorted({r for d in decisions for r in d.reasons})
                excluded.append(
                    PrimaryExclusion(primary=primary, person_id=by_ref[refs[0]][2], reasons=reasons)
                )
                continue
        kept.append(refs)
    PrimaryExclusion.objects.bulk_create(excluded, batch_size=2000)
    freeze = primary.election.freeze_date
    prefix = f"P{primary.pk}-"
    cards = _insert_cards(
        [
            (
                _card_number(prefix, i),
                by_ref[refs[0]][6],
                dedup.normalise_email(by_ref[refs[0]][3]),
                unit.pk,
                freeze,
                "active",
                "standard",
                "",
            )
            for i, refs in enumerate(kept)
        ],
        unit,
        prefix,
    )
    _copy_rows(
        PrimaryEntry,
        ("primary_id", "group_id", "person_id", "card_id"),
        [
            (primary.pk, by_ref[r][1], by_ref[r][2], card)
            for refs, card in zip(kept, cards, strict=True)
            for r in refs
        ],
    )
    primary.entries_count = len(rows)
    primary.groups_count = len(result.groups)
    primary.excluded_count = len(excluded)
    primary.roll_frozen_at = timezone.now()
    primary.save(
        update_fields=["entries_count", "groups_count", "excluded_count", "roll_frozen_at"]
    )
    record(
        by,
        "network.primary.roll",
        f"network-primary:{primary.pk}",
        f"Roll of {primary}: {len(rows)} entries on {len(result.groups)} groups' lists, "
        f"{len(kept)} people once each, {len(excluded)} left off by the party register",
    )
    return RollMade(len(rows), len(result.groups), len(kept), len(excluded))


@dataclass(frozen=True)
class GroupTurnout:
    group: Group
    on_roll: int
    voted: int


def turnout_by_group(primary: Primary) -> list[GroupTurnout]:
    """Per group: how many of its members are on the roll and how many have voted (counts)."""
    voted_cards = VoterRecord.objects.filter(election_id=primary.election_id).values("member_id")
    rows = (
        PrimaryEntry.objects.filter(primary=primary)
        .values("group_id")
        .annotate(
            on_roll=Count("card_id", distinct=True),
            voted=Count("card_id", distinct=True, filter=Q(card_id__in=voted_cards)),
        )
    )
    groups = Group.objects.in_bulk([r["group_id"] for r in rows])
    out = [GroupTurnout(groups[r["group_id"]], r["on_roll"], r["voted"]) for r in rows]
    return sorted(out, key=lambda t: t.group.name)


@transaction.atomic
def open_roll(primary: Primary, *, by: User | None, now: dt.datetime | None = None) -> RollMade:
    """Make the roll and open the election's voting with it (the elections app's own action)."""
    if primary.roll_frozen_at is not None:
        raise NetworkRefused(f"the roll of {primary} is already made")
    made = make_roll(primary, by=by)
    if not made.people:
        raise NetworkRefused("no affiliated group has a confirmed member at the freeze date")
    # the voter records on the roll, as a query: the elections app copies them onto its roll
    # on the database server
    cards = PrimaryEntry.objects.filter(primary=primary).values("card_id")
    try:
        elections.open_voting(
            primary.election, by=None, now=now, roll=Member.objects.filter(pk__in=cards)
        )
    except elections.ActionRefused as exc:
        raise NetworkRefused(str(exc)) from None
    return made
