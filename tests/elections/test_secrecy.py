"""Secrecy: nothing in the schema or the rows joins a voter to a ballot (issue 5, "Secrecy")."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models

from grassroots.elections import actions, receipts
from grassroots.elections.models import Ballot, VoterRecord
from tests.elections.conftest import Setup
from tests.web.conftest import Org


def _related_models(model: type[models.Model]) -> set[type[models.Model]]:
    out = set()
    for f in model._meta.get_fields():
        if f.is_relation and f.related_model is not None:
            out.add(f.related_model)
    return out


def test_no_foreign_key_path_leads_from_a_voter_record_to_a_ballot() -> None:
    # Walk every relation from VoterRecord except through the Election row, which both share
    # as a constant (one election, many ballots: it joins every ballot to every voter alike).
    election_model = apps.get_model("elections", "Election")
    seen: set[type[models.Model]] = set()
    frontier = [VoterRecord]
    while frontier:
        m = frontier.pop()
        if m in seen:
            continue
        seen.add(m)
        frontier.extend(r for r in _related_models(m) if r is not election_model)
    assert Ballot not in seen
    assert VoterRecord not in _related_models(Ballot)


def test_the_ballot_table_has_only_the_election_as_a_foreign_key_in_the_database(db: None) -> None:
    with connection.cursor() as cur:
        fks = {
            col: target
            for col, (target_col, target) in connection.introspection.get_relations(
                cur, Ballot._meta.db_table
            ).items()
        }
    assert fks == {"election_id": "elections_election"}


def test_the_ballot_key_is_a_random_uuid_not_a_sequence(db: None) -> None:
    pk = Ballot._meta.pk
    assert isinstance(pk, models.UUIDField)
    assert not isinstance(pk, models.AutoField)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            sequences = connection.introspection.get_sequences(cur, Ballot._meta.db_table)
            assert sequences == []
        else:
            # SQLite reports every primary key as a "sequence"; check the column type instead.
            # (Its hidden rowid still counts up: see docs/elections.md, "What secrecy rests on".)
            columns = connection.introspection.get_table_description(cur, Ballot._meta.db_table)
            (id_column,) = [c for c in columns if c.name == "id"]
            assert "int" not in id_column.type_code.lower()


def test_the_ballot_holds_no_date_or_time_at_all(db: None) -> None:
    # the voter record keeps the day of voting, so even a day on the ballot would join the two
    for f in Ballot._meta.get_fields():
        assert not isinstance(f, models.DateField | models.DateTimeField | models.TimeField), f.name
    assert {f.name for f in Ballot._meta.concrete_fields} == {
        "id",
        "election",
        "ranking",
        "receipt_hash",
    }
    with connection.cursor() as cur:
        columns = connection.introspection.get_table_description(cur, Ballot._meta.db_table)
    assert sorted(c.name for c in columns) == ["election_id", "id", "ranking", "receipt_hash"]


def test_the_voter_record_holds_no_time_finer_than_the_day_either() -> None:
    for f in VoterRecord._meta.get_fields():
        assert not isinstance(f, models.DateTimeField | models.TimeField), f.name


def test_ballot_keys_do_not_follow_casting_order(voting: Setup) -> None:
    from grassroots.members import actions as member_actions
    from tests.elections.conftest import NOW

    org = voting.org
    e = voting.election
    members = [
        member_actions.create_member(
            by=None,
            number=f"V{i}",
            name=f"Voter {i}",
            branch=org.hillford,
            join_date=NOW.date().replace(year=2018),
            status="full",
        )
        for i in range(30)
    ]
    # voters join the roll only at opening, so open a fresh election for them
    from tests.elections.conftest import make_election

    e = make_election(org).election
    for m in members:
        actions.cast(e, m, ["Alice Able"])
    keys = [b.id.hex for b in Ballot.objects.filter(election=e)]
    assert len(keys) == 30
    # 30 random keys are in increasing order with probability 1/30!
    ordered_pk = [b.id.hex for b in Ballot.objects.filter(election=e).order_by("pk")]
    voter_order = list(
        VoterRecord.objects.filter(election=e)
        .order_by("pk")
        .values_list("member__number", flat=True)
    )
    assert voter_order == [m.number for m in members]
    assert ordered_pk != keys or sorted(keys) != keys


def test_the_receipt_code_itself_is_stored_nowhere(voting: Setup) -> None:
    code = actions.cast(voting.election, voting.org.ann, ["Alice Able"])
    tables = connection.introspection.table_names()
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(f'SELECT * FROM "{t}"')
            for row in cur.fetchall():
                assert code not in repr(row), t


def test_after_closing_no_ballot_shares_a_transaction_id_or_position_with_a_voter_record(
    voting: Setup,
) -> None:
    from grassroots.elections import receipts
    from grassroots.members import actions as member_actions
    from grassroots.members.models import Member
    from tests.elections.conftest import DAY, NOW, make_election

    org = voting.org
    for i in range(20):
        member_actions.create_member(
            by=None,
            number=f"X{i:02d}",
            name=f"Voter {i}",
            branch=org.hillford,
            join_date=NOW.date().replace(year=2018),
            status="full",
        )
    e = make_election(org).election
    cast_order = [
        receipts.receipt_hash(str(e.pk), actions.cast(e, m, ["Alice Able"]))
        for m in Member.objects.filter(number__startswith="X").order_by("number")
    ]
    actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    table_b, table_v = Ballot._meta.db_table, VoterRecord._meta.db_table
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT receipt_hash FROM {table_b} WHERE election_id = %s ORDER BY {position}",
            [e.pk],
        )
        in_storage = [r[0] for r in cur.fetchall()]
        if connection.vendor == "postgresql":
            cur.execute(f"SELECT DISTINCT xmin::text FROM {table_b} WHERE election_id = %s", [e.pk])
            ballot_xids = {r[0] for r in cur.fetchall()}
            cur.execute(f"SELECT DISTINCT xmin::text FROM {table_v} WHERE election_id = %s", [e.pk])
            voter_xids = {r[0] for r in cur.fetchall()}
            # one transaction id for every ballot now, shared with no voter record
            assert len(ballot_xids) == 1
            assert not ballot_xids & voter_xids
    assert sorted(in_storage) == sorted(cast_order)
    # storage order no longer follows casting order (the same order by chance: 1 in 20!)
    assert in_storage != cast_order


def test_neither_the_ballot_page_token_nor_the_code_derived_from_it_is_stored(
    voting: Setup,
) -> None:
    token = receipts.new_token()
    code = actions.cast(voting.election, voting.org.ann, ["Alice Able"], token=token)
    with connection.cursor() as cur:
        for t in connection.introspection.table_names():
            cur.execute(f'SELECT * FROM "{t}"')
            for row in cur.fetchall():
                assert code not in repr(row), t
                assert token not in repr(row), t


def _voters(org: Org, prefix: str, n: int) -> list[Any]:
    from grassroots.members import actions as member_actions
    from tests.elections.conftest import NOW

    return [
        member_actions.create_member(
            by=None,
            number=f"{prefix}{i:02d}",
            name=f"Voter {prefix}{i}",
            branch=org.hillford,
            join_date=NOW.date().replace(year=2018),
            status="full",
        )
        for i in range(n)
    ]


def _cast_and_close(org: Org, prefix: str, n: int) -> tuple[Any, list[str]]:
    """An election with ``n`` voters who each cast a different ranking, then closed."""
    from itertools import permutations

    from tests.elections.conftest import CANDIDATES, DAY, NOW, make_election

    members = _voters(org, prefix, n)
    e = make_election(org).election
    rankings = list(permutations(CANDIDATES, 3))
    hashes = [
        receipts.receipt_hash(str(e.pk), actions.cast(e, m, list(rankings[i])))
        for i, m in enumerate(members)
    ]
    actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    return e, hashes


def test_after_closing_no_column_of_a_ballot_joins_any_column_of_a_voter_record(
    live_org: Org,
) -> None:
    # Every column of the ballot table against every column of the voter record table, the
    # transaction id (PostgreSQL's hidden xmin) included. Only the election's id is left out:
    # it is the same on every ballot and every voter record of the election.
    e, _ = _cast_and_close(live_org, "J", 12)
    table_b, table_v = Ballot._meta.db_table, VoterRecord._meta.db_table
    q = connection.ops.quote_name
    with connection.cursor() as cur:
        ballot_columns = [
            c.name for c in connection.introspection.get_table_description(cur, table_b)
        ]
        voter_columns = [
            c.name for c in connection.introspection.get_table_description(cur, table_v)
        ]
    hidden = ["xmin"] if connection.vendor == "postgresql" else []
    joined = {}
    with connection.cursor() as cur:
        for cb in [c for c in ballot_columns if c != "election_id"] + hidden:
            for cv in [c for c in voter_columns if c != "election_id"] + hidden:
                cur.execute(
                    f"SELECT count(*) FROM {q(table_b)} b JOIN {q(table_v)} v"
                    f" ON CAST(b.{q(cb)} AS TEXT) = CAST(v.{q(cv)} AS TEXT)"
                    " WHERE b.election_id = %s AND v.election_id = %s",
                    [e.pk, e.pk],
                )
                joined[f"ballot.{cb} = voter_record.{cv}"] = cur.fetchone()[0]
    assert len(joined) >= 12
    assert {k: n for k, n in joined.items() if n} == {}


def _raw_pages(cur: Any, relation: str) -> bytes:
    cur.execute(
        "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", [relation]
    )
    (blocks,) = cur.fetchone()
    data = b""
    for block in range(blocks):
        cur.execute("SELECT get_raw_page(%s, %s)", [relation, block])
        data += bytes(cur.fetchone()[0])
    return data


@pytest.fixture
def pageinspect(live_org: Org) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "dead row versions are PostgreSQL's (set DATABASE_URL); SQLite overwrites deleted "
            "rows itself (secure_delete, tested below)"
        )
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pageinspect'")
        if cur.fetchone() is None:
            pytest.skip("PostgreSQL's pageinspect extension (postgresql-contrib) is not installed")
        cur.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        # A transaction holding an id in another database of the server (another test run, a
        # bulk load) keeps every dead row of every database alive while it runs. The close runs
        # VACUUM FULL again for a while and then tells the operator (tested below); these
        # tests need a server where no such transaction outlasts that, so wait for a long one
        # (already running for seconds) to end.
        deadline = time.monotonic() + 120
        while True:
            cur.execute(
                "SELECT pid, datname FROM pg_stat_activity WHERE backend_xid IS NOT NULL"
                " AND datname IS DISTINCT FROM current_database()"
                " AND xact_start < now() - interval '5 seconds'"
            )
            others = cur.fetchall()
            if not others or time.monotonic() > deadline:
                break
            time.sleep(1)
        if others:
            pytest.skip(
                "another database's long transaction on this PostgreSQL server has held the "
                f"oldest transaction id for over two minutes (server processes {others}): no "
                "VACUUM can drop dead rows until it ends"
            )


def _xmins(cur: Any, e: Any) -> tuple[set[str], set[str]]:
    """The transaction ids on every row version in the ballot table's pages, and the voters'."""
    table_b, table_v = Ballot._meta.db_table, VoterRecord._meta.db_table
    cur.execute(
        "SELECT DISTINCT t_xmin::text FROM generate_series(0, "
        "  pg_relation_size(%s::regclass) / current_setting('block_size')::int - 1) AS blk,"
        "  heap_page_items(get_raw_page(%s, blk::int)) WHERE t_xmin IS NOT NULL",
        [table_b, table_b],
    )
    in_pages = {r[0] for r in cur.fetchall()}
    cur.execute(f"SELECT DISTINCT xmin::text FROM {table_v} WHERE election_id = %s", [e.pk])
    return in_pages, {r[0] for r in cur.fetchall()}


def test_after_closing_no_dead_copy_of_a_ballot_as_cast_is_left_in_the_table_or_its_indexes(
    pageinspect: None, live_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    e, hashes = _cast_and_close(live_org, "D", 12)
    # VACUUM FULL ran without falling back or failing; had another session's snapshot held the
    # dead copies back (the suite's other worker on the same server), the close ran it again
    assert "VACUUM" not in caplog.text
    table_b = Ballot._meta.db_table
    with connection.cursor() as cur:
        heap = _raw_pages(cur, table_b)
        cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table_b])
        indexes = {name: _raw_pages(cur, name) for (name,) in cur.fetchall()}
        xmins_in_pages, voter_xmins = _xmins(cur, e)
    # each receipt hash once in the table (the live, shuffled ballot) and at most once in an index
    assert {h: heap.count(h.encode()) for h in hashes} == {h: 1 for h in hashes}
    for name, pages in indexes.items():
        assert max(pages.count(h.encode()) for h in hashes) <= 1, name
    # no row version in the table, live or dead, carries a casting transaction's id
    assert xmins_in_pages
    assert not xmins_in_pages & voter_xmins


def test_the_close_waits_for_a_transaction_begun_before_it_so_vacuum_full_drops_the_dead_copies(
    pageinspect: None, live_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    # VACUUM FULL keeps a dead row that a running transaction's snapshot could still read
    import threading
    import time

    from django.db import transaction

    holding, release = threading.Event(), threading.Event()

    def old_snapshot() -> None:  # e.g. a report or an ANALYZE that began before the close
        try:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cur.execute("SELECT count(*) FROM elections_election")
                holding.set()
                release.wait(60)
        finally:
            connection.close()

    members = _voters(live_org, "S", 8)
    from itertools import permutations

    from tests.elections.conftest import CANDIDATES, DAY, NOW, make_election

    e = make_election(live_org).election
    rankings = list(permutations(CANDIDATES, 3))
    hashes = [
        receipts.receipt_hash(str(e.pk), actions.cast(e, m, list(rankings[i])))
        for i, m in enumerate(members)
    ]
    reader = threading.Thread(target=old_snapshot)
    reader.start()
    assert holding.wait(30)
    timer = threading.Timer(1.0, release.set)  # it ends a second into the close's wait
    timer.start()
    started = time.monotonic()
    try:
        actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    finally:
        release.set()
        reader.join()
    waited = time.monotonic() - started
    with connection.cursor() as cur:
        heap = _raw_pages(cur, Ballot._meta.db_table)
    assert {h: heap.count(h.encode()) for h in hashes} == {h: 1 for h in hashes}
    assert waited >= 0.9  # the close waited for it
    assert "VACUUM" not in caplog.text


def _hold_snapshot(holding: Any, release: Any) -> None:
    """A transaction whose snapshot (taken now) could still read the ballots as cast."""
    from django.db import transaction

    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cur.execute("SELECT count(*) FROM elections_election")
            holding.set()
            release.wait(60)
    finally:
        connection.close()


def test_while_a_snapshot_holds_dead_copies_back_the_close_runs_vacuum_full_again_until_clean(
    pageinspect: None, live_org: Org, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    import logging
    import threading

    from grassroots.elections.actions import voting as voting_actions

    monkeypatch.setattr(voting_actions, "VACUUM_WAIT", 0.05)  # not waited out: it stays open
    monkeypatch.setattr(voting_actions, "VACUUM_RETRY_PAUSE", 0.4)
    tries: list[int | None] = []
    once = voting_actions._vacuum_full_once

    def counted(cur: Any, table: str) -> int | None:
        kept = once(cur, table)
        tries.append(kept)
        if len(tries) == 1:
            release.set()  # the snapshot ends after the first try
            reader.join()
        return kept

    monkeypatch.setattr(voting_actions, "_vacuum_full_once", counted)
    holding, release = threading.Event(), threading.Event()
    reader = threading.Thread(target=_hold_snapshot, args=(holding, release))
    caplog.set_level(logging.INFO, logger=voting_actions.logger.name)
    members = _voters(live_org, "R", 8)
    from itertools import permutations

    from tests.elections.conftest import CANDIDATES, DAY, NOW, make_election

    e = make_election(live_org).election
    rankings = list(permutations(CANDIDATES, 3))
    hashes = [
        receipts.receipt_hash(str(e.pk), actions.cast(e, m, list(rankings[i])))
        for i, m in enumerate(members)
    ]
    reader.start()
    assert holding.wait(30)
    try:
        actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    finally:
        release.set()
        reader.join()
    assert tries[0] and tries[0] >= 8  # the first try had to keep the ballots as cast
    assert tries[-1] == 0 and len(tries) >= 2
    assert "removed every dead ballot row at its try" in caplog.text
    assert "still kept" not in caplog.text
    with connection.cursor() as cur:
        heap = _raw_pages(cur, Ballot._meta.db_table)
    assert {h: heap.count(h.encode()) for h in hashes} == {h: 1 for h in hashes}


def test_a_close_whose_vacuum_full_is_held_back_on_every_try_tells_the_operator(
    pageinspect: None, live_org: Org, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    import threading

    from grassroots.elections.actions import voting as voting_actions

    monkeypatch.setattr(voting_actions, "VACUUM_WAIT", 0.05)
    monkeypatch.setattr(voting_actions, "VACUUM_ATTEMPTS", 2)
    monkeypatch.setattr(voting_actions, "VACUUM_RETRY_PAUSE", 0.1)
    holding, release = threading.Event(), threading.Event()
    reader = threading.Thread(target=_hold_snapshot, args=(holding, release))
    members = _voters(live_org, "H", 6)
    from tests.elections.conftest import DAY, NOW, make_election

    e = make_election(live_org).election
    for m in members:
        actions.cast(e, m, ["Alice Able"])
    reader.start()
    assert holding.wait(30)
    try:
        actions.close_voting(e, by=None, now=NOW + 6 * DAY)
    finally:
        release.set()
        reader.join()
    e.refresh_from_db()
    assert e.state == "closed"  # the close stands; only the clean-up is left to the operator
    assert "still kept" in caplog.text and "after 2 tries" in caplog.text
    assert f"run VACUUM FULL {connection.ops.quote_name(Ballot._meta.db_table)}" in caplog.text


def test_a_close_that_cannot_lock_the_ballot_table_still_frees_the_dead_rows_and_says_so(
    pageinspect: None, live_org: Org, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    import threading

    from django.db import transaction

    from grassroots.elections.actions import voting as voting_actions

    monkeypatch.setattr(voting_actions, "VACUUM_LOCK_TIMEOUT", "300ms")
    reading, done = threading.Event(), threading.Event()

    def long_reader() -> None:  # e.g. a report reading the ballot table in a long transaction
        try:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(f"LOCK TABLE {Ballot._meta.db_table} IN ACCESS SHARE MODE")
                reading.set()
                done.wait(60)
        finally:
            connection.close()

    reader = threading.Thread(target=long_reader)
    reader.start()
    try:
        assert reading.wait(30)
        e, _ = _cast_and_close(live_org, "W", 8)
    finally:
        done.set()
        reader.join()
    assert e.state == "closed"
    assert "waited too long for its lock" in caplog.text
    with connection.cursor() as cur:
        xmins_in_pages, voter_xmins = _xmins(cur, e)
    assert xmins_in_pages
    assert not xmins_in_pages & voter_xmins


def test_on_sqlite_deleted_rows_are_overwritten_so_no_ballot_as_cast_stays_in_free_pages(
    db: None,
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("secure_delete is SQLite's; PostgreSQL's dead rows are checked above")
    with connection.cursor() as cur:
        cur.execute("PRAGMA secure_delete")
        assert cur.fetchone()[0] == 1
