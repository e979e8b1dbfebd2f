"""A national organisation of 500,000 members on PostgreSQL, seeded once and shared by the
national-scale benchmarks (pages, roll freeze, invitations, two app servers).

``python -m bench.national --database-url postgres://…/scale500k [--members N]`` migrates the
database and, unless it already holds the register, seeds it in bulk (COPY): 12 regions, 600
branches with two wards each, N members (names, addresses, dates and statuses varied; seeded),
an audit log with one entry per member, the officers the pages are read as (an administrator,
a branch secretary, a returning officer, a member with a login) and elections in every state.
Nothing else in the benchmark suite writes this register; the benchmarks that add rows
(invitations, rolls) remove their own before they start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import tempfile
import time
from typing import Any

FIRST = [
    "Aisha",
    "Alan",
    "Amara",
    "Anna",
    "Ben",
    "Bronwen",
    "Carlos",
    "Chloe",
    "Dafydd",
    "Deepa",
    "Eamon",
    "Elena",
    "Fatima",
    "Finn",
    "Grace",
    "Gwen",
    "Hamid",
    "Hannah",
    "Ifan",
    "Isla",
    "Jack",
    "Jamal",
    "Kate",
    "Kwame",
    "Laura",
    "Liam",
    "Mairi",
    "Mohammed",
    "Nadia",
    "Niamh",
    "Olu",
    "Owen",
    "Priya",
    "Rhys",
    "Rosa",
    "Sam",
    "Sara",
    "Sean",
    "Tariq",
    "Tom",
    "Una",
    "Victor",
    "Wei",
    "Yusuf",
    "Zainab",
    "Zoe",
]
LAST = [
    "Ahmed",
    "Bell",
    "Brown",
    "Campbell",
    "Chen",
    "Clarke",
    "Davies",
    "Edwards",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Jones",
    "Kaur",
    "Khan",
    "Lewis",
    "Macdonald",
    "Martin",
    "Morgan",
    "Murray",
    "Nowak",
    "Okafor",
    "Patel",
    "Price",
    "Reid",
    "Roberts",
    "Ross",
    "Scott",
    "Singh",
    "Smith",
    "Stewart",
    "Taylor",
    "Thomas",
    "Thompson",
    "Walker",
    "Watson",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
]
STATUSES = ["full"] * 88 + ["provisional"] * 4 + ["lapsed"] * 5 + ["suspended"] * 2 + ["expelled"]

REGIONS = 12
BRANCHES = 600
WARDS_PER_BRANCH = 2
# the officers the pages are read as (usernames)
ADMIN, SECRETARY, RETURNING, MEMBER = "n-admin", "n-secretary", "n-returning", "n-member"


def setup(database_url: str) -> None:
    """Django on ``database_url`` with production settings over plain HTTP (the servers the
    benchmarks start inherit them), officers' second factor not required (no personal data
    beyond the synthetic register; the sessions are written directly)."""
    os.environ.setdefault("GRASSROOTS_DATA_DIR", tempfile.mkdtemp(prefix="grassroots-bench-"))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.site.settings")
    os.environ.setdefault("GRASSROOTS_SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    os.environ.setdefault("GRASSROOTS_SSL_REDIRECT", "0")
    os.environ.setdefault("GRASSROOTS_SECURE_COOKIES", "0")
    os.environ.setdefault("GRASSROOTS_OFFICER_MFA", "0")
    import django

    django.setup()


def timed(label: str, t0: float) -> float:
    t = time.perf_counter()
    print(f"  {label:<44} {t - t0:7.1f} s", flush=True)
    return t


def seeded() -> int:
    from grassroots.members.models import Member

    return Member.objects.count()


def units() -> tuple[Any, list[Any], list[list[int]]]:
    """The organisation: the national unit, its branches, and each branch's ward ids."""
    from django.db import transaction

    from grassroots.members import actions as m
    from grassroots.members.models import Unit

    with transaction.atomic():
        nat = m.create_unit(kind="national", code="nat", name="National", parent=None, by=None)
        branches: list[Unit] = []
        wards: list[list[int]] = []
        for r in range(REGIONS):
            region = m.create_unit(
                kind="region", code=f"r{r}", name=f"Region {r}", parent=nat, by=None
            )
            for b in range(r, BRANCHES, REGIONS):
                branch = m.create_unit(
                    kind="branch", code=f"b{b}", name=f"Branch {b}", parent=region, by=None
                )
                branches.append(branch)
                wards.append(
                    [
                        m.create_unit(
                            kind="ward",
                            code=f"b{b}w{w}",
                            name=f"Ward {b}.{w}",
                            parent=branch,
                            by=None,
                        ).pk
                        for w in range(WARDS_PER_BRANCH)
                    ]
                )

    return nat, branches, wards


