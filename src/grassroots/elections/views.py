"""Thin views: the public election pages, the ballot (no JavaScript needed), results and API."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from grassroots.count.report.html import plotly_js, report_css
from grassroots.elections import actions, receipts, thresholds
from grassroots.elections.api_schema import OPENAPI
from grassroots.elections.forms import ElectionForm
from grassroots.elections.models import Ballot, Candidate, Election, VoterRecord
from grassroots.elections.photos import MAX_BYTES, PhotoError, prepare_photo
from grassroots.elections.publish import FILES
from grassroots.elections.ranking import ballot_order, parse_ranks
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import can, units_where


def election_list(request: HttpRequest) -> HttpResponse:
    """Every election, newest first; the set-up link only for those who may set one up."""
    ctx = {
        "elections": Election.objects.all(),
        "may_set_up": units_where(request.user, "manage_occasions").exists(),
    }
    return render(request, "elections/list.html", ctx)


@login_required
def election_new(request: HttpRequest) -> HttpResponse:
    """A returning officer sets up an election over a unit they manage."""
    units = [(u.pk, u.name) for u in units_where(request.user, "manage_occasions")]
    if not units:
        raise PermissionDenied("only a returning officer or administrator sets up elections")
    form = ElectionForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = get_object_or_404(Unit, pk=d["unit"])
        try:
            e = actions.create_election(
                title=d["title"],
                seats=d["seats"],
                rule=d["rule"],
                unit=unit,
                eligibility=RuleSet(
                    on=d["voting_open"].date(),
                    freeze_date=d["freeze_date"],
                    provisional_days=d["provisional_days"],
                    min_membership_days=d["min_membership_days"],
                    paid_up_to=d["paid_up_to"],
                ),
                freeze_date=d["freeze_date"],
                nominations_open=d["nominations_open"],
                nominations_close=d["nominations_close"],
                voting_open=d["voting_open"],
                voting_close=d["voting_close"],
                threshold=d["threshold"],
                nominating_kinds=d["nominating_kinds"],
                body_subkinds=d["body_subkinds"],
                constraints={k: d[k] for k in ("minima", "maxima") if d[k]},
                by=request.user,
            )
            return redirect("elections:detail", pk=e.pk)
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
    return render(request, "elections/new.html", {"form": form})


def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Timetable, candidates, the nomination tally, turnout (counts only) and officer actions."""
    e = get_object_or_404(Election, pk=pk)
    tally = actions.nomination_tally(e)
    user = request.user
    member = Member.objects.filter(user=user).first() if user.is_authenticated else None
    voted = bool(member and VoterRecord.objects.filter(election=e, member=member).exists())
    bodies = (
        list(units_where(user, "edit_register").filter(kind__in=e.nominating_kinds))
        if user.is_authenticated and e.state == "draft"
        else []
    )
    ctx = {
        "e": e,
        "tally": tally,
        "profiles": [c for c, _, _ in tally if c.statement or c.photo],
        "threshold": thresholds.describe(e.threshold),
        "turnout": actions.turnout(e) if e.state != "draft" else None,
        "officer": user.is_authenticated and can(user, "manage_occasions", e.unit),
        "member": member,
        "voted": voted,
        "bodies": bodies,
    }
    return render(request, "elections/detail.html", ctx)


def _officer_action(request: HttpRequest, pk: int, fn: Any, done: str) -> HttpResponse:
    e = get_object_or_404(Election, pk=pk)
    try:
        fn(e, by=request.user)
        messages.success(request, done)
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("elections:detail", pk=pk)


