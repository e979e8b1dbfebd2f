"""The live meeting: presence and quorum, the vote in progress, online check-in and voting for
members, the chair's controls. The panel refreshes itself with htmx; every control is a plain
form, so the page also works without scripting (a reload shows the same)."""

from __future__ import annotations

import math
import time
from types import SimpleNamespace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from grassroots.count.rules import RULES as COUNT_RULES
from grassroots.meetings import actions
from grassroots.meetings.actions.ballots import constraint_words
from grassroots.meetings.actions.motions import backing, unbacked
from grassroots.meetings.actions.speakers import queue as speaker_queue
from grassroots.meetings.entitlement import member_standing
from grassroots.meetings.live import presence
from grassroots.meetings.majority import RULES
from grassroots.meetings.models import (
    Attendance,
    Meeting,
    MeetingBallot,
    Motion,
    SpeakerRequest,
    Vote,
    VoteCast,
    VoteRoll,
)
from grassroots.members.identifiers import row_id
from grassroots.members.models import Member
from grassroots.members.permissions import can


def _member(request: HttpRequest) -> Member | None:
    if not request.user.is_authenticated:
        return None
    return Member.objects.filter(user_id=request.user.pk).select_related("branch").first()


def _motions(m: Meeting) -> list[Motion]:
    """The motions the chair may put, each marked if it awaits a seconder or supporters."""
    out = list(
        m.motions.filter(state="submitted")
        .select_related("mover", "from_unit", "origin__meeting__body")
        .order_by("submitted_at")
    )
    for mo in out:
        mo.unbacked = unbacked(mo)  # type: ignore[attr-defined]
        mo.needs_seconder = mo.seconder_id is None and backing(mo).seconder  # type: ignore[attr-defined]
    return out


SHARE_FOR = 1.0  # seconds polls share one computation of a version's shared part


# The newest shared part computed in this process per meeting: (version, when, shared). Kept in
# memory rather than in the cache so a poll does not unpickle it; a process recomputes it at
# most once a second (the counts in it), and at once when the version moves.
_SHARED: dict[int, tuple[int, float, dict[str, Any]]] = {}


def _shared(m: Meeting) -> dict[str, Any]:
    """What every viewer of the live panel sees alike: computed at most once a second per
    process for the meeting's state version (every change of business bumps
    ``Meeting.live_version``), and shared by every request in between."""
    kept = _SHARED.get(m.pk)
    now = time.monotonic()
    if kept is not None and kept[0] == m.live_version and now - kept[1] < SHARE_FOR:
        return kept[2]
    current = m.votes.filter(closed_at__isnull=True).select_related("motion").first()
    motions = _motions(m)
    shared = {
        "presence": presence(m),
        "current": current,
        "current_rule": RULES[current.majority].name if current is not None else "",
        "cast_count": current.casts.count() if current is not None else 0,
        "closed": list(
            m.votes.filter(closed_at__isnull=False).select_related("motion").order_by("-closed_at")
        ),
        "motions": motions,
        "awaiting_seconder": [mo for mo in motions if mo.needs_seconder],  # type: ignore[attr-defined]
        "late_items": list(m.items.filter(late=True, taken__isnull=True)),
        "ballots": [
            (b, b.election, constraint_words(b.election.constraints))
            for b in m.ballots.select_related("election")
        ],
        "queue": speaker_queue(m),
        "speaking": m.speakers.filter(called_at__isnull=False, finished_at__isnull=True)
        .select_related("member")
        .first(),
        "candidates": list(m.election.candidates.all()) if m.election_id else [],
    }
    # the one change time alone brings: an open ballot falling due (the chair may count it)
    dues = [e.voting_close for _, e, _ in shared["ballots"] if e.state == "voting"]
    shared["next_due"] = min(dues).timestamp() if dues else None
    _SHARED[m.pk] = (m.live_version, now, shared)
    return shared


def poll_seconds(entitled: int) -> int:
    """How often the page polls: every 2 s, and more slowly for a large meeting (10 s for
    2,000 entitled, at most 15 s), whose many phones would otherwise be most of the server's
    load. A member's own check-in or vote is answered with their panel at once."""
    return max(2, min(15, math.ceil(entitled / 200)))


