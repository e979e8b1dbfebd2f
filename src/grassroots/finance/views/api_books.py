"""Published accounts as JSON (described in finance/api_books_schema.py, /api/openapi.json)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from grassroots.finance.accounts_files import load
from grassroots.finance.decisions import minute_of
from grassroots.finance.models import PublishedAccounts
from grassroots.members.models import Unit


def api_unit_accounts(request: HttpRequest, code: str) -> JsonResponse:
    unit = get_object_or_404(Unit, code=code)
    published = PublishedAccounts.objects.filter(unit=unit, state="published").order_by("-end")
    return JsonResponse(
        {
            "unit": unit.code,
            "accounts": [
                {
                    "id": a.pk,
                    "start": a.start.isoformat(),
                    "end": a.end.isoformat(),
                    "sha256": a.sha256,
                    "url": request.build_absolute_uri(reverse("finance:api_accounts", args=[a.pk])),
                }
                for a in published
            ],
        }
    )


def api_accounts(request: HttpRequest, pk: int) -> JsonResponse:
    acc = get_object_or_404(PublishedAccounts.objects.select_related("unit"), pk=pk)
    if acc.state != "published" or acc.decision is None or acc.approved_at is None:
        raise Http404("no such published accounts")
    vote = acc.decision
    minute = minute_of(vote)
    url = request.build_absolute_uri
    code = acc.unit.code
    return JsonResponse(
        {
            "id": acc.pk,
            "unit": code,
            "sha256": acc.sha256,
            "content": load(acc.content),
            "signed_off": [
                {"signed_at": s.signed_at.isoformat()} for s in acc.signoffs.order_by("signed_at")
            ],
            "approved_at": acc.approved_at.isoformat(),
            "approved_by": {
                "question": vote.question,
                "meeting": vote.meeting_id,
                "meeting_url": url(reverse("meetings:detail", args=[vote.meeting_id])),
                "minutes_url": url(reverse("meetings:minutes", args=[vote.meeting_id]))
                if minute
                else None,
            },
            "csv": url(reverse("finance:accounts_csv", kwargs={"code": code, "pk": acc.pk})),
            "pdf": url(reverse("finance:accounts_pdf", kwargs={"code": code, "pk": acc.pk})),
        }
    )
