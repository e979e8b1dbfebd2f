"""What the directory, hub and gatherings ask of the network's people and roles: whose person
entry an account is, who is "of the network", who may publish and who reads a group's
directory. The roles themselves are ``network.permissions``'s."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from grassroots.count.errors import InputError
from grassroots.network.models import Group, GroupAdmin, Network, Person
from grassroots.network.permissions import is_group_admin, is_organiser

__all__ = [
    "ActionRefused",
    "User",
    "contact_fields_of",
    "entries_of",
    "in_network",
    "may_organise",
    "may_publish",
    "may_read_directory",
    "person_of",
    "postcode_area",
]

User = AbstractBaseUser | AnonymousUser


class ActionRefused(InputError):
    """A directory, hub or gathering action's precondition is not met; the message says which."""


def person_of(user: User | None, network: Network) -> Person | None:
    """The signed-in account's own entry in ``network`` (its sign-up), if it has one."""
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(network=network, user_id=user.pk).order_by("pk").first()


def entries_of(user: User | None, network: Network) -> QuerySet[Person]:
    """Every entry in ``network`` about the account's holder: those linked to the account, and
    those (a group's imported list) with an e-mail address the holder confirmed as theirs."""
    if user is None or not user.is_authenticated:
        return Person.objects.none()
    own = Person.objects.filter(network=network, user_id=user.pk)
    confirmed = [
        e.lower()
        for e in own.filter(email_confirmed_at__isnull=False).values_list("email", flat=True)
    ]
    q = Q(user_id=user.pk)
    for e in confirmed:
        q |= Q(email__iexact=e)
    return Person.objects.filter(q, network=network).order_by("pk")


def in_network(user: User | None, network: Network) -> bool:
    """Signed in and one of the network's people: an organiser, a group's admin, or a person
    with a confirmed membership of one of its affiliated groups."""
    if user is None or not user.is_authenticated:
        return False
    if is_organiser(user, network):
        return True
    if GroupAdmin.objects.filter(group__network=network, user_id=user.pk).exists():
        return True
    return Person.objects.filter(
        network=network,
        user_id=user.pk,
        memberships__confirmed=True,
        memberships__left_on__isnull=True,
        memberships__group__status="accepted",
    ).exists()


def may_publish(user: User | None, network: Network) -> bool:
    """Organisers and the admins of the network's affiliated groups publish in the hub."""
    if user is None or not user.is_authenticated:
        return False
    return (
        is_organiser(user, network)
        or GroupAdmin.objects.filter(
            group__network=network, group__status="accepted", user_id=user.pk
        ).exists()
    )


def may_organise(user: User | None, network: Network) -> bool:
    """Organisers set up the network's gatherings."""
    return is_organiser(user, network)


def may_read_directory(user: User | None, group: Group) -> bool:
    """A group's admins, and nobody else, read what people shared with the group."""
    return is_group_admin(user, group)


def postcode_area(postcode: str) -> str:
    """The outward part of a UK postcode ("LS6" of "LS6 2AB"): the area, not the street."""
    p = "".join(postcode.split()).upper()
    if len(p) >= 5:
        return p[:-3]
    return p


def contact_fields_of(person: Person) -> dict[str, str]:
    """A person's contact details under the names consents use (``consent.FIELDS``)."""
    return {
        "email": person.email,
        "phone": person.phone,
        "postcode_area": postcode_area(person.postcode),
    }
