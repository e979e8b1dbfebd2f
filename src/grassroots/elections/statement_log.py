"""Whether the database server would write ballots to its log beside their voters.

A cast runs as one statement that inserts the voter record and the ballot together. A server
that logs statements (``log_statement``, ``log_min_duration_statement`` and their sampled
forms, ``auto_explain``) would write each cast, member and ranking side by side, to a file
outside the application's control. ``open_voting`` refuses while any such setting is on;
docs/deploy.md says how to configure the ballot database. SQLite keeps no log.
"""

from __future__ import annotations

from django.db import connection

__all__ = ["problems"]

# setting -> (is it unsafe?, what it would do), from the values PostgreSQL reports as text
_RULES = {
    "log_statement": (
        lambda v: v in ("mod", "all"),
        "writes every data-changing statement to the log",
    ),
    "log_min_duration_statement": (
        lambda v: v != "-1",
        "writes every statement slower than the limit to the log",
    ),
    "log_min_duration_sample": (
        lambda v: v != "-1",
        "writes a sample of the statements slower than the limit to the log",
    ),
    "log_transaction_sample_rate": (
        lambda v: float(v) > 0,
        "writes every statement of a sample of transactions to the log",
    ),
    "log_parameter_max_length_on_error": (
        lambda v: v != "0",
        "writes the values a failed statement was given to the log",
    ),
    "auto_explain.log_min_duration": (
        lambda v: v != "-1",
        "(auto_explain) writes statements slower than the limit to the log",
    ),
    "debug_print_parse": (lambda v: v == "on", "writes every statement's parse tree to the log"),
    "debug_print_rewritten": (lambda v: v == "on", "writes every rewritten query to the log"),
    "debug_print_plan": (lambda v: v == "on", "writes every query plan to the log"),
}


def problems() -> list[str]:
    """One sentence per server setting that would log casts; empty if none (or not PostgreSQL).

    Read from ``pg_settings`` on this connection, so values set for the role or the database
    (``ALTER ROLE … SET``) count as well as the server's configuration file.
    """
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cur:
        cur.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [list(_RULES)])
        current = dict(cur.fetchall())
    found = []
    for name, (unsafe, does) in _RULES.items():
        value = current.get(name)
        if value is not None and unsafe(value):
            found.append(f"{name} = {value} {does}")
    return found