def seed(members: int, seed: int = 11) -> None:
    """Seed the register (the database holds no members yet)."""
    from django.db import connection

    rng = random.Random(seed)
    t = time.perf_counter()
    nat, branches, wards = units()
    t = timed(f"{1 + REGIONS + BRANCHES * (1 + WARDS_PER_BRANCH)} units", t)

    today = dt.date.today()
    cols = (
        "number, name, email, branch_id, ward_id, join_date, status, paid_up_to, rate_band, "
        "gender, birth_date"
    )
    with (
        connection.cursor() as cur,
        cur.cursor.copy(f"COPY members_member ({cols}) FROM STDIN") as copy,
    ):
        for i in range(members):
            k = i % len(branches)
            join = today - dt.timedelta(days=rng.randrange(30, 9000))
            paid = today + dt.timedelta(days=rng.randrange(-400, 365))
            birth = today - dt.timedelta(days=rng.randrange(16 * 365, 90 * 365))
            copy.write_row(
                (
                    f"N{i:07d}",
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    f"n{i:07d}@example.org",
                    branches[k].pk,
                    wards[k][i % WARDS_PER_BRANCH],
                    join,
                    rng.choice(STATUSES),
                    max(paid, join),
                    "standard",
                    ("woman", "man", "non-binary", "")[i % 4],
                    birth,
                )
            )
    t = timed(f"{members} members (COPY)", t)
    _audit(members)
    t = timed(f"{members} audit entries (chained, COPY)", t)
    _officers(nat, branches[0])
    _elections(nat, branches)
    t = timed("officers and elections", t)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    timed("VACUUM ANALYZE", t)


def _audit(members: int) -> None:
    """One payment entry per member, chained as ``record_many`` chains them, written by COPY."""
    from django.db import connection, transaction
    from django.utils import timezone

    from grassroots.audit.log import _digest, _tail

    with transaction.atomic():
        previous = _tail()
        at = timezone.now()
        with (
            connection.cursor() as cur,
            cur.cursor.copy(
                "COPY audit_auditentry (at, actor_id, actor_name, action, subject, summary, reason,"
                " detail, previous, digest) FROM STDIN"
            ) as copy,
        ):
            for i in range(members):
                fields: dict[str, Any] = {
                    "at": at.isoformat(),
                    "actor": None,
                    "actor_name": "system",
                    "action": "member.payment",
                    "subject": f"member:N{i:07d}",
                    "summary": f"Recorded a payment for N{i:07d}",
                    "reason": "",
                    "detail": {"source": "bench"},
                }
                digest = _digest(previous, fields)
                copy.write_row(
                    (
                        at,
                        None,
                        "system",
                        fields["action"],
                        fields["subject"],
                        fields["summary"],
                        "",
                        json.dumps(fields["detail"]),
                        previous,
                        digest,
                    )
                )
                previous = digest


def _officers(nat: Any, branch: Any) -> None:
    from django.contrib.auth.models import User
    from django.db import transaction

    from grassroots.members.models import Member, Role

    with transaction.atomic():
        for name, kind, unit in (
            (ADMIN, "administrator", nat),
            (SECRETARY, "branch_secretary", branch),
            (RETURNING, "returning_officer", nat),
        ):
            u = User.objects.create(username=name, password="!bench-no-password")
            Role.objects.create(user=u, kind=kind, unit=unit)
        u = User.objects.create(username=MEMBER, password="!bench-no-password")
        m = Member.objects.filter(branch=branch, status="full").order_by("number").first()
        assert m is not None
        Member.objects.filter(pk=m.pk).update(user=u)


def _elections(nat: Any, branches: list[Any]) -> None:
    """Elections in every state over branches (the list's rows), and a national one in draft,
    ready to open (its roll of the whole register is frozen by the pages benchmark)."""
    from django.utils import timezone

    from grassroots.elections import actions
    from grassroots.members.eligibility import RuleSet

    now = timezone.now()
    day = dt.timedelta(days=1)

    def make(unit: Any, title: str, open_in: dt.timedelta) -> Any:
        e = actions.create_election(
            title=title,
            seats=3,
            rule="scottish",
            unit=unit,
            eligibility=RuleSet(on=now.date(), min_membership_days=30),
            freeze_date=now.date(),
            nominations_open=now - 10 * day,
            nominations_close=now - 5 * day + open_in,
            voting_open=now - 4 * day + open_in,
            voting_close=now + 3 * day + open_in,
            threshold={},
            by=None,
            now=now - 11 * day,
        )
        for c in "ABCDEF":
            cand = actions.add_candidate(
                e, name=f"{title} candidate {c}", by=None, now=now - 9 * day
            )
            actions.consent(cand, statement="", by=None, now=now - 9 * day)
        return e

    make(nat, "National executive", dt.timedelta(0))
    for i, b in enumerate(branches[:40]):
        e = make(
            b, f"Branch {b.code} committee", dt.timedelta(days=20) if i % 2 else dt.timedelta(0)
        )
        if i % 2 == 0:
            actions.open_voting(e, by=None, now=now)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--members", type=int, default=500_000)
    args = ap.parse_args(argv)
    setup(args.database_url)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    have = seeded()
    if have:
        print(f"already seeded: {have} members")
        return
    t0 = time.perf_counter()
    print(f"seeding {args.members} members")
    seed(args.members)
    print(f"seeded in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