def counts_seconds(entitled: int) -> int:
    """How late the counts (present, votes recorded so far) may be on a member's page: three
    polls. Arrivals and votes cast do not move the state version, so a poll in between is
    answered "no change"; the chair's page always has them fresh."""
    return 3 * poll_seconds(entitled)


def live_token(m: Meeting, shared: dict[str, Any], chair: bool) -> str:
    """What a page's panel shows: the meeting's state version, until when its counts may
    stand (0 for the chair's page: always redrawn) and the next ballot falling due, if any,
    read from the shared part the panel is drawn from."""
    due = shared["next_due"]
    until = 0 if chair else int(time.time()) + counts_seconds(shared["presence"].entitled)
    return f"{m.live_version}.{until}" + (f".{int(due)}" if due is not None else "")


def _unchanged(token: str, version: int) -> bool:
    """Whether a panel drawn with ``token`` is still what the page would show: the version
    (the business) has not moved, its counts may still stand, and no ballot it showed open
    has fallen due since."""
    parts = token.split(".")
    if not 2 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return False
    now = time.time()
    if len(parts[0]) > 19 or any(len(p) > 12 for p in parts[1:]):
        return False  # not a token this page made
    if int(parts[0]) != version or not now < int(parts[1]):
        return False
    return len(parts) == 2 or now < int(parts[2])


PERSON_FOR = 30  # seconds a login's membership and chair right are reused by the live panel


def _viewer(request: HttpRequest, m: Meeting) -> tuple[Member | None, bool]:
    """The member signed in and whether they chair this meeting: read once and kept for a few
    seconds per login, not on every poll (every action checks its own permission afresh)."""
    if not request.user.is_authenticated:
        return None, False
    key = f"meetings:live:viewer:{request.user.pk}:{m.body.unit_id}"
    kept: tuple[Member | None, bool] | None = cache.get(key)
    if kept is None:
        kept = (_member(request), can(request.user, "chair_meetings", m.body.unit))
        cache.set(key, kept, PERSON_FOR)
    return kept


def _mine(m: Meeting, member: Member | None, current: Vote | None) -> Attendance | None:
    """The member's line of the roll with, in the same query, their place on the open vote's
    roll, their vote in it and whether they wait to speak."""
    if member is None:
        return None
    rows = Attendance.objects.filter(meeting=m, member=member)
    if current is not None:
        rows = rows.annotate(
            roll_weight=Subquery(
                VoteRoll.objects.filter(vote=current, member=member).values("weight")[:1]
            ),
            cast_choice=Subquery(
                VoteCast.objects.filter(vote=current, member=member).values("choice")[:1]
            ),
        )
    rows = rows.annotate(
        asked=Exists(
            SpeakerRequest.objects.filter(
                meeting=m, member=member, called_at__isnull=True, withdrawn=False
            )
        )
    )
    return rows.first()


def _context(request: HttpRequest, m: Meeting) -> dict[str, Any]:
    now = timezone.now()
    shared = _shared(m)
    member, chair = _viewer(request, m)
    current = shared["current"]
    attendance = _mine(m, member, current)
    here = attendance is not None and attendance.present
    weight = getattr(attendance, "roll_weight", None)
    choice = getattr(attendance, "cast_choice", None)
    on_roll = SimpleNamespace(weight=weight) if weight is not None else None
    my_cast = SimpleNamespace(choice=choice) if choice is not None else None
    return {
        **shared,
        "m": m,
        "live_token": live_token(m, shared, chair),
        "member": member,
        # whether they may attend matters to the page only until they are checked in
        "standing": member_standing(member, m) if member is not None and not here else None,
        "attendance": attendance,
        "here": here,
        "chair": chair,
        "on_roll": on_roll,
        "my_cast": my_cast,
        "motions": shared["motions"] if chair else [],
        "awaiting_seconder": shared["awaiting_seconder"] if chair else [],
        "rules": [(k, r.name) for k, r in RULES.items()],
        "methods": Vote.METHODS,
        "ballots": [(b, e, now >= e.voting_close, words) for b, e, words in shared["ballots"]],
        "rule_sets": [(k, v[1]) for k, v in COUNT_RULES.items()],
        "waiting": bool(getattr(attendance, "asked", False)),
    }


def live(request: HttpRequest, pk: int) -> HttpResponse:
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    ctx = _context(request, m)
    ctx["poll_seconds"] = poll_seconds(ctx["presence"].entitled)
    return render(request, "meetings/live.html", ctx)


