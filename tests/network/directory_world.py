"""A small network for the directory, hub and gatherings tests: three groups, an organiser,
each group's admin, two people in groups with contact details, and an outsider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from grassroots.network.models import (
    Group,
    GroupAdmin,
    GroupMembership,
    Network,
    Organiser,
    Person,
)

PASSWORD = "a long test password 1"

# every contact detail in the world is one of these, so a test can look for any of them in a page
ALICE = {"email": "alice.secret@example.org", "phone": "07700 900111", "postcode": "LS6 2AB"}
BOB = {"email": "bob.hidden@example.org", "phone": "07700 900222", "postcode": "M14 5TQ"}


@dataclass
class World:
    net: Network
    a: Group
    b: Group
    c: Group
    organiser: User
    admin_a: User
    admin_b: User
    alice_user: User
    alice: Person
    bob_user: User
    bob: Person
    outsider: User


def _user(name: str) -> User:
    return User.objects.create_user(name, f"{name}@accounts.example.org", PASSWORD)


def _group(net: Network, name: str, slug: str, kind: str = "local") -> Group:
    return Group.objects.create(
        network=net,
        name=name,
        slug=slug,
        area="Hillford",
        kind=kind,
        contact=f"contact-{slug}@groups.example.org",
        stated_size=40,
        status="accepted",
    )


def _person(net: Network, user: User, name: str, details: dict[str, str]) -> Person:
    return Person.objects.create(
        network=net,
        name=name,
        user=user,
        email_confirmed_at=timezone.now(),
        **details,
    )


def build() -> World:
    net = Network.objects.create(name="Left Network", slug="left")
    a = _group(net, "Hillford Tenants", "hillford-tenants")
    b = _group(net, "Unite Hillford Branch", "unite-hillford", "union")
    c = _group(net, "Climate Hillford", "climate-hillford")
    organiser, admin_a, admin_b = _user("organiser"), _user("admin_a"), _user("admin_b")
    Organiser.objects.create(network=net, user=organiser)
    GroupAdmin.objects.create(group=a, user=admin_a)
    GroupAdmin.objects.create(group=b, user=admin_b)
    alice_user, bob_user, outsider = _user("alice"), _user("bob"), _user("outsider")
    alice = _person(net, alice_user, "Alice Ash", ALICE)
    bob = _person(net, bob_user, "Bob Birch", BOB)
    today = dt.date(2026, 1, 5)
    for p, g in ((alice, a), (alice, b), (bob, a)):
        GroupMembership.objects.create(group=g, person=p, joined_on=today, source="signup")
    return World(
        net, a, b, c, organiser, admin_a, admin_b, alice_user, alice, bob_user, bob, outsider
    )


@pytest.fixture(autouse=True)
def _quick_and_private(settings: Any, tmp_path: Any) -> None:
    """Cheap password hashing, uploads in a private folder, mail kept in memory (each test
    module imports this fixture)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
