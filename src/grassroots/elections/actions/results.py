"""Turnout, publishing the result and reminding members who have not voted."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count
from django.utils.timezone import localtime

from grassroots.audit.log import publish_checkpoint, record
from grassroots.count.errors import InputError
from grassroots.count.report.html import render_fragment
from grassroots.dates import moment
from grassroots.elections import publish
from grassroots.elections.actions._common import ActionRefused, User, _check, _subject
from grassroots.elections.actions.constraints import _groups_of
from grassroots.elections.models import (
    Ballot,
    Election,
    Publication,
    RollEntry,
    VoterRecord,
)
from grassroots.jobs import actions as jobs
from grassroots.jobs.mailout import Recipient, send_each
from grassroots.jobs.models import Job
from grassroots.jobs.runner import Progress
from grassroots.members.models import Member, Unit


def roll_by_branch(election: Election) -> dict[int, int]:
    """How many of the frozen roll each branch holds. A roll never changes once frozen, so
    the figures are counted once (a national roll is half a million rows) and kept under the
    roll's fingerprint and size."""
    if election.roll_size is None:
        return {}
    key = f"roll-by-branch:{election.pk}:{election.roll_size}:{election.roll_fingerprint}"
    counted: dict[int, int] | None = cache.get(key)
    if counted is None:
        counted = dict(
            RollEntry.objects.filter(election=election)
            .order_by()
            .values_list("branch_id")
            .annotate(n=Count("id"))
            .values_list("branch_id", "n")
        )
        cache.set(key, counted, timeout=None)
    return counted


def turnout(election: Election) -> dict[str, Any]:
    """Counts only: ballots cast and roll size, overall and per branch."""
    voted = dict(
        VoterRecord.objects.filter(election=election)
        .values_list("branch__name")
        .annotate(n=Count("id"))
        .values_list("branch__name", "n")
    )
    roll: dict[str, int] = {}
    names = dict(Unit.objects.values_list("pk", "name"))  # as the units are called now
    for branch_id, n in roll_by_branch(election).items():
        name = names.get(branch_id, "")
        roll[name] = roll.get(name, 0) + n
    return {
        "voted": sum(voted.values()),
        "roll": election.roll_size or 0,
        "branches": [
            {"branch": b, "voted": voted.get(b, 0), "roll": n} for b, n in sorted(roll.items())
        ],
    }


def result_digest(publication: Publication) -> str:
    """The sha256 of the counted election.json: names the count the returning officer saw."""
    return hashlib.sha256(publication.files["election.json"].encode()).hexdigest()


@transaction.atomic
def count_votes(election: Election, *, by: User | None) -> Publication:
    """Count the ballots with the engine; only the returning officer sees it until published.

    Candidates who withdrew after voting opened stay on the ballot paper and are counted as
    withdrawn: the bundle's ``ballots.blt`` marks them (its negative line) and the recount
    reads them from there.
    """
    _check(by, "manage_occasions", election.unit)
    e = Election.objects.select_for_update().get(pk=election.pk)
    if e.state != "closed":
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}: close voting first")
    candidates = list(e.ballot)
    on_paper = list(e.candidates.filter(name__in=candidates))
    groups = _groups_of(on_paper)
    withdrawn = sorted(c.name for c in on_paper if c.withdrawn)
    rows = list(Ballot.objects.filter(election=e).values_list("ranking", "receipt_hash"))
    t = turnout(e)
    checkpoint = publish_checkpoint(f"the published result of {e.title} (election {e.pk})")
    try:
        bundle = publish.build(
            title=e.title,
            seats=e.seats,
            rule=e.rule,
            seed=e.seed,
            candidates=candidates,
            rankings=[r for r, _ in rows],
            constraints={**e.constraints, "groups": groups},
            receipt_hashes=[h for _, h in rows],
            roll_size=e.roll_size or 0,
            roll_fingerprint=e.roll_fingerprint,
            turnout_by_branch={b["branch"]: b["voted"] for b in t["branches"]},
            audit_checkpoint=(checkpoint.entry, checkpoint.digest),
            withdrawn=withdrawn,
        )
    except InputError as exc:
        raise ActionRefused(f"the count could not be run: {exc}") from None
    cons = publish.constraint_set(candidates, {**e.constraints, "groups": groups})
    report = render_fragment(bundle.result, title=e.title, constraints=cons)
    pub = Publication.objects.create(election=e, files=bundle.files, report_html=report)
    e.state = "counted"
    e.save(update_fields=["state"])
    record(
        by,
        "election.count",
        _subject(e),
        f"Counted: elected {', '.join(bundle.result.elected)} (not yet published)",
        detail={"election.json": result_digest(pub)},
    )
    election.refresh_from_db()
    return pub


def start_count(election: Election, *, by: User | None) -> Job:
    """Put the count on the job queue: a large election's count runs in a worker."""
    _check(by, "manage_occasions", election.unit)
    if election.state != "closed":
        raise ActionRefused(
            f"{election} is {election.get_state_display().lower()}: close voting first"
        )
    return jobs.start(
        "election.count",
        title=f"Count of {' '.join(election.title.split())}",
        params={"election": election.pk},
        unit=election.unit,
        permission="manage_occasions",
        by=by,
        back_url=f"/elections/{election.pk}/",
    )


