"""Groups: applying, organisers' decisions, profiles, admins, and each group's list of members.

A group's list is read and changed by that group's admins only (``member_list``); organisers
see how many each group has (``group_counts``), never who.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from grassroots.audit.log import record
from grassroots.count.errors import InputError
from grassroots.members.csvio import RowError
from grassroots.members.fieldrules import NAME_MAX, email_problem, line_problem
from grassroots.network import group_csv
from grassroots.network.dedup import normalise_email, normalise_number
from grassroots.network.models import (
    GROUP_KINDS,
    Group,
    GroupAdmin,
    GroupDecision,
    GroupMembership,
    Network,
    Person,
)
from grassroots.network.permissions import require_group_admin, require_organiser

__all__ = [
    "GroupCounts",
    "ImportRefused",
    "NetworkRefused",
    "add_admin",
    "apply_group",
    "confirm_signup",
    "decide_group",
    "group_counts",
    "import_list",
    "member_list",
    "remove_member",
    "sign_up",
    "signup_token",
    "update_profile",
]

User = AbstractBaseUser | AnonymousUser
SIGNUP_SALT = "network.signup"
SIGNUP_MAX_AGE = 7 * 24 * 3600  # a confirmation link works for a week


class NetworkRefused(InputError):
    """A network action's precondition is not met; the message says which."""


class ImportRefused(NetworkRefused):
    """A group's list had faulty rows: nothing was imported; ``errors`` names each."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__(f"{len(self.errors)} problems in the file; nothing was imported")


def _subject(group: Group) -> str:
    return f"network-group:{group.pk}"


def _check_profile(
    name: str, area: str, kind: str, contact: str, stated_size: int, rules_link: str
) -> None:
    for what, value in (("name", name), ("area", area)):
        if not value.strip():
            raise NetworkRefused(f"a group needs its {what}")
        problem = line_problem(what, value, NAME_MAX)
        if problem:
            raise NetworkRefused(problem)
    if kind not in dict(GROUP_KINDS):
        raise NetworkRefused(f"{kind!r} is not a kind of group")
    problem = email_problem(contact)
    if problem:
        raise NetworkRefused(f"contact: {problem}")
    if stated_size < 0:
        raise NetworkRefused("a group's number of members cannot be below 0")
    if rules_link and not rules_link.startswith(("https://", "http://")):
        raise NetworkRefused("the rules link must be a web address (https://…)")


@transaction.atomic
def apply_group(
    network: Network,
    *,
    name: str,
    area: str,
    kind: str,
    contact: str,
    stated_size: int,
    rules_link: str = "",
    by: User,
) -> Group:
    """A signed-in person applies for their group to join; they become its first admin."""
    if not by.is_authenticated:
        raise NetworkRefused("sign in to apply for a group")
    _check_profile(name, area, kind, contact, stated_size, rules_link)
    name = name.strip()
    if Group.objects.filter(network=network, name__iexact=name).exists():
        raise NetworkRefused(f"a group called {name} is already in {network.name}")
    base = slugify(name)[:50] or "group"
    slug, n = base, 1
    while Group.objects.filter(network=network, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    group = Group.objects.create(
        network=network,
        name=name,
        slug=slug,
        area=area.strip(),
        kind=kind,
        contact=contact.strip(),
        stated_size=stated_size,
        rules_link=rules_link.strip(),
        applied_by=by,  # type: ignore[misc]
    )
    GroupAdmin.objects.create(group=group, user=by)  # type: ignore[misc]
    record(by, "network.group.apply", _subject(group), f"{name} applied to join {network.name}")
    return group


@transaction.atomic
def decide_group(group: Group, *, decision: str, reason: str = "", by: User) -> GroupDecision:
    """An organiser accepts or refuses an application, on the record (a refusal says why)."""
    require_organiser(by, group.network)
    g = Group.objects.select_for_update().get(pk=group.pk)
    if decision not in ("accepted", "refused"):
        raise NetworkRefused(f"{decision!r} is not a decision: accept or refuse")
    if g.status != "applied":
        raise NetworkRefused(f"{g.name} is already {g.get_status_display().lower()}")
    if decision == "refused" and not reason.strip():
        raise NetworkRefused("a refusal needs its reason, which the group is told")
    d = GroupDecision.objects.create(
        group=g,
        decision=decision,
        reason=reason.strip(),
        decided_by=by,  # type: ignore[misc]
    )
    g.status = decision
    g.save(update_fields=["status"])
    group.refresh_from_db()
    record(
        by,
        f"network.group.{'accept' if decision == 'accepted' else 'refuse'}",
        _subject(g),
        f"{g.name} {decision}",
        reason=reason.strip(),
    )
    return d


@transaction.atomic
def update_profile(
    group: Group,
    *,
    name: str,
    area: str,
    kind: str,
    contact: str,
    stated_size: int,
    rules_link: str = "",
    by: User,
) -> Group:
    """A group's admin changes what the group says about itself."""
    require_group_admin(by, group)
    _check_profile(name, area, kind, contact, stated_size, rules_link)
    clash = Group.objects.filter(network=group.network, name__iexact=name.strip())
    if clash.exclude(pk=group.pk).exists():
        raise NetworkRefused(f"a group called {name.strip()} is already in {group.network.name}")
    group.name, group.area, group.kind = name.strip(), area.strip(), kind
    group.contact, group.stated_size, group.rules_link = contact.strip(), stated_size, rules_link
    group.save()
    record(by, "network.group.profile", _subject(group), f"{group.name}'s profile changed")
    return group


