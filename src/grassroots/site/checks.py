"""Start-up checks that keep a production site from running on a key anyone knows.

``grassroots_site.E001``/``E002`` are deployment checks (``manage.py check --deploy`` fails
on them); ``refuse_unsafe_start`` raises the same problems when the WSGI application is
created and when ``grassroots serve`` starts, so neither serves a request. (They are not
ordinary system checks: ``makemigrations`` must run without any key.)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from grassroots.site.environment import DEMO_SECRET_KEY

__all__ = ["refuse_unsafe_start", "secret_key_problems"]

_HINT = (
    'set GRASSROOTS_SECRET_KEY to a long random value, e.g. from python -c "import secrets; '
    'print(secrets.token_urlsafe(50))"; see docs/deploy.md'
)


def secret_key_problems() -> list[tuple[str, str]]:
    """(check id, problem) for each way the secret key is unsafe here."""
    if settings.GRASSROOTS_DEMO:
        return []
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own refusal of an empty key
        key = ""
    if not key:
        return [("grassroots_site.E001", "GRASSROOTS_SECRET_KEY is not set")]
    if key == DEMO_SECRET_KEY:
        return [
            ("grassroots_site.E002", "GRASSROOTS_SECRET_KEY is the demo's published key"),
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The system check form of ``secret_key_problems``."""
    return [checks.Error(problem, hint=_HINT, id=ident) for ident, problem in secret_key_problems()]


def refuse_unsafe_start() -> None:
    """Raise ImproperlyConfigured, naming the problem, if the site must not start."""
    problems = secret_key_problems()
    if problems:
        raise ImproperlyConfigured("; ".join(problem for _, problem in problems) + f" ({_HINT})")
