"""Published results, their files and bundle, and the JSON API with its OpenAPI document."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from grassroots.elections import actions, receipt_check
from grassroots.elections.api_schema import OPENAPI
from grassroots.elections.models import Election
from grassroots.elections.publish import FILES


def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The HTML report, the published files, the roll fingerprint and turnout."""
    e = get_object_or_404(Election, pk=pk)
    if e.state != "published":
        raise Http404("this election's result is not published yet")
    meta = json.loads(e.publication.files["election.json"])
    ctx = {
        "e": e,
        # the report with its charts as SVG; its stylesheet is a static file (report/report.css)
        "report": mark_safe(e.publication.report_html),
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
    return JsonResponse(
        {"elections": [_summary(e, request) for e in Election.objects.visible_to(request.user)]}
    )


def api_election(request: HttpRequest, pk: int) -> JsonResponse:
    """GET /api/elections/{id}: summary, turnout, and once published the result and file links."""
    e = get_object_or_404(Election.objects.visible_to(request.user), pk=pk)
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


@csrf_exempt  # answers from the body alone: no session is read, nothing is changed
@never_cache
def api_receipt(request: HttpRequest, pk: int) -> JsonResponse:
    """POST /api/elections/{id}/receipt: a receipt's state, and its ranking for its code.

    The body is JSON: ``{"code": "…"}`` (the holder of the code also gets the ranking recorded
    for it) or ``{"hash": "…"}`` (the public hash: recorded and counted only). A code is never
    read from the URL.
    """
    e = get_object_or_404(Election, pk=pk)
    if request.method != "POST":
        return JsonResponse(
            {
                "error": 'POST the receipt as JSON, {"code": "…"} or {"hash": "…"}; '
                "a receipt code is never read from a URL"
            },
            status=405,
            headers={"Allow": "POST"},
        )
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"error": 'the body must be a JSON object: {"code": "…"}'}, status=400)
    code, h = body.get("code"), body.get("hash")
    if isinstance(code, str) and code.strip():
        check = receipt_check.by_code(e, code)
    elif isinstance(h, str) and len(h) == 64 and all(c in "0123456789abcdef" for c in h):
        check = receipt_check.by_hash(e, h)
    else:
        return JsonResponse(
            {
                "error": 'give {"code": "XXXX-XXXX-XXXX-XXXX"} or the receipt\'s 64-character '
                'sha256 as {"hash": "…"}'
            },
            status=400,
        )
    out: dict[str, Any] = {
        "hash": check.hash,
        "recorded": check.recorded,
        "counted": check.counted,
    }
    if check.ranking is not None:
        out["ranking"] = list(check.ranking)
    return JsonResponse(out)


def openapi(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3.1 description of the JSON API."""
    return JsonResponse(OPENAPI)
