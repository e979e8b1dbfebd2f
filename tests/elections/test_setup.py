"""Setting up an election: electorate and constraint fields, and bounds no ballot could meet."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from grassroots.elections import actions
from grassroots.elections.models import Election
from tests.elections.conftest import CANDIDATES, DAY, NOW, make_election
from tests.web.conftest import PASSWORD, Org


def _form(org: Org, **extra: str) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "National executive",
        "seats": "3",
        "rule": "meek",
        "unit": str(org.national.pk),
        "freeze_date": str(NOW.date()),
        "nominations_open": (NOW + DAY).strftime("%Y-%m-%dT%H:%M"),
        "nominations_close": (NOW + 2 * DAY).strftime("%Y-%m-%dT%H:%M"),
        "voting_open": (NOW + 3 * DAY).strftime("%Y-%m-%dT%H:%M"),
        "voting_close": (NOW + 4 * DAY).strftime("%Y-%m-%dT%H:%M"),
        "nominating_kinds": ["branch", "affiliate"],
        "threshold": json.dumps(
            {
                "any": [
                    {"kind": "branch", "count": 2},
                    {"kind": "affiliate", "count": 3, "subkind": "union", "subcount": 2},
                ]
            }
        ),
    }
    data.update(extra)
    return data


@pytest.fixture
def officer(client: Client, org: Org) -> Client:
    assert client.login(username="returning", password=PASSWORD)
    return client


def test_the_form_sets_arrears_maxima_and_the_kinds_of_nominating_body(
    officer: Client, org: Org
) -> None:
    paid = NOW.date() - 10 * DAY
    r = officer.post(
        "/elections/new/",
        _form(
            org,
            paid_up_to=str(paid),
            minima="women=1",
            maxima="north=2, youth=1",
            body_subkinds="hillford = union\nmoorside=society\n",
        ),
    )
    assert r.status_code == 302, r.content.decode()
    e = Election.objects.get(title="National executive")
    assert e.eligibility["paid_up_to"] == str(paid)
    assert e.constraints == {"minima": {"women": 1}, "maxima": {"north": 2, "youth": 1}}
    assert e.body_subkinds == {"hillford": "union", "moorside": "society"}


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("maxima", "north=two", "&#x27;north=two&#x27;: write group=number, e.g. region-london=2"),
        ("minima", "women=1 women=2", "&#x27;women&#x27; is given twice"),
        ("body_subkinds", "hillford", "line 1: &#x27;hillford&#x27;: write code=kind"),
        ("body_subkinds", "nowhere=union", "no unit has the code nowhere"),
        ("minima", "women=4", "at least 4 seats for women, but only 3 to fill"),
    ],
)
def test_bad_set_up_fields_are_refused_naming_the_problem_and_nothing_is_created(
    officer: Client, org: Org, field: str, value: str, error: str
) -> None:
    r = officer.post("/elections/new/", _form(org, **{field: value}))
    assert r.status_code == 200
    assert error in r.content.decode()
    assert not Election.objects.exists()


def test_a_maximum_below_the_minimum_is_refused_at_set_up(org: Org) -> None:
    with pytest.raises(actions.ActionRefused, match="women: the maximum 1 is below the minimum 2"):
        make_election(org, constraints={"minima": {"women": 2}, "maxima": {"women": 1}})
    assert not Election.objects.exists()


def test_voting_does_not_open_when_no_candidate_is_in_a_group_with_a_minimum(org: Org) -> None:
    with pytest.raises(actions.ActionRefused, match="no candidate on the ballot is in youth"):
        make_election(org, constraints={"minima": {"youth": 1}})
    e = Election.objects.get()
    assert e.state == "draft" and not e.roll.exists()


def test_voting_does_not_open_when_the_ballot_cannot_meet_a_minimum(
    org: Org,
) -> None:
    # three seats for women, but only Alice and Bea are women
    with pytest.raises(
        actions.ActionRefused,
        match=r"cannot meet the constraints: .*only 2 candidate\(s\) in women are standing",
    ):
        make_election(org, constraints={"minima": {"women": 3}}, seats=3)
    assert Election.objects.get().state == "draft"


def test_a_maximum_on_a_group_nobody_stands_in_is_met_and_the_count_runs(org: Org) -> None:
    s = make_election(org, constraints={"maxima": {"youth": 1}})
    actions.cast(s.election, org.ann, list(CANDIDATES))
    actions.close_voting(s.election, by=None, now=NOW + 6 * DAY)
    actions.publish_result(s.election, by=None)
    assert s.election.publication.files["result.json"]
