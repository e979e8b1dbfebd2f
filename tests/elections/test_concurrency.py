"""Many threads casting for one voter at once store exactly one ballot (PostgreSQL only)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from grassroots.elections import actions
from grassroots.elections.models import Ballot, VoterRecord
from tests.elections.conftest import make_election
from tests.web.conftest import Org

THREADS = 16


@pytest.fixture
def postgres_only(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "the concurrency test needs PostgreSQL (set DATABASE_URL): SQLite serialises "
            "writers, so threads could never race there"
        )


def test_sixteen_threads_casting_for_one_voter_store_exactly_one_ballot(
    postgres_only: None, live_org: Org
) -> None:
    s = make_election(live_org)
    e, ann = s.election, live_org.ann
    barrier = threading.Barrier(THREADS)
    codes: list[str] = []
    refusals: list[str] = []
    errors: list[BaseException] = []

    def vote(i: int) -> None:
        try:
            barrier.wait()
            codes.append(actions.cast(e, ann, [s.election.ballot[i % 4]]))
        except actions.AlreadyVoted as exc:
            refusals.append(str(exc))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(codes) == 1
    assert len(refusals) == THREADS - 1
    assert VoterRecord.objects.filter(election=e).count() == 1
    assert Ballot.objects.filter(election=e).count() == 1


def test_closing_waits_for_casts_in_flight_and_none_lands_after(
    postgres_only: None, live_org: Org
) -> None:
    from grassroots.members import actions as member_actions
    from tests.elections.conftest import DAY, NOW

    members = [
        member_actions.create_member(
            by=None,
            number=f"C{i}",
            name=f"Caster {i}",
            branch=live_org.hillford,
            join_date=NOW.date().replace(year=2018),
            status="full",
        )
        for i in range(12)
    ]
    s = make_election(live_org)
    e = s.election
    barrier = threading.Barrier(len(members) + 1)
    accepted: list[str] = []

    def vote(m: object) -> None:
        try:
            barrier.wait()
            accepted.append(actions.cast(e, m, ["Alice Able"]))  # type: ignore[arg-type]
        except actions.ActionRefused:
            pass
        finally:
            connection.close()

    def close() -> None:
        try:
            barrier.wait()
            actions.close_voting(e, by=None, now=NOW + 6 * DAY)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(m,)) for m in members]
    threads.append(threading.Thread(target=close))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # every acknowledged ballot is stored, and the count reads exactly those
    assert Ballot.objects.filter(election=e).count() == len(accepted)
    assert VoterRecord.objects.filter(election=e).count() == len(accepted)
    actions.count_votes(e, by=None)
    pub = actions.publish_result(e, by=None)
    assert len(pub.files["receipts.txt"].split()) == len(accepted)
