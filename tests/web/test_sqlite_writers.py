"""SQLite, the default database, serialises writers: overlapping writes wait, none fails.

Django's test database for SQLite lives in memory with a shared cache, where writers collide
on table locks that no timeout waits for; the real database is a file in WAL mode. So this test
starts a fresh ``grassroots`` process on its own SQLite file with the shipped settings (the
same ``DATABASES`` a deployment gets) and lets threads cast and edit the register at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
CASTERS = 10
EDITORS = 6
EDITS_EACH = 5

SCRIPT = f"""
import json, threading
import django
django.setup()
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from django.core.management import call_command
from django.db import connection
call_command("migrate", interactive=False, verbosity=0)
from grassroots.audit.log import verify
from grassroots.elections import actions as elections
from grassroots.elections.models import Ballot, VoterRecord
from grassroots.members import actions as members
from grassroots.members.models import Member
from tests.elections.conftest import NOW, make_election
from tests.web.conftest import _org

org = _org()
voters = [
    members.create_member(by=None, number=f"T{{i:02d}}", name=f"Voter {{i}}",
        branch=org.hillford, join_date=NOW.date().replace(year=2018), status="full")
    for i in range({CASTERS})
]
e = make_election(org).election
barrier = threading.Barrier({CASTERS} + {EDITORS})
errors = []

def cast(m):
    try:
        barrier.wait()
        elections.cast(e, m, ["Alice Able", "Bea Bold"])
    except BaseException as exc:
        errors.append(f"cast: {{exc!r}}")
    finally:
        connection.close()

def edit(i):
    try:
        barrier.wait()
        for j in range({EDITS_EACH}):
            members.update_member(org.bob, by=None, changes={{"name": f"Bob {{i}}-{{j}}"}})
    except BaseException as exc:
        errors.append(f"edit: {{exc!r}}")
    finally:
        connection.close()

threads = [threading.Thread(target=cast, args=(m,)) for m in voters]
threads += [threading.Thread(target=edit, args=(i,)) for i in range({EDITORS})]
for t in threads:
    t.start()
for t in threads:
    t.join()
broken = verify()
print(json.dumps({{
    "errors": errors,
    "ballots": Ballot.objects.filter(election=e).count(),
    "voters": VoterRecord.objects.filter(election=e).count(),
    "bob": Member.objects.get(pk=org.bob.pk).name,
    "audit": broken.problem if broken else "intact",
}}))
"""


def test_overlapping_casts_and_register_edits_on_sqlite_wait_for_each_other_and_all_succeed(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        GRASSROOTS_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="grassroots.site.settings",
        PYTHONPATH=str(REPO),
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert (tmp_path / "grassroots.sqlite3").is_file()
    assert outcome["errors"] == []
    assert outcome["ballots"] == outcome["voters"] == CASTERS
    assert outcome["bob"].startswith("Bob ")
    assert outcome["audit"] == "intact"


def test_a_new_sqlite_database_has_16_kib_pages_for_shallow_indexes_on_large_tables(
    db: None,
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("page size is SQLite's")
    with connection.cursor() as cur:
        cur.execute("PRAGMA page_size")
        assert cur.fetchone()[0] == 16384
