"""Correcting an election (issue 9.2): every change audited with its reason, refused when unfair."""

from __future__ import annotations

import json

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.elections import actions
from grassroots.elections.models import Election
from grassroots.elections.publish import verify
from grassroots.members.eligibility import RuleSet
from tests.elections.conftest import CANDIDATES, DAY, NOW, Setup, make_election
from tests.web.conftest import Org


def _draft(org: Org, **extra: object) -> Election:
    """An election saved from the set-up page: a draft nobody else sees yet."""
    kw: dict[str, object] = {
        "title": "Treasurer",
        "seats": 1,
        "rule": "irv",
        "unit": org.national,
        "eligibility": RuleSet(on=(NOW + 20 * DAY).date()),
        "freeze_date": NOW.date(),
        "nominations_open": NOW + 5 * DAY,
        "nominations_close": NOW + 10 * DAY,
        "voting_open": NOW + 20 * DAY,
        "voting_close": NOW + 25 * DAY,
        "announced": False,
        "by": org.users["returning"],
    }
    kw.update(extra)
    return actions.create_election(**kw)  # type: ignore[arg-type]


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("id")


def test_a_draft_is_seen_only_by_those_who_manage_it(org: Org) -> None:
    e = _draft(org)
    for who in ("returning", "admin"):
        assert Election.objects.visible_to(org.users[who]).filter(pk=e.pk).exists()
    for who in ("member", "secretary", "executive"):
        assert not Election.objects.visible_to(org.users[who]).filter(pk=e.pk).exists()
    actions.announce(e, by=org.users["returning"])
    assert Election.objects.visible_to(org.users["member"]).filter(pk=e.pk).exists()


def test_a_draft_takes_no_nominations_and_cannot_open_until_announced(org: Org) -> None:
    e = _draft(org, nominations_open=NOW - DAY)
    c = actions.add_candidate(e, name="Tess", by=None)
    with pytest.raises(actions.ActionRefused, match="has not been announced"):
        actions.record_nomination(e, body=org.hillford, candidate=c, by=None)


def test_announcing_late_opens_nominations_at_the_announcement_not_before(org: Org) -> None:
    e = _draft(org, nominations_open=NOW - 2 * DAY)
    actions.announce(e, by=org.users["returning"], now=NOW)
    assert e.announced_at == NOW and e.nominations_open == NOW
    assert "nominations open now" in _last("election.announce").summary


def test_a_draft_is_deleted_but_an_announced_election_only_cancelled(org: Org) -> None:
    e = _draft(org)
    actions.add_candidate(e, name="Tess", by=None)
    actions.delete_draft(e, by=org.users["returning"])
    assert not Election.objects.filter(pk=e.pk).exists()
    assert "Deleted the draft election 'Treasurer'" in _last("election.delete").summary
    shown = _draft(org, announced=True)
    with pytest.raises(actions.ActionRefused, match="cancelled with a reason, not deleted"):
        actions.delete_draft(shown, by=org.users["returning"])


def test_only_the_returning_officer_corrects_an_election(org: Org) -> None:
    from grassroots.members.permissions import NotAllowed

    e = _draft(org)
    with pytest.raises(NotAllowed):
        actions.edit_election(e, title="Mine", by=org.users["secretary"])
    with pytest.raises(NotAllowed):
        actions.delete_draft(e, by=org.users["member"])


def test_a_draft_changes_freely_and_the_change_is_audited(org: Org) -> None:
    e = _draft(org)
    words = actions.edit_election(
        e, seats=2, rule="scottish", nominations_open=NOW - DAY, by=org.users["returning"]
    )
    assert words == ["posts to fill", "rule set", "nominations open"]
    assert (e.seats, e.rule) == (2, "scottish")
    entry = _last("election.edit")
    assert entry.detail["seats"] == [1, 2]
    with pytest.raises(actions.ActionRefused, match="nothing was changed"):
        actions.edit_election(e, seats=2, by=None)


def test_an_announced_election_changes_only_with_a_reason(org: Org) -> None:
    e = _draft(org, announced=True)
    with pytest.raises(actions.ActionRefused, match="give the reason"):
        actions.edit_election(e, title="Treasurer and trustee", by=None)
    actions.edit_election(e, title="Treasurer and trustee", reason="two posts merged", by=None)
    assert _last("election.edit").reason == "two posts merged"


def test_once_announced_a_time_that_has_passed_cannot_move(org: Org) -> None:
    e = _draft(org, announced=True, nominations_open=NOW - DAY)
    with pytest.raises(actions.ActionRefused, match="which has passed"):
        actions.edit_election(e, nominations_open=NOW + DAY, reason="typo", by=None)
    with pytest.raises(actions.ActionRefused, match="cannot be moved into the past"):
        actions.edit_election(e, nominations_close=NOW - DAY / 2, reason="typo", by=None)


