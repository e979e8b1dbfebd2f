"""Voting over HTTP asks the database a few queries per request, whoever votes: the session,
the user, the user's roles once, the election, the member with their place on the roll, and
the cast (docs/benchmarks.md, "Voting over HTTP")."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.elections.models import Election
from grassroots.members import actions as member_actions
from grassroots.members.models import Member
from grassroots.members.permissions import can, held_roles
from grassroots.site.rows import fetch_one, select_list
from grassroots.site.sessions import SessionStore
from tests.elections.conftest import Setup
from tests.web.conftest import PASSWORD


def _vote(client: Client, setup: Setup) -> tuple[CaptureQueriesContext, CaptureQueriesContext]:
    url = f"/elections/{setup.election.pk}/vote/"
    with CaptureQueriesContext(connection) as page_queries:
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', html)
    fields = re.findall(r'name="(rank-\d+)"', html)
    assert token is not None and fields
    form = {f: str(i) for i, f in enumerate(fields, start=1)}
    form.update(token=token.group(1), step="cast")
    with CaptureQueriesContext(connection) as cast_queries:
        sent = client.post(url, form)
    assert sent.status_code == 200 and 'id="receipt-code"' in sent.content.decode()
    return page_queries, cast_queries


def _role_reads(queries: CaptureQueriesContext) -> int:
    return sum(1 for q in queries.captured_queries if "members_role" in q["sql"])


def test_the_ballot_page_and_the_cast_each_take_a_handful_of_queries(
    client: Client, voting: Setup
) -> None:
    assert client.login(username="ann", password=PASSWORD)
    page, cast = _vote(client, voting)
    # session, user, roles, election, whether another app keeps its voters (the network's
    # primaries), member with roll and vote, photos
    assert len(page.captured_queries) <= 7, [q["sql"] for q in page.captured_queries]
    # session, user, roles, election, the network's check, member with roll and vote, the
    # cast: one statement on PostgreSQL (not seen here: it goes straight to the driver); on
    # SQLite five (the election, the roll entry, the vote check, two inserts). A savepoint
    # and its release around the cast are the test's own transaction's.
    sent = [q["sql"] for q in cast.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sent) <= (6 if connection.vendor == "postgresql" else 11), sent
    assert _role_reads(page) == 1 and _role_reads(cast) == 1


def test_an_officer_who_votes_has_their_roles_read_once_per_request(
    client: Client, voting: Setup
) -> None:
    org = voting.org
    member_actions.grant_role(
        user=org.users["member"], kind="branch_officer", unit=org.hillford, by=None
    )
    member_actions.grant_role(
        user=org.users["member"], kind="returning_officer", unit=org.north, by=None
    )
    assert client.login(username="ann", password=PASSWORD)
    page, cast = _vote(client, voting)
    # the second-factor check, the election's visibility and the navigation share one reading
    assert _role_reads(page) == 1 and _role_reads(cast) == 1
    assert "Registers" in client.get("/").content.decode()  # the navigation still knows


def test_a_user_object_outside_a_request_reads_its_roles_at_every_check(voting: Setup) -> None:
    org = voting.org
    ann = org.users["member"]
    assert held_roles(ann) is None  # not a request's user: nothing is kept on it
    assert not can(ann, "view_register", org.hillford)
    member_actions.grant_role(user=ann, kind="branch_officer", unit=org.hillford, by=None)
    assert can(ann, "view_register", org.hillford)  # the new role counts at once


def test_an_unannounced_election_is_still_hidden_from_a_member_at_the_ballot(
    client: Client, draft: Setup
) -> None:
    Election.objects.filter(pk=draft.election.pk).update(announced_at=None)
    assert client.login(username="ann", password=PASSWORD)
    assert client.get(f"/elections/{draft.election.pk}/vote/").status_code == 404
    assert client.login(username="returning", password=PASSWORD)  # who manages it sees it
    assert client.get(f"/elections/{draft.election.pk}/vote/").status_code != 404


def test_an_expired_session_signs_nobody_in(client: Client, voting: Setup) -> None:
    assert client.login(username="ann", password=PASSWORD)
    key = client.cookies["sessionid"].value
    assert SessionStore(key).load()  # the stored session, read in plain SQL
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {} and store.session_key is None
    r = client.get(f"/elections/{voting.election.pk}/vote/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def _orm_built(queries: CaptureQueriesContext) -> list[str]:
    """The statements the ORM built (it names every column as "table"."column")."""
    return [q["sql"] for q in queries.captured_queries if re.search(r'"\w+"\."\w+"', q["sql"])]


def test_the_ballot_page_and_the_cast_build_no_orm_query_for_user_election_or_voter(
    client: Client, voting: Setup
) -> None:
    assert client.login(username="ann", password=PASSWORD)
    page, cast = _vote(client, voting)
    # the session, the user, the roles, the election, the primary check and the voter are
    # plain SQL (site/rows.py, signin/backends.py); so is the cast on PostgreSQL (SQLite's
    # cast is the ORM's transaction, not a hot path in production)
    assert _orm_built(page) == []
    if connection.vendor == "postgresql":
        assert _orm_built(cast) == []
    users = [q["sql"] for q in page.captured_queries if "auth_user" in q["sql"]]
    assert len(users) == 1 and users[0].startswith('SELECT u."id"')


def test_a_deactivated_account_is_still_signed_out_by_the_plain_sql_user_read(
    client: Client, voting: Setup
) -> None:
    assert client.login(username="ann", password=PASSWORD)
    ann = voting.org.users["member"]
    User.objects.filter(pk=ann.pk).update(is_active=False)
    r = client.get(f"/elections/{voting.election.pk}/vote/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_rows_read_in_plain_sql_equal_the_orms_field_by_field(voting: Setup) -> None:
    """Dates (text on SQLite), JSON columns and foreign keys come back as the ORM gives them."""
    e = voting.election
    ann = voting.org.users["member"]
    for model, pk in ((Election, e.pk), (User, ann.pk), (Member, voting.org.ann.pk)):
        sql = f"SELECT {select_list(model, 't')} FROM {model._meta.db_table} t WHERE t.id = %s"
        found = fetch_one(model, sql, [pk])
        assert found is not None
        plain, extra = found
        orm = model.objects.get(pk=pk)
        assert extra == ()
        for f in model._meta.concrete_fields:
            assert getattr(plain, f.attname) == getattr(orm, f.attname), f.name
            assert type(getattr(plain, f.attname)) is type(getattr(orm, f.attname)), f.name
        assert not plain._state.adding and plain._state.db == "default"
    sql = f"SELECT {select_list(User, 'u')} FROM auth_user u WHERE u.id = %s"
    assert fetch_one(User, sql, [-1]) is None


def test_a_session_made_under_djangos_own_backend_still_signs_its_person_in(
    client: Client, voting: Setup
) -> None:
    assert client.login(username="ann", password=PASSWORD)
    key = client.cookies["sessionid"].value
    store = SessionStore(key)
    data = store.load()
    assert data["_auth_user_backend"] == "grassroots.signin.backends.ModelBackend"
    # as a session stored before the backends were the project's own
    data["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    Session.objects.filter(session_key=key).update(session_data=store.encode(data))
    r = client.get(f"/elections/{voting.election.pk}/vote/")
    assert r.status_code == 200 and 'name="token"' in r.content.decode()
    # a backend that was never listed still signs nobody in
    data["_auth_user_backend"] = "somewhere.else.Backend"
    Session.objects.filter(session_key=key).update(session_data=store.encode(data))
    r = client.get(f"/elections/{voting.election.pk}/vote/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
