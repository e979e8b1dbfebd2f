"""Two sendings of one form at the same instant: the one-time token stored with the first
record makes the second wait for it and then refuses it (PostgreSQL: real concurrent
transactions; SQLite lets one writer in at a time, so there the question never arises)."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connection

from grassroots.site import once
from grassroots.site.models import SentForm
from tests.elections.test_concurrency import postgres_only  # noqa: F401  (a fixture)


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return bool(cur.fetchone()[0])


@pytest.mark.usefixtures("postgres_only")
def test_the_second_of_two_simultaneous_sendings_waits_for_the_first_and_is_refused() -> None:
    token = "a-token-from-one-form-shown"
    first_inside, first_may_finish = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        request = SimpleNamespace(session={once.KEY: [token]})
        try:
            with once.sending(request, token):  # type: ignore[arg-type]
                first_inside.set()
                first_may_finish.wait(30)
            outcomes["first"] = "recorded"
        finally:
            connection.close()

    def second() -> None:
        request = SimpleNamespace(session={once.KEY: [token]})  # read before the first saved
        try:
            with once.sending(request, token):  # type: ignore[arg-type]
                outcomes["second"] = "recorded"
        except once.AlreadySent as refused:
            outcomes["second"] = str(refused)
        finally:
            connection.close()

    a = threading.Thread(target=first)
    a.start()
    assert first_inside.wait(30)
    b = threading.Thread(target=second)
    b.start()
    deadline = time.monotonic() + 30
    while not _waiting_on_a_lock():  # the second insert waits for the first transaction
        assert time.monotonic() < deadline, "the second sending never waited for the first"
        time.sleep(0.01)
    assert "second" not in outcomes
    first_may_finish.set()
    a.join(30)
    b.join(30)
    assert outcomes["first"] == "recorded"
    assert outcomes["second"] == once.ALREADY_SENT
    assert SentForm.objects.filter(token=token).count() == 1


def test_a_sending_whose_first_was_refused_goes_ahead(db: None) -> None:
    token = "a-token-whose-action-failed"
    request = SimpleNamespace(session={once.KEY: [token]})
    with pytest.raises(ValueError), once.sending(request, token):  # type: ignore[arg-type]
        raise ValueError("the action refused")
    assert request.session[once.KEY] == [token]  # still open: nothing was recorded
    with once.sending(request, token):  # type: ignore[arg-type]
        pass
    assert request.session[once.KEY] == []
    assert SentForm.objects.filter(token=token).count() == 1
