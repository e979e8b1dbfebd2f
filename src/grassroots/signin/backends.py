"""The sign-in backends (Django's and allauth's), reading the signed-in user in plain SQL.

Every signed-in request loads its user by the id kept in the session (``get_user``). Building
that one query with the ORM cost more CPU than the database took to answer it, on every ballot
page and every cast; here the row is read with ``site.rows`` and everything else (checking a
password or an e-mail sign-in, refusing an inactive account, the session's auth hash) is the
parent backend's own. Sessions record the backend's path: one stored under Django's or
allauth's own is read as naming these (``site.sessions.RENAMED_BACKENDS``)."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from grassroots.site.rows import fetch_one, select_list

__all__ = ["AccountBackend", "ModelBackend"]


def _active_user(backend: DjangoModelBackend, user_id: Any) -> Any:
    model = get_user_model()
    table, pk = model._meta.db_table, model._meta.pk.column
    sql = f"SELECT {select_list(model, 'u')} FROM {table} u WHERE u.{pk} = %s"
    found = fetch_one(model, sql, [user_id])
    if found is None:
        return None
    user = found[0]
    return user if backend.user_can_authenticate(user) else None


class ModelBackend(DjangoModelBackend):
    """Django's username-and-password backend."""

    def get_user(self, user_id: Any) -> Any:
        return _active_user(self, user_id)


class AccountBackend(AllauthBackend):
    """allauth's backend (sign-in by e-mail address, links and passkeys)."""

    def get_user(self, user_id: Any) -> Any:
        return _active_user(self, user_id)