def live_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the live page that changes, polled by htmx. A poll from a page whose panel
    is still current (its token: the state version it shows, drawn moments ago) is answered
    204 No Content after one query, before the session or the user is read."""
    version = Meeting.objects.filter(pk=pk).values_list("live_version", flat=True).first()
    if version is None:
        raise Http404("no such meeting")
    if _unchanged(request.GET.get("v", ""), version):
        response = HttpResponse(status=204)
    else:
        m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
        response = render(request, "meetings/_live_panel.html", _context(request, m))
    response["Cache-Control"] = "no-store"
    return response


def _back(m: Meeting) -> HttpResponse:
    return redirect("meetings:live", m.pk)


def _answer(request: HttpRequest, m: Meeting, text: str, ok: bool) -> HttpResponse:
    """The answer to a member's own action: from the live page's script (htmx), the panel
    with the outcome in it, in one request; from a plain form, a message and the page."""
    if request.headers.get("HX-Request") == "true":
        ctx = {**_context(request, m), "flash": text, "flash_ok": ok}
        response = render(request, "meetings/_live_panel.html", ctx)
        response["Cache-Control"] = "no-store"
        return response
    (messages.success if ok else messages.error)(request, text)
    return _back(m)


@login_required
@require_POST
def check_in_online(request: HttpRequest, pk: int) -> HttpResponse:
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    member = _member(request)
    if member is None:
        raise PermissionDenied("only members check in: this login is not linked to a membership")
    try:
        actions.check_in(m, member, by=request.user, how="online")
    except actions.ActionRefused as exc:
        return _answer(request, m, str(exc), False)
    return _answer(request, m, "You are checked in. Join the call with the link below.", True)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    m = get_object_or_404(Meeting, pk=pk)
    member = _member(request)
    a = Attendance.objects.filter(meeting=m, member=member, left_at__isnull=True).first()
    if a is not None:
        actions.leave(a, by=request.user)
        messages.success(request, "You have left the meeting; you no longer count or vote.")
    return _back(m)


@login_required
@require_POST
def cast(request: HttpRequest, pk: int, vote: int) -> HttpResponse:
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    v = get_object_or_404(Vote, pk=vote, meeting=m)
    member = _member(request)
    if member is None:
        raise PermissionDenied("only members vote: this login is not linked to a membership")
    try:
        actions.cast_online(v, member, request.POST.get("choice", ""), by=request.user)
    except actions.ActionRefused as exc:
        return _answer(request, m, str(exc), False)
    return _answer(request, m, "Your vote is recorded.", True)


def _pk(value: str | None) -> int:
    """A posted id, or 0 (matching nothing) when it is not a plain number."""
    return row_id(value or "") or 0  # never a number too long for the database


def _representation(
    p: Any,
) -> tuple[dict[str, dict[str, int]], dict[str, list[str]]]:
    """The hold-ballot form's representation rule ("of those elected, at least 2 must be
    women", and which candidates are women) as the elections app's constraints and groups."""
    group = " ".join(p.get("group", "").split())
    count = p.get("group_count", "").strip()
    members = [" ".join(n.split()) for n in p.get("in_group", "").splitlines() if n.strip()]
    if not group and not count:
        if members:
            raise actions.ActionRefused("name the group those candidates are in (e.g. women)")
        return {}, {}
    if not group or not (count.isascii() and count.isdigit() and len(count) <= 4):
        raise actions.ActionRefused(
            "a representation rule needs how many (a whole number) and the group (e.g. women)"
        )
    bound = p.get("bound", "minima")
    if bound not in ("minima", "maxima"):
        raise actions.ActionRefused("choose “at least” or “at most”")
    if bound == "minima" and int(count) > 0 and not members:
        raise actions.ActionRefused(f"say which candidates are {group}, one a line")
    return {bound: {group: int(count)}}, {name: [group] for name in members}


def _chaired(request: HttpRequest, pk: int) -> Meeting:
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    if not can(request.user, "chair_meetings", m.body.unit):
        raise PermissionDenied(f"only the chair of the {m.body.name} runs the meeting")
    return m


