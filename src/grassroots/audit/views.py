"""The audit log page (entries, and whether the hash chain is intact) and its public checkpoints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
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
    page = seek(request.GET)
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


PAGE_SIZE = 100
BIGGEST_ID = 2**63 - 1


@dataclass(frozen=True)
class LogPage:
    """A page of the log, newest first, and the entries the pages beside it start from."""

    entries: list[AuditEntry]
    newer: int | None  # the next newer page shows entries after this number
    older: int | None  # the next older page shows entries before this number
    problem: str


def _entry_number(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


def seek(params: Mapping[str, str], size: int | None = None) -> LogPage:
    """The entries before (older than) ``params["before"]`` or after (newer than)
    ``params["after"]``, or the newest: read along the entries' numbers from that place, so
    that a page deep in a log of millions costs what the first does (OFFSET read and threw
    away every entry before it)."""
    size = size or PAGE_SIZE
    before, after = params.get("before", ""), params.get("after", "")
    problem = ""
    entries = AuditEntry.objects.all()
    if after:
        number = _entry_number(after)
        if number is not None:
            rows = list(entries.filter(id__gt=number).order_by("id")[: size + 1])
            more = len(rows) > size
            rows = rows[:size][::-1]
            if rows:
                older = rows[-1].id if entries.filter(id__lt=rows[-1].id).exists() else None
                return LogPage(rows, rows[0].id if more else None, older, "")
            # nothing newer: the newest page
        else:
            problem = f"“{after[:40]}” is not an entry number: these are the newest entries."
    elif before:
        number = _entry_number(before)
        if number is not None:
            rows = list(entries.filter(id__lt=number).order_by("-id")[: size + 1])
            more = len(rows) > size
            rows = rows[:size]
            if rows:
                newer = rows[0].id if entries.filter(id__gt=rows[0].id).exists() else None
                return LogPage(rows, newer, rows[-1].id if more else None, "")
            # nothing older: the newest page
        else:
            problem = f"“{before[:40]}” is not an entry number: these are the newest entries."
    rows = list(entries.order_by("-id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return LogPage(rows, None, rows[-1].id if more else None, problem)


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
