"""What django-axes counts a failed sign-in against: the account named, however it was named."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def username_tried(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The username or e-mail address the person typed (allauth passes either), lower-cased
    so that "Ann" and "ann" share one count."""
    creds = credentials or {}
    tried = creds.get("username") or creds.get("email") or creds.get("login")
    if not tried and request is not None and request.method == "POST":
        tried = request.POST.get("login") or request.POST.get("username")
    return str(tried).strip().lower() if tried else None


def client_address(request: HttpRequest) -> str | None:
    """The address a sign-in came from. Behind a reverse proxy (``GRASSROOTS_BEHIND_PROXY=1``)
    every connection comes from the proxy, so the address is the last one in
    ``X-Forwarded-For``: the one the proxy itself added (earlier ones the client may have
    written). Otherwise the connection's own."""
    if settings.GRASSROOTS_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
