"""What the site's navigation offers this person: only the places they may use."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from grassroots.members.permissions import holds_any
from grassroots.members.requester import member_of


def _nav(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    if not user.is_authenticated:
        return {"standing": False, "registers": False}
    return {
        # my standing is a membership record's page
        "standing": member_of(user) is not None,
        # the registers page lists units whose register, delegates or occasions one may see
        "registers": holds_any(
            user, ("view_register", "view_delegates", "view_eligibility", "manage_units")
        ),
    }


def nav(request: HttpRequest) -> dict[str, object]:
    """``nav.standing``, ``nav.registers``: asked of the database only when a page shows them."""
    return {"nav": SimpleLazyObject(lambda: _nav(request))}
