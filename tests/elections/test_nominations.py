"""Nominations (issues 9.5 and 10.13): who records them, which bodies may nominate, what the
thresholds count, and the public record of every body's decision."""

from __future__ import annotations

import pytest
from django.test import Client

from grassroots.audit.models import AuditEntry
from grassroots.elections import actions
from grassroots.elections.models import Nomination
from grassroots.members import actions as member_actions
from grassroots.members.eligibility import RuleSet
from tests.elections.conftest import DAY, NOW
from tests.web.conftest import PASSWORD, Org

pytestmark = pytest.mark.django_db

DURING = NOW - 5 * DAY


def _election(org: Org, unit: object, **extra: object) -> object:
    kw: dict[str, object] = {
        "title": "Regional rep",
        "seats": 1,
        "rule": "scottish",
        "unit": unit,
        "eligibility": RuleSet(on=NOW.date()),
        "freeze_date": NOW.date() - 20 * DAY,
        "nominations_open": NOW - 10 * DAY,
        "nominations_close": NOW + 2 * DAY,
        "voting_open": NOW + 3 * DAY,
        "voting_close": NOW + 5 * DAY,
        "threshold": {"kind": "branch", "count": 1},
        "by": org.users["returning"],
    }
    kw.update(extra)
    return actions.create_election(**kw)


def _south(org: Org) -> object:
    south = member_actions.create_unit(
        kind="region", code="south", name="South", parent=org.national, by=None
    )
    return member_actions.create_unit(
        kind="branch", code="southby", name="Southby", parent=south, by=None
    )


def test_a_returning_officer_records_a_nomination_for_any_body_in_the_elections_unit(
    org: Org,
) -> None:
    e = _election(org, org.north)
    cand = actions.add_candidate(e, name="Alice Able", by=org.users["returning"], now=DURING)
    for body in (org.hillford, org.moorside):
        actions.record_nomination(
            e, body=body, candidate=cand, by=org.users["returning"], now=DURING, note="minute 4"
        )
    assert Nomination.objects.filter(election=e, candidate=cand).count() == 2
    entry = AuditEntry.objects.filter(action="election.nomination").latest("id")
    assert entry.actor_name == "returning"
    assert entry.summary == "Moorside nominated Alice Able"


def test_a_branch_secretary_still_records_only_their_own_branchs_nomination(org: Org) -> None:
    e = _election(org, org.north)
    cand = actions.add_candidate(e, name="Alice Able", by=org.users["returning"], now=DURING)
    actions.record_nomination(
        e, body=org.hillford, candidate=cand, by=org.users["secretary"], now=DURING
    )
    with pytest.raises(Exception, match="secretary may not edit register for Moorside"):
        actions.record_nomination(
            e, body=org.moorside, candidate=cand, by=org.users["secretary"], now=DURING
        )


def test_a_body_outside_the_elections_unit_cannot_nominate_whoever_records_it(org: Org) -> None:
    southby = _south(org)
    e = _election(org, org.north)
    cand = actions.add_candidate(e, name="Alice Able", by=org.users["returning"], now=DURING)
    for by in (org.users["returning"], org.users["admin"], None):
        with pytest.raises(actions.ActionRefused, match="Southby is not part of North"):
            actions.record_nomination(e, body=southby, candidate=cand, by=by, now=DURING)
    assert not Nomination.objects.filter(election=e).exists()


def test_a_percentage_threshold_counts_only_the_branches_of_the_elections_unit(org: Org) -> None:
    _south(org)  # a third branch in the party, outside North
    e = _election(org, org.north, threshold={"kind": "branch", "percent": 50})
    cand = actions.add_candidate(e, name="Alice Able", by=org.users["returning"], now=DURING)
    actions.record_nomination(
        e, body=org.hillford, candidate=cand, by=org.users["returning"], now=DURING
    )
    [(_, _, outcome)] = actions.nomination_tally(e)
    # 50% of North's two branches is one, met; counting all three branches would need two
    assert outcome.reasons == ("50% of branch bodies (1 of 2): 1 met",)
    assert outcome.ok
    assert [u.name for u in actions.nominating_bodies(e)] == ["Hillford", "Moorside"]


def test_decisions_not_to_nominate_are_listed_beside_the_nominations(org: Org) -> None:
    e = _election(org, org.north)
    cand = actions.add_candidate(e, name="Alice Able", by=org.users["returning"], now=DURING)
    actions.record_nomination(
        e, body=org.hillford, candidate=cand, by=org.users["secretary"], now=DURING
    )
    actions.record_nomination(
        e,
        body=org.moorside,
        candidate=None,
        by=org.users["moorsec"],
        now=DURING,
        note="branch meeting of 2 May",
    )
    got = [(d.body.name, [c.name for c in d.nominated], d.notes) for d in actions.body_decisions(e)]
    assert got == [
        ("Hillford", ["Alice Able"], ()),
        ("Moorside", [], ("branch meeting of 2 May",)),
    ]
    html = Client().get(f"/elections/{e.pk}/").content.decode()
    assert "Decided not to nominate" in html and "branch meeting of 2 May" in html


def test_the_returning_officers_nomination_form_offers_every_body_of_the_unit(org: Org) -> None:
    e = _election(org, org.north)
    actions.add_candidate(e, name="Alice Able", by=org.users["returning"], now=DURING)
    c = Client()
    assert c.login(username="returning", password=PASSWORD)
    page = c.get(f"/elections/{e.pk}/")
    assert [b.name for b in page.context["bodies"]] == ["Hillford", "Moorside"]
    s = Client()
    assert s.login(username="secretary", password=PASSWORD)
    assert [b.name for b in s.get(f"/elections/{e.pk}/").context["bodies"]] == ["Hillford"]


def test_a_hostile_nomination_post_is_refused_with_a_message_not_an_error(org: Org) -> None:
    e = _election(org, org.north)
    c = Client()
    assert c.login(username="returning", password=PASSWORD)
    for data in ({"body": "x", "candidate": "none"}, {"body": org.hillford.pk, "candidate": "1e"}):
        r = c.post(f"/elections/{e.pk}/nominate/", data, follow=True)
        assert r.status_code == 200
    assert not Nomination.objects.filter(election=e).exists()


def test_a_nomination_from_outside_the_unit_stored_by_other_means_counts_for_nothing(
    org: Org,
) -> None:
    southby = _south(org)
    e = _election(org, org.north)
    cand = actions.add_candidate(e, name="Alice Able", by=org.users["returning"], now=DURING)
    Nomination.objects.create(election=e, body=southby, candidate=cand, decided_on=NOW.date())
    [(_, bodies, outcome)] = actions.nomination_tally(e)
    assert bodies == [] and not outcome.ok
    assert actions.body_decisions(e) == []
