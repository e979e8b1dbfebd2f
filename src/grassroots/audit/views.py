"""The audit log page (entries, and whether the hash chain is intact) and its public checkpoints."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.audit.log import head, verify
from grassroots.audit.models import AuditEntry, Checkpoint
from grassroots.members.models import Unit
from grassroots.members.permissions import NotAllowed, require


@login_required
def log(request: HttpRequest) -> HttpResponse:
    """Every entry, newest first; for those who may see the whole organisation's audit log."""
    root = Unit.objects.filter(parent__isnull=True, kind="national").first()
    if root is None:
        raise NotAllowed("there is no organisation yet")
    require(request.user, "view_audit", root)
    page = Paginator(AuditEntry.objects.order_by("-id"), 100).get_page(request.GET.get("page"))
    broken = verify() if request.GET.get("verify") else None
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "verified": bool(request.GET.get("verify")),
            "broken": broken,
            "checkpoints": Checkpoint.objects.count(),
        },
    )


def checkpoints(request: HttpRequest) -> HttpResponse:
    """Public: the chain's head now and every checkpoint published, for anyone to keep."""
    return render(
        request,
        "audit/checkpoints.html",
        {
            "head": head(),
            "latest": AuditEntry.objects.order_by("-id").only("at").first(),
            "published": Checkpoint.objects.order_by("-entry", "-id"),
        },
    )
