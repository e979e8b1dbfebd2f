"""Setting up an election: electorate and constraint fields, and bounds no ballot could meet."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from grassroots.elections import actions
from grassroots.elections.models import Election
from tests.elections.conftest import CANDIDATES, DAY, NOW, make_election
from tests.web.conftest import PASSWORD, Org


def _lines(prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    """A formset's fields as the browser posts them."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def setup_data(
    org: Org,
    *,
    conditions: list[dict[str, str]] | None = None,
    bounds: list[dict[str, str]] | None = None,
    **extra: object,
) -> dict[str, object]:
    """The set-up form filled in: posts, electorate, timetable, threshold and bound lines."""
    data: dict[str, object] = {
        "step": "save",
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
        **_lines(
            "condition",
            conditions
            if conditions is not None
            else [
                {"join": "and", "count": "2", "measure": "count", "kind": "branch"},
                {
                    "join": "or",
                    "count": "3",
                    "measure": "count",
                    "kind": "affiliate",
                    "subcount": "2",
                    "subkind": "union",
                },
            ],
        ),
        **_lines("bound", bounds or []),
    }
    data.update(extra)
    return data


@pytest.fixture
def officer(client: Client, org: Org) -> Client:
    assert client.login(username="returning", password=PASSWORD)
    return client


def _affiliates() -> None:
    from grassroots.members import actions as member_actions
    from grassroots.members.models import Unit

    nat = Unit.objects.get(code="national")
    for code, name in (("unite", "Unite"), ("fabians", "Fabian Society")):
        member_actions.create_unit(kind="affiliate", code=code, name=name, parent=nat, by=None)


def test_the_form_builds_the_threshold_bounds_arrears_and_kinds_of_body_from_plain_fields(
    officer: Client, org: Org
) -> None:
    _affiliates()
    paid = NOW.date() - 10 * DAY
    r = officer.post(
        "/elections/new/",
        setup_data(
            org,
            paid_up_to=str(paid),
            bounds=[
                {"bound": "minima", "number": "1", "group": "women"},
                {"bound": "maxima", "number": "2", "group": "north"},
                {"bound": "maxima", "number": "1", "group": "youth"},
            ],
            subkind_unite="union",
            subkind_fabians="society",
        ),
    )
    assert r.status_code == 302, r.content.decode()
    e = Election.objects.get(title="National executive")
    assert e.eligibility["paid_up_to"] == str(paid)
    assert e.threshold == {
        "any": [
            {"kind": "branch", "count": 2},
            {"kind": "affiliate", "count": 3, "subkind": "union", "subcount": 2},
        ]
    }
    assert e.constraints == {"minima": {"women": 1}, "maxima": {"north": 2, "youth": 1}}
    assert e.body_subkinds == {"unite": "union", "fabians": "society"}
    assert e.is_draft  # saved as a draft: members do not see it yet


def test_and_also_lines_make_every_group_of_alternatives_required(
    officer: Client, org: Org
) -> None:
    conditions = [
        {"join": "and", "count": "10", "measure": "percent", "kind": "branch"},
        {"join": "and", "count": "5", "measure": "percent", "kind": "branch"},
        {"join": "or", "count": "3", "measure": "count", "kind": "affiliate"},
        {"join": "and", "count": "", "measure": "count", "kind": "branch"},  # blank: ignored
    ]
    r = officer.post("/elections/new/", setup_data(org, conditions=conditions))
    assert r.status_code == 302, r.content.decode()
    assert Election.objects.get().threshold == {
        "all": [
            {"kind": "branch", "percent": 10},
            {"any": [{"kind": "branch", "percent": 5}, {"kind": "affiliate", "count": 3}]},
        ]
    }


