"""A demo organisation to click through: a national party, regions, 20 branches with wards,
a few thousand members with realistic variety, officers' logins and open meetings and ballots.

Deterministic (seeded), written through the actions so the audit log shows how it came about.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from grassroots.members import actions, csvio
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Member, Unit

__all__ = ["DEMO_PASSWORD", "DemoLogin", "seed"]

DEMO_PASSWORD = "demo-password"

REGIONS = {
    "North": ["Hillford", "Moorside", "Castleton", "Brackenby", "Tynebridge"],
    "Midlands": ["Ashworth", "Kingsmere", "Oakhampton", "Redbrook", "Stonebury"],
    "South": ["Harbourne", "Westmarsh", "Chalkdown", "Seabrook", "Elmstead"],
    "Wales": ["Aberwen", "Llanfach", "Pontyglas", "Cwmderi", "Trefynydd"],
}
WARDS = ("Central", "East", "West")
FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jack",
    "Kofi",
    "Leah",
    "Mo",
    "Nia",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Vic",
    "Wen",
    "Yusuf",
    "Zara",
    "Aled",
    "Bethan",
    "Ceri",
    "Dafydd",
    "Eira",
    "Gwen",
    "Huw",
    "Iolo",
    "Megan",
    "Rhys",
]
LAST = [
    "Ahmed",
    "Brown",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Roberts",
    "Smith",
    "Taylor",
    "Usman",
    "Vaughan",
    "Williams",
    "Xu",
    "Young",
    "Zielinski",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str


def _members(
    rng: random.Random, branches: list[Unit], wards: dict[int, list[Unit]], today: dt.date, n: int
) -> list[csvio.MemberRow]:
    rows = []
    for i in range(n):
        branch = branches[i % len(branches)]
        ward = rng.choice(wards[branch.pk])
        join = today - dt.timedelta(days=int(rng.expovariate(1 / 1500)) % 9000)
        roll = rng.random()
        if (today - join).days < 56:
            status = "provisional"
        elif roll < 0.06:
            status = "lapsed"
        elif roll < 0.085:
            status = "suspended"
        elif roll < 0.09:
            status = "expelled"
        else:
            status = "full"
        # most are paid up to the end of this year or next month; ~15% are in arrears
        if rng.random() < 0.15 or status == "lapsed":
            paid = today - dt.timedelta(days=rng.randint(1, 400))
        else:
            paid = today + dt.timedelta(days=rng.randint(20, 365))
        paid = max(paid, join)
        age = rng.randint(16, 88)
        birth = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        birth = min(birth, join - dt.timedelta(days=16 * 365))  # members join at 16 or older
        g = rng.random()
        gender = "woman" if g < 0.48 else "man" if g < 0.96 else "non-binary" if g < 0.98 else ""
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        rows.append(
            csvio.MemberRow(
                i + 2,
                f"D{100000 + i}",
                name,
                f"member{100000 + i}@example.org",
                branch.pk,
                ward.pk,
                join,
                status,
                paid,
                "youth" if age < 27 else rng.choice(("standard", "standard", "reduced", "retired")),
                gender,
                birth,
            )
        )
    return rows


def seed(members: int = 3000, today: dt.date | None = None) -> list[DemoLogin]:
    """Create the demo organisation in an empty database; return the demo logins."""
    if Unit.objects.exists():
        raise actions.ActionRefused(
            "the database already has an organisation; demo data goes in an empty one"
        )
    today = today or dt.date.today()
    rng = random.Random(20260101)
    national = actions.create_unit(
        kind="national", code="national", name="Demo Party", parent=None, by=None, reason="demo"
    )
    branches: list[Unit] = []
    wards: dict[int, list[Unit]] = {}
    for region, towns in REGIONS.items():
        r = actions.create_unit(
            kind="region", code=region.lower(), name=f"{region} Region", parent=national, by=None
        )
        for town in towns:
            b = actions.create_unit(
                kind="branch", code=town.lower(), name=f"{town} Branch", parent=r, by=None
            )
            branches.append(b)
            wards[b.pk] = [
                actions.create_unit(
                    kind="ward",
                    code=f"{town.lower()}-{w.lower()}",
                    name=f"{town} {w} Ward",
                    parent=b,
                    by=None,
                )
                for w in WARDS
            ]
    union = actions.create_unit(
        kind="affiliate",
        code="union-cwu-hillford",
        name="Hillford Postal Workers (affiliated union branch)",
        parent=branches[0],
        by=None,
    )
    society = actions.create_unit(
        kind="affiliate", code="fabians", name="Demo Socialist Society", parent=national, by=None
    )
    year_end = dt.date(today.year - 1, 12, 31)  # the delegate page's default snapshot
    for body, affiliated in ((union, 312), (society, 1840)):
        actions.record_affiliation(
            body, members=affiliated, as_of=year_end, by=None, reason="affiliation return"
        )
    parsed = csvio.ParseResult(rows=_members(rng, branches, wards, today, members), total=members)
    actions.import_members(parsed, unit=national, by=None, source="demo seed")

    home = branches[0]
    logins = []

    def login(username: str, role: str, member: Member | None = None) -> None:
        user = actions.create_login(
            username=username,
            password=DEMO_PASSWORD,
            email=f"{username}@example.org",
            member=member,
            by=None,
        )
        if role in ("branch_secretary", "branch_officer"):
            actions.grant_role(user=user, kind=role, unit=home, by=None, reason="demo")
        elif role != "member":
            actions.grant_role(user=user, kind=role, unit=national, by=None, reason="demo")
        logins.append(
            DemoLogin(
                username,
                f"{role.replace('_', ' ')}"
                + (f" of {home.name}" if role.startswith("branch") else ""),
            )
        )

    def new_member(
        number: str, name: str, join: dt.date, paid: dt.date | None, status: str
    ) -> Member:
        return actions.create_member(
            by=None,
            number=number,
            name=name,
            branch=home,
            ward=wards[home.pk][0],
            join_date=join,
            status=status,
            paid_up_to=paid,
            gender="woman",
            birth_date=dt.date(1990, 5, 1),
        )

    login("admin", "administrator")
    login(
        "secretary",
        "branch_secretary",
        new_member(
            "D900001",
            "Sara Secretary",
            today - dt.timedelta(days=3000),
            today + dt.timedelta(days=200),
            "full",
        ),
    )
    login(
        "officer",
        "branch_officer",
        new_member(
            "D900002",
            "Omar Officer",
            today - dt.timedelta(days=2000),
            today + dt.timedelta(days=200),
            "full",
        ),
    )
    login("returning", "returning_officer")
    login("executive", "executive")
    login(
        "member",
        "member",
        new_member(
            "D900003",
            "Mel Member",
            today - dt.timedelta(days=800),
            today - dt.timedelta(days=40),
            "full",
        ),
    )
    login(
        "newmember",
        "member",
        new_member(
            "D900004",
            "Nat Newcomer",
            today - dt.timedelta(days=20),
            today + dt.timedelta(days=345),
            "provisional",
        ),
    )

    agm = today + dt.timedelta(days=14)
    actions.create_occasion(
        by=None,
        title=f"{home.name} AGM",
        kind="meeting",
        unit=home,
        date=agm,
        rules=RuleSet(
            on=agm,
            freeze_date=today - dt.timedelta(days=7),
            paid_up_to=agm,
            may_pay_on_day=True,
            provisional_days=56,
            branch_id=home.pk,
            branch_name=home.name,
        ),
    )
    ballot = today + dt.timedelta(days=30)
    actions.create_occasion(
        by=None,
        title="National Executive ballot",
        kind="ballot",
        unit=national,
        date=ballot,
        rules=RuleSet(
            on=ballot,
            freeze_date=today - dt.timedelta(days=30),
            paid_up_to=today,
            min_membership_days=183,
        ),
    )
    return logins
