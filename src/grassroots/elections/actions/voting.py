"""Opening voting, casting ballots exactly once and secretly, and closing."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.db.models import QuerySet
from django.utils.timezone import localtime

from grassroots.audit.log import record
from grassroots.dates import day, moment
from grassroots.elections import receipts, statement_log
from grassroots.elections.actions._common import (
    ActionRefused,
    AlreadyVoted,
    User,
    _check,
    _now,
    _subject,
)
from grassroots.elections.actions.constraints import _check_constraints_can_be_met
from grassroots.elections.actions.setup import _electorate, ballot_candidates
from grassroots.elections.models import (
    Ballot,
    Election,
    RollEntry,
    VoterRecord,
)
from grassroots.members.models import Member

logger = logging.getLogger(__name__)

# how long the close's VACUUM FULL waits for older snapshots (seconds), then for the ballot
# table's lock (casts queue behind it while it waits)
VACUUM_WAIT = 10.0
VACUUM_LOCK_TIMEOUT = "10s"


@transaction.atomic
def open_voting(
    election: Election,
    *,
    by: User | None,
    now: dt.datetime | None = None,
    roll: Sequence[int] | QuerySet[Member] | None = None,
) -> Election:
    """Freeze the roll (fingerprinted), fix the ballot, and open voting.

    ``roll``: the members on the roll when it is not the unit's electorate by the rules, e.g.
    those present with a vote when a meeting holds a secret ballot (the meetings app freezes
    its attendance); each must be a member within the election's unit. Either their ids, or
    a query of them (a network primary's voter records, hundreds of thousands): a query is
    checked and copied onto the roll by the database server in one statement, without the
    ids passing through Python.
    """
    _check(by, "manage_occasions", election.unit)
    e = Election.objects.select_for_update().get(pk=election.pk)
    if e.state != "draft":
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}: it cannot open again")
    if e.announced_at is None:
        raise ActionRefused(f"{e} has not been announced: members must be told before voting")
    if _now(now) < e.nominations_close:
        raise ActionRefused(
            f"nominations are open until {moment(localtime(e.nominations_close))}; "
            "voting opens after they close"
        )
    if _now(now) < e.voting_open:
        raise ActionRefused(
            f"voting is timetabled to open at {e.voting_open:%Y-%m-%d %H:%M}; "
            "opening it earlier is a change with a reason (open voting early)"
        )
    logged = statement_log.problems()
    if logged:
        raise ActionRefused(
            "voting cannot open while the database server logs statements: every ballot would "
            f"be written to its log beside its voter ({'; '.join(logged)}). Turn these off for "
            "the ballot database (docs/deploy.md, 'The ballot database'), then open voting"
        )
    on_ballot = ballot_candidates(e)
    if not on_ballot:
        raise ActionRefused("no candidate has met the threshold and consented: nobody to vote for")
    _check_constraints_can_be_met(e, on_ballot)
    if isinstance(roll, QuerySet):
        size, numbers = _write_roll_of(e, roll)
    else:
        size, numbers = _write_listed_roll(e, roll)
    e.roll_size = size
    e.roll_fingerprint = receipts.fingerprint(numbers)
    e.ballot = [c.name for c in on_ballot]
    e.state = "voting"
    e.save(update_fields=["roll_size", "roll_fingerprint", "ballot", "state"])
    record(
        by,
        "election.open",
        _subject(e),
        f"Opened voting: {size} members on the roll, {len(on_ballot)} candidates",
        detail={"roll_fingerprint": e.roll_fingerprint, "candidates": [c.name for c in on_ballot]},
    )
    election.refresh_from_db()
    return e


def _write_listed_roll(e: Election, roll: Sequence[int] | None) -> tuple[int, list[str]]:
    """The roll of the unit's electorate by the rules (``roll`` None), or of the members with
    these ids: its size and member numbers."""
    if roll is None:
        entries = _electorate(e)
    else:
        entries = list(
            Member.objects.filter(pk__in=list(roll), branch__path__startswith=e.unit.path)
            .order_by("number")
            .values_list("id", "number", "branch_id")
        )
        if len(entries) != len(set(roll)):
            raise ActionRefused(f"the roll names members outside {e.unit.name}")
    _write_roll(e, entries)
    return len(entries), [n for _, n, _ in entries]


def _write_roll_of(e: Election, roll: QuerySet[Member]) -> tuple[int, list[str]]:
    """The roll of the members ``roll`` selects: checked to lie within the election's unit and
    copied onto the roll on the server (PostgreSQL: one ``INSERT … SELECT``); its size and
    member numbers (the fingerprint's input, read back with the roll's rows as written)."""
    named = Member.objects.filter(pk__in=roll.order_by().values("pk")).order_by()
    within = (
        named.filter(branch__path__startswith=e.unit.path).order_by().values_list("id", "branch_id")
    )
    if connection.vendor == "postgresql":
        sql, params = within.query.sql_with_params()
        table = connection.ops.quote_name(RollEntry._meta.db_table)
        members = connection.ops.quote_name(Member._meta.db_table)
        with connection.cursor() as cur:
            # the numbers of the members just put on the roll, from the same statement
            cur.execute(
                f"WITH ins AS (INSERT INTO {table} (election_id, member_id, branch_id) "
                f"SELECT %s, s.id, s.branch_id FROM ({sql}) AS s RETURNING member_id) "
                f"SELECT m.number FROM ins JOIN {members} AS m ON m.id = ins.member_id",
                [e.pk, *params],
            )
            numbers = [n for (n,) in cur.fetchall()]
    else:
        rows = list(within)
        RollEntry.objects.bulk_create(
            [RollEntry(election=e, member_id=m, branch_id=b) for m, b in rows], batch_size=5000
        )
        on_roll = RollEntry.objects.filter(election=e).values("member_id")
        numbers = list(
            Member.objects.filter(pk__in=on_roll).order_by().values_list("number", flat=True)
        )
    if len(numbers) != named.count():
        raise ActionRefused(f"the roll names members outside {e.unit.name}")
    return len(numbers), numbers


def _write_roll(e: Election, entries: Sequence[tuple[int, str, int]]) -> None:
    """The frozen roll's rows. On PostgreSQL one statement from two arrays (an electorate of
    500,000 in seconds, where building half a million model instances took most of a
    minute); bulk inserts elsewhere."""
    if connection.vendor != "postgresql":
        RollEntry.objects.bulk_create(
            [RollEntry(election=e, member_id=m, branch_id=b) for m, _, b in entries],
            batch_size=5000,
        )
        return
    table = connection.ops.quote_name(RollEntry._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (election_id, member_id, branch_id) "
            "SELECT %s, m, b FROM unnest(%s::bigint[], %s::bigint[]) AS r(m, b)",
            [e.pk, _array(m for m, _, _ in entries), _array(b for _, _, b in entries)],
        )


def _array(ids: Iterable[int]) -> str:
    """Ids as PostgreSQL's text form of an array: written at once, where the driver's list
    adapter took seconds for half a million."""
    return "{" + ",".join(map(str, ids)) + "}"


def _lock_for_casting(election_id: int) -> Election:
    """Read the election so that closing waits for casts in flight (and they for it).

    PostgreSQL: ``FOR SHARE`` lets casts run side by side while ``close_voting``'s
    ``FOR UPDATE`` waits for all of them, so no ballot lands after the count has read them.
    SQLite serialises writers anyway.
    """
    if connection.vendor == "postgresql":
        table = Election._meta.db_table
        locked = list(
            Election.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [election_id])
        )
        if not locked:
            raise ActionRefused(f"there is no election {election_id}")
        return locked[0]
    return Election.objects.get(pk=election_id)


def _cast_statement() -> str:
    """PostgreSQL: the whole cast as ONE statement, so one round trip and its own transaction.

    ``e`` takes ``FOR SHARE`` on the election row only if voting is open at ``at`` and every
    ranked name is on the ballot (``@>``); if ``close_voting`` committed while this waited for
    the lock, PostgreSQL re-checks the row's new version and ``e`` is empty. ``v`` inserts the
    voter record from the member's roll entry (none if not on the roll). A second cast for the
    same member inserts nothing (``ON CONFLICT … DO NOTHING`` on ``votes_once``; a concurrent
    one waits for the first to commit or roll back), so a double click or a retry raises no
    database error, and the server logs no failed statement naming the voter beside a ballot.
    ``b`` inserts the ballot only if ``v`` did. A data-modifying statement is atomic, so both
    rows or neither, exactly as the two inserts in one transaction were.
    """
    return (
        "WITH e AS ("
        f" SELECT id FROM {Election._meta.db_table}"
        " WHERE id = %s AND state = 'voting' AND voting_open <= %s AND voting_close >= %s"
        " AND ballot @> %s::jsonb FOR SHARE"
        "), v AS ("
        f" INSERT INTO {VoterRecord._meta.db_table} (election_id, member_id, branch_id, voted_on)"
        f" SELECT r.election_id, r.member_id, r.branch_id, %s FROM {RollEntry._meta.db_table} r"
        " JOIN e ON r.election_id = e.id WHERE r.member_id = %s"
        " ON CONFLICT ON CONSTRAINT votes_once DO NOTHING"
        " RETURNING election_id"
        "), b AS ("
        f" INSERT INTO {Ballot._meta.db_table} (id, election_id, ranking, receipt_hash)"
        " SELECT %s, election_id, %s::jsonb, %s FROM v RETURNING 1"
        ") SELECT count(*) FROM b"
    )


_CAST_SQL = _cast_statement()


def _cast_postgresql(
    election_id: int, member_id: int, ranking: Sequence[str], at: dt.datetime, receipt: str
) -> bool:
    """Run the one-statement cast; True if a ballot was stored (False: refused, say why).

    The values go to the server apart from the statement (psycopg's server-side binding), so
    if the statement ever fails (a timeout, a shutdown), the server's log shows ``$1``, ``$2``
    … and not the member beside the ranking (PostgreSQL logs no values of a failed statement
    unless ``log_parameter_max_length_on_error`` is set, which ``open_voting`` refuses).
    """
    import psycopg

    names = json.dumps(list(ranking))
    params = [election_id, at, at, names, at.date(), member_id, uuid.uuid4(), names, receipt]

    def run() -> bool:
        connection.ensure_connection()
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cur:
            cur.execute(_CAST_SQL, params, prepare=False)  # no named statement: poolers
            row = cur.fetchone()
        return bool(row and row[0])

    if connection.in_atomic_block:  # inside a caller's transaction: a savepoint, as before
        with transaction.atomic():
            return run()
    return run()  # autocommit: the statement is its own transaction


def _cast_other(
    election_id: int, member: Member, ranking: Sequence[str], at: dt.datetime, receipt: str
) -> bool:
    """Any other database (SQLite): the two inserts in one transaction, the roll read first."""
    with transaction.atomic():
        e = _lock_for_casting(election_id)
        if e.state != "voting" or not e.voting_open <= at <= e.voting_close:
            return False
        on_roll = RollEntry.objects.filter(election=e, member=member).values_list(
            "branch_id", flat=True
        )
        branch = next(iter(on_roll[:1]), None)
        if branch is None:
            return False
        _check_ranking(ranking, e.ballot)
        if VoterRecord.objects.filter(election=e, member=member).exists():
            return False  # the write lock is held from BEGIN (IMMEDIATE): nobody can slip in
        VoterRecord.objects.create(election=e, member=member, branch_id=branch, voted_on=at.date())
        Ballot.objects.create(election=e, ranking=list(ranking), receipt_hash=receipt)
    return True


def _refusal(election: Election, member: Member, ranking: Sequence[str], at: dt.datetime) -> None:
    """Why a cast stored nothing: raise the reason (only on the refused path, so not hot)."""
    e = Election.objects.filter(pk=election.pk).first()
    if e is None:
        raise ActionRefused(f"there is no election {election.pk}")
    if e.state != "voting" or not e.voting_open <= at <= e.voting_close:
        raise ActionRefused(f"voting in {e} is not open now")
    if not RollEntry.objects.filter(election=e, member=member).exists():
        raise ActionRefused(
            f"{member.name} is not on the roll of {e} "
            f"(members who joined by the freeze date, {day(e.freeze_date)})"
        )
    if VoterRecord.objects.filter(election=e, member=member).exists():
        raise AlreadyVoted(f"{member.name} has already voted in {e}; the first ballot stands")
    _check_ranking(ranking, e.ballot)
    raise ActionRefused(f"voting in {e} is not open now")  # closed while this cast waited


def _receipt_code(election: Election, member: Member, token: str | None) -> str:
    if token is None:
        return receipts.new_code()
    return receipts.code_from_token(settings.SECRET_KEY, str(election.pk), str(member.pk), token)


def cast(
    election: Election,
    member: Member,
    ranking: Sequence[str],
    *,
    now: dt.datetime | None = None,
    token: str | None = None,
) -> str:
    """Record that ``member`` voted and store their anonymous ballot; return the receipt code.

    Both rows are written in one transaction, so a crash leaves both or neither. A second cast
    by the same member (another tab, a retried request) stores nothing and raises
    ``AlreadyVoted``, without a database error (which the server would log with the statement).

    ``token`` is the random one-time token of the ballot page (``receipts.new_token``), kept
    only in that page: the receipt code is then derived from it (``receipts.code_from_token``)
    so that a retried request can be given the same receipt again (``receipt_for_retry``).
    Without a token the code is simply random. Either way only its hash is stored.
    """
    at = _now(now)
    code = _receipt_code(election, member, token)
    receipt = receipts.receipt_hash(str(election.pk), code)
    try:
        if not ranking or len(set(ranking)) != len(ranking):
            stored = False  # malformed: _refusal names the problem, in the usual order
        elif connection.vendor == "postgresql":
            stored = _cast_postgresql(election.pk, member.pk, ranking, at, receipt)
        else:
            stored = _cast_other(election.pk, member, ranking, at, receipt)
    except IntegrityError:
        if VoterRecord.objects.filter(election=election, member=member).exists():
            raise AlreadyVoted(
                f"{member.name} has already voted in {election}; the first ballot stands"
            ) from None
        raise
    if not stored:
        _refusal(election, member, ranking, at)
    return code


def receipt_for_retry(election: Election, member: Member, token: str) -> str | None:
    """The receipt again for a member whose cast with this page's ``token`` was stored.

    Nothing links a voter to a ballot, so this derives the code from the token once more and
    answers only if a ballot of this election holds that code's hash: a retried request (the
    first response was lost) gets its receipt back; any other token gets ``None``.
    """
    if not VoterRecord.objects.filter(election=election, member=member).exists():
        return None
    code = _receipt_code(election, member, token)
    h = receipts.receipt_hash(str(election.pk), code)
    return code if Ballot.objects.filter(election=election, receipt_hash=h).exists() else None


def _check_ranking(ranking: Sequence[str], names: Sequence[str]) -> None:
    if not ranking:
        raise ActionRefused("a ballot must rank at least one candidate")
    unknown = [n for n in ranking if n not in names]
    if unknown:
        raise ActionRefused(f"{', '.join(unknown)} is not on this ballot")
    if len(set(ranking)) != len(ranking):
        raise ActionRefused("a candidate is ranked more than once")


@transaction.atomic
def close_voting(
    election: Election, *, by: User | None, now: dt.datetime | None = None
) -> Election:
    """Close voting once the timetable says so; waits for casts in flight to finish."""
    _check(by, "manage_occasions", election.unit)
    e = Election.objects.select_for_update().get(pk=election.pk)
    if e.state != "voting":
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}, not open for voting")
    if _now(now) < e.voting_close:
        raise ActionRefused(f"voting is open until {moment(localtime(e.voting_close))}")
    e.state = "closed"
    e.save(update_fields=["state"])
    _rewrite_ballots_in_random_order(e)
    votes = VoterRecord.objects.filter(election=e).count()
    record(by, "election.close", _subject(e), f"Closed voting: {votes} ballots cast")
    election.refresh_from_db()
    return e


def _rewrite_ballots_in_random_order(e: Election) -> None:
    """Delete and re-insert the ballots, shuffled, so storage no longer mirrors casting.

    Rows written by one transaction share PostgreSQL's hidden ``xmin``, and physical order
    (``ctid``, SQLite's ``rowid``) follows insertion; either could pair a ballot with its voter
    record for someone reading the database directly. After this rewrite every ballot carries
    this transaction's ``xmin`` and sits in random order; once the close has committed,
    ``_forget_old_ballot_rows`` removes the deleted copies as they were cast.
    """
    rows = list(Ballot.objects.filter(election=e))
    secrets.SystemRandom().shuffle(rows)
    Ballot.objects.filter(election=e).delete()
    Ballot.objects.bulk_create(rows, batch_size=2000)
    transaction.on_commit(_forget_old_ballot_rows)


def _forget_old_ballot_rows() -> None:
    """After the close committed: leave no dead copy of a ballot as it was cast.

    PostgreSQL keeps deleted row versions, each with its casting transaction's id and in
    casting order, in the table and its indexes until VACUUM; ``VACUUM FULL`` writes the table
    and its indexes afresh, so not even their bytes stay behind in free space. VACUUM cannot
    run inside a transaction, hence after the commit. SQLite zeroes deleted rows
    (``secure_delete``, in the settings); a checkpoint then empties the write-ahead log, which
    still held the pages as they were while voting. A failure is logged, not raised: the close
    itself has committed.
    """
    try:
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                _vacuum_full_ballots(cur)
            elif connection.vendor == "sqlite":
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:
        logger.exception(
            "the ballots' dead row versions could not be removed after closing voting: "
            "run VACUUM FULL %s on the database by hand",
            Ballot._meta.db_table,
        )


# how often the close runs VACUUM FULL while a snapshot still holds dead ballots back, and the
# first pause between tries (doubled each time: 0.5 + 1 + 2 + 4 s at most)
VACUUM_ATTEMPTS = 5
VACUUM_RETRY_PAUSE = 0.5
_KEPT = re.compile(r"(\d+) dead row versions cannot be removed yet")
# sessions that can keep the ballots as cast alive: a snapshot in this database, or a
# transaction holding an id in any database of the server (every snapshot taken while it runs,
# this close's own included, counts it as running)
_HOLDS_BACK = (
    "pid <> pg_backend_pid() AND ((datname = current_database() AND backend_xmin IS NOT NULL)"
    " OR backend_xid IS NOT NULL)"
)


def _vacuum_full_ballots(cur: Any) -> int:
    """``VACUUM FULL`` of the ballot table until it keeps no dead row; returns how many it
    still kept after its last try (0: none).

    VACUUM FULL copies a dead row that a transaction begun before the close could still read
    (an autovacuum's ANALYZE, a report, a backup), so first wait, up to ``VACUUM_WAIT``
    seconds, for every transaction begun before now that holds a snapshot of this database or
    a transaction id in any database of the server (every snapshot, the close's own included,
    treats that id as running and keeps what it could see). Even then a session can hold the
    rows back (one that outlasts the wait, or a snapshot taken just after the close): VACUUM
    FULL says how many dead row versions it had to keep, and while it keeps any it runs again
    after a pause, ``VACUUM_ATTEMPTS`` times in all; if the last still keeps some, the log
    names the sessions holding them back and asks the operator to run it by hand. It locks
    the ballot table while it runs (seconds for a million ballots): casts in other elections
    wait, none fails. If it cannot have that lock within ``VACUUM_LOCK_TIMEOUT`` (a long
    transaction reads the table), a plain VACUUM, which blocks no cast, frees the dead rows
    instead, and the log says to run VACUUM FULL later.
    """
    table = connection.ops.quote_name(Ballot._meta.db_table)
    cur.execute("SELECT clock_timestamp()")
    (closed_at,) = cur.fetchone()
    older = f"SELECT pid FROM pg_stat_activity WHERE {_HOLDS_BACK} AND xact_start < %s"
    deadline = time.monotonic() + VACUUM_WAIT
    while True:
        cur.execute(older, [closed_at])
        waiting_for = [pid for (pid,) in cur.fetchall()]
        if not waiting_for or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    kept = 0
    for attempt in range(1, VACUUM_ATTEMPTS + 1):
        if attempt > 1:
            time.sleep(VACUUM_RETRY_PAUSE * 2 ** (attempt - 2))
        found = _vacuum_full_once(cur, table)
        if found is None:  # fell back to a plain VACUUM, and said so
            return 0
        kept = found
        if not kept:
            if attempt > 1:
                logger.info(
                    "VACUUM FULL %s removed every dead ballot row at its try %d", table, attempt
                )
            return 0
    cur.execute(
        "SELECT pid, coalesce(datname, '') FROM pg_stat_activity"
        f" WHERE {_HOLDS_BACK} ORDER BY xact_start"
    )
    holders = ", ".join(f"{pid} ({db or 'no database'})" for pid, db in cur.fetchall())
    logger.warning(
        "VACUUM FULL %s still kept %d dead row versions of ballots after %d tries, held back by "
        "another session's snapshot (server processes %s): run VACUUM FULL %s after they end",
        table,
        kept,
        VACUUM_ATTEMPTS,
        holders or "none now",
        table,
    )
    return kept


def _vacuum_full_once(cur: Any, table: str) -> int | None:
    """One ``VACUUM (FULL, VERBOSE)``: the dead row versions it had to keep, from its report,
    or None if it could not have its lock and a plain VACUUM ran instead."""
    reports: list[str] = []

    def note(diag: Any) -> None:
        reports.append(f"{diag.message_primary or ''} {diag.message_detail or ''}")

    raw = connection.connection
    raw.add_notice_handler(note)
    cur.execute("SELECT set_config('lock_timeout', %s, false)", [VACUUM_LOCK_TIMEOUT])
    try:
        cur.execute(f"VACUUM (FULL, VERBOSE) {table}")
    except OperationalError:
        cur.execute(f"VACUUM {table}")
        logger.warning(
            "VACUUM FULL %s waited too long for its lock; a plain VACUUM freed the ballots' "
            "dead rows: run VACUUM FULL %s when the database is quiet",
            table,
            table,
        )
        return None
    finally:
        cur.execute("RESET lock_timeout")
        raw.remove_notice_handler(note)
    return sum(int(m.group(1)) for r in reports for m in _KEPT.finditer(r))