@login_required
@require_POST
def open_voting(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(request, pk, actions.open_voting, "Voting is open; the roll is frozen.")


@login_required
@require_POST
def close_voting(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(request, pk, actions.close_voting, "Voting is closed.")


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _officer_action(request, pk, actions.publish_result, "Counted and published.")


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_object_or_404(Election, pk=pk)
    try:
        url = request.build_absolute_uri(reverse("elections:vote", args=[pk]))
        n = actions.send_reminders(e, by=request.user, base_url=url)
        messages.success(request, f"Sent {n} reminders.")
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("elections:detail", pk=pk)


@login_required
@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The returning officer adds a candidate (name, and groups such as "women")."""
    e = get_object_or_404(Election, pk=pk)
    name = request.POST.get("name", "").strip()
    groups = request.POST.get("groups", "").replace(",", " ").split()
    if not name:
        messages.error(request, "Give the candidate's name.")
        return redirect("elections:detail", pk=pk)
    try:
        actions.add_candidate(e, name=name, groups=groups, by=request.user)
        messages.success(request, f"Added {name}.")
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("elections:detail", pk=pk)


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """A branch secretary records their branch's nomination, or that it will not nominate."""
    e = get_object_or_404(Election, pk=pk)
    body = get_object_or_404(Unit, pk=request.POST.get("body") or 0)
    choice = request.POST.get("candidate", "")
    candidate = None if choice == "none" else e.candidates.filter(pk=choice or 0).first()
    if choice != "none" and candidate is None:
        messages.error(request, "Choose a candidate, or that the branch decided not to nominate.")
        return redirect("elections:detail", pk=pk)
    try:
        actions.record_nomination(e, body=body, candidate=candidate, by=request.user)
        messages.success(request, f"Recorded {body}'s decision.")
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("elections:detail", pk=pk)


@login_required
def candidate_consent(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """The candidate consents to stand and writes their statement (before voting opens)."""
    e = get_object_or_404(Election, pk=pk)
    c = get_object_or_404(e.candidates, pk=cid)
    ctx: dict[str, Any] = {"e": e, "c": c, "statement": c.statement}
    if request.method == "POST" and _body_size(request) > MAX_BYTES + 1_048_576:
        # refused before Django reads the body: a huge upload never reaches the disk
        ctx["photo_error"] = f"The photo is larger than {MAX_BYTES // 1_048_576} MB"
        return render(request, "elections/consent.html", ctx, status=413)
    if request.method == "POST":
        statement = request.POST.get("statement", "").strip()
        ctx["statement"] = statement  # kept in the form if the photo is refused
        upload = request.FILES.get("photo")
        try:
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
                by=request.user,
            )
            messages.success(request, f"{c.name} consents to stand; the statement is saved.")
            return redirect("elections:detail", pk=pk)
        except PhotoError as exc:
            ctx["photo_error"] = str(exc)
            return render(request, "elections/consent.html", ctx, status=400)
        except (actions.ActionRefused, PermissionDenied) as exc:
            messages.error(request, str(exc) or "Only the candidate or the returning officer may.")
    return render(request, "elections/consent.html", ctx)


def _body_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def candidate_photo(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """A candidate's photo, public like their statement; cached by its content hash."""
    c = get_object_or_404(Candidate, election_id=pk, pk=cid, photo__isnull=False)
    data = bytes(c.photo)
    etag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
    if request.headers.get("If-None-Match") == etag:
        resp = HttpResponse(status=304)
    else:
        resp = HttpResponse(data, content_type="image/jpeg")
    resp["ETag"] = etag
    resp["Cache-Control"] = "public, max-age=300"
    return resp


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
    ctx: dict[str, Any] = {
        "e": e,
        "rows": [(n, fields[n], values[n], photos.get(n)) for n in order],
        "token": token,
    }
    if request.method != "POST":
        return render(request, "elections/ballot.html", ctx)
    parsed = parse_ranks(order, values)
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


def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The HTML report, the published files, the roll fingerprint and turnout."""
    e = get_object_or_404(Election, pk=pk)
    if e.state != "published":
        raise Http404("this election's result is not published yet")
    meta = json.loads(e.publication.files["election.json"])
    ctx = {
        "e": e,
        "report": mark_safe(e.publication.report_html),
        "css": mark_safe(report_css()),
        "plotly": mark_safe(plotly_js()),
        "meta": meta,
        "files": FILES,
    }
    return render(request, "elections/results.html", ctx)


def _published(pk: int) -> Election:
    e = get_object_or_404(Election, pk=pk)
    if e.state != "published":
        raise Http404("this election's result is not published yet")
    return e


def published_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One published file, as text."""
    e = _published(pk)
    if name not in FILES:
        raise Http404(f"no published file called {name}")
    ctype = "application/json" if name.endswith(".json") else "text/plain"
    resp = HttpResponse(e.publication.files[name], content_type=f"{ctype}; charset=utf-8")
    resp["Content-Disposition"] = f'inline; filename="{name}"'
    return resp


def bundle_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """Every published file in one zip, ready for ``grassroots verify``."""
    e = _published(pk)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in FILES:
            z.writestr(name, e.publication.files[name])
    resp = HttpResponse(buf.getvalue(), content_type="application/zip")
    resp["Content-Disposition"] = f'attachment; filename="election-{e.pk}.zip"'
    return resp


def _summary(e: Election, request: HttpRequest) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": e.pk,
        "title": e.title,
        "seats": e.seats,
        "rule": e.rule,
        "state": e.state,
        "voting_open": e.voting_open.isoformat(),
        "voting_close": e.voting_close.isoformat(),
        "url": request.build_absolute_uri(reverse("elections:api_election", args=[e.pk])),
    }
    return out


def api_elections(request: HttpRequest) -> JsonResponse:
    """GET /api/elections: every election, summarised."""
    return JsonResponse({"elections": [_summary(e, request) for e in Election.objects.all()]})


def api_election(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/elections/{id}: summary, turnout, and once published the result and file links."""
    e = get_object_or_404(Election, pk=pk)
    out = _summary(e, request)
    out["candidates"] = e.ballot
    standing = e.candidates.filter(consented=True, withdrawn=False)
    out["profiles"] = [
        {
            "name": c.name,
            "statement": c.statement,
            "photo": request.build_absolute_uri(reverse("elections:photo", args=[e.pk, c.pk]))
            if c.has_photo
            else None,
        }
        for c in standing.annotate(has_photo=Q(photo__isnull=False)).defer("photo")
    ]
    if e.state != "draft":
        out["roll"] = {"size": e.roll_size, "fingerprint": e.roll_fingerprint}
        out["turnout"] = actions.turnout(e)
    if e.state == "published":
        out["result"] = json.loads(e.publication.files["result.json"])
        out["files"] = {
            n: request.build_absolute_uri(reverse("elections:file", args=[e.pk, n])) for n in FILES
        }
    return JsonResponse(out)


def api_receipt(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/elections/{id}/receipts/{hash}: whether a receipt hash is among the counted."""
    e = _published(pk)
    h = request.GET.get("hash", "")
    if len(h) != 64:
        return JsonResponse(
            {"error": "give ?hash= the 64-character sha256 of your receipt"}, status=400
        )
    return JsonResponse({"hash": h, "counted": h in e.publication.files["receipts.txt"].split()})


def openapi(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3.1 description of the JSON API."""
    return JsonResponse(OPENAPI)