def test_open_nominations_may_be_given_longer_but_never_cut_short(org: Org) -> None:
    e = _draft(org, announced=True, nominations_open=NOW - DAY)
    with pytest.raises(actions.ActionRefused, match="never cut short"):
        actions.edit_election(e, nominations_close=NOW + 8 * DAY, reason="hurry", by=None)
    actions.edit_election(e, nominations_close=NOW + 12 * DAY, reason="few nominations", by=None)
    assert e.nominations_close == NOW + 12 * DAY


def test_an_announced_freeze_date_never_moves_earlier(org: Org) -> None:
    e = _draft(org, announced=True)
    with pytest.raises(actions.ActionRefused, match="earlier freeze date"):
        actions.edit_election(e, freeze_date=NOW.date() - 5 * DAY, reason="x", by=None)


def test_posts_cannot_drop_below_the_nominations_a_body_has_made(draft: Setup) -> None:
    with pytest.raises(
        actions.ActionRefused, match="Hillford, Moorside already nominated more than 1"
    ):
        actions.edit_election(draft.election, seats=1, reason="one post", by=None)
    with pytest.raises(actions.ActionRefused, match="kind of body cannot be taken off"):
        actions.edit_election(
            draft.election, nominating_kinds=["affiliate"], reason="unions only", by=None
        )


def test_once_voting_opens_the_rules_posts_and_timetable_are_fixed(voting: Setup) -> None:
    with pytest.raises(actions.ActionRefused, match="its rules, posts and timetable are fixed"):
        actions.edit_election(voting.election, rule="meek", reason="better", by=None)
    bea = voting.candidates["Bea Bold"]
    with pytest.raises(actions.ActionRefused, match="the ballot is fixed"):
        actions.edit_candidate(bea, name="Bea Bolder", groups=[], reason="typo", by=None)


def test_a_candidate_is_corrected_while_the_election_is_prepared(draft: Setup) -> None:
    bea = draft.candidates["Bea Bold"]
    with pytest.raises(actions.ActionRefused, match="give the reason"):
        actions.edit_candidate(bea, name="Bea Boldt", groups=["women"], by=None)
    actions.edit_candidate(bea, name="Bea Boldt", groups=["women", "youth"], reason="typo", by=None)
    assert (bea.name, bea.groups) == ("Bea Boldt", ["women", "youth"])
    assert _last("election.candidate_edit").detail == {
        "name": ["Bea Bold", "Bea Boldt"],
        "groups": [["women"], ["women", "youth"]],
    }
    with pytest.raises(actions.ActionRefused, match="Cal Calm is already a candidate"):
        actions.edit_candidate(bea, name="Cal Calm", groups=[], reason="x", by=None)


def test_a_candidate_withdrawn_before_voting_leaves_the_ballot(draft: Setup) -> None:
    cal = draft.candidates["Cal Calm"]
    with pytest.raises(actions.ActionRefused, match="give the reason"):
        actions.withdraw_candidate(cal, reason=" ", by=None)
    actions.withdraw_candidate(cal, reason="moved abroad", by=None)
    assert "leaves the ballot" in _last("election.withdraw").summary
    actions.open_voting(draft.election, by=None)
    assert "Cal Calm" not in draft.election.ballot


def _cast_all(s: Setup) -> None:
    org = s.org
    actions.cast(s.election, org.ann, ["Cal Calm", "Alice Able"])
    actions.cast(s.election, org.bob, ["Cal Calm", "Bea Bold"])


def test_a_candidate_withdrawn_while_voting_stays_on_the_paper_and_is_counted_withdrawn(
    voting: Setup,
) -> None:
    e = voting.election
    _cast_all(voting)
    actions.withdraw_candidate(voting.candidates["Cal Calm"], reason="ill", by=None)
    assert "stays on the ballot paper" in _last("election.withdraw").summary
    e.refresh_from_db()
    assert "Cal Calm" in e.ballot  # the paper does not change while people vote
    actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    pub = actions.count_votes(e, by=None)
    result = json.loads(pub.files["result.json"])
    assert "Cal Calm" not in result["elected"]
    assert sorted(result["elected"]) == ["Alice Able", "Bea Bold"]  # Cal's votes passed on
    cal = e.ballot.index("Cal Calm") + 1
    assert f"-{cal}" in pub.files["ballots.blt"].splitlines()  # BLT's withdrawn line
    assert json.loads(pub.files["election.json"])["withdrawn"] == ["Cal Calm"]
    assert verify(pub.files).ok


