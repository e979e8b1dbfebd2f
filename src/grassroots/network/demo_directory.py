"""The demo's directory, hub and gatherings, on top of the network demo: every affiliated
group's public profile; a dozen of the network's people with a login, sharing some contact
details with some groups (one with every group), one of them having withdrawn a consent; a hub
of guides, links and a document, public or for the network; an upcoming national gathering
(online and in person) with registrations, and one held last month.

Deterministic, written through the actions so the audit log shows how it came about.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from grassroots.network import consent as rules
from grassroots.network.actions import contact, directory, gatherings, hub
from grassroots.network.models import (
    Gathering,
    Group,
    GroupAdmin,
    Network,
    Organiser,
    Person,
    Registration,
    Resource,
)

__all__ = ["SHARERS", "seed"]

SHARERS = 12  # people given a demo login, who share details with groups

ISSUES = [
    "Housing and rents",
    "Public transport",
    "Climate and energy",
    "Libraries and youth services",
    "Pay and conditions",
    "Migrants' rights",
    "The NHS",
    "Disability rights",
    "Schools",
    "Local democracy",
]
TIMES = [
    "First Monday of the month, 7pm, the community centre",
    "Every other Wednesday, 6.30pm, online",
    "Second Tuesday, 7.30pm, the library's meeting room",
    "Last Thursday of the month, 6pm, the union office",
    "Saturday mornings, 10am, the market square stall",
]
GUIDES = [
    (
        "Running your first public meeting",
        "Book a room everyone can reach, publish the time and place a fortnight ahead, choose a "
        "chair and a note-taker, keep the speeches short and the questions long, and end with "
        "one thing everyone can do next.",
        ["meetings", "how-to"],
        "public",
    ),
    (
        "Taking a repairs case to the council",
        "Write down every defect with the date you reported it, keep photographs, ask for a "
        "reference number, and send a formal complaint after 28 days without a repair.",
        ["housing", "how-to"],
        "public",
    ),
    (
        "Holding an online branch meeting",
        "Send the join link with the notice, open the call ten minutes early, ask people to "
        "mute when not speaking, and take votes by a show of hands on camera or in the chat.",
        ["meetings", "online"],
        "network",
    ),
    (
        "Safe canvassing in pairs",
        "Never canvass alone, carry a charged phone, agree a meeting point and a time to check "
        "in, and leave any doorstep that feels unsafe.",
        ["campaigns", "safety"],
        "network",
    ),
]
LINKS = [
    (
        "Shelter's housing advice",
        "https://england.shelter.org.uk/housing_advice",
        "Tenants' rights, evictions and repairs, for England.",
        ["housing"],
        "public",
    ),
    (
        "The TUC's guide to your rights at work",
        "https://www.tuc.org.uk/workplace-guidance",
        "Pay, hours, holidays and joining a union.",
        ["unions", "work"],
        "public",
    ),
    (
        "Climate emergency action plans checklist",
        "https://climateemergency.uk/",
        "What councils' climate plans should contain.",
        ["climate"],
        "network",
    ),
]
DOCUMENT = (
    "network-standing-orders.txt",
    "Standing orders of the network's national gathering\n\n"
    "1. The gathering is open to every member of an affiliated group.\n"
    "2. Motions are submitted by groups fourteen days ahead.\n"
    "3. Votes are by a simple majority of those voting, except changes to these orders, "
    "which need two thirds.\n",
)


def _login_for(p: Person, password: str, taken: set[str]) -> None:
    """Give ``p`` a demo login named after them (first name, numbered if taken)."""
    User = get_user_model()
    base = "".join(c for c in p.name.split()[0].lower() if c.isalnum()) or "person"
    name, n = base, 1
    while name in taken or User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    user = User.objects.create_user(name, p.email, password)
    Person.objects.filter(pk=p.pk).update(user=user, email_confirmed_at=timezone.now())
    p.refresh_from_db()


def seed(password: str = "demo-password", now: dt.datetime | None = None) -> dict[str, object]:
    """Add the directory, hub and gatherings to the first network; what it made, by name."""
    net = Network.objects.order_by("pk").first()
    if net is None:
        return {}
    now = now or timezone.now()
    rnd = random.Random(8)
    groups = list(Group.objects.filter(network=net, status="accepted").order_by("pk"))
    for i, g in enumerate(groups):
        admin = GroupAdmin.objects.filter(group=g).order_by("pk").first()
        if admin is None:
            continue
        contact.update_profile(
            g,
            by=admin.user,
            about=f"{g.name} is one of the {g.get_kind_display().lower()}s of {net.name}.",
            issues="\n".join(rnd.sample(ISSUES, 3)),
            meeting_times=TIMES[i % len(TIMES)],
        )
    # a dozen people with memberships get a login and share some details with some groups
    people = list(
        Person.objects.filter(
            network=net, memberships__confirmed=True, memberships__group__status="accepted"
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")[: SHARERS * 4]
    )
    sharers = rnd.sample(people, min(SHARERS, len(people)))
    taken: set[str] = set()
    made = 0
    for k, p in enumerate(sorted(sharers, key=lambda x: x.pk)):
        if p.user_id is None:
            _login_for(p, password, taken)
        mine = list(Group.objects.filter(memberships__person=p, status="accepted").order_by("pk"))
        if k == 0:  # one shares their postcode area with every group, to be invited to events
            directory.give_consent(
                by=p.user,
                network=net,
                group=None,
                fields=["postcode_area"],
                purpose="events",
                text_version=rules.CURRENT_TEXT_VERSION,
            )
            made += 1
        for g in mine[: 1 + k % 2]:
            fields = ["email"] if k % 3 else ["email", "phone"]
            c = directory.give_consent(
                by=p.user,
                network=net,
                group=g,
                fields=fields,
                purpose=rules.PURPOSES[k % len(rules.PURPOSES)],
                text_version=rules.CURRENT_TEXT_VERSION,
            )
            made += 1
            if k == 1:  # and one changed their mind: the withdrawal is in their history
                directory.revoke_consent(c, by=p.user)
    # the hub, by the organiser and a group admin
    organiser = Organiser.objects.filter(network=net).order_by("pk").first()
    admin = GroupAdmin.objects.filter(group__network=net, group__status="accepted").first()
    authors = [
        u for u in (organiser.user if organiser else None, admin.user if admin else None) if u
    ]
    if authors:
        for i, (title, body, tags, audience) in enumerate(GUIDES):
            hub.publish_resource(
                net,
                by=authors[i % len(authors)],
                kind="guide",
                title=title,
                body=body,
                summary=body.split(",")[0] + ".",
                tags=tags,
                audience=audience,
            )
        for i, (title, url, summary, tags, audience) in enumerate(LINKS):
            hub.publish_resource(
                net,
                by=authors[(i + 1) % len(authors)],
                kind="link",
                title=title,
                url=url,
                summary=summary,
                tags=tags,
                audience=audience,
            )
        hub.publish_resource(
            net,
            by=authors[0],
            kind="document",
            title="Standing orders of the national gathering",
            summary="The rules the national gathering meets under.",
            upload=(DOCUMENT[0], DOCUMENT[1].encode()),
            tags=["meetings", "rules"],
            audience="public",
        )
    # gatherings: one to come (registrations from the sharers), one held last month
    gathering = None
    if organiser is not None:
        gathering = gatherings.create_gathering(
            net,
            by=organiser.user,
            title=f"{net.name}: national gathering",
            description="Reports from the groups, the slate primary's timetable, and workshops.",
            starts_at=(now + dt.timedelta(days=21)).replace(
                hour=10, minute=30, second=0, microsecond=0
            ),
            place="Hillford Town Hall",
            join_url="https://video.example.org/national-gathering",
            capacity=300,
            now=now,
        )
        for p in sharers[: SHARERS // 2]:
            p.refresh_from_db()
            if p.user_id:
                gatherings.register(gathering, by=p.user, now=now)
        held = Gathering.objects.create(
            network=net,
            title="Organising training evening",
            starts_at=now - dt.timedelta(days=30),
            join_url="https://video.example.org/training",
            organised_by=organiser.user,
            created_at=now - dt.timedelta(days=45),
        )
        for p in sharers[SHARERS // 2 :]:
            Registration.objects.create(
                gathering=held,
                person=p,
                registered_at=now - dt.timedelta(days=40),
                reminded_at=now - dt.timedelta(days=31),
            )
    return {
        "network": net,
        "sharers": [p.user.get_username() for p in sharers if p.user_id],
        "consents": made,
        "resources": Resource.objects.filter(network=net).count(),
        "gathering": gathering,
    }