def test_no_condition_lines_means_no_nominations_are_needed(officer: Client, org: Org) -> None:
    r = officer.post("/elections/new/", setup_data(org, conditions=[]))
    assert r.status_code == 302, r.content.decode()
    assert Election.objects.get().threshold == {}


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        (
            {"bounds": [{"bound": "maxima", "number": "two", "group": "north"}]},
            "Representation line 1: Enter a whole number.",
        ),
        (
            {
                "bounds": [
                    {"bound": "minima", "number": "1", "group": "women"},
                    {"bound": "minima", "number": "2", "group": "women"},
                ]
            },
            "Two representation lines say the same about women.",
        ),
        (
            {"bounds": [{"bound": "minima", "number": "1", "group": ""}]},
            "Representation line 1: Name the group this line is about.",
        ),
        (
            {"conditions": [{"count": "2", "kind": "branch", "subcount": "2"}]},
            "Nomination condition 1: Give both how many and which kind",
        ),
        (
            {"conditions": [{"count": "120", "measure": "percent", "kind": "branch"}]},
            "A percentage is at most 100.",
        ),
        (
            {"conditions": [{"count": "2", "kind": "ward"}]},
            "A nomination condition counts wards, but they are not among the bodies",
        ),
        (
            {"bounds": [{"bound": "minima", "number": "4", "group": "women"}]},
            "at least 4 seats for women, but only 3 to fill",
        ),
        ({"voting_open": (NOW + 5 * DAY).strftime("%Y-%m-%dT%H:%M")}, "must run in order"),
    ],
)
def test_bad_set_up_fields_are_refused_naming_the_problem_and_nothing_is_created(
    officer: Client, org: Org, extra: dict[str, object], error: str
) -> None:
    r = officer.post("/elections/new/", setup_data(org, **extra))  # type: ignore[arg-type]
    assert r.status_code == 400
    assert error in r.content.decode()
    assert not Election.objects.exists()


def test_the_set_up_is_shown_back_in_words_before_it_is_saved(officer: Client, org: Org) -> None:
    data = setup_data(
        org,
        step="check",
        provisional_days="56",
        bounds=[{"bound": "minima", "number": "1", "group": "women"}],
    )
    page = officer.post("/elections/new/", data).content.decode()
    assert not Election.objects.exists()
    assert "Nothing is saved yet." in page
    for words in (
        "3 posts to fill",
        "Counted by Meek STV",
        "Members of Test Party and every unit below it, if they are:",
        "past the provisional period (56 days after joining)",
        "Nominated by branches, affiliated bodies",
        "at least 1 post for women",
        "Voting opens: " + f"{timezone.localtime(NOW + 3 * DAY):%Y-%m-%d %H:%M}",
    ):
        assert words in page
    assert "{" not in page.split("<main")[1]  # no JSON anywhere on the page
    # the summary carries every value: saving from it creates the election as checked
    assert 'name="step" value="save"' in page
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    hidden["nominating_kinds"] = ["branch", "affiliate"]
    hidden["step"] = "save"
    r = officer.post("/elections/new/", hidden)
    assert r.status_code == 302
    e = Election.objects.get()
    assert e.constraints == {"minima": {"women": 1}}
    assert e.eligibility["provisional_days"] == 56


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
    actions.count_votes(s.election, by=None)
    actions.publish_result(s.election, by=None)
    assert s.election.publication.files["result.json"]


def test_change_something_returns_from_the_summary_to_the_form_with_every_value(
    officer: Client, org: Org
) -> None:
    data = setup_data(
        org, step="check", bounds=[{"bound": "maxima", "number": "2", "group": "north"}]
    )
    page = officer.post("/elections/new/", data).content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    hidden["nominating_kinds"] = ["branch", "affiliate"]
    hidden["step"] = "edit"
    form = officer.post("/elections/new/", hidden).content.decode()
    assert "Check the set-up" in form and not Election.objects.exists()
    assert 'name="title" value="National executive"' in form
    assert 'name="bound-0-group" value="north"' in form
    assert 'name="condition-1-subkind" value="union"' in form


def test_the_electorate_is_picked_from_the_tree_of_units_that_hold_members(
    officer: Client, org: Org
) -> None:
    _affiliates()
    page = officer.get("/elections/new/").content.decode()
    radios = re.findall(r'<input type="radio" name="unit" value="(\d+)"', page)
    from grassroots.members.models import Unit

    offered = [Unit.objects.get(pk=int(pk)).name for pk in radios]
    # in tree order, each indented by its depth; wards and affiliated bodies hold no branch
    assert offered == ["Test Party", "North", "Hillford", "Moorside"]
    assert 'class="tree-node tree-depth-2"' in page
    r = officer.post(
        "/elections/new/", setup_data(org, unit=str(Unit.objects.get(code="hillford-east").pk))
    )
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    assert not Election.objects.exists()
