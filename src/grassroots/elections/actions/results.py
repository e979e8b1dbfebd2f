"""Turnout, publishing the result and reminding members who have not voted."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count

from grassroots.audit.log import record
from grassroots.count.report.html import render_fragment
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
from grassroots.members.models import Member


def turnout(election: Election) -> dict[str, Any]:
    """Counts only: ballots cast and roll size, overall and per branch."""
    voted = dict(
        VoterRecord.objects.filter(election=election)
        .values_list("branch__name")
        .annotate(n=Count("id"))
        .values_list("branch__name", "n")
    )
    roll = dict(
        RollEntry.objects.filter(election=election)
        .values_list("branch__name")
        .annotate(n=Count("id"))
        .values_list("branch__name", "n")
    )
    return {
        "voted": sum(voted.values()),
        "roll": election.roll_size or 0,
        "branches": [
            {"branch": b, "voted": voted.get(b, 0), "roll": n} for b, n in sorted(roll.items())
        ],
    }


@transaction.atomic
def publish_result(election: Election, *, by: User | None) -> Publication:
    """Count the ballots with the engine and publish the bundle and report."""
    _check(by, "manage_occasions", election.unit)
    e = Election.objects.select_for_update().get(pk=election.pk)
    if e.state != "closed":
        raise ActionRefused(f"{e} is {e.get_state_display().lower()}: close voting first")
    candidates = list(e.ballot)
    groups = _groups_of(e.candidates.filter(name__in=candidates))
    rows = list(Ballot.objects.filter(election=e).values_list("ranking", "receipt_hash"))
    t = turnout(e)
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
    )
    pub = Publication.objects.create(
        election=e, files=bundle.files, report_html=render_fragment(bundle.result, title=e.title)
    )
    e.state = "published"
    e.save(update_fields=["state"])
    record(
        by,
        "election.publish",
        _subject(e),
        f"Counted and published: elected {', '.join(bundle.result.elected)}",
        detail={
            "election.json": hashlib.sha256(bundle.files["election.json"].encode()).hexdigest()
        },
    )
    election.refresh_from_db()
    return pub


def send_reminders(election: Election, *, by: User | None, base_url: str = "") -> int:
    """E-mail every member on the roll who has not voted yet; returns how many were sent."""
    _check(by, "manage_occasions", election.unit)
    if election.state != "voting":
        raise ActionRefused(f"{election} is not open for voting: no reminders to send")
    voted = VoterRecord.objects.filter(election=election).values("member_id")
    emails = list(
        Member.objects.filter(
            pk__in=RollEntry.objects.filter(election=election).values("member_id")
        )
        .exclude(pk__in=voted)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    subject = f"Reminder: vote in {election.title}"
    body = (
        f"You have not yet voted in {election.title}. Voting closes "
        f"{election.voting_close:%Y-%m-%d %H:%M}.\n{base_url}"
    )
    sent = send_mass_mail([(subject, body, None, [m]) for m in emails], fail_silently=False)
    with transaction.atomic():
        record(by, "election.remind", _subject(election), f"Sent {sent} voting reminders")
    return sent
