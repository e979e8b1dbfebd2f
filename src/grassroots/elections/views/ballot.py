"""The ballot (no JavaScript needed), the receipt and checking a receipt."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from grassroots.elections import actions, receipts
from grassroots.elections.models import Ballot, Election, VoterRecord
from grassroots.elections.ranking import ballot_order, parse_ranks
from grassroots.members.models import Member


@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot: a number box per candidate in this voter's order; review; cast; receipt."""
    e = get_object_or_404(Election, pk=pk)
    member = Member.objects.filter(user=request.user).first()
    if member is None:
        messages.error(request, "Your account is not linked to a membership record.")
        return redirect("elections:detail", pk=pk)
    # the page's one-time token (kept only in the page) from which the receipt code is derived
    posted = request.POST.get("token", "") if request.method == "POST" else ""
    token = posted if receipts.is_token(posted) else receipts.new_token()
    if e.state != "voting":
        if e.state != "draft" and posted:
            # a cast whose answer was lost just before voting closed: its receipt, if stored
            return _already_voted(request, e, member, token)
        messages.error(request, "Voting in this election is not open.")
        return redirect("elections:detail", pk=pk)
    if VoterRecord.objects.filter(election=e, member=member).exists():
        return _already_voted(request, e, member, token if posted else None)
    # per-voter order: stable for this voter, unrelated to anyone else's
    order = ballot_order(e.ballot, f"{e.pk}:{member.pk}:{e.seed}")
    fields = {name: f"rank-{e.ballot.index(name)}" for name in order}
    values = {name: request.POST.get(fields[name], "") for name in order}
    photos = {
        name: reverse("elections:photo", args=[e.pk, cid])
        for name, cid in e.candidates.filter(name__in=order, photo__isnull=False).values_list(
            "name", "pk"
        )
    }
    ctx: dict[str, Any] = {"e": e, "token": token}
    if request.method != "POST" or request.POST.get("step") == "change":
        # a fresh ballot, or "Change my ballot" from the review page with the ranking kept
        ctx["rows"] = _rows(order, fields, values, photos, {})
        return render(request, "elections/ballot.html", ctx)
    parsed = parse_ranks(order, values)
    ctx["rows"] = _rows(order, fields, values, photos, parsed.boxes)
    if parsed.errors:
        ctx["errors"] = parsed.errors
        return render(request, "elections/ballot.html", ctx, status=400)
    ctx["ranking"] = parsed.ranking
    if request.POST.get("step") != "cast":
        return render(request, "elections/review.html", ctx)
    try:
        code = actions.cast(e, member, parsed.ranking, token=token)
    except actions.AlreadyVoted:  # e.g. the same page posted twice at once
        return _already_voted(request, e, member, token if posted else None)
    except actions.ActionRefused as exc:
        ctx["errors"] = (str(exc),)
        return render(request, "elections/ballot.html", ctx, status=400)
    return _receipt(request, e, code)


def _rows(
    order: list[str],
    fields: dict[str, str],
    values: dict[str, str],
    photos: dict[str, str],
    problems: dict[str, str],
) -> list[tuple[str, str, str, str | None, str | None]]:
    """One row per candidate: name, field, value as sent, photo, what is wrong with the box."""
    return [(n, fields[n], values[n], photos.get(n), problems.get(n)) for n in order]


def _receipt(request: HttpRequest, e: Election, code: str) -> HttpResponse:
    # shown in this response only: the code is kept nowhere (a retry derives it again)
    resp = render(request, "elections/receipt.html", {"e": e, "code": code})
    resp["Cache-Control"] = "no-store"
    return resp


def _already_voted(
    request: HttpRequest, e: Election, member: Member, token: str | None
) -> HttpResponse:
    """A member who has voted: the receipt again if this is a retry of the page that cast."""
    if token is not None and request.POST.get("step") == "cast":
        code = actions.receipt_for_retry(e, member, token)
        if code is not None:
            return _receipt(request, e, code)
    if e.state != "voting" and not VoterRecord.objects.filter(election=e, member=member).exists():
        messages.error(request, "Voting in this election is not open.")
    else:
        messages.info(request, "You have already voted in this election. Thank you.")
    return redirect("elections:detail", pk=e.pk)


def check_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone with a receipt code can check that a ballot with it is stored and counted."""
    e = get_object_or_404(Election, pk=pk)
    code = request.GET.get("code", "").strip()
    ctx: dict[str, Any] = {"e": e, "code": code}
    if code:
        h = receipts.receipt_hash(str(e.pk), code)
        ctx["hash"] = h
        if e.state == "published":
            ctx["found"] = h in e.publication.files["receipts.txt"].split()
            ctx["counted"] = True
        else:
            ctx["found"] = Ballot.objects.filter(election=e, receipt_hash=h).exists()
    return render(request, "elections/check.html", ctx)
