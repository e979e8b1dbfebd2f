"""Shared by the books' views: finding the unit and refusing in words."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from grassroots.finance.models import Books
from grassroots.members.models import Unit
from grassroots.members.permissions import can

WHAT = {
    "keep_books": "only its treasurer keeps {unit}'s books",
    "approve_spending": "only {unit}'s officers approve its spending",
    "view_books": "only {unit}'s officers, auditors and executive members see its books",
    "audit_accounts": "only {unit}'s auditors sign off its accounts",
}


def unit_for(request: HttpRequest, code: str, perm: str | None = None) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    if perm is not None and not can(request.user, perm, unit):
        raise PermissionDenied(WHAT[perm].format(unit=unit.name))
    return unit


def books_of(unit: Unit) -> Books | None:
    return Books.objects.filter(unit=unit).first()
