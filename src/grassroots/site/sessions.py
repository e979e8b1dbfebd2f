"""Sessions in the database, as Django's own store, with the session read in plain SQL.

Every signed-in request reads its session first; the ORM took longer to build that one query
than PostgreSQL took to answer it. The table, its rows and everything else (saving, expiry,
``clearsessions``) are Django's database store's own, so sessions already stored carry on.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connection
from django.utils import timezone

__all__ = ["RENAMED_BACKENDS", "SessionStore"]

# Sign-in backends sessions may name from before they became ours (signin/backends.py: the
# same checks, the user read in plain SQL): a session names its backend, and one no longer
# listed would sign its person out at the upgrade.
RENAMED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "grassroots.signin.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "grassroots.signin.backends.AccountBackend"
    ),
}


class SessionStore(DatabaseSessionStore):
    def load(self) -> dict[str, Any]:
        key = self.session_key
        if key is None:
            return {}
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cur.fetchone()
        if row is None:
            self._session_key = None  # as Django's store: unknown or expired, a new one
            return {}
        data: dict[str, Any] = self.decode(row[0])
        renamed = RENAMED_BACKENDS.get(data.get(BACKEND_SESSION_KEY, ""))
        if renamed:
            data[BACKEND_SESSION_KEY] = renamed
        return data
