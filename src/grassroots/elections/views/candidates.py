"""Candidates: adding them, recording nominations, consent with statement and photo."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grassroots.elections import actions
from grassroots.elections.models import Candidate, Election
from grassroots.elections.photos import MAX_BYTES, PhotoError, prepare_photo
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import can
from grassroots.site.uploads import upload_limit


@login_required
@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The returning officer adds a candidate (name, membership number, groups such as "women")."""
    e = get_object_or_404(Election, pk=pk)
    name = request.POST.get("name", "").strip()
    groups = request.POST.get("groups", "").replace(",", " ").split()
    number = request.POST.get("number", "").strip()
    if not name:
        messages.error(request, "Give the candidate's name.")
        return redirect("elections:detail", pk=pk)
    member = Member.objects.filter(number=number).first() if number else None
    if number and member is None:
        messages.error(request, f"No member has the membership number {number[:40]}.")
        return redirect("elections:detail", pk=pk)
    try:
        actions.add_candidate(e, name=name, member=member, groups=groups, by=request.user)
        messages.success(request, f"Added {name}.")
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("elections:detail", pk=pk)


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """A body's secretary, or the returning officer, records its nomination or its decision not
    to nominate."""
    e = get_object_or_404(Election, pk=pk)
    body_pk, choice = request.POST.get("body", ""), request.POST.get("candidate", "")
    body = Unit.objects.filter(pk=body_pk).first() if body_pk.isdecimal() else None
    if body is None:
        messages.error(request, "Choose the nominating body.")
        return redirect("elections:detail", pk=pk)
    candidate = None
    if choice != "none":
        candidate = e.candidates.filter(pk=choice).first() if choice.isdecimal() else None
        if candidate is None:
            messages.error(request, "Choose a candidate, or that the body decided not to nominate.")
            return redirect("elections:detail", pk=pk)
    note = request.POST.get("note", "").strip()[:300]
    try:
        actions.record_nomination(e, body=body, candidate=candidate, by=request.user, note=note)
        messages.success(request, f"Recorded {body}'s decision.")
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("elections:detail", pk=pk)


@upload_limit(MAX_BYTES + 1_048_576)  # a larger body is refused unread (site/uploads.py)
@login_required
def candidate_consent(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """The candidate consents to stand and writes their statement (before voting opens); the
    returning officer may do it for them, on their documented request only."""
    e = get_object_or_404(Election.objects.visible_to(request.user), pk=pk)
    c = get_object_or_404(e.candidates, pk=cid)
    own = actions.acts_for_self(c, request.user)
    if not own and not can(request.user, "manage_occasions", e.unit):
        # checked before the body is read: nobody else's upload is ever decoded
        raise PermissionDenied(
            f"Only {c.name} gives their consent, statement and photo "
            "(or the returning officer, on their documented request)."
        )
    ctx: dict[str, Any] = {
        "e": e,
        "c": c,
        "own": own,
        "statement": c.statement,
        "on_request": "" if own else c.consent_request,
    }
    if request.method == "POST":
        statement = request.POST.get("statement", "").strip()
        on_request = request.POST.get("on_request", "").strip()
        ctx.update(statement=statement, on_request=on_request)  # kept if something is refused
        if not own and not on_request:
            ctx["request_error"] = (
                f"Say how and when {c.name} asked you to do this (for example: "
                "signed consent form received by post on 3 May); it is kept and shown in the "
                "audit log."
            )
            return render(request, "elections/consent.html", ctx, status=400)
        upload = request.FILES.get("photo")
        try:
            actions.may_consent(c, by=request.user)  # still time? before any image is decoded
            photo = (
                prepare_photo(upload.read(MAX_BYTES + 1), filename=upload.name or "the photo")
                if upload is not None
                else None
            )
            actions.consent(
                c,
                statement=statement,
                photo=photo,
                remove_photo=request.POST.get("remove_photo") == "1",
                on_request="" if own else on_request,
                by=request.user,
            )
            messages.success(request, f"{c.name} consents to stand; the statement is saved.")
            return redirect("elections:detail", pk=pk)
        except PhotoError as exc:
            ctx["photo_error"] = str(exc)
            return render(request, "elections/consent.html", ctx, status=400)
        except actions.ActionRefused as exc:
            messages.error(request, str(exc))
    return render(request, "elections/consent.html", ctx)


def candidate_photo(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """A candidate's photo, public like their statement; cached by its content hash."""
    c = get_object_or_404(
        Candidate,
        election__in=Election.objects.visible_to(request.user),
        election_id=pk,
        pk=cid,
        photo__isnull=False,
    )
    data = bytes(c.photo)
    etag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
    if request.headers.get("If-None-Match") == etag:
        resp = HttpResponse(status=304)
    else:
        resp = HttpResponse(data, content_type="image/jpeg")
    resp["ETag"] = etag
    resp["Cache-Control"] = "public, max-age=300"
    return resp
