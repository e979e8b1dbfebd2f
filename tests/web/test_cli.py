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
