"""The ballot (no JavaScript needed), the receipt and checking a receipt.

Every response here may show a ranking or a receipt code, so none may be kept by a browser or
a proxy (``never_cache``: ``Cache-Control: no-store`` among others). Receipt codes arrive only
in POST bodies, never in a URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from grassroots.elections import actions, receipt_check, receipts
from grassroots.elections.models import Candidate, Election, RollEntry, VoterRecord
from grassroots.elections.ranking import ballot_order, parse_ranks
from grassroots.elections.standing import covers, member_election
from grassroots.elections.voters import NOT_MINE, elsewhere, voter_for
from grassroots.members.models import Member
from grassroots.members.requester import remember_member
from grassroots.site.rows import fetch_one, select_list


@never_cache
@login_required
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot: a number box per candidate in this voter's order; review; cast; receipt."""
    e = _election(request, pk)
    member = _voter(e, request.user)
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
    if member.voted:
        return _already_voted(request, e, member, token if posted else None)
    if not member.on_roll:
        # said before any ballot is shown, with the reasons: never a ballot that cannot be cast
        standing = member_election(member, e) if covers(e, member) else None
        ctx = {"e": e, "member": member, "standing": standing}
        return render(request, "elections/not_on_roll.html", ctx, status=403)
    # per-voter order: stable for this voter, unrelated to anyone else's
    order = ballot_order(e.ballot, f"{e.pk}:{member.pk}:{e.seed}")
    fields = {name: f"rank-{e.ballot.index(name)}" for name in order}
    values = {name: request.POST.get(fields[name], "") for name in order}
    ctx: dict[str, Any] = {"e": e, "token": token}
    if request.method != "POST" or request.POST.get("step") == "change":
        # a fresh ballot, or "Change my ballot" from the review page with the ranking kept
        ctx["rows"] = _rows(order, fields, values, _photos(e, order), {})
        return render(request, "elections/ballot.html", ctx)
    parsed = parse_ranks(order, values)
    if parsed.errors or request.POST.get("step") != "cast":
        # the rows are shown again (ballot with its problems, or the review page)
        ctx["rows"] = _rows(order, fields, values, _photos(e, order), parsed.boxes)
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
        ctx["rows"] = _rows(order, fields, values, _photos(e, order), parsed.boxes)
        return render(request, "elections/ballot.html", ctx, status=400)
    return _receipt(request, e, code)


def _election(request: HttpRequest, pk: int) -> Election:
    """The election, if this user may see it (``Election.objects.visible_to``).

    An announced election is visible to everyone: read in plain SQL (``site.rows``), as the
    ballot page and every cast ask for it. A draft is looked up through ``visible_to`` (its
    managers only).
    """
    sql = f"SELECT {select_list(Election, 'e')} FROM {Election._meta.db_table} e WHERE e.id = %s"
    found = fetch_one(Election, sql, [pk])
    if found is not None and found[0].announced_at is not None:
        return found[0]
    return get_object_or_404(Election.objects.visible_to(request.user), pk=pk)


def _voter(e: Election, user: Any) -> Member | None:
    """The record ``user`` votes with in ``e`` (``voters.voter_for``), with ``on_roll`` and
    ``voted`` for ``e`` read in the same query.

    Written as SQL: the ORM took longer to build this query than the database to answer it,
    and it is asked at every ballot page and every cast.
    """
    found = elsewhere(user, e)  # an app keeping this election's voters (network primaries)
    if found is None:
        return None
    column, value = ("m.user_id", user.pk) if found is NOT_MINE else ("m.id", found.pk)
    sql = (
        f"SELECT {select_list(Member, 'm')}, EXISTS (SELECT 1 FROM {RollEntry._meta.db_table} r"
        " WHERE r.election_id = %s AND r.member_id = m.id) AS on_roll,"
        f" EXISTS (SELECT 1 FROM {VoterRecord._meta.db_table} v"
        " WHERE v.election_id = %s AND v.member_id = m.id) AS voted"
        f" FROM {Member._meta.db_table} m WHERE {column} = %s ORDER BY m.id LIMIT 1"
    )
    row = fetch_one(Member, sql, [e.pk, e.pk, value])
    member = None
    if row is not None:
        member, (on_roll, voted) = row
        member.on_roll, member.voted = bool(on_roll), bool(voted)  # type: ignore[attr-defined]
    if found is NOT_MINE:
        remember_member(user, member)  # the user's own record: the navigation reads it too
    return member


