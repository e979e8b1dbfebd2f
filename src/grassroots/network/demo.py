"""The demo's network: 30 groups (local groups, two national organisations, union branches)
whose lists overlap, one application waiting and one refused, a published primary in which the
women's minimum binds, an open primary in its hustings (held online as a meeting of the meetings
app, called with its notice and agenda), and a primary now voting whose roll
holds people only a group's imported list knows (no account: each may ask for a sign-in link on
the login page; the demo sends no mail).

Call ``seed()`` after the members' demo (some of the network's people are in the party
register). Deterministic, and written through the actions so the audit log shows how it came
about. Logins (password: the demo's): ``organiser`` (the network's organiser),
``groupadmin`` (runs Leeds Left and Unite Leeds Health), ``candidate`` (stands in the open
primary, with a hustings question to answer), ``voter`` (a member of two groups; has voted in
the published primary).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from grassroots.elections import actions as elections
from grassroots.elections.voters import voter_for
from grassroots.meetings import actions as meetings
from grassroots.members.models import Member, Unit
from grassroots.network.actions import groups as ga
from grassroots.network.actions import hustings_meeting as hm
from grassroots.network.actions import primaries as pa
from grassroots.network.models import GroupAdmin, GroupMembership, Network, Organiser, Person

__all__ = ["seed"]

DAY = dt.timedelta(days=1)
TOWNS = (
    "Leeds",
    "Bradford",
    "Sheffield",
    "Hull",
    "York",
    "Manchester",
    "Salford",
    "Liverpool",
    "Preston",
    "Newcastle",
    "Sunderland",
    "Durham",
    "Nottingham",
    "Derby",
    "Leicester",
    "Birmingham",
    "Coventry",
    "Bristol",
    "Cardiff",
    "Swansea",
    "Glasgow",
    "Brighton",
    "Oxford",
    "Norwich",
)
NATIONAL = ("Women Organise", "Disabled People's Left")
UNIONS = ("Unite Leeds Health", "GMB Sheffield Council", "UNISON Bristol", "RMT Manchester")
FIRST = (
    "Amira",
    "Ben",
    "Cath",
    "Dan",
    "Ellie",
    "Femi",
    "Grace",
    "Hamid",
    "Isla",
    "Jon",
    "Kemi",
    "Liam",
    "Maya",
    "Nadia",
    "Owen",
    "Priya",
    "Rosa",
    "Sam",
    "Tara",
    "Usman",
    "Vera",
    "Will",
)
LAST = (
    "Ahmed",
    "Byrne",
    "Clarke",
    "Douglas",
    "Evans",
    "Foster",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morris",
    "Nolan",
    "Owusu",
    "Patel",
    "Quinn",
    "Reid",
    "Shaw",
)
# the published primary: men gather more first preferences; five seats of nine go to women
SLATE_WOMEN = ("Rosa Clarke", "Nadia Khan", "Grace Owusu", "Isla Reid", "Tara Hughes", "Maya Lewis")
SLATE_MEN = (
    "Ben Foster",
    "Dan Shaw",
    "Hamid Iqbal",
    "Jon Evans",
    "Liam Byrne",
    "Owen Quinn",
    "Sam Gill",
    "Will Nolan",
)
VOTING_CANDIDATES = ("Ruth Okafor", "Tom Reid", "Zara Malik")
OPEN_CANDIDATES = (
    ("Priya Patel", True),
    ("Kemi Jones", True),
    ("Usman Ahmed", False),
    ("Vera Douglas", True),
    ("Femi Morris", False),
)
QUESTIONS = (
    ("Council housing", "Will you vote to end right-to-buy in our council?"),
    ("Council housing", "How would you fund a council house building programme?"),
    ("Public services", "Would you bring the bus services back into public hands?"),
    ("Public services", "What would you do about library closures?"),
)


def _user(username: str, email: str, password: str) -> object:
    User = get_user_model()
    u = User.objects.filter(username=username).first()
    return u or User.objects.create_user(username=username, email=email, password=password)


def _people(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    out = []
    for i in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        email = f"{name.lower().replace(' ', '.').replace(chr(39), '')}.{i}@example.org"
        out.append((name, email, f"N{10000 + i}" if i % 3 == 0 else ""))
    return out


def seed(password: str = "demo-password", now: dt.datetime | None = None) -> dict[str, object]:
    """Build the network demo; returns what it made, by name."""
    if Network.objects.exists():
        return {}
    now = now or timezone.now()
    today = timezone.localdate(now)
    rng = random.Random(12)
    net = Network.objects.create(
        name="Left Network",
        slug="left",
        description="Local left groups, national organisations and union branches.",
    )
    organiser = _user("organiser", "organiser@example.org", password)
    Organiser.objects.create(network=net, user=organiser)
    groupadmin = _user("groupadmin", "groupadmin@example.org", password)
    groups = []
    specs = [(f"{t} Left", t, "local") for t in TOWNS]
    specs += [(n, "national", "national") for n in NATIONAL]
    specs += [(n, n.split()[1], "union") for n in UNIONS]
    for i, (name, area, kind) in enumerate(specs):
        admin = (
            groupadmin
            if name in ("Leeds Left", "Unite Leeds Health")
            else _user(f"admin{i}", f"admin{i}@example.org", password)
        )
        g = ga.apply_group(
            net,
            name=name,
            area=area,
            kind=kind,
            contact=f"contact{i}@example.org",
            stated_size=rng.randrange(20, 400),
            rules_link=f"https://example.org/rules/{i}",
            by=admin,  # type: ignore[arg-type]
        )
        ga.decide_group(g, decision="accepted", reason="", by=organiser)  # type: ignore[arg-type]
        g.refresh_from_db()
        groups.append(g)
    waiting = ga.apply_group(
        net,
        name="Hebden Bridge Left",
        area="Hebden Bridge",
        kind="local",
        contact="hebden@example.org",
        stated_size=35,
        by=_user("applicant", "a@example.org", password),  # type: ignore[arg-type]
    )
    refused = ga.apply_group(
        net,
        name="Centrist Friends",
        area="national",
        kind="national",
        contact="cf@example.org",
        stated_size=12,
        by=_user("applicant2", "a2@example.org", password),  # type: ignore[arg-type]
    )
    ga.decide_group(
        refused,
        decision="refused",
        reason="its rules do not commit it to the network's aims",
        by=organiser,
    )  # type: ignore[arg-type]
    # the lists: each person on one to three groups' lists, entered by each group its own way
    people = _people(rng, 420)
    party = list(Member.objects.order_by("number")[:40])
    joined = today - 200 * DAY
    for k, (name, email, number) in enumerate(people):
        lists = rng.sample(groups, rng.choice((1, 1, 1, 2, 2, 3)))
        for j, g in enumerate(lists):
            spelled = email if j == 0 else email.upper() if j == 1 else f" {email}"
            p = Person.objects.create(
                network=net,
                name=name,
                email=spelled,
                membership_number=number if j != 1 else number.lower(),
                member=party[k] if k < len(party) and j == 0 else None,
            )
            GroupMembership.objects.create(group=g, person=p, joined_on=joined, source="import")
    # the demo's own logins among them
    voter = _user("voter", people[5][1], password)
    candidate = _user("candidate", people[7][1], password)
    leeds = next(g for g in groups if g.name == "Leeds Left")
    for g in (leeds, groups[22]):
        if not GroupMembership.objects.filter(group=g, person__email__iexact=people[5][1]).exists():
            p = Person.objects.create(network=net, name=people[5][0], email=people[5][1])
            GroupMembership.objects.create(group=g, person=p, joined_on=joined, source="import")
    published = _published(net, groups, organiser, voter, password, now, rng)
    open_primary = _in_hustings(net, groups, organiser, candidate, voter, password, now)
    voting = _voting(net, groups, organiser, password, now)
    return {
        "network": net.slug,
        "groups": len(groups),
        "waiting": waiting.name,
        "published": published.pk,
        "open": open_primary.pk,
        "voting": voting.pk,
    }


def _candidate_user(net: Network, groups: list, name: str, password: str, i: int) -> object:
    email = f"{name.lower().replace(' ', '.')}@example.org"
    u = _user(f"cand{i}-{name.split()[0].lower()}", email, password)
    p = Person.objects.create(network=net, name=name, email=email, user=u)  # type: ignore[misc]
    GroupMembership.objects.create(
        group=groups[i % len(groups)],
        person=p,
        joined_on=timezone.localdate() - 300 * DAY,
        source="signup",
    )
    return u


def _back(cand: object, groups: list, count: int, now: dt.datetime, start: int) -> None:
    for g in groups[start : start + count]:
        admin = GroupAdmin.objects.filter(group=g).first()
        pa.back_candidate(cand, g, by=admin.user, now=now)  # type: ignore[arg-type,union-attr]


def _published(net, groups, organiser, voter, password, now, rng):  # type: ignore[no-untyped-def]
    start = now - 60 * DAY
    p = pa.create_primary(
        net,
        title="National executive slate 2026",
        purpose="The network's slate for the constituency section of the party's national "
        "executive: nine seats, at least five of them for women.",
        seats=9,
        freeze_date=(start + 10 * DAY).date(),
        nominations_open=start,
        nominations_close=start + 14 * DAY,
        voting_open=start + 20 * DAY,
        voting_close=start + 34 * DAY,
        constraints={"minima": {"women": 5}},
        backing_threshold={"kind": "group", "count": 3},
        by=organiser,
    )
    during = start + 3 * DAY
    names = SLATE_WOMEN + SLATE_MEN
    for i, name in enumerate(names):
        u = _candidate_user(net, groups, name, password, i)
        cand = pa.self_nominate(
            p,
            by=u,
            name=name,
            stands_as=["women"] if name in SLATE_WOMEN else [],  # type: ignore[arg-type]
            statement=f"{name.split()[0]} has organised in the network for years and stands "
            "for a party run by its members.",
            now=during,
        )
        _back(cand, groups, 3 + i % 3, during, i)
    pa.open_primary(p, by=organiser, now=start + 20 * DAY)
    cards = list(p.entries.values_list("card_id", flat=True).distinct())
    mine = voter_for(voter, p.election)  # type: ignore[arg-type]
    voting = start + 25 * DAY
    card_model = Member.objects.in_bulk(cards)
    for k, card_id in enumerate(sorted(cards)):
        if k % 5 == 4 and card_id != getattr(mine, "pk", None):
            continue  # four in five vote
        men = list(SLATE_MEN)
        women = list(SLATE_WOMEN)
        rng.shuffle(men)
        rng.shuffle(women)
        ranking = men[:5] + women[:4] if k % 3 else women[:3] + men[:6]
        elections.cast(p.election, card_model[card_id], ranking, now=voting)
    pa.close_primary(p, by=organiser, now=start + 35 * DAY)
    pa.publish_primary(p, by=organiser, digest=pa.count_primary(p, by=organiser))
    return p


def _in_hustings(net, groups, organiser, candidate, asking, password, now):  # type: ignore[no-untyped-def]
    p = pa.create_primary(
        net,
        title="Local government committee slate",
        purpose="The network's slate for the party's local government committee: five seats, "
        "at least two for women. Members ask the candidates questions until nominations close.",
        seats=5,
        freeze_date=(now + 10 * DAY).date(),
        nominations_open=now - 7 * DAY,
        nominations_close=now + 14 * DAY,
        voting_open=now + 21 * DAY,
        voting_close=now + 35 * DAY,
        constraints={"minima": {"women": 2}},
        backing_threshold={"kind": "group", "count": 2},
        by=organiser,
    )
    themes = {t: pa.start_theme(p, t, by=organiser) for t in dict.fromkeys(t for t, _ in QUESTIONS)}
    for title, text in QUESTIONS:
        q = pa.ask_question(p, text, by=asking)
        pa.group_question(q, themes[title], by=organiser)
    pa.ask_question(p, "Will candidates publish their expenses?", by=asking)
    for i, (name, woman) in enumerate(OPEN_CANDIDATES):
        u = candidate if i == 0 else _candidate_user(net, groups, name, password, 20 + i)
        cand = pa.self_nominate(
            p,
            by=u,
            name=name,
            stands_as=["women"] if woman else [],
            statement=f"{name.split()[0]} is a councillor's caseworker and a tenants' organiser.",
        )
        _back(cand, groups, 2 if i != 3 else 1, timezone.now(), 5 + i)
        if i > 0:
            for title, theme in themes.items():
                pa.answer_theme(
                    cand,
                    theme,
                    f"{name.split()[0]} on {title.lower()}: yes, and here is how, step by step.",
                    by=u,
                )
    _hustings_meeting(p, organiser, now)
    return p


def _hustings_meeting(p, organiser, now):  # type: ignore[no-untyped-def]
    """The open primary's hustings, held online as a meeting of the party's national unit:
    called with its notice and an agenda that follows the hustings' themes, ten days ahead
    (after the notice period, before nominations close)."""
    national = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if national is None:  # no party register seeded: the hustings stays online only
        return
    body = meetings.create_body(
        unit=national,
        kind="all_member",
        name=f"{p.network.name} hustings",
        by=None,
        visitors_admitted=True,
    )
    themes = dict.fromkeys(t for t, _ in QUESTIONS)
    meeting = meetings.call_meeting(
        body,
        title=f"Online hustings: {p.election.title}",
        start=timezone.localtime(now + 10 * DAY).replace(
            hour=19, minute=0, second=0, microsecond=0
        ),
        by=None,
        items=[
            "Welcome and how the hustings runs",
            "Candidates' opening statements",
            *(f"Questions on {t.lower()}" for t in themes),
            "Questions from the floor",
            "Closing statements",
        ],
        join_url="https://video.example.org/left-network-hustings",
        now=now,
    )
    hm.hold_hustings_as_meeting(p, meeting, by=organiser, now=now)


def _voting(net, groups, organiser, password, now):  # type: ignore[no-untyped-def]
    """A primary now voting, its roll made from the groups' lists: most of its people are
    known only by an imported list (no account); opened without a site address, so no
    sign-in links are sent (the organiser may send them from the primary's page)."""
    opens = now - 2 * DAY
    p = pa.create_primary(
        net,
        title="Policy forum delegates",
        purpose="The network's three delegates to the party's national policy forum.",
        seats=3,
        freeze_date=(now - 5 * DAY).date(),
        nominations_open=now - 20 * DAY,
        nominations_close=now - 10 * DAY,
        voting_open=opens,
        voting_close=now + 12 * DAY,
        constraints={},
        backing_threshold={},
        by=organiser,
    )
    for i, name in enumerate(VOTING_CANDIDATES):
        u = _candidate_user(net, groups, name, password, 40 + i)
        pa.self_nominate(
            p,
            by=u,
            name=name,
            statement=f"{name.split()[0]} will take the groups' motions to the forum.",
            now=now - 15 * DAY,
        )
    pa.open_primary(p, by=organiser, now=opens)
    return p
