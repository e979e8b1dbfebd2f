"""Reading the settings' environment variables strictly, so a typo never weakens a deployment.

The settings run in one of two modes. **The demo** (``GRASSROOTS_DEMO=1``: set by
``grassroots demo`` and by the test suite) is one machine over plain HTTP: a fixed
development key, mail printed to the console. **Everything else is production** and fails
closed: no secret key unless ``GRASSROOTS_SECRET_KEY`` gives one, HTTPS only (redirect, HSTS,
secure cookies) unless switched off by name, and mail that is never written to the log.
docs/deploy.md lists every variable.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

__all__ = ["DEMO_SECRET_KEY", "flag", "mail_backend", "secret_key", "whole_number"]

# Known to everyone, so only ever used in the demo (and refused anywhere else).
DEMO_SECRET_KEY = "demo-only-not-secret-2f7c1a9e4b6d8e0f3a5c7b9d1e3f5a7c"

# Backends that write whole messages (sign-in links, receipt codes) where operators read them.
_LOGGING_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
)
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
UNCONFIGURED_BACKEND = "grassroots.site.mail.UnconfiguredBackend"


def flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """``1`` or ``0`` (unset: ``default``); anything else is refused, naming the variable."""
    value = env.get(name, "").strip()
    if not value:
        return default
    if value not in ("0", "1"):
        raise ImproperlyConfigured(f"{name} must be 1 or 0, found {value!r}")
    return value == "1"


def whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 0 (unset: ``default``); anything else is refused."""
    value = env.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(f"{name} must be a whole number, found {value!r}")
    return int(value)


def secret_key(env: Mapping[str, str], demo: bool) -> str:
    """The key from ``GRASSROOTS_SECRET_KEY``; in the demo a fixed one; else empty.

    Empty fails closed: Django refuses to sign anything with it, ``check --deploy`` reports
    ``grassroots_site.E001``, and neither the WSGI application nor ``grassroots serve`` will
    start (``site/checks.py``).
    """
    key = env.get("GRASSROOTS_SECRET_KEY", "")
    if key:
        return key
    return DEMO_SECRET_KEY if demo else ""


def mail_backend(env: Mapping[str, str], demo: bool) -> str:
    """The e-mail backend: named, or SMTP when a host is given; never the console outside
    the demo, where messages (sign-in links, receipt codes) would land in the log."""
    named = env.get("GRASSROOTS_EMAIL_BACKEND", "").strip()
    if named:
        if named in _LOGGING_BACKENDS and not demo:
            raise ImproperlyConfigured(
                f"GRASSROOTS_EMAIL_BACKEND={named} writes every message, with its sign-in "
                "link or receipt code, where operators read it: only the demo may use it "
                "(set GRASSROOTS_EMAIL_HOST for SMTP)"
            )
        return named
    if env.get("GRASSROOTS_EMAIL_HOST", "").strip():
        return SMTP_BACKEND
    return "django.core.mail.backends.console.EmailBackend" if demo else UNCONFIGURED_BACKEND