def _photos(e: Election, order: list[str]) -> dict[str, str]:
    """Each candidate with a photo: the photo's address (asked only when rows are shown)."""
    sql = (
        f"SELECT id, name FROM {Candidate._meta.db_table}"
        " WHERE election_id = %s AND photo IS NOT NULL"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [e.pk])
        found = cur.fetchall()
    shown = set(order)
    return {
        name: reverse("elections:photo", args=[e.pk, cid]) for cid, name in found if name in shown
    }


def _rows(
    order: list[str],
    fields: dict[str, str],
    values: dict[str, str],
    photos: dict[str, str],
    problems: dict[str, str],
) -> list[tuple[str, str, str, str | None, str | None]]:
    """One row per candidate: name, field, value as sent, photo, what is wrong with the box."""
    return [(n, fields[n], values[n], photos.get(n), problems.get(n)) for n in order]


def _receipt(request: HttpRequest, e: Election, code: str, **extra: Any) -> HttpResponse:
    # shown in this response only: the code is kept nowhere (a retry derives it again)
    return render(request, "elections/receipt.html", {"e": e, "code": code, **extra})


def _posted_ranking(request: HttpRequest, e: Election) -> tuple[str, ...] | None:
    """The ranking a cast post carries (boxes named by ballot position), if it is one."""
    values = {name: request.POST.get(f"rank-{i}", "") for i, name in enumerate(e.ballot)}
    parsed = parse_ranks(list(e.ballot), values)
    return None if parsed.errors else parsed.ranking


def _already_voted(
    request: HttpRequest, e: Election, member: Member, token: str | None
) -> HttpResponse:
    """A member who has voted: the receipt again if this is a retry of the page that cast."""
    casting = request.method == "POST" and request.POST.get("step") == "cast"
    if token is not None and casting:
        code = actions.receipt_for_retry(e, member, token)
        if code is not None:
            recorded = receipt_check.recorded_ranking(e, code)
            sent = _posted_ranking(request, e)
            if sent is not None and recorded is not None and sent != recorded:
                # the same page cast before, and now sends another ranking
                return _receipt(request, e, code, recorded=recorded, not_recorded=sent)
            return _receipt(request, e, code)
    if e.state != "voting" and not VoterRecord.objects.filter(election=e, member=member).exists():
        messages.error(request, "Voting in this election is not open.")
    elif request.method == "POST" and request.POST.get("step") in ("cast", "review", "change"):
        messages.error(
            request,
            "You had already voted in this election. Your first ballot stands; "
            "the ranking you have just sent was not recorded.",
        )
    else:
        messages.info(request, "You have already voted in this election. Thank you.")
    return redirect("elections:detail", pk=e.pk)


@never_cache
def check_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder of a receipt code sees whether their ballot is stored and counted, and the
    ranking recorded for it. The code is posted, never put in the address."""
    e = get_object_or_404(Election, pk=pk)
    ctx: dict[str, Any] = {"e": e, "code_in_address": "code" in request.GET}
    code = request.POST.get("code", "").strip() if request.method == "POST" else ""
    if code:
        ctx["code"] = receipts.normalise(code)
        ctx["check"] = receipt_check.by_code(e, code)
    return render(request, "elections/check.html", ctx)


@never_cache
@login_required
@require_POST
def email_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """E-mail the voter a copy of their receipt, on their request from the receipt page."""
    e = get_object_or_404(Election, pk=pk)
    member = voter_for(request.user, e)
    code = request.POST.get("code", "").strip()
    if member is None:
        messages.error(request, "Your account is not linked to a membership record.")
        return redirect("elections:check", pk=pk)
    try:
        address = actions.email_receipt(e, member, code)
    except actions.ActionRefused as exc:
        messages.error(request, f"No e-mail was sent: {exc}.")
        return redirect("elections:check", pk=pk)
    return _receipt(request, e, receipts.normalise(code), emailed_to=address)
