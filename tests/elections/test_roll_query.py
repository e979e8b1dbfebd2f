"""Opening voting on a roll given as a query of members (a network primary's voter records):
checked and copied on the database server, never as a list of ids through Python."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.elections import actions, receipts
from grassroots.elections.models import RollEntry
from grassroots.members.models import Member, Unit
from tests.elections.conftest import Setup


def _many(draft: Setup, n: int) -> None:
    Member.objects.bulk_create(
        [
            Member(
                number=f"Q{i:05d}",
                name=f"Quorum {i}",
                branch=draft.org.hillford,
                join_date=dt.date(2020, 1, 1),
                status="full",
            )
            for i in range(n)
        ]
    )


def test_a_roll_given_as_a_query_is_frozen_without_a_statement_naming_its_members_one_by_one(
    draft: Setup,
) -> None:
    _many(draft, 1500)
    roll = Member.objects.filter(branch=draft.org.hillford)
    with CaptureQueriesContext(connection) as seen:
        actions.open_voting(draft.election, by=None, roll=roll)
    e = draft.election
    numbers = list(roll.values_list("number", flat=True))
    assert len(numbers) == 1501  # Ann and the 1,500
    assert e.roll_size == 1501 == RollEntry.objects.filter(election=e).count()
    assert e.roll_fingerprint == receipts.fingerprint(numbers)
    reads = [q["sql"] for q in seen.captured_queries if q["sql"].lstrip().startswith("SELECT")]
    assert max(map(len, reads)) < 2000, "a statement read the roll's members one by one"


def test_a_roll_query_naming_a_member_outside_the_election_s_unit_is_refused_and_nothing_kept(
    draft: Setup,
) -> None:
    elsewhere = Unit.objects.create(kind="affiliate", code="other", name="Another", path="/x/")
    stranger = Member.objects.create(
        number="X1", name="Stranger", branch=elsewhere, join_date=dt.date(2019, 1, 1), status="full"
    )
    roll = Member.objects.filter(pk__in=[draft.org.ann.pk, stranger.pk])
    with pytest.raises(actions.ActionRefused, match="outside Test Party"):
        actions.open_voting(draft.election, by=None, roll=roll)
    draft.election.refresh_from_db()
    assert draft.election.state == "draft"
    assert not RollEntry.objects.filter(election=draft.election).exists()