def test_a_withdrawal_after_voting_closes_is_refused(voting: Setup) -> None:
    actions.close_voting(voting.election, by=None, now=NOW + 6 * DAY)
    with pytest.raises(actions.ActionRefused, match="could be made knowing the votes"):
        actions.withdraw_candidate(voting.candidates["Cal Calm"], reason="late", by=None)


def test_a_withdrawal_that_leaves_a_minimum_unmeetable_is_refused(org: Org) -> None:
    s = make_election(org, constraints={"minima": {"women": 2}})
    with pytest.raises(actions.ActionRefused, match="without Alice Able"):
        actions.withdraw_candidate(s.candidates["Alice Able"], reason="ill", by=None)


def test_an_election_is_cancelled_with_a_reason_until_the_first_ballot(voting: Setup) -> None:
    e = voting.election
    with pytest.raises(actions.ActionRefused, match="give the reason"):
        actions.cancel_election(e, reason="", by=None)
    actions.cast(e, voting.org.ann, list(CANDIDATES))
    with pytest.raises(actions.ActionRefused, match="1 member has voted"):
        actions.cancel_election(e, reason="mistake", by=None)


def test_a_cancelled_election_keeps_its_reason_and_takes_nothing_more(draft: Setup) -> None:
    e = draft.election
    actions.cancel_election(e, reason="the rules were changed by conference", by=None)
    assert (e.state, e.cancel_reason) == ("cancelled", "the rules were changed by conference")
    with pytest.raises(actions.ActionRefused):
        actions.open_voting(e, by=None)
    with pytest.raises(actions.ActionRefused, match="no nominations open"):
        actions.record_nomination(e, body=draft.org.hillford, candidate=None, by=None)


def test_voting_opens_on_time_and_early_only_with_a_reason_after_nominations(org: Org) -> None:
    s = make_election(
        org,
        open_voting=False,
        nominations_close=NOW - DAY,
        voting_open=NOW + 2 * DAY,
        voting_close=NOW + 9 * DAY,
    )
    e = s.election
    with pytest.raises(actions.ActionRefused, match="timetabled to open at"):
        actions.open_voting(e, by=None)
    with pytest.raises(actions.ActionRefused, match="give the reason"):
        actions.open_voting_early(e, reason="", by=None)
    actions.open_voting_early(e, reason="conference brought forward", by=None, now=NOW)
    assert (e.state, e.voting_open) == ("voting", NOW)
    entry = _last("election.open_early")
    assert entry.reason == "conference brought forward"
    assert entry.detail["voting_open"][1] == NOW.isoformat()


def test_voting_never_opens_early_while_nominations_are_open(org: Org) -> None:
    s = make_election(
        org,
        open_voting=False,
        nominations_close=NOW + DAY,
        voting_open=NOW + 2 * DAY,
        voting_close=NOW + 9 * DAY,
    )
    with pytest.raises(actions.ActionRefused, match="would cut them short"):
        actions.open_voting_early(s.election, reason="keen", by=None)


def test_voting_closes_early_only_while_nobody_has_voted(voting: Setup, org: Org) -> None:
    e = voting.election
    actions.cast(e, org.ann, list(CANDIDATES))
    with pytest.raises(actions.ActionRefused, match="1 member has voted: closing early"):
        actions.close_voting_early(e, reason="quorum", by=None)
    other = make_election(org, title="Auditor").election
    actions.close_voting_early(other, reason="opened by mistake", by=None, now=NOW)
    assert (other.state, other.voting_close) == ("closed", NOW)
    assert _last("election.close_early").reason == "opened by mistake"


def test_the_count_is_seen_before_it_is_published_and_only_that_count_is_published(
    voting: Setup,
) -> None:
    e = voting.election
    _cast_all(voting)
    actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    pub = actions.count_votes(e, by=None)
    assert e.state == "counted"
    with pytest.raises(actions.ActionRefused, match="not the count that was shown"):
        actions.publish_result(e, by=None, digest="0" * 64)
    actions.publish_result(e, by=None, digest=actions.result_digest(pub))
    assert e.state == "published"
    assert [a.action for a in AuditEntry.objects.filter(subject=f"election:{e.pk}")][-2:] == [
        "election.count",
        "election.publish",
    ]


def test_a_reminder_says_how_many_it_goes_to_and_what_it_says(voting: Setup) -> None:
    r = actions.reminder(voting.election, base_url="https://example.org/vote")
    assert r.subject == "Reminder: vote in Chair and vice-chair"
    assert "https://example.org/vote" in r.body
    on_roll = voting.election.roll.count()
    assert len(r.recipients) + r.without_email == on_roll
    actions.cast(voting.election, voting.org.ann, list(CANDIDATES))
    after = actions.reminder(voting.election)
    assert len(after.recipients) + after.without_email == on_roll - 1
