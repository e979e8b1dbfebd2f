"""``/healthz``: is this app server fit to serve? The database answers, every migration is
applied, and how much work waits on the queue. JSON for load balancers and monitors; it names
no setting, host, user or error text beyond the kind of failure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

# once every migration is found applied, this process's code cannot find one unapplied again
_migrated = False


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _queue() -> dict[str, Any]:
    from grassroots.jobs.models import Job

    counts = {s: 0 for s in ("queued", "running", "failed")}
    for state in counts:
        counts[state] = Job.objects.filter(state=state).count()
    oldest = Job.objects.filter(state="queued").order_by("created_at").first()
    wait = (timezone.now() - oldest.created_at) if oldest else dt.timedelta(0)
    stalled = sum(1 for j in Job.objects.filter(state="running") if j.stalled())
    return {
        "waiting": counts["queued"],
        "running": counts["running"],
        "stalled": stalled,
        "failed": counts["failed"],
        "oldest_waiting_seconds": int(wait.total_seconds()),
    }


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 and ``"status": "ok"`` when the database answers and is migrated; 503 otherwise."""
    body: dict[str, Any] = {"status": "ok"}
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        body["database"] = "ok"
    except DatabaseError:
        return JsonResponse({"status": "failing", "database": "unreachable"}, status=503)
    try:
        applied = _migrations_applied()
    except DatabaseError:
        applied = False
    body["migrations"] = "applied" if applied else "pending"
    if not applied:
        body["status"] = "failing"
        return JsonResponse(body, status=503)
    body["queue"] = _queue()
    return JsonResponse(body)
