"""The returning officer's corrections, each behind a page that says what will happen.

Announcing, deleting a draft, cancelling, opening or closing voting early and withdrawing a
candidate are irreversible: a GET shows what the change does (and asks for the reason where
one is needed); only the POST from that page makes it. Nothing here needs JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from grassroots.elections import actions
from grassroots.elections.models import Candidate, Election, VoterRecord
from grassroots.jobs.models import Job
from grassroots.jobs.views import started
from grassroots.members.permissions import can


def _managed(request: HttpRequest, pk: int) -> Election:
    e = get_object_or_404(Election.objects.visible_to(request.user), pk=pk)
    if not can(request.user, "manage_occasions", e.unit):
        raise PermissionDenied(f"only the returning officer of {e.unit} may change {e}")
    return e


def _confirm(
    request: HttpRequest,
    e: Election,
    *,
    heading: str,
    effects: list[str],
    button: str,
    run: Callable[[str], Any],
    done: str,
    reason: bool = True,
    then: str = "",
) -> HttpResponse:
    """Show what the change does; on POST from this page make it with the reason given."""
    ctx: dict[str, Any] = {
        "e": e,
        "heading": heading,
        "effects": effects,
        "button": button,
        "ask_reason": reason,
        "reason": "",
    }
    if request.method == "POST":
        ctx["reason"] = request.POST.get("reason", "").strip()
        try:
            run(ctx["reason"])
        except actions.ActionRefused as exc:
            ctx["error"] = str(exc)
            return render(request, "elections/confirm.html", ctx, status=400)
        messages.success(request, done)
        return redirect(then or reverse("elections:detail", args=[e.pk]))
    return render(request, "elections/confirm.html", ctx)


def _at(t: Any) -> str:
    return f"{timezone.localtime(t):%Y-%m-%d %H:%M}"


@login_required
def announce(request: HttpRequest, pk: int) -> HttpResponse:
    e = _managed(request, pk)
    effects = [
        "Members, branch secretaries and the public will see the election, its rules and "
        "its timetable.",
        f"Nominations run from {_at(max(e.nominations_open, timezone.now()))} "
        f"to {_at(e.nominations_close)}.",
        "After this the election can be corrected only with a reason, and cancelled but "
        "not deleted.",
    ]
    return _confirm(
        request,
        e,
        heading=f"Announce {e.title}",
        effects=effects,
        button="Announce to members",
        run=lambda _: actions.announce(e, by=request.user),
        done="The election is announced: members can see it.",
        reason=False,
    )


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    e = _managed(request, pk)
    n = e.candidates.count()
    effects = [
        "The draft and its set-up are deleted for good"
        + (f", with its {n} candidate{'s' if n != 1 else ''}." if n else "."),
        "Nobody but its managers has seen it; the audit log keeps a line saying it was deleted.",
    ]
    return _confirm(
        request,
        e,
        heading=f"Delete the draft {e.title}",
        effects=effects,
        button="Delete the draft",
        run=lambda _: actions.delete_draft(e, by=request.user),
        done=f"The draft {e.title} is deleted.",
        reason=False,
        then=reverse("elections:list"),
    )


@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    e = _managed(request, pk)
    effects = [
        "The election stops for good: no nominations, no voting and no count.",
        "It stays listed as cancelled, with the reason you give, for members to read.",
    ]
    if e.state == "voting":
        effects.insert(1, "Nobody has voted yet; the ballot page closes at once.")
    return _confirm(
        request,
        e,
        heading=f"Cancel {e.title}",
        effects=effects,
        button="Cancel the election",
        run=lambda reason: actions.cancel_election(e, reason=reason, by=request.user),
        done="The election is cancelled.",
    )


@login_required
def open_voting(request: HttpRequest, pk: int) -> HttpResponse:
    e = _managed(request, pk)
    n = len(actions.ballot_candidates(e)) if e.state == "draft" else 0
    effects = [
        "The roll is frozen now: members who qualify under the election's rules today are on "
        "it, and it cannot change afterwards.",
        f"The ballot is fixed with the {n} candidate{'s' if n != 1 else ''} who met the "
        "threshold and consented.",
        f"Members can vote until {_at(e.voting_close)}.",
    ]
    return _confirm(
        request,
        e,
        heading=f"Open voting in {e.title}",
        effects=effects,
        button="Open voting",
        run=lambda _: actions.open_voting(e, by=request.user),
        done="Voting is open; the roll is drawn up.",
        reason=False,
    )


@login_required
def close_voting(request: HttpRequest, pk: int) -> HttpResponse:
    e = _managed(request, pk)
    voted = VoterRecord.objects.filter(election=e).count()
    effects = [
        f"Nobody can vote after this; {voted} member{'s have' if voted != 1 else ' has'} voted.",
        "You then count the votes and see the count before publishing it.",
    ]
    return _confirm(
        request,
        e,
        heading=f"Close voting in {e.title}",
        effects=effects,
        button="Close voting",
        run=lambda _: actions.close_voting(e, by=request.user),
        done="Voting is closed.",
        reason=False,
    )


@login_required
def open_early(request: HttpRequest, pk: int) -> HttpResponse:
    e = _managed(request, pk)
    effects = [
        f"Voting opens now instead of at {_at(e.voting_open)}.",
        "The roll is frozen now and the ballot fixed with the candidates who qualify.",
        "The change and your reason are recorded and shown on the election page.",
    ]
    return _confirm(
        request,
        e,
        heading=f"Open voting early in {e.title}",
        effects=effects,
        button="Open voting now",
        run=lambda reason: actions.open_voting_early(e, reason=reason, by=request.user),
        done="Voting is open; the roll is drawn up.",
    )


@login_required
def close_early(request: HttpRequest, pk: int) -> HttpResponse:
    e = _managed(request, pk)
    voted = VoterRecord.objects.filter(election=e).count()
    effects = [
        f"Voting closes now instead of at {_at(e.voting_close)}.",
        f"{voted} member{'s have' if voted != 1 else ' has'} voted so far. Once anyone has "
        "voted, closing early is refused: the others were promised the time.",
        "The change and your reason are recorded.",
    ]
    return _confirm(
        request,
        e,
        heading=f"Close voting early in {e.title}",
        effects=effects,
        button="Close voting now",
        run=lambda reason: actions.close_voting_early(e, reason=reason, by=request.user),
        done="Voting is closed.",
    )


@login_required
def withdraw(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    e = _managed(request, pk)
    c: Candidate = get_object_or_404(e.candidates, pk=cid)
    if e.state == "voting":
        effects = [
            f"Voting is open, so {c.name} stays on the ballot paper: members who have voted "
            "have already ranked them.",
            f"The count treats {c.name} as withdrawn: their votes pass to each voter's next "
            "preference, and the published ballots file marks them withdrawn.",
        ]
    else:
        effects = [f"{c.name} leaves the ballot: members will not see them on it."]
    effects.append("A withdrawal cannot be undone; your reason is recorded.")
    return _confirm(
        request,
        e,
        heading=f"Withdraw {c.name}",
        effects=effects,
        button=f"Withdraw {c.name}",
        run=lambda reason: actions.withdraw_candidate(c, reason=reason, by=request.user),
        done=f"{c.name} has withdrawn.",
    )


@login_required
def candidate_edit(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """Correct a candidate's name or groups while the election is being prepared."""
    e = _managed(request, pk)
    c: Candidate = get_object_or_404(e.candidates, pk=cid)
    ctx: dict[str, Any] = {
        "e": e,
        "c": c,
        "name": c.name,
        "groups": " ".join(c.groups),
        "reason": "",
        "ask_reason": e.announced_at is not None,
    }
    if request.method == "POST":
        ctx.update(
            name=request.POST.get("name", "").strip(),
            groups=request.POST.get("groups", "").strip(),
            reason=request.POST.get("reason", "").strip(),
        )
        try:
            actions.edit_candidate(
                c,
                name=ctx["name"],
                groups=ctx["groups"].replace(",", " ").split(),
                reason=ctx["reason"],
                by=request.user,
            )
        except actions.ActionRefused as exc:
            ctx["error"] = str(exc)
            return render(request, "elections/candidate_edit.html", ctx, status=400)
        messages.success(request, f"{c.name}'s record is corrected.")
        return redirect("elections:detail", pk=pk)
    return render(request, "elections/candidate_edit.html", ctx)


