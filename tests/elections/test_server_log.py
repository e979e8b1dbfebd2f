"""Nothing that links a voter to a ballot reaches PostgreSQL's log (issue 10, point 1).

With the server's default logging, casts, double clicks and retries must raise no database
error (a failed statement is logged with its text); where the server logs statements, voting
refuses to open. The log is read as the server writes it: ``pg_current_logfile()`` when the
server runs its own logging collector, else the file Debian's ``pg_ctlcluster`` sends the
server's output to, read through ``pg_read_file`` (the test role is a superuser in CI).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from grassroots.elections import actions, receipts
from grassroots.elections.models import Election
from tests.elections.conftest import CANDIDATES, NOW, Setup, make_election
from tests.web.conftest import Org

# a skip whose reason holds these words fails in CI (tests/conftest.py, GRASSROOTS_REQUIRE_PG_LOG)
UNREADABLE = "cannot read postgresql's server log"


@pytest.fixture
def postgres(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "the database server's log is PostgreSQL's (set DATABASE_URL); SQLite keeps none"
        )


@dataclass
class ServerLog:
    """PostgreSQL's log file, read from where it stood when the test began."""

    path: str
    start: int

    def _size(self, cur: Any) -> int:
        cur.execute("SELECT size FROM pg_stat_file(%s)", [self.path])
        return int(cur.fetchone()[0])

    def lines_since_start(self) -> list[str]:
        """This test database's lines written since ``start`` (all lines if the prefix lacks %d)."""
        with connection.cursor() as cur:
            end = self._size(cur)
            cur.execute(
                "SELECT pg_read_file(%s, %s, %s)", [self.path, self.start, end - self.start]
            )
            text = cur.fetchone()[0] or ""
            cur.execute("SELECT current_database(), current_setting('log_line_prefix')")
            database, prefix = cur.fetchone()
        lines = text.splitlines()
        if "%d" in prefix:
            return [line for line in lines if f"@{database} " in line]
        return lines


def _log_path(cur: Any) -> str | None:
    cur.execute("SELECT pg_current_logfile(), current_setting('data_directory')")
    current, data_dir = cur.fetchone()
    if current:
        return current if current.startswith("/") else f"{data_dir}/{current}"
    cur.execute("SELECT current_setting('cluster_name')")
    cluster = cur.fetchone()[0]  # Debian: '15/main', output in /var/log/postgresql
    if not cluster:
        return None
    path = f"/var/log/postgresql/postgresql-{cluster.replace('/', '-')}.log"
    cur.execute("SELECT (pg_stat_file(%s, true)).size IS NOT NULL", [path])
    return path if cur.fetchone()[0] else None


@pytest.fixture
def server_log(postgres: None) -> Iterator[ServerLog]:
    with connection.cursor() as cur:
        try:
            path = _log_path(cur)
            if path is None:
                pytest.skip(f"{UNREADABLE}: no logging collector and no Debian cluster log file")
            log = ServerLog(path, 0)
            log.start = log._size(cur)
        except Exception as exc:  # e.g. not a superuser: pg_read_file is refused
            if isinstance(exc, pytest.skip.Exception):
                raise
            pytest.skip(f"{UNREADABLE}: {exc}")
        # a marker, so the test knows it reads the log the server is writing now
        marker = f"grassroots-log-check-{uuid.uuid4().hex}"
        cur.execute(f"DO $$ BEGIN RAISE WARNING '{marker}'; END $$")
    if not any(marker in line for line in log.lines_since_start()):
        pytest.skip(f"{UNREADABLE}: {path} does not receive this server's messages")
    yield log


def _voters(org: Org, n: int) -> list[Any]:
    from grassroots.members import actions as member_actions

    return [
        member_actions.create_member(
            by=None,
            number=f"L{i:02d}",
            name=f"Logged Voter {i}",
            branch=org.hillford,
            join_date=NOW.date().replace(year=2018),
            status="full",
        )
        for i in range(n)
    ]


