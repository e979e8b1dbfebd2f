"""Primary benchmark: 300 groups whose lists total 500,000 rows, 30% of them people another
group also lists (under another spelling of the address, or another address with the same
membership number), deduplicated into a primary's roll and voting opened on it.

Run: ``.venv/bin/python -m bench.bench_primary [--rows N] [--groups G] [--overlap 0.3]
[--database-url URL]``. Uses a fresh SQLite file in a temporary folder unless
``--database-url`` names a (disposable: it is migrated and emptied) PostgreSQL database.
Seeding is not timed; the roll is, and its counts are checked exactly against the people the
seed made. docs/benchmarks.md "Primaries" records the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def timed(label: str, fn: Callable[[], T]) -> T:
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label:<56} {wall:8.3f} s wall {cpu:8.3f} s cpu", flush=True)
    return out


def plan(rows: int, groups: int, overlap: float, seed: int = 12) -> tuple[list[tuple], int]:
    """(group, name, e-mail, membership number) per row, and the number of distinct people.

    ``overlap`` of the rows repeat a person already listed by another group: half under the
    same address typed differently, half under another address with their membership number
    (which their first listing also carries)."""
    rng = random.Random(seed)
    repeats = int(rows * overlap)
    people = rows - repeats
    out: list[tuple] = []
    for i in range(people):
        number = f"M{i:07d}" if i % 2 else ""
        out.append((i % groups, f"Person {i}", f"p{i}@example.org", number))
    for _ in range(repeats):
        i = rng.randrange(people)
        g = (i % groups + rng.randrange(1, groups)) % groups  # another group than the first
        if i % 2:
            out.append((g, f"P. {i}", f"work{i}@example.net", f"m-{i:07d}"))
        else:
            out.append((g, f"Person {i}", f"  P{i}@Example.org", ""))
    rng.shuffle(out)
    return out, people


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=500_000)
    ap.add_argument("--groups", type=int, default=300)
    ap.add_argument("--overlap", type=float, default=0.3)
    ap.add_argument("--database-url", default=None)
    args = ap.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="grassroots-bench-")
    os.environ["GRASSROOTS_DATA_DIR"] = tmp
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.site.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from grassroots.network.actions import primaries as pa
    from grassroots.network.actions.primary_roll import _copy_rows
    from grassroots.network.models import (
        Group,
        GroupMembership,
        Network,
        Organiser,
        Person,
        PrimaryEntry,
        PrimaryGroupFigure,
    )

    print(
        f"primary benchmark: {args.rows} rows, {args.groups} groups, "
        f"{args.overlap:.0%} overlap, {connection.vendor}",
        flush=True,
    )
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    rows, people = plan(args.rows, args.groups, args.overlap)
    net = Network.objects.create(name="Bench Network", slug="bench")
    organiser = get_user_model().objects.create_user("organiser", "o@example.org", "x")
    Organiser.objects.create(network=net, user=organiser)
    groups = Group.objects.bulk_create(
        [
            Group(
                network=net,
                name=f"Group {g}",
                slug=f"group-{g}",
                area="Somewhere",
                kind="local",
                contact=f"g{g}@example.org",
                stated_size=0,
                status="accepted",
            )
            for g in range(args.groups)
        ]
    )
    joined = dt.date(2025, 1, 1)

    def seed() -> None:
        now = timezone.now()
        _copy_rows(
            Person,
            ("network_id", "name", "email", "phone", "postcode", "membership_number", "created_at"),
            [(net.pk, name, email, "", "", number, now) for _, name, email, number in rows],
        )
        ids = list(Person.objects.filter(network=net).order_by("pk").values_list("pk", flat=True))
        _copy_rows(
            GroupMembership,
            ("group_id", "person_id", "joined_on", "source", "confirmed"),
            [
                (groups[g].pk, pid, joined, "import", True)
                for (g, _, _, _), pid in zip(rows, ids, strict=True)
            ],
        )

    timed(f"seed {len(rows)} list rows (not part of the target)", seed)
    now = timezone.now()
    day = dt.timedelta(days=1)
    primary = pa.create_primary(
        net,
        title="Bench slate",
        purpose="benchmark",
        seats=9,
        freeze_date=dt.date(2025, 6, 1),
        nominations_open=now - 10 * day,
        nominations_close=now - 2 * day,
        voting_open=now - day,
        voting_close=now + 5 * day,
        by=organiser,
    )
    candidate_ids = list(Person.objects.filter(network=net).order_by("pk")[:3])
    for p in candidate_ids:
        u = get_user_model().objects.create_user(f"c{p.pk}", p.email.strip().lower(), "x")
        pa.self_nominate(primary, by=u, name=p.name, statement="s", now=now - 5 * day)
    on_roll = timed(
        "make the roll and open voting (dedup, records, roll)",
        lambda: pa.open_primary(primary, by=organiser),
    )
    primary.refresh_from_db()
    e = primary.election
    figures = PrimaryGroupFigure.objects.filter(primary=primary)
    elsewhere = sum(f.found_elsewhere for f in figures)
    print(
        f"roll {on_roll} (expected {people}); entries {primary.entries_count}; "
        f"groups {primary.groups_count}; roll_size {e.roll_size}; "
        f"entries kept {PrimaryEntry.objects.filter(primary=primary).count()}; "
        f"sum of groups' found-elsewhere {elsewhere}",
        flush=True,
    )
    assert on_roll == people == e.roll_size, "the roll must hold each person exactly once"
    assert primary.entries_count == len(rows)
    print("exact: every person once", flush=True)


if __name__ == "__main__":
    main()
