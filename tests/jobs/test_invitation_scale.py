"""Invitations at national scale (bench/bench_invitations.py sends 500,000): a retried job's
page counts every member reached, the rows are written by the database in one statement, and
each message is marked sent as it goes."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.jobs import actions as jobs
from grassroots.signin import actions
from grassroots.signin.models import Invitation
from tests.web.conftest import Org
from tests.web.test_signin import BASE, hillford_members

pytestmark = pytest.mark.django_db


def test_a_retried_invitation_job_counts_the_members_its_first_attempt_reached(
    org: Org,
) -> None:
    hillford_members(org)
    job = actions.invite_unit(org.hillford, by=org.users["secretary"], base_url=BASE)
    Invitation.objects.filter(email="dan@example.org").update(sent_at=None)
    job.refresh_from_db()
    job.state = "failed"
    job.save(update_fields=["state"])
    jobs.retry(job, by=org.users["secretary"])
    job.refresh_from_db()
    # Cat, reached by the first attempt, counts beside Dan, reached by the retry
    reached = Invitation.objects.filter(sent_at__isnull=False).count()
    assert job.state == "done" and job.done == job.total == reached == 2


def test_invitation_rows_are_written_in_one_statement_and_each_message_marked_as_it_goes(
    org: Org,
) -> None:
    hillford_members(org)
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as q:
        actions.invite_unit(org.hillford, by=org.users["secretary"], base_url=BASE)
    sql = [x["sql"] for x in q.captured_queries]
    inserts = [s for s in sql if s.startswith('INSERT INTO "signin_invitation"')]
    marks = [s for s in sql if s.startswith('UPDATE "signin_invitation" SET sent_at')]
    assert len(inserts) == 1 and "SELECT" in inserts[0]
    assert len(marks) == len(mail.outbox) == 2
    rows = Invitation.objects.order_by("email")
    assert [(r.email, r.member.number, r.kind, r.unit_id) for r in rows] == [
        ("cat@example.org", "H1", "invited", org.hillford.pk),
        ("dan@example.org", "H2", "invited", org.hillford.pk),
    ]
    assert all(r.sent_at is not None and r.invited_by == org.users["secretary"] for r in rows)