@login_required
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """How many reminders would go and what they say; sent only from this page."""
    e = _managed(request, pk)
    url = request.build_absolute_uri(reverse("elections:vote", args=[pk]))
    if request.method == "POST":
        try:
            job = actions.start_reminders(e, by=request.user, base_url=url)
        except actions.ActionRefused as exc:
            messages.error(request, str(exc))
            return redirect("elections:detail", pk=pk)
        detail = reverse("elections:detail", args=[pk])
        return started(request, job, "Sending reminders", done_url=detail)
    earlier = Job.objects.filter(kind="election.remind", params__election=e.pk).order_by("-pk")
    ctx = {"e": e, "r": actions.reminder(e, base_url=url), "earlier": earlier[:20]}
    return render(request, "elections/remind.html", ctx)


@login_required
def count(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: count the votes. GET: the count, seen by the returning officer before publishing."""
    e = _managed(request, pk)
    if request.method == "POST":
        try:
            job = actions.start_count(e, by=request.user)
        except actions.ActionRefused as exc:
            messages.error(request, str(exc))
            return redirect("elections:detail", pk=pk)
        if job.state == "done":  # counted already (inline): straight to the count
            return redirect("elections:count", pk=pk)
        return started(request, job, "The count")
    if e.state != "counted":
        messages.info(request, "There is no count waiting to be published.")
        return redirect("elections:detail", pk=pk)
    from django.utils.safestring import mark_safe

    ctx = {
        "e": e,
        "report": mark_safe(e.publication.report_html),
        "digest": actions.result_digest(e.publication),
        "withdrawn": list(e.candidates.filter(withdrawn=True, name__in=e.ballot)),
    }
    return render(request, "elections/count.html", ctx)


@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the count shown on the count page (POST only; a GET goes back to it)."""
    e = _managed(request, pk)
    if request.method != "POST":
        return redirect("elections:count", pk=pk)
    try:
        actions.publish_result(e, by=request.user, digest=request.POST.get("digest", ""))
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("elections:count" if e.state == "counted" else "elections:detail", pk=pk)
    messages.success(request, "The result is published.")
    return redirect("elections:results", pk=pk)