@login_required
@require_POST
def chair(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair's buttons: open or close the meeting, open a vote, count hands, close a vote."""
    m = _chaired(request, pk)
    what = request.POST.get("do", "")
    p = request.POST
    try:
        if what == "open_meeting":
            actions.open_meeting(m, by=request.user)
            messages.success(request, "The meeting is open.")
        elif what == "close_meeting":
            actions.close_meeting(m, by=request.user)
            messages.success(request, "The meeting is closed.")
        elif what == "open_vote":
            motion = m.motions.filter(pk=_pk(p.get("motion"))).first() if p.get("motion") else None
            if p.get("motion") and motion is None:
                raise actions.ActionRefused("that motion is not one of this meeting's")
            late_item = None
            if p.get("late_item"):
                late_item = m.items.filter(pk=_pk(p.get("late_item")), late=True).first()
                if late_item is None:
                    raise actions.ActionRefused("that is not a late item of this meeting")
            actions.open_vote(
                m,
                question=p.get("question", ""),
                motion=motion,
                late_item=late_item,
                method=p.get("method", "hands"),
                majority=p.get("majority", "simple"),
                continue_inquorate_reason=p.get("inquorate_reason", ""),
                by=request.user,
            )
            messages.success(request, "The vote is open.")
        elif what in ("hands", "close_vote"):
            v = get_object_or_404(Vote, pk=_pk(p.get("vote")), meeting=m)
            if what == "hands":
                counts = [p.get(k, "") for k in ("for", "against", "abstain")]
                if not all(c.isascii() and c.isdigit() and len(c) <= 9 for c in counts):
                    raise actions.ActionRefused("type each count as a whole number (0 for none)")
                actions.record_hands(
                    v,
                    for_=int(counts[0]),
                    against=int(counts[1]),
                    abstain=int(counts[2]),
                    by=request.user,
                )
                messages.success(request, "Count recorded; close the vote to declare it.")
            else:
                closed = actions.close_vote(v, by=request.user)
                result = "carried" if closed.carried else "not carried"
                messages.success(request, f"{closed.question}: {result}.")
        elif what == "second":
            motion = m.motions.filter(pk=_pk(p.get("motion"))).first()
            if motion is None:
                raise actions.ActionRefused("choose a motion of this meeting")
            number = p.get("number", "").strip()
            seconder = Member.objects.filter(number=number).first() if number else None
            if seconder is None:
                raise actions.ActionRefused(f"no member has the membership number “{number}”")
            actions.second_motion(motion, seconder, by=request.user)
            messages.success(request, f"“{motion.title}” seconded by {seconder.name}.")
        elif what == "call_next":
            called = actions.call_next(m, by=request.user)
            messages.success(
                request,
                f"{called.member.name} has the floor." if called else "Nobody is waiting to speak.",
            )
        elif what == "nominate":
            chosen = p.get("candidate", "")
            candidate = None
            if chosen != "none":
                if m.election is None:
                    raise actions.ActionRefused("this is not a nominating meeting")
                candidate = m.election.candidates.filter(pk=_pk(chosen)).first()
                if candidate is None:
                    raise actions.ActionRefused("choose a candidate in this election")
            motion = actions.propose_nomination(m, candidate=candidate, by=request.user)
            messages.success(request, f"Moved: {motion.title}. Open a vote on it.")
        elif what == "ballot":
            names = [n for n in p.get("candidates", "").splitlines() if n.strip()]
            seats = p.get("seats", "")
            span = p.get("minutes", "")
            if not (seats.isascii() and seats.isdigit() and span.isascii() and span.isdigit()):
                raise actions.ActionRefused("give the posts and the minutes as whole numbers")
            constraints, groups = _representation(p)
            actions.hold_ballot(
                m,
                title=p.get("title", "") or "Secret ballot",
                seats=int(seats),
                candidates=names,
                rule=p.get("rule", "scottish"),
                minutes=int(span),
                constraints=constraints,
                groups=groups,
                continue_inquorate_reason=p.get("inquorate_reason", ""),
                by=request.user,
            )
            messages.success(request, "The secret ballot is open to those present with a vote.")
        elif what == "count_ballot":
            ballot = get_object_or_404(MeetingBallot, pk=_pk(p.get("ballot")), meeting=m)
            done = actions.close_and_count(ballot, by=request.user)
            messages.success(request, f"{done.title}: counted and published.")
        else:
            messages.error(request, "Unknown chair action.")
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return _back(m)
