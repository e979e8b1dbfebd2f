"""A strict Content-Security-Policy on the pages that run script: this site's own files only.

Django 5.2 has no CSP support of its own. The ballot page runs one static script
(``elections/ballot.js``), the receipt page another (``elections/receipt.js``); the policy
forbids inline script and style and anything from another origin, so injected markup on the
pages where members vote and check their receipt could neither run nor send anything away.
Pages that embed inline script (the results page's report) are not listed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

__all__ = ["STRICT_POLICY", "STRICT_VIEWS", "StrictCSPMiddleware"]

STRICT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# URL names (``namespace:name``) whose responses carry the policy
STRICT_VIEWS = frozenset({"elections:vote", "elections:receipt_email", "elections:check"})


class StrictCSPMiddleware:
    """Adds ``STRICT_POLICY`` to responses of the views in ``STRICT_VIEWS`` that set none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and match.view_name in STRICT_VIEWS:
            response.setdefault("Content-Security-Policy", STRICT_POLICY)
        return response
