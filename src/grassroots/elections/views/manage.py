"""The election list, set-up and the returning officer's page and timetable buttons."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from grassroots.elections import actions, thresholds
from grassroots.elections.describe import about
from grassroots.elections.models import Election, VoterRecord
from grassroots.elections.standing import covers, member_election
from grassroots.members.models import Member
from grassroots.members.permissions import can, units_where


def election_list(request: HttpRequest) -> HttpResponse:
    """Every election, newest first; the set-up link only for those who may set one up."""
    ctx = {
        "elections": Election.objects.visible_to(request.user),
        "may_set_up": units_where(request.user, "manage_occasions").exists(),
    }
    return render(request, "elections/list.html", ctx)


def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Rules, timetable, candidates, the nomination tally, turnout (counts only) and actions.

    A draft answers only to those who manage it (404 to anyone else, as if it did not exist).
    """
    e = get_object_or_404(Election.objects.visible_to(request.user).select_related("unit"), pk=pk)
    tally = actions.nomination_tally(e)
    user = request.user
    member = Member.objects.filter(user=user).first() if user.is_authenticated else None
    standing = (
        member_election(member, e)
        if member is not None and e.state in ("draft", "voting") and covers(e, member)
        else None
    )
    officer = user.is_authenticated and can(user, "manage_occasions", e.unit)
    bodies = []  # those whose nominations this user records: the officer's are all of them
    if user.is_authenticated and e.state == "draft" and e.announced_at is not None:
        nominating = actions.nominating_bodies(e)
        if not officer:
            nominating = nominating.filter(pk__in=units_where(user, "edit_register"))
        bodies = list(nominating)
    now = timezone.now()
    withdrawn = list(e.candidates.filter(withdrawn=True))
    ctx = {
        "e": e,
        "about": about(e),
        "tally": tally,
        "withdrawn": withdrawn,
        "withdrawn_on_paper": [c.name for c in withdrawn if c.name in e.ballot],
        "profiles": [c for c, _, _ in tally if c.statement or c.photo],
        "threshold": thresholds.describe(e.threshold),
        "turnout": actions.turnout(e) if e.state not in ("draft", "cancelled") else None,
        "officer": officer,
        "decisions": actions.body_decisions(e),
        "member": member,
        "standing": standing,
        "mine": [c for c, _, _ in tally if member is not None and c.member_id == member.pk],
        "bodies": bodies,
        "overdue": e.overdue(now),
        "nominations_closed": now >= e.nominations_close,
        "voting_due": now >= e.voting_open,
        "closing_due": now >= e.voting_close,
        "anyone_voted": e.state == "voting" and VoterRecord.objects.filter(election=e).exists(),
        # the electorate's sign-in invitations: whoever may edit the unit's register
        "can_invite": (
            user.is_authenticated
            and not e.is_draft
            and e.state in ("draft", "voting")
            and can(user, "edit_register", e.unit)
        ),
    }
    return render(request, "elections/detail.html", ctx)
