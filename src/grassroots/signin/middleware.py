"""Officers whose roles see personal data set up a second factor before anything else.

A person holding a role that may read the register or members' standing (branch secretary,
branch officer, returning officer, executive member, administrator: every role given
``view_register``, ``view_eligibility`` or ``edit_register`` in ``members.permissions``), or a
superuser, and who has neither an authenticator app (TOTP) nor a passkey, is sent to the
authenticator set-up page for any page but signing in and out; every sign-in page explains why
(``allauth/layouts/base.html``).
Members with no such role are never asked. ``GRASSROOTS_OFFICER_MFA=0`` switches it off
(the test suite does, except in the tests of this rule).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from grassroots.members.models import Role
from grassroots.members.permissions import PERMISSIONS, held_roles

__all__ = ["OFFICER_ROLES", "OfficerSecondFactorMiddleware", "needs_second_factor"]

OFFICER_ROLES: frozenset[str] = (
    PERMISSIONS["view_register"] | PERMISSIONS["view_eligibility"] | PERMISSIONS["edit_register"]
)
# signing in, out, setting up the factor, password pages; the site's static files
_OPEN_PREFIXES = ("/accounts/", "/static/")


def needs_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether ``user`` holds an officer role (or is a superuser) and has no second factor."""
    if not user.is_authenticated:
        return False
    held = held_roles(user)  # a request's user: its roles, read once for the whole request
    officer = getattr(user, "is_superuser", False) or (
        any(kind in OFFICER_ROLES for kind, _ in held)
        if held is not None
        else Role.objects.filter(user_id=user.pk, kind__in=OFFICER_ROLES).exists()
    )
    if not officer:
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


class OfficerSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # read by the sign-in pages' layout, which then explains why the set-up is asked for
        needed = settings.GRASSROOTS_OFFICER_MFA and needs_second_factor(request.user)
        request.needs_second_factor = needed  # type: ignore[attr-defined]
        if needed and not request.path.startswith(_OPEN_PREFIXES):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
