"""The audit log stays one chain under concurrent writers, and published checkpoints catch a
log cut short or rewritten (issue 10, point 3)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from grassroots.audit import log
from grassroots.audit.models import AuditEntry, Checkpoint
from grassroots.cli.main import app
from grassroots.members import actions
from tests.web.conftest import PASSWORD, Org

THREADS = 12
EACH = 5


def _append(n: int, tag: str) -> None:
    for i in range(n):
        with transaction.atomic():
            log.record(None, "test.note", f"note:{tag}", f"note {tag}-{i}")


def _delete_entries_after(entry: int) -> None:
    with connection.cursor() as cur:  # tampering below the model, as with SQL access
        cur.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id > %s", [entry])


def _rewrite_from(entry: int) -> None:
    """Change entry ``entry``'s summary and recompute every digest from there: a chain that
    holds together by itself, as a careful forger would leave it."""
    previous = AuditEntry.objects.get(pk=entry).previous
    table = AuditEntry._meta.db_table
    for e in AuditEntry.objects.filter(id__gte=entry).order_by("id"):
        if e.id == entry:
            e.summary = "nothing to see here"
        e.previous = previous
        e.digest = log._digest(previous, log._fields(e))
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {table} SET summary = %s, previous = %s, digest = %s WHERE id = %s",
                [e.summary, e.previous, e.digest, e.id],
            )
        previous = e.digest


def test_many_threads_writing_the_audit_log_at_once_leave_one_unbroken_chain(
    live_org: Org,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent writers need PostgreSQL (set DATABASE_URL); SQLite lets one writer "
            "at a time in (tests/web/test_sqlite_writers.py checks the chain there)"
        )
    before = AuditEntry.objects.count()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def write(t: int) -> None:
        try:
            barrier.wait()
            for i in range(EACH):
                if i % 2:
                    _append(1, f"{t}")
                else:  # a real action too: an edit of one member by every thread
                    actions.update_member(live_org.bob, by=None, changes={"name": f"Bob {t}-{i}"})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = list(AuditEntry.objects.order_by("id").values_list("previous", "digest"))
    assert len(entries) == before + THREADS * EACH
    # one chain: every entry follows the one before it, and no two follow the same entry
    assert [p for p, _ in entries[1:]] == [d for _, d in entries[:-1]]
    assert len({p for p, _ in entries}) == len(entries)
    assert log.verify() is None


def test_a_log_cut_short_after_a_published_checkpoint_no_longer_verifies(org: Org) -> None:
    with transaction.atomic():
        published = log.publish_checkpoint("a test publication")
    _append(3, "after")
    assert log.verify() is None
    _delete_entries_after(published.entry - 2)  # the checkpointed entry and those after it
    broken = log.verify()
    assert broken is not None
    assert f"published entry {published.entry}" in broken.problem
    assert "removed from its end" in broken.problem


def test_a_rewritten_chain_that_holds_together_no_longer_matches_its_checkpoint(
    org: Org,
) -> None:
    first = AuditEntry.objects.order_by("id").first()
    assert first is not None
    with transaction.atomic():
        published = log.publish_checkpoint("a test publication")
    _rewrite_from(first.id + 1)
    report = log.check()
    assert report.broken is not None
    assert report.broken.entry_id == published.entry
    assert "was rewritten" in report.broken.problem
    # without the checkpoint the forged chain holds together: the checkpoint is what catches it
    Checkpoint.objects.all()._raw_delete(Checkpoint.objects.db)
    assert log.verify() is None


def test_a_checkpoint_noted_from_outside_catches_a_rewrite_of_the_stored_checkpoints_too(
    org: Org,
) -> None:
    noted = log.head()
    _rewrite_from(noted.entry)
    assert log.verify() is None  # nothing stored to compare with
    broken = log.verify([("the noted head", noted)])
    assert broken is not None and "the noted head published" in broken.problem


def test_the_public_checkpoints_page_shows_the_head_and_every_published_checkpoint(
    org: Org,
) -> None:
    with transaction.atomic():
        published = log.publish_checkpoint("the published result of Chair (election 1)")
    _append(1, "later")
    now = log.head()
    response = Client().get(reverse("audit:checkpoints"))  # nobody logged in
    assert response.status_code == 200
    html = response.content.decode()
    assert now.digest in html and f"number {now.entry}" in html
    assert published.digest in html
    assert "the published result of Chair (election 1)" in html
    assert f"grassroots verify --audit --checkpoint {now.entry}:{now.digest}" in html


def test_the_audit_log_page_verifies_against_the_published_checkpoints(org: Org) -> None:
    with transaction.atomic():
        published = log.publish_checkpoint("a test publication")
    admin = Client()
    assert admin.login(username=org.users["admin"].username, password=PASSWORD)
    html = admin.get(reverse("audit:log"), {"verify": "1"}).content.decode()
    assert "matches every published checkpoint (1)." in html
    _delete_entries_after(published.entry - 1)
    html = admin.get(reverse("audit:log"), {"verify": "1"}).content.decode()
    assert "The chain is broken" in html and "removed from its end" in html


def _published_folder(org: Org, tmp_path: Path) -> tuple[Any, Path]:
    from tests.elections.test_publish import _vote_and_publish

    s, _ = _vote_and_publish(org)
    folder = tmp_path / "result"
    folder.mkdir()
    for name, text in s.election.publication.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return s, folder


def test_each_published_election_bundle_carries_the_audit_checkpoint_taken_at_the_count(
    org: Org, tmp_path: Path
) -> None:
    _, folder = _published_folder(org, tmp_path)
    meta = json.loads((folder / "election.json").read_text(encoding="utf-8"))
    entry = AuditEntry.objects.get(pk=meta["audit"]["entry"])
    assert meta["audit"]["digest"] == entry.digest
    # taken just before the count's own entry (the bundle is made then), which follows it
    count_entry = AuditEntry.objects.get(previous=entry.digest)
    assert count_entry.action == "election.count"
    assert Checkpoint.objects.filter(entry=entry.id, digest=entry.digest).exists()
    out = CliRunner().invoke(app, ["verify", str(folder)])  # the recount still matches
    assert out.exit_code == 0, out.output


def test_grassroots_verify_audit_checks_the_chain_against_a_bundles_checkpoint(
    org: Org, tmp_path: Path
) -> None:
    _, folder = _published_folder(org, tmp_path)
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", "--audit", str(folder)])
    assert ok.exit_code == 0, ok.output
    assert "INTACT" in ok.output and str(folder) in ok.output
    checkpoint = json.loads((folder / "election.json").read_text(encoding="utf-8"))["audit"]
    # the operator cuts the log short and removes the stored checkpoints: the bundle still knows
    _delete_entries_after(checkpoint["entry"] - 1)
    Checkpoint.objects.all()._raw_delete(Checkpoint.objects.db)
    bad = runner.invoke(app, ["verify", "--audit", str(folder)])
    assert bad.exit_code == 1, bad.output
    assert "BROKEN" in bad.output and "removed from its end" in bad.output


def test_grassroots_verify_audit_takes_checkpoints_noted_from_the_public_page(org: Org) -> None:
    noted = log.head()
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", "--audit", "--checkpoint", f"{noted.entry}:{noted.digest}"])
    assert ok.exit_code == 0, ok.output
    assert f"entry {noted.entry} (published in --checkpoint" in ok.output
    _rewrite_from(noted.entry)
    bad = runner.invoke(app, ["verify", "--audit", "--checkpoint", str(noted)])
    assert bad.exit_code == 1
    assert "was rewritten" in bad.output


@pytest.mark.parametrize("given", ["12", "12:abc", "x:" + "0" * 64, "12:" + "g" * 64])
def test_grassroots_verify_audit_refuses_a_malformed_checkpoint_with_exit_2(
    db: None, given: str
) -> None:
    out = CliRunner().invoke(app, ["verify", "--audit", "--checkpoint", given])
    assert out.exit_code == 2
    assert "ENTRY:DIGEST" in out.output


def test_grassroots_verify_without_a_bundle_or_audit_says_what_to_give(db: None) -> None:
    out = CliRunner().invoke(app, ["verify"])
    assert out.exit_code == 2
    assert "--audit" in out.output