@transaction.atomic
def add_admin(group: Group, user: AbstractBaseUser, *, by: User) -> GroupAdmin:
    """A group's admin makes another user an admin of the group."""
    require_group_admin(by, group)
    admin, _ = GroupAdmin.objects.get_or_create(group=group, user=user)
    record(by, "network.group.admin", _subject(group), f"{user} now runs {group.name}")
    return admin


def member_list(group: Group, *, by: User) -> QuerySet[GroupMembership]:
    """The group's list of members (current and past): for the group's admins only."""
    require_group_admin(by, group)
    return (
        GroupMembership.objects.filter(group=group)
        .select_related("person")
        .order_by("person__name", "pk")
    )


@dataclass(frozen=True)
class GroupCounts:
    """What an organiser sees of a group's list: how many, nothing more."""

    group: Group
    members: int
    awaiting_confirmation: int


def group_counts(network: Network, *, by: User) -> list[GroupCounts]:
    """Each group's numbers, for the network's organisers."""
    require_organiser(by, network)
    current = Q(memberships__left_on__isnull=True)
    groups = Group.objects.filter(network=network).annotate(
        n=Count("memberships", filter=current & Q(memberships__confirmed=True)),
        waiting=Count("memberships", filter=current & Q(memberships__confirmed=False)),
    )
    return [GroupCounts(g, g.n, g.waiting) for g in groups.order_by("name")]


def _on_list(group: Group) -> set[str]:
    emails = GroupMembership.objects.filter(group=group, left_on__isnull=True).values_list(
        "person__email", flat=True
    )
    return {normalise_email(e) for e in emails}


@transaction.atomic
def import_list(
    group: Group, text: str, *, by: User, today: dt.date | None = None
) -> list[GroupMembership]:
    """A group's admin imports its list (CSV): all rows or, if any row is faulty, none."""
    require_group_admin(by, group)
    if group.status != "accepted":
        raise NetworkRefused(f"{group.name} is not affiliated yet: its list waits for that")
    today = today or timezone.localdate()
    parsed = group_csv.parse(text, today=today, on_list=_on_list(group))
    if parsed.errors:
        raise ImportRefused(parsed.errors)
    if not parsed.rows:
        raise NetworkRefused("the file has a header but no rows: nothing to import")
    people = Person.objects.bulk_create(
        [
            Person(
                network=group.network,
                name=r.name,
                email=r.email,
                phone=r.phone,
                postcode=r.postcode,
                membership_number=r.membership_number,
            )
            for r in parsed.rows
        ],
        batch_size=2000,
    )
    made = GroupMembership.objects.bulk_create(
        [
            GroupMembership(group=group, person=p, joined_on=r.joined_on, source="import")
            for p, r in zip(people, parsed.rows, strict=True)
        ],
        batch_size=2000,
    )
    record(
        by,
        "network.group.import",
        _subject(group),
        f"imported {len(made)} members into {group.name}'s list",
    )
    return made


