"""/healthz: the database answers, every migration is applied, the queue's backlog; no secrets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from grassroots.jobs.models import Job
from grassroots.site import health

pytestmark = pytest.mark.django_db


def test_the_health_check_reports_the_database_migrations_and_the_queue_as_json(
    org: Any, settings: Any
) -> None:
    Job.objects.create(kind="election.remind", title="a", unit=org.national, permission="x")
    Job.objects.create(
        kind="election.remind",
        title="b",
        unit=org.national,
        permission="x",
        state="running",
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    Job.objects.create(kind="x", title="c", unit=org.national, permission="x", state="failed")
    r = Client().get("/healthz")
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    body = r.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["migrations"] == "applied"
    assert body["queue"]["waiting"] == 1 and body["queue"]["running"] == 1
    assert body["queue"]["stalled"] == 1 and body["queue"]["failed"] == 1
    assert "no-cache" in r["Cache-Control"]
    text = r.content.decode()
    assert django_settings.SECRET_KEY not in text and "password" not in text.lower()


def test_the_health_check_fails_while_a_migration_is_not_applied(
    db: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("m", False)])
    r = Client().get("/healthz")
    assert r.status_code == 503
    assert r.json() == {"status": "failing", "database": "ok", "migrations": "pending"}


def test_the_health_check_answers_over_plain_http_where_the_site_redirects_to_https(
    db: None, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/").status_code == 301
