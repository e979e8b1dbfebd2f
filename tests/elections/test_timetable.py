"""Changes the timetable no longer allows are refused with the reason; every change is audited."""

from __future__ import annotations

import pytest

from grassroots.audit.log import verify
from grassroots.audit.models import AuditEntry
from grassroots.elections import actions
from grassroots.members.eligibility import RuleSet
from tests.elections.conftest import DAY, NOW, Setup
from tests.web.conftest import Org


def test_a_candidate_cannot_be_added_after_nominations_close(draft: Setup) -> None:
    with pytest.raises(actions.ActionRefused, match="nominations closed at"):
        actions.add_candidate(draft.election, name="Late Larry", by=None)


def test_consent_and_statement_cannot_change_once_voting_has_opened(voting: Setup) -> None:
    c = voting.candidates["Alice Able"]
    with pytest.raises(actions.ActionRefused, match="voting has opened"):
        actions.consent(c, statement="changed my mind", by=None)


def test_a_nomination_before_nominations_open_is_refused(org: Org) -> None:
    from tests.elections.conftest import make_election

    s = make_election(org, open_voting=False)
    with pytest.raises(actions.ActionRefused, match="nominations open at"):
        actions.record_nomination(
            s.election,
            body=org.hillford,
            candidate=None,
            by=org.users["secretary"],
            now=NOW - 11 * DAY,
        )


def test_voting_cannot_open_while_nominations_are_open(org: Org) -> None:
    from tests.elections.conftest import make_election

    s = make_election(
        org,
        open_voting=False,
        nominations_close=NOW + DAY,
        voting_open=NOW + 2 * DAY,
        voting_close=NOW + 3 * DAY,
    )
    with pytest.raises(actions.ActionRefused, match="voting opens after they close"):
        actions.open_voting(s.election, by=None)


def test_a_timetable_out_of_order_is_refused(org: Org) -> None:
    with pytest.raises(actions.ActionRefused, match="timetable must run"):
        actions.create_election(
            title="Backwards",
            seats=1,
            rule="irv",
            unit=org.national,
            eligibility=RuleSet(on=NOW.date()),
            freeze_date=NOW.date(),
            nominations_open=NOW,
            nominations_close=NOW - DAY,
            voting_open=NOW + DAY,
            voting_close=NOW + 2 * DAY,
            by=None,
        )


def test_a_branch_secretary_cannot_set_up_an_election(org: Org) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.create_election(
            title="Coup",
            seats=1,
            rule="irv",
            unit=org.national,
            eligibility=RuleSet(on=NOW.date()),
            freeze_date=NOW.date(),
            nominations_open=NOW,
            nominations_close=NOW + DAY,
            voting_open=NOW + DAY,
            voting_close=NOW + 2 * DAY,
            by=org.users["secretary"],
        )


def test_every_setup_step_writes_an_audit_entry_and_casting_writes_none(voting: Setup) -> None:
    subject = f"election:{voting.election.pk}"
    actions_logged = list(
        AuditEntry.objects.filter(subject=subject).values_list("action", flat=True)
    )
    assert actions_logged.count("election.create") == 1
    assert actions_logged.count("election.candidate") == 4
    assert actions_logged.count("election.consent") == 4
    assert actions_logged.count("election.nomination") == 4
    assert actions_logged.count("election.open") == 1
    before = AuditEntry.objects.count()
    actions.cast(voting.election, voting.org.ann, ["Alice Able"])
    assert AuditEntry.objects.count() == before
    assert verify() is None