def signup_token(membership: GroupMembership) -> str:
    """The signed token of a sign-up's confirmation link."""
    return signing.dumps({"m": membership.pk}, salt=SIGNUP_SALT)


@transaction.atomic
def sign_up(
    group: Group,
    *,
    name: str,
    email: str,
    phone: str = "",
    postcode: str = "",
    membership_number: str = "",
    user: User | None = None,
    today: dt.date | None = None,
) -> GroupMembership:
    """Someone asks to join a group from its page; the membership waits for them to confirm
    their address by the link ``signup_token`` makes (sent by the view)."""
    if group.status != "accepted":
        raise NetworkRefused(f"{group.name} is not taking members through the network")
    problem = line_problem("name", name.strip(), NAME_MAX) or email_problem(email.strip())
    if not name.strip():
        problem = "your name is needed"
    if problem:
        raise NetworkRefused(problem)
    for what, value, longest in (("phone", phone, 40), ("postcode", postcode, 12)):
        problem = line_problem(what, value.strip(), longest)
        if problem:
            raise NetworkRefused(problem)
    number = normalise_number(membership_number)
    if len(number) > 32:
        raise NetworkRefused("a membership number is at most 32 characters")
    key = normalise_email(email)
    if key in _on_list(group):
        raise NetworkRefused(f"{email.strip()} is already on {group.name}'s list")
    signed_in = user if user is not None and user.is_authenticated else None
    # one entry per signed-in person across the groups they join themselves
    person = None
    if signed_in is not None:
        person = Person.objects.filter(network=group.network, user_id=signed_in.pk).first()
    if person is None:
        person = Person.objects.create(
            network=group.network,
            name=name.strip(),
            email=email.strip(),
            phone=phone.strip(),
            postcode=postcode.strip(),
            membership_number=number,
            user=signed_in,  # type: ignore[misc]
        )
    m = GroupMembership.objects.create(
        group=group,
        person=person,
        joined_on=today or timezone.localdate(),
        source="signup",
        confirmed=False,
    )
    record(None, "network.group.signup", _subject(group), f"a sign-up to {group.name} awaits")
    return m


@transaction.atomic
def confirm_signup(token: str) -> GroupMembership:
    """The link in the confirmation e-mail: the sign-up becomes a membership."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_MAX_AGE)
    except signing.SignatureExpired:
        raise NetworkRefused("this link has expired: sign up again from the group's page") from None
    except signing.BadSignature:
        raise NetworkRefused("this link is not one we sent, or it was cut short") from None
    m = (
        GroupMembership.objects.select_for_update()
        .select_related("group", "person")
        .filter(pk=data.get("m") if isinstance(data, dict) else None)
        .first()
    )
    if m is None:
        raise NetworkRefused("this sign-up is no longer held: sign up again")
    if not m.confirmed:
        m.confirmed = True
        m.save(update_fields=["confirmed"])
        if m.person.email_confirmed_at is None:
            m.person.email_confirmed_at = timezone.now()
            m.person.save(update_fields=["email_confirmed_at"])
        record(None, "network.group.confirm", _subject(m.group), "a sign-up was confirmed")
    return m


@transaction.atomic
def remove_member(
    group: Group, membership: GroupMembership, *, by: User, today: dt.date | None = None
) -> GroupMembership:
    """A group's admin takes someone off the list from today (the past stays on the record)."""
    require_group_admin(by, group)
    if membership.group_id != group.pk:
        raise NetworkRefused("that person is not on this group's list")
    if membership.left_on is not None:
        raise NetworkRefused(f"{membership.person.name} already left on {membership.left_on}")
    membership.left_on = today or timezone.localdate()
    membership.save(update_fields=["left_on"])
    record(by, "network.group.remove", _subject(group), f"a member left {group.name}'s list")
    return membership
