"""A secretary's home page lists what needs doing (issue 9.12): open elections their members
vote in, nominations their bodies have still to record, and uploads waiting for them."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from grassroots.elections import actions
from grassroots.members.eligibility import RuleSet
from tests.elections.conftest import DAY, NOW, make_election
from tests.web.conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db

UPDATE = (
    "number,name,email,branch,ward,join_date,status\n"
    "M1,Ann Arrears,a@b.example,hillford,,2019-01-01,full\n"
)


def _login(who: str) -> Client:
    c = Client()
    assert c.login(username=who, password=PASSWORD)
    return c


def _tasks(c: Client) -> str:
    html = " ".join(c.get("/").content.decode().split())
    m = re.search(r'<section class="card" id="what-needs-doing".*?</section>', html)
    return m.group(0) if m else ""


def _nominating(org: Org) -> object:
    return actions.create_election(
        title="Regional rep",
        seats=1,
        rule="scottish",
        unit=org.north,
        eligibility=RuleSet(on=NOW.date()),
        freeze_date=NOW.date() - 20 * DAY,
        nominations_open=NOW - DAY,
        nominations_close=NOW + 2 * DAY,
        voting_open=NOW + 3 * DAY,
        voting_close=NOW + 5 * DAY,
        threshold={"kind": "branch", "count": 1},
        by=org.users["returning"],
    )


def test_a_nomination_still_to_record_is_listed_until_it_is_recorded(org: Org) -> None:
    e = _nominating(org)
    c = _login("secretary")
    tasks = _tasks(c)
    assert "Nominations to record" in tasks
    assert (
        f'href="/elections/{e.pk}/#record-nomination">Hillford: its nomination in Regional rep'
        in tasks
    )
    assert "Moorside" not in tasks  # not this secretary's branch
    actions.record_nomination(e, body=org.hillford, candidate=None, by=org.users["secretary"])
    assert "Hillford: its nomination" not in _tasks(c)


def test_an_open_election_covering_the_branch_is_listed(org: Org) -> None:
    e = make_election(org).election
    tasks = _tasks(_login("secretary"))
    assert "Open elections" in tasks
    assert f'href="/elections/{e.pk}/">Chair and vice-chair</a>' in tasks


def test_an_upload_waiting_for_confirmation_is_listed_and_its_report_shown_again(
    org: Org,
) -> None:
    c = _login("secretary")
    c.post("/units/hillford/import/", {"file": SimpleUploadedFile("reg.csv", UPDATE.encode())})
    tasks = _tasks(c)
    assert "Imports waiting" in tasks
    link = re.search(r'href="(/units/hillford/import/waiting/\?token=\w+)"', tasks)
    assert link and "reg.csv for Hillford: checked, waiting for you to confirm" in tasks
    report = c.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "Nothing has been imported." in report
    token = link.group(1).split("token=")[1]
    r = c.post("/units/hillford/import/confirm/", {"token": token}, follow=True)
    assert "updated 1" in r.content.decode()
    assert "Imports waiting" not in _tasks(c)


def test_another_users_waiting_token_shows_nothing(org: Org) -> None:
    c = _login("secretary")
    c.post("/units/hillford/import/", {"file": SimpleUploadedFile("reg.csv", UPDATE.encode())})
    token = re.search(r"token=(\w+)", _tasks(c)).group(1)  # type: ignore[union-attr]
    admin = _login("admin")
    r = admin.get(f"/units/hillford/import/waiting/?token={token}", follow=True)
    assert "That upload has expired" in r.content.decode()
    assert "Nothing has been imported." not in r.content.decode()


def test_with_nothing_to_do_the_secretary_is_told_so_and_a_member_sees_no_such_list(
    org: Org,
) -> None:
    assert "Nothing waits for you" in _tasks(_login("secretary"))
    assert _tasks(_login("ann")) == ""
