"""Secrecy: nothing in the schema or the rows joins a voter to a ballot (issue 5, "Secrecy")."""

from __future__ import annotations

from django.apps import apps
from django.db import connection, models

from grassroots.elections import actions, receipts
from grassroots.elections.models import Ballot, VoterRecord
from tests.elections.conftest import Setup


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


def test_the_ballot_holds_no_time_finer_than_the_day() -> None:
    for f in Ballot._meta.get_fields():
        assert not isinstance(f, models.DateTimeField | models.TimeField), f.name
    assert {f.name for f in Ballot._meta.concrete_fields} == {
        "id",
        "election",
        "ranking",
        "receipt_hash",
        "cast_on",
    }


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
