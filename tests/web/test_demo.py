"""The demo organisation: a realistic tree and register, logins for each role, open occasions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grassroots.audit.log import verify
from grassroots.members.demo import seed
from grassroots.members.models import Member, Occasion, Role, Unit

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_demo_has_regions_twenty_branches_wards_and_varied_members() -> None:
    logins = seed(members=400)
    kinds = {
        k: Unit.objects.filter(kind=k).count()
        for k in ("national", "region", "branch", "ward", "affiliate")
    }
    assert kinds == {"national": 1, "region": 4, "branch": 20, "ward": 60, "affiliate": 2}
    assert Member.objects.count() == 404
    statuses = set(Member.objects.values_list("status", flat=True))
    assert {"provisional", "full", "lapsed", "suspended"} <= statuses
    assert Occasion.objects.filter(is_open=True).count() == 2
    assert {login.username for login in logins} >= {"admin", "secretary", "member"}
    assert Role.objects.filter(
        user__username="secretary", kind="branch_secretary", unit__code="hillford"
    ).exists()
    assert verify() is None


@pytest.mark.django_db
def test_the_demo_refuses_to_seed_a_database_that_already_has_an_organisation() -> None:
    seed(members=10)
    from grassroots.members.actions import ActionRefused

    with pytest.raises(ActionRefused, match="already has an organisation"):
        seed(members=10)


def test_the_demo_command_seeds_sqlite_and_prints_the_address_and_logins(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "grassroots",
            "demo",
            "--no-serve",
            "--members",
            "50",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "grassroots demo: http://127.0.0.1:8000/" in out.stdout
    assert "secretary  branch secretary of Hillford Branch" in out.stdout
    assert (tmp_path / "grassroots.sqlite3").is_file()
