"""Builders for the network's tests: a network with an organiser, groups with admins, people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

PASSWORD = "a-test-password"
NOW = timezone.now()
DAY = dt.timedelta(days=1)
TODAY = timezone.localdate()


def user(username: str, email: str = "") -> Any:
    return get_user_model().objects.create_user(
        username=username, email=email or f"{username}@example.org", password=PASSWORD
    )


@dataclass
class Net:
    network: Any
    organiser: Any
    groups: dict[str, Any] = field(default_factory=dict)
    admins: dict[str, Any] = field(default_factory=dict)


def network(groups: tuple[str, ...] = ("Leeds Left", "Unite Branch 7", "Women Organise")) -> Net:
    """A network whose groups are all accepted, each with its own admin."""
    from grassroots.network.actions import groups as ga
    from grassroots.network.models import Network, Organiser

    n = Network.objects.create(name="Left Network", slug="left")
    org = user("organiser")
    Organiser.objects.create(network=n, user=org)
    net = Net(n, org)
    for i, name in enumerate(groups):
        admin = user(f"admin{i}")
        kind = "union" if "Unite" in name else "local"
        g = ga.apply_group(
            n,
            name=name,
            area="Leeds",
            kind=kind,
            contact=f"g{i}@example.org",
            stated_size=100,
            rules_link="https://example.org/rules",
            by=admin,
        )
        ga.decide_group(g, decision="accepted", by=org)
        g.refresh_from_db()
        net.groups[name] = g
        net.admins[name] = admin
    return net


def join(
    group: Any,
    name: str,
    email: str,
    *,
    number: str = "",
    joined: dt.date | None = None,
    left: dt.date | None = None,
    confirmed: bool = True,
    account: Any = None,
    member: Any = None,
) -> Any:
    """A person listed by ``group`` (an entry of its own, as an import makes)."""
    from grassroots.network.models import GroupMembership, Person

    p = Person.objects.create(
        network=group.network,
        name=name,
        email=email,
        membership_number=number,
        user=account,
        member=member,
    )
    GroupMembership.objects.create(
        group=group,
        person=p,
        joined_on=joined or TODAY - 60 * DAY,
        left_on=left,
        source="import",
        confirmed=confirmed,
    )
    return p
