"""``grassroots import-members``: the same checks and report as the web page, from the shell."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from grassroots.cli.main import app
from grassroots.members.models import Member
from tests.web.conftest import Org

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data" / "web"


def test_an_import_with_errors_prints_each_problem_and_changes_nothing(
    org: Org, tmp_path: Path
) -> None:
    f = tmp_path / "reg.csv"
    f.write_text(
        "number,name,branch,join_date,status\nC1,Cy,hillford,2020-01-01,full\nC2,Di,hillford,2020-01-xx,full\n"
    )
    out = CliRunner().invoke(app, ["import-members", str(f), "--unit", "national"])
    assert out.exit_code == 1
    assert (
        f"{f}: row 3, column join_date: expected a date as YYYY-MM-DD, found '2020-01-xx'"
        in out.output
    )
    assert "nothing was imported" in out.output
    assert not Member.objects.filter(number__startswith="C").exists()
    out = CliRunner().invoke(
        app, ["import-members", str(f), "--unit", "national", "--import-valid"]
    )
    assert out.exit_code == 0, out.output
    assert "imported 1 member(s); skipped 1 row(s) with errors" in out.output


def test_the_valid_fixture_imports_cleanly(org: Org) -> None:
    out = CliRunner().invoke(
        app, ["import-members", str(DATA / "register_valid.csv"), "--unit", "north"]
    )
    assert out.exit_code == 0, out.output
    assert Member.objects.filter(number__startswith="W").count() == 3


def test_an_unknown_unit_is_an_error_naming_it(org: Org) -> None:
    out = CliRunner().invoke(
        app, ["import-members", str(DATA / "register_valid.csv"), "--unit", "atlantis"]
    )
    assert out.exit_code == 2 and "no unit with code 'atlantis'" in out.output


def test_an_import_lists_each_update_and_check_changes_nothing(org: Org, tmp_path: Path) -> None:
    f = tmp_path / "reg.csv"
    f.write_text(
        "number,name,branch,join_date,status,paid_up_to\n"
        "M2,Bob Moor,moorside,2019-01-01,full,2099-12-31\n"
        "C9,Cy,hillford,2020-01-01,full,\n"
    )
    out = CliRunner().invoke(app, ["import-members", str(f), "--unit", "national", "--check"])
    assert out.exit_code == 0, out.output
    assert f"{f}: row 2: updates M2: paid_up_to {org.bob.paid_up_to} → 2099-12-31" in out.output
    assert "checked: 1 new, 1 update(s), 0 unchanged, 0 row(s) with errors; nothing changed" in (
        out.output
    )
    assert not Member.objects.filter(number="C9").exists()
    out = CliRunner().invoke(app, ["import-members", str(f), "--unit", "national"])
    assert out.exit_code == 0, out.output
    assert "imported 1 member(s), updated 1; skipped 0 row(s) with errors" in out.output
    assert str(Member.objects.get(number="M2").paid_up_to) == "2099-12-31"


def test_an_import_into_a_branch_cannot_update_a_member_of_another(
    org: Org, tmp_path: Path
) -> None:
    f = tmp_path / "reg.csv"
    f.write_text("number,name,branch,join_date,status\nM2,Bob Moor,hillford,2019-01-01,full\n")
    out = CliRunner().invoke(app, ["import-members", str(f), "--unit", "hillford"])
    assert out.exit_code == 1
    assert "row 2, column number: M2 is a member of 'moorside'" in out.output
    assert Member.objects.get(number="M2").branch.code == "moorside"
