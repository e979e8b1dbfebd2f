"""Casting: one transaction writes the voter record and the unlinked ballot; exactly once."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from grassroots.elections import actions, receipts
from grassroots.elections.models import Ballot, RollEntry, VoterRecord
from grassroots.members import actions as member_actions
from tests.elections.conftest import CANDIDATES, DAY, NOW, Setup


def test_opening_voting_freezes_the_roll_with_a_fingerprint_over_member_numbers(
    voting: Setup,
) -> None:
    e = voting.election
    assert e.state == "voting"
    assert e.roll_size == 2 == RollEntry.objects.filter(election=e).count()
    assert e.roll_fingerprint == receipts.fingerprint(["M2", "M1"])
    assert e.ballot == sorted(CANDIDATES)


def test_a_member_who_joined_after_the_freeze_date_is_not_on_the_roll(draft: Setup) -> None:
    org = draft.org
    late = member_actions.create_member(
        by=None,
        number="M9",
        name="Late Joiner",
        branch=org.hillford,
        join_date=NOW.date() - 2 * DAY,
        status="full",
    )
    actions.open_voting(draft.election, by=None)
    assert not RollEntry.objects.filter(election=draft.election, member=late).exists()
    with pytest.raises(actions.ActionRefused, match="not on the roll"):
        actions.cast(draft.election, late, ["Alice Able"])


def test_casting_stores_one_voter_record_and_one_ballot_holding_only_the_receipt_hash(
    voting: Setup,
) -> None:
    e, ann = voting.election, voting.org.ann
    code = actions.cast(e, ann, ["Bea Bold", "Alice Able"])
    assert VoterRecord.objects.filter(election=e, member=ann).count() == 1
    (ballot,) = Ballot.objects.filter(election=e)
    assert ballot.ranking == ["Bea Bold", "Alice Able"]
    assert ballot.receipt_hash == receipts.receipt_hash(str(e.pk), code)
    assert code not in str(ballot.__dict__)


def test_a_second_cast_by_the_same_member_is_refused_and_stores_no_second_ballot(
    voting: Setup,
) -> None:
    e, ann = voting.election, voting.org.ann
    actions.cast(e, ann, ["Alice Able"])
    with pytest.raises(actions.AlreadyVoted, match="already voted"):
        actions.cast(e, ann, ["Dan Deft"])
    assert Ballot.objects.filter(election=e).count() == 1
    assert Ballot.objects.get(election=e).ranking == ["Alice Able"]


def test_a_cast_that_fails_after_the_voter_record_leaves_neither_row(
    voting: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    e, ann, bob = voting.election, voting.org.ann, voting.org.bob
    first = actions.cast(e, bob, ["Bea Bold"])
    # the database itself refuses the ballot after the voter record went in: the receipt hash
    # is unique, so a repeated code fails the ballot insert, the last write of the cast
    monkeypatch.setattr(receipts, "new_code", lambda: first)
    with pytest.raises(IntegrityError):
        actions.cast(e, ann, ["Alice Able"])
    monkeypatch.undo()
    assert not VoterRecord.objects.filter(election=e, member=ann).exists()
    assert Ballot.objects.filter(election=e).count() == 1
    # and the member can still vote
    actions.cast(e, ann, ["Alice Able"])
    assert Ballot.objects.filter(election=e).count() == 2


@pytest.mark.parametrize(
    ("ranking", "problem"),
    [
        ([], "at least one"),
        (["Nobody"], "not on this ballot"),
        (["Cal Calm"] * 2, "more than once"),
    ],
)
def test_a_malformed_ranking_is_refused_with_the_reason(
    voting: Setup, ranking: list[str], problem: str
) -> None:
    with pytest.raises(actions.ActionRefused, match=problem):
        actions.cast(voting.election, voting.org.ann, ranking)
    assert not VoterRecord.objects.exists()


def test_casting_outside_the_voting_window_is_refused(voting: Setup) -> None:
    with pytest.raises(actions.ActionRefused, match="not open"):
        actions.cast(voting.election, voting.org.ann, ["Alice Able"], now=NOW + 6 * DAY)


def test_closing_before_the_timetable_says_so_is_refused(voting: Setup) -> None:
    with pytest.raises(actions.ActionRefused, match="open until"):
        actions.close_voting(voting.election, by=voting.org.users["returning"])


def test_a_closed_election_takes_no_more_ballots(voting: Setup) -> None:
    actions.close_voting(voting.election, by=None, now=NOW + 6 * DAY)
    with pytest.raises(actions.ActionRefused, match="not open"):
        actions.cast(voting.election, voting.org.ann, ["Alice Able"])


def test_turnout_gives_counts_per_branch_only(voting: Setup) -> None:
    actions.cast(voting.election, voting.org.ann, ["Alice Able"])
    t = actions.turnout(voting.election)
    assert t == {
        "voted": 1,
        "roll": 2,
        "branches": [
            {"branch": "Hillford", "voted": 1, "roll": 1},
            {"branch": "Moorside", "voted": 0, "roll": 1},
        ],
    }


def test_reminders_go_only_to_members_on_the_roll_who_have_not_voted(
    voting: Setup, mailoutbox: list
) -> None:
    org = voting.org
    org.bob.email = "bob@example.org"
    org.bob.save()
    org.ann.email = "ann@example.org"
    org.ann.save()
    actions.cast(voting.election, org.ann, ["Alice Able"])
    job = actions.start_reminders(voting.election, by=org.users["returning"])
    assert job.state == "done" and job.outcome == "Sent 1 reminder." and job.problems == []
    assert [m.to for m in mailoutbox] == [["bob@example.org"]]


def test_a_retry_with_the_ballot_page_token_gets_the_same_receipt_and_no_other_token_does(
    voting: Setup,
) -> None:
    e, ann, bob = voting.election, voting.org.ann, voting.org.bob
    token = receipts.new_token()
    code = actions.cast(e, ann, ["Alice Able"], token=token)
    assert Ballot.objects.get().receipt_hash == receipts.receipt_hash(str(e.pk), code)
    with pytest.raises(actions.AlreadyVoted):
        actions.cast(e, ann, ["Alice Able"], token=token)
    assert actions.receipt_for_retry(e, ann, token) == code
    assert actions.receipt_for_retry(e, ann, receipts.new_token()) is None
    # the code is bound to the member: another member holding ann's token learns nothing
    assert actions.receipt_for_retry(e, bob, token) is None
    actions.cast(e, bob, ["Bea Bold"], token=receipts.new_token())
    assert actions.receipt_for_retry(e, bob, token) is None
    assert VoterRecord.objects.count() == Ballot.objects.count() == 2


def test_a_code_from_a_token_depends_on_secret_election_member_and_token() -> None:
    t = "0123456789abcdef0123456789abcdef"
    code = receipts.code_from_token("s", "1", "2", t)
    assert code == receipts.code_from_token("s", "1", "2", t)
    assert receipts.normalise(code) == code and len(code) == 19
    others = {
        receipts.code_from_token("S", "1", "2", t),
        receipts.code_from_token("s", "9", "2", t),
        receipts.code_from_token("s", "1", "9", t),
        receipts.code_from_token("s", "1", "2", t[:-1] + "0"),
    }
    assert code not in others and len(others) == 4