def run_count(job: Job, progress: Progress) -> str:
    """The count job: ``count_votes`` as the returning officer who started it."""
    election = Election.objects.get(pk=job.params["election"])
    progress.total(1)
    if election.state == "counted" and job.attempts > 1:
        pub = election.publication  # an earlier attempt counted it before its worker stopped
    else:
        pub = count_votes(election, by=job.started_by)
    progress.step(1)
    elected = json.loads(pub.files["result.json"]).get("elected", [])
    return (
        f"Counted: elected {', '.join(elected)}. Not published yet: look at the count, "
        "then publish it."
    )


@transaction.atomic
def publish_result(election: Election, *, by: User | None, digest: str = "") -> Publication:
    """Publish the count the returning officer has seen (``digest``: ``result_digest`` of it)."""
    _check(by, "manage_occasions", election.unit)
    e = Election.objects.select_for_update().get(pk=election.pk)
    if e.state != "counted":
        what = "count the votes first" if e.state == "closed" else "nothing to publish"
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}: {what}")
    pub = e.publication
    if digest and digest != result_digest(pub):
        raise ActionRefused("this is not the count that was shown: look at the count again")
    e.state = "published"
    e.save(update_fields=["state"])
    elected = json.loads(pub.files["result.json"]).get("elected", [])
    record(
        by,
        "election.publish",
        _subject(e),
        f"Published the result: elected {', '.join(elected)}",
        detail={"election.json": result_digest(pub)},
    )
    election.refresh_from_db()
    return pub


@dataclass(frozen=True)
class Reminder:
    """What a reminder would do: how many it goes to, who it misses, and the message."""

    recipients: list[str]  # e-mail addresses
    numbers: list[str]  # their membership numbers, in the same order
    member_ids: list[int]  # and their ids
    without_email: int
    subject: str
    body: str


def reminder(election: Election, *, base_url: str = "") -> Reminder:
    """The reminder e-mail and its recipients: members on the roll who have not voted."""
    not_voted = Member.objects.filter(
        pk__in=RollEntry.objects.filter(election=election).values("member_id")
    ).exclude(pk__in=VoterRecord.objects.filter(election=election).values("member_id"))
    rows = list(not_voted.exclude(email="").order_by("number").values_list("number", "email", "pk"))
    title = " ".join(election.title.split())  # a header is one line whatever the title holds
    return Reminder(
        recipients=[email for _, email, _ in rows],
        numbers=[number for number, _, _ in rows],
        member_ids=[pk for _, _, pk in rows],
        without_email=not_voted.filter(email="").count(),
        subject=f"Reminder: vote in {title}",
        body=(
            f"You have not yet voted in {title}. Voting closes "
            f"{moment(localtime(election.voting_close))}.\n{base_url}"
        ),
    )


def start_reminders(election: Election, *, by: User | None, base_url: str = "") -> Job:
    """Put a mail-out of reminders on the queue: every member on the roll who has not voted
    when it runs gets one message (a retry sends only to those not yet sent to)."""
    _check(by, "manage_occasions", election.unit)
    if election.state != "voting":
        raise ActionRefused(f"{election} is not open for voting: no reminders to send")
    return jobs.start(
        "election.remind",
        title=f"Voting reminders for {' '.join(election.title.split())}",
        params={"election": election.pk, "base_url": base_url},
        unit=election.unit,
        permission="manage_occasions",
        by=by,
        back_url=f"/elections/{election.pk}/",
    )


def deliver_reminders(job: Job, progress: Progress) -> str:
    """The reminders job: e-mail every member on the roll who has not voted yet, one each.

    An address that is not one sendable address (a line break could add a header) is not
    sent to, and one the mail server refuses does not stop the others: both are listed by
    membership number on the job page and in the audit entry.
    """
    election = Election.objects.get(pk=job.params["election"])
    if election.state != "voting":
        raise ActionRefused(f"{election} is not open for voting: no reminders to send")
    plan = reminder(election, base_url=job.params.get("base_url", ""))
    recipients = [
        Recipient(m, n, e)
        for m, n, e in zip(plan.member_ids, plan.numbers, plan.recipients, strict=True)
    ]
    out = send_each(
        job, progress, recipients, lambda r: EmailMessage(plan.subject, plan.body, None, [r.email])
    )
    with transaction.atomic():
        record(
            job.started_by,
            "election.remind",
            _subject(election),
            f"Sent {out.sent} voting reminders"
            + (f"; {len(out.refused)} address(es) refused" if out.refused else ""),
            detail={
                "sent": out.sent,
                "refused": [list(r) for r in out.refused[:1000]],
                "job": job.pk,
            },
        )
    return f"Sent {out.sent} reminder{'s' if out.sent != 1 else ''}." + (
        f" Not sent to {len(out.refused)} member(s), whose address needs correcting in the "
        "register (listed below)."
        if out.refused
        else ""
    )
