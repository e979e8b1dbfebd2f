"""Seeding and reading a scratch database from another process (tests/scratch.py): an open
election whose roll has addresses or logins, a reminders job, what the job and the ballots
hold. Prints one line of JSON."""

from __future__ import annotations

import json
import sys
from typing import Any


def _setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def seed_reminders(n: int) -> dict[str, Any]:
    from bench.bench_voting import open_bench_election
    from django.db.models import Value
    from django.db.models.functions import Concat, Lower

    from grassroots.elections import actions
    from grassroots.members.models import Member

    election, _ = open_bench_election(n, 3)
    Member.objects.update(email=Concat(Lower("number"), Value("@example.org")))
    job = actions.start_reminders(election, by=None, base_url="http://example.org/vote")
    return {"job": job.pk, "state": job.state}


def job_status(pk: int) -> dict[str, Any]:
    from grassroots.jobs.models import Delivery, Job

    job = Job.objects.get(pk=pk)
    sent = Delivery.objects.filter(job=job, sent_at__isnull=False)
    return {
        "state": job.state,
        "attempts": job.attempts,
        "done": job.done,
        "total": job.total,
        "error": job.error,
        "outcome": job.outcome,
        "sent": sent.count(),
        "recipients": sorted(sent.values_list("member__email", flat=True)),
    }


def seed_voters(n: int) -> dict[str, Any]:
    from bench.bench_voting import open_bench_election
    from bench.bench_voting_http import log_in_every_voter

    election, _ = open_bench_election(n, 2, logins=True)
    return {"election": election.pk, "sessions": log_in_every_voter()}


def ballots(election_pk: int, codes_file: str) -> dict[str, Any]:
    from grassroots.elections.models import Ballot, Election, VoterRecord
    from grassroots.elections.receipt_check import by_code

    e = Election.objects.get(pk=election_pk)
    with open(codes_file, encoding="utf-8") as fh:
        codes = json.load(fh)
    checks = [by_code(e, c) for c in codes]
    return {
        "ballots": Ballot.objects.filter(election=e).count(),
        "voters": VoterRecord.objects.filter(election=e).count(),
        "distinct_hashes": len(set(Ballot.objects.filter(election=e).values_list("receipt_hash"))),
        "valid_receipts": sum(1 for c in checks if c.recorded and c.ranking),
    }


def audit() -> dict[str, Any]:
    from grassroots.audit.log import verify
    from grassroots.audit.models import AuditEntry

    return {"verified": verify() is None, "entries": AuditEntry.objects.count()}


def main(argv: list[str]) -> None:
    _setup()
    command, *rest = argv
    if command == "seed-reminders":
        out = seed_reminders(int(rest[0]))
    elif command == "job":
        out = job_status(int(rest[0]))
    elif command == "seed-voters":
        out = seed_voters(int(rest[0]))
    elif command == "ballots":
        out = ballots(int(rest[0]), rest[1])
    elif command == "audit":
        out = audit()
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
