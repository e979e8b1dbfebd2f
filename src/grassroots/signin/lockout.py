"""What django-axes counts a failed sign-in against: the account named, however it was named."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def username_tried(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The username or e-mail address the person typed (allauth passes either), lower-cased
    so that "Ann" and "ann" share one count."""
    creds = credentials or {}
    tried = creds.get("username") or creds.get("email") or creds.get("login")
    if not tried and request is not None and request.method == "POST":
        tried = request.POST.get("login") or request.POST.get("username")
    return str(tried).strip().lower() if tried else None
