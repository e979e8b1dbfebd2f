"""Requisitions and decisions not to meet, as actions: every rule, and each role trying what it
must not (signing twice, signing as someone else, another branch's secretary, the public)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.meetings import actions
from grassroots.meetings.models import Body, DecisionNotToMeet, Meeting, Requisition, Signature
from grassroots.meetings.signing import standing_of
from grassroots.members import actions as members
from grassroots.members.models import Member
from tests.web.conftest import PASSWORD, Org

DAY = dt.timedelta(days=1)


def member(org: Org, number: str, name: str, branch: Any = None, login: bool = True) -> Member:
    m = members.create_member(
        by=None,
        number=number,
        name=name,
        branch=branch or org.hillford,
        join_date=dt.date(2020, 1, 1),
        status="full",
    )
    if login:
        members.create_login(username=number.lower(), password=PASSWORD, member=m, by=None)
        m.refresh_from_db()
    return m


def branch_body(org: Org, **rule: Any) -> Body:
    rule = rule or {"requisition_members": 3, "requisition_call_within_days": 21}
    return actions.create_body(
        unit=org.hillford, kind="branch", name="Hillford branch meeting", by=None, **rule
    )


def later(days: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


def test_a_requisition_is_met_by_the_signature_that_reaches_the_threshold(org: Org) -> None:
    body = branch_body(org)
    cy, di = member(org, "M3", "Cy Cole"), member(org, "M4", "Di Dunn")
    r = actions.start_requisition(
        body, purpose="Reconsider the office move", by=org.users["member"], member=org.ann
    )
    assert r.started_by == "Ann Arrears" and r.signatures.count() == 1
    actions.sign_requisition(r, by=cy.user, member=cy)
    r.refresh_from_db()
    assert r.met_at is None and r.call_by is None
    at = timezone.now()
    actions.sign_requisition(r, by=di.user, member=di, now=at)
    r.refresh_from_db()
    assert r.met_at == at
    assert r.call_by == timezone.localdate(at) + 21 * DAY
    s = standing_of(r)
    assert (s.member_signatures, s.members, s.met_now) == (3, 3, True)
    assert s.lines == ("3 of 3 members' signatures needed",)
    log = list(AuditEntry.objects.filter(subject=f"requisition:{r.pk}").order_by("id"))
    assert [e.action for e in log] == ["meetings.requisition.start"] + [
        "meetings.requisition.sign"
    ] * 3
    assert "must be called by" in log[-1].summary and log[-1].actor_name == "m4"


def test_a_fraction_of_the_members_is_counted_of_those_who_may_sign(org: Org) -> None:
    body = branch_body(org, requisition_members_fraction="1/2")
    cy = member(org, "M3", "Cy Cole")
    member(org, "M4", "Di Dunn", login=False)
    member(org, "M5", "Ed Eve", login=False)
    r = actions.start_requisition(body, purpose="A vote on the rules", by=cy.user, member=cy)
    s = standing_of(r)
    assert s.lines == ("1 of 2 members' signatures needed (1/2 of 4 members)",)
    actions.sign_requisition(r, by=org.users["member"], member=org.ann)
    r.refresh_from_db()
    assert r.met_at is not None


def test_branches_sign_through_their_secretary_with_the_branch_decision(org: Org) -> None:
    gc = actions.create_body(
        unit=org.north,
        kind="general_committee",
        name="North committee",
        by=None,
        requisition_branches_fraction="1/2",
        requisition_call_within_days=14,
    )
    decision = "Branch meeting of 3 March: 14 for, 2 against"
    r = actions.start_requisition(
        gc,
        purpose="Deselect nobody",
        by=org.users["secretary"],
        branch=org.hillford,
        decision=decision,
    )
    (s,) = r.signatures.all()
    assert s.branch == org.hillford and s.decision == decision
    assert s.recorded_by == org.users["secretary"]
    r.refresh_from_db()
    assert r.met_at is not None  # 1 of the 2 branches is half
    assert standing_of(r).lines == ("1 of 1 branches needed (1/2 of 2 branches)",)


def test_a_branch_signature_needs_the_branch_decision_and_its_own_secretary(org: Org) -> None:
    gc = actions.create_body(
        unit=org.north,
        kind="general_committee",
        name="North committee",
        by=None,
        requisition_branches_fraction="2/3",
    )
    with pytest.raises(actions.ActionRefused, match="decided it and the vote"):
        actions.start_requisition(
            gc, purpose="Budget", by=org.users["secretary"], branch=org.hillford
        )
    with pytest.raises(PermissionDenied, match="moorsec may not manage meetings for Hillford"):
        actions.start_requisition(
            gc, purpose="Budget", by=org.users["moorsec"], branch=org.hillford, decision="yes"
        )
    r = actions.start_requisition(
        gc, purpose="Budget", by=org.users["moorsec"], branch=org.moorside, decision="agreed"
    )
    with pytest.raises(PermissionDenied):
        actions.sign_requisition(r, by=org.users["moorsec"], branch=org.hillford, decision="forged")
    with pytest.raises(actions.ActionRefused, match="not one of the branches of North"):
        actions.sign_requisition(
            r, by=org.users["admin"], branch=org.hillford_east, decision="a ward"
        )
    with pytest.raises(actions.ActionRefused, match="Moorside has already signed"):
        actions.sign_requisition(r, by=org.users["moorsec"], branch=org.moorside, decision="again")
    assert Signature.objects.filter(requisition=r).count() == 1


def test_a_member_cannot_sign_twice_or_for_another_member(org: Org) -> None:
    body = branch_body(org)
    cy = member(org, "M3", "Cy Cole")
    r = actions.start_requisition(body, purpose="Office move", by=cy.user, member=cy)
    with pytest.raises(actions.ActionRefused, match="Cy Cole has already signed"):
        actions.sign_requisition(r, by=cy.user, member=cy)
    with pytest.raises(actions.ActionRefused, match="cannot sign as Ann Arrears"):
        actions.sign_requisition(r, by=cy.user, member=org.ann)
    with pytest.raises(actions.ActionRefused, match="cannot sign as Ann Arrears"):
        actions.sign_requisition(r, by=AnonymousUser(), member=org.ann)
    with pytest.raises(actions.ActionRefused, match="cannot sign as Ann Arrears"):
        actions.sign_requisition(r, by=org.users["secretary"], member=org.ann)
    assert r.signatures.count() == 1


def test_only_those_who_may_attend_the_body_may_sign_and_the_reason_is_named(org: Org) -> None:
    body = branch_body(org)
    bob_login = members.create_login(username="bob", password=PASSWORD, member=org.bob, by=None)
    with pytest.raises(actions.ActionRefused, match=r"Bob Moor may not sign.*not a member in"):
        actions.start_requisition(body, purpose="x", by=bob_login, member=org.bob)
    strict = branch_body(org, requisition_members=2, attend_rules={"min_membership_days": 99999})
    with pytest.raises(actions.ActionRefused, match="Ann Arrears may not sign"):
        actions.start_requisition(strict, purpose="x", by=org.users["member"], member=org.ann)
    assert not Requisition.objects.exists()


def test_a_body_without_a_requisition_rule_takes_none(org: Org) -> None:
    body = actions.create_body(unit=org.hillford, kind="branch", name="Plain", by=None)
    assert body.requisition_rule() is None
    with pytest.raises(actions.ActionRefused, match="provide for no requisition"):
        actions.start_requisition(body, purpose="x", by=org.users["member"], member=org.ann)


def test_a_bad_requisition_rule_is_refused_when_the_body_is_set_up(org: Org) -> None:
    for bad in (
        {"requisition_members_fraction": "3/2"},
        {"requisition_branches_fraction": "1/0"},
        {"requisition_members_fraction": "a third"},
    ):
        with pytest.raises(actions.ActionRefused, match="requisitions:"):
            branch_body(org, **bad)
    assert not Body.objects.exists()


def test_a_signature_is_withdrawn_before_the_threshold_and_not_after(org: Org) -> None:
    body = branch_body(org, requisition_members=2)
    cy = member(org, "M3", "Cy Cole")
    r = actions.start_requisition(body, purpose="Office move", by=cy.user, member=cy)
    (first,) = r.signatures.all()
    with pytest.raises(actions.ActionRefused, match="only the member who signed"):
        actions.withdraw_signature(first, by=org.users["member"])
    actions.withdraw_signature(first, by=cy.user)
    assert standing_of(r).member_signatures == 0
    assert Signature.objects.filter(pk=first.pk, withdrawn_at__isnull=False).exists()
    with pytest.raises(actions.ActionRefused, match="already withdrawn"):
        actions.withdraw_signature(first, by=cy.user)
    again = actions.sign_requisition(r, by=cy.user, member=cy)  # signing again after withdrawing
    actions.sign_requisition(r, by=org.users["member"], member=org.ann)
    r.refresh_from_db()
    assert r.met_at is not None
    with pytest.raises(actions.ActionRefused, match="can no longer be withdrawn"):
        actions.withdraw_signature(again, by=cy.user)
    assert standing_of(r).member_signatures == 2


def test_the_secretary_calls_the_special_meeting_a_met_requisition_asks_for(org: Org) -> None:
    body = branch_body(org, requisition_members=1, requisition_call_within_days=10)
    r = actions.start_requisition(
        body, purpose="Office move", by=org.users["member"], member=org.ann
    )
    m = actions.call_requisitioned_meeting(
        r,
        title="Special meeting: office move",
        start=later(20),
        place="Library",
        by=org.users["secretary"],
    )
    r.refresh_from_db()
    assert r.meeting == m and m.purpose == "special" and r.called_at == m.called_at
    assert not r.overdue_on(timezone.localdate() + 30 * DAY)
    entry = AuditEntry.objects.filter(action="meetings.requisition.called").get()
    assert "in answer to the requisition" in entry.summary
    with pytest.raises(actions.ActionRefused, match="has been called"):
        actions.call_requisitioned_meeting(
            r, title="Again", start=later(21), place="Library", by=org.users["secretary"]
        )
    with pytest.raises(actions.ActionRefused, match="has been called"):
        actions.sign_requisition(r, by=None, member=member(org, "M3", "Cy Cole"))
    assert Meeting.objects.count() == 1


def test_a_requisition_not_yet_met_is_not_answered_and_only_the_secretary_calls(
    org: Org,
) -> None:
    body = branch_body(org, requisition_members=2)
    r = actions.start_requisition(body, purpose="x", by=org.users["member"], member=org.ann)
    with pytest.raises(actions.ActionRefused, match="has not reached its threshold"):
        actions.call_requisitioned_meeting(
            r, title="Special", start=later(20), place="Library", by=org.users["secretary"]
        )
    actions.sign_requisition(r, by=None, member=member(org, "M3", "Cy Cole"))
    for who in ("member", "moorsec", "officer"):
        with pytest.raises(PermissionDenied):
            actions.call_requisitioned_meeting(
                r, title="Special", start=later(20), place="Library", by=org.users[who]
            )
    assert not Meeting.objects.exists()


def test_a_met_requisition_not_called_by_its_date_is_overdue(org: Org) -> None:
    body = branch_body(org, requisition_members=1, requisition_call_within_days=7)
    started = timezone.now() - 20 * DAY
    r = actions.start_requisition(
        body, purpose="x", by=org.users["member"], member=org.ann, now=started
    )
    r.refresh_from_db()
    assert r.call_by == timezone.localdate(started) + 7 * DAY
    assert r.overdue_on(timezone.localdate()) and not r.overdue_on(r.call_by)
    actions.call_requisitioned_meeting(
        r, title="Special", start=later(20), place="Library", by=org.users["secretary"]
    )
    entry = AuditEntry.objects.filter(action="meetings.requisition.called").get()
    assert "days after the" in entry.summary


# decisions not to meet ---------------------------------------------------------------------


def officers(org: Org) -> tuple[Body, list[Member]]:
    body = actions.create_body(
        unit=org.hillford, kind="executive", name="Hillford officers", by=None
    )
    people = [
        org.ann,
        member(org, "M3", "Cy Cole", login=False),
        member(org, "M4", "Di Dunn", login=False),
    ]
    for p in people:
        actions.appoint(body, p, by=None, role="Officer", on=dt.date(2024, 1, 1))
    return body, people


def decide(org: Org, body: Body, people: list[Member], **kw: Any) -> DecisionNotToMeet:
    args: dict[str, Any] = {
        "what": "a nominating meeting for the national executive",
        "purpose": "nominating",
        "decided_on": timezone.localdate() - DAY,
        "present": people,
        "votes_for": 2,
        "votes_against": 1,
        "abstentions": 0,
        "reason": "the hall is not available before nominations close",
        "by": org.users["secretary"],
    }
    args.update(kw)
    return actions.record_decision_not_to_meet(body, **args)


def test_a_decision_not_to_meet_is_recorded_with_who_took_it_the_vote_and_why(
    org: Org,
) -> None:
    body, people = officers(org)
    d = decide(org, body, people)
    assert sorted(m.name for m in d.present.all()) == ["Ann Arrears", "Cy Cole", "Di Dunn"]
    assert (d.votes_for, d.votes_against, d.abstentions) == (2, 1, 0)
    assert d.nomination is None and d.recorded_by == org.users["secretary"]
    entry = AuditEntry.objects.get(action="meetings.decision_not_to_meet")
    assert "2 for, 1 against, 0 abstaining, 3 present" in entry.summary
    assert entry.reason == "the hall is not available before nominations close"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"votes_for": 1, "votes_against": 1}, "not carried"),
        ({"votes_for": 3, "votes_against": 1}, "more than the 3 members present"),
        ({"votes_for": -1}, "cannot be negative"),
        ({"reason": "  "}, "carries its reason"),
        ({"what": ""}, "which meeting"),
        ({"present": []}, "name the members present"),
        ({"decided_on": timezone.localdate() + DAY}, "still to come"),
        ({"purpose": "picnic"}, "not a kind of meeting"),
    ],
)
def test_a_decision_not_to_meet_that_breaks_a_rule_is_refused_and_nothing_is_stored(
    org: Org, change: dict[str, Any], message: str
) -> None:
    body, people = officers(org)
    with pytest.raises(actions.ActionRefused, match=message):
        decide(org, body, people, **change)
    assert not DecisionNotToMeet.objects.exists()


def test_those_present_must_be_the_body_s_members(org: Org) -> None:
    body, people = officers(org)
    with pytest.raises(actions.ActionRefused, match="Bob Moor is not a member in Hillford"):
        decide(org, body, [*people, org.bob])
    outsider = member(org, "M9", "Fay Far", login=False)
    with pytest.raises(actions.ActionRefused, match="Fay Far held no seat on the Hillford"):
        decide(org, body, [*people, outsider])
    with pytest.raises(actions.ActionRefused, match="named twice"):
        decide(org, body, [*people, org.ann])
    assert not DecisionNotToMeet.objects.exists()


def test_only_the_unit_s_secretary_records_a_decision_not_to_meet(org: Org) -> None:
    body, people = officers(org)
    for who in ("moorsec", "member", "officer", "returning"):
        with pytest.raises(PermissionDenied):
            decide(org, body, people, by=org.users[who])
    with pytest.raises(PermissionDenied):
        decide(org, body, people, by=AnonymousUser())
    assert not DecisionNotToMeet.objects.exists()
    decide(org, body, people, by=org.users["admin"])


def test_a_decision_not_to_hold_a_nominating_meeting_records_the_decision_not_to_nominate(
    org: Org,
) -> None:
    from grassroots.elections.models import Nomination
    from tests.elections.conftest import NOW, make_election

    s = make_election(
        org,
        open_voting=False,
        nominations_close=NOW + DAY,
        voting_open=NOW + 2 * DAY,
        voting_close=NOW + 9 * DAY,
    )
    body, people = officers(org)
    d = decide(org, body, people, election=s.election)
    (n,) = Nomination.objects.filter(election=s.election, body=org.hillford)
    assert n.candidate is None and d.nomination == n
    assert "decided" in n.note and "hall is not available" in n.note
    entry = AuditEntry.objects.filter(action="election.nomination").latest("id")
    assert "Hillford decided not to nominate" in entry.summary


def test_when_the_elections_app_refuses_the_decision_not_to_nominate_nothing_is_stored(
    org: Org,
) -> None:
    from grassroots.elections.models import Nomination
    from tests.elections.conftest import make_election

    s = make_election(org, open_voting=False)  # nominations closed two days ago
    body, people = officers(org)
    before = set(Nomination.objects.values_list("pk", flat=True))
    with pytest.raises(actions.ActionRefused, match="nominations closed"):
        decide(org, body, people, election=s.election)
    assert not DecisionNotToMeet.objects.exists()
    assert set(Nomination.objects.values_list("pk", flat=True)) == before
    with pytest.raises(actions.ActionRefused, match="about a nominating meeting"):
        decide(org, body, people, election=s.election, purpose="ordinary")