def test_casts_double_clicks_and_retries_leave_no_voter_or_ballot_in_postgresqls_log(
    server_log: ServerLog, live_org: Org, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    voters = _voters(live_org, 6)
    e = make_election(live_org).election
    stored: list[str] = []  # receipt hashes
    rankings = [[CANDIDATES[i % 4], CANDIDATES[(i + 1) % 4]] for i in range(len(voters))]

    # plain casts, each followed by a double click (the same page posted again at once)
    for m, ranking in zip(voters[:3], rankings[:3], strict=True):
        token = receipts.new_token()
        code = actions.cast(e, m, ranking, token=token)
        stored.append(receipts.receipt_hash(str(e.pk), code))
        with pytest.raises(actions.AlreadyVoted):
            actions.cast(e, m, ranking, token=token)
        # the retry the ballot page makes when the first response was lost
        assert actions.receipt_for_retry(e, m, token) == code
        with pytest.raises(actions.AlreadyVoted):
            actions.cast(e, m, list(reversed(ranking)))

    # double clicks that really race: eight requests for each voter at once
    def race(m: Any, ranking: list[str], token: str, out: list[str]) -> None:
        try:
            out.append(actions.cast(e, m, ranking, token=token))
        except actions.AlreadyVoted:
            pass
        finally:
            connection.close()

    for m, ranking in zip(voters[3:], rankings[3:], strict=True):
        token, codes = receipts.new_token(), []
        threads = [threading.Thread(target=race, args=(m, ranking, token, codes)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(codes) == 1
        stored.append(receipts.receipt_hash(str(e.pk), codes[0]))

    lines = server_log.lines_since_start()
    errors = [line for line in lines if "ERROR:" in line or "FATAL:" in line]
    assert errors == []
    leaks = [
        line
        for line in lines
        if any(h in line for h in stored)
        or any(f'"{r[0]}", "{r[1]}"' in line for r in rankings)
        or "votes_once" in line
        or "member_id" in line
    ]
    assert leaks == []
    in_python_logs = [
        r.getMessage() for r in caplog.records if any(h in r.getMessage() for h in stored)
    ]
    assert in_python_logs == []


SETTINGS_THAT_LOG_CASTS = [
    ("log_statement", "all"),
    ("log_statement", "mod"),
    ("log_min_duration_statement", "0"),
    ("log_min_duration_statement", "250"),
    ("log_min_duration_sample", "0"),
    ("log_transaction_sample_rate", "0.5"),
    ("log_parameter_max_length_on_error", "-1"),
]


@pytest.mark.parametrize(("setting", "value"), SETTINGS_THAT_LOG_CASTS)
def test_voting_does_not_open_while_the_database_server_logs_statements(
    postgres: None, live_org: Org, setting: str, value: str
) -> None:
    draft = make_election(live_org, open_voting=False).election
    with connection.cursor() as cur:
        cur.execute(f"SET {setting} = '{value}'")
    try:
        with pytest.raises(actions.ActionRefused, match=f"logs statements.*{setting}"):
            actions.open_voting(draft, by=None)
        assert Election.objects.get(pk=draft.pk).state == "draft"
    finally:
        with connection.cursor() as cur:
            cur.execute(f"RESET {setting}")
    actions.open_voting(draft, by=None)
    assert Election.objects.get(pk=draft.pk).state == "voting"


def test_where_the_server_logs_every_statement_a_cast_would_be_logged_with_its_ranking(
    server_log: ServerLog, voting: Setup
) -> None:
    # why voting refuses to open then: the log would pair the voter with the ballot
    with connection.cursor() as cur:
        cur.execute("SET log_statement = 'all'")
    try:
        code = actions.cast(voting.election, voting.org.ann, ["Cal Calm", "Dan Deft"])
    finally:
        with connection.cursor() as cur:
            cur.execute("RESET log_statement")
    text = "\n".join(server_log.lines_since_start())
    assert receipts.receipt_hash(str(voting.election.pk), code) in text
    assert '["Cal Calm", "Dan Deft"]' in text


def test_a_double_clicked_and_a_retried_cast_through_the_ballot_page_leave_no_error_in_the_log(
    server_log: ServerLog, live_org: Org
) -> None:
    import re

    from django.test import Client

    from tests.web.conftest import PASSWORD

    e = make_election(live_org).election
    client = Client()
    assert client.login(username="ann", password=PASSWORD)
    url = f"/elections/{e.pk}/vote/"
    page = client.get(url).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    data = {f"rank-{e.ballot.index('Dan Deft')}": "1", "token": token, "step": "cast"}
    # a double click: the same page posted several times at once, in the same session
    clicks = 6
    barrier = threading.Barrier(clicks)
    pages: list[str] = []

    def click() -> None:
        try:
            browser = Client()
            browser.cookies = client.cookies
            barrier.wait()
            response = browser.post(url, data)
            assert response.status_code == 200
            pages.append(response.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(clicks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(pages) == clicks
    codes = {m.group(1) for p in pages if (m := re.search(r'id="receipt-code">([0-9A-Z-]+)<', p))}
    assert len(codes) == 1  # every click shows the one receipt: the others were retries
    (code,) = codes
    retry = client.post(url, data)  # the retry of a lost response, later
    assert code in retry.content.decode()
    receipt = receipts.receipt_hash(str(e.pk), code)
    lines = server_log.lines_since_start()
    assert [line for line in lines if "ERROR:" in line or "FATAL:" in line] == []
    assert [line for line in lines if receipt in line or "Dan Deft" in line] == []
