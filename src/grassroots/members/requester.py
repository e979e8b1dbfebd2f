"""The person behind a request: their roles and membership record, read once per request.

``RequesterMiddleware`` (after Django's ``AuthenticationMiddleware``) marks the request's own
user object so that its roles (``permissions.held_roles``) and its membership record
(``member_of``) are each read from the database at most once while the request is answered:
the second-factor check, the view's permission checks and the navigation of the page all
use the same reading. The user object lives for one request, so nothing outlives it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.middleware import get_user
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from grassroots.members.models import Member
from grassroots.members.permissions import remember_roles

__all__ = ["RequesterMiddleware", "member_of", "remember_member"]

User = AbstractBaseUser | AnonymousUser

_MEMO = "_grassroots_member"


def member_of(user: User) -> Member | None:
    """The membership record linked to ``user`` (``None`` if none, or not signed in)."""
    if not user.is_authenticated:
        return None
    memo: list[Member | None] | None = getattr(user, _MEMO, None)
    if memo:
        return memo[0]
    member = Member.objects.filter(user_id=user.pk).first()
    if memo is not None:
        memo.append(member)
    return member


def remember_member(user: User, member: Member | None) -> None:
    """Record ``member`` as the request user's record, read by the caller (with more of its
    own columns); ``member_of`` then answers from it. No effect on another user object."""
    memo: list[Member | None] | None = getattr(user, _MEMO, None)
    if memo is not None:
        memo[:] = [member]


class RequesterMiddleware:
    """Marks the request's user to keep its roles and membership record once read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Still lazy: a request that never asks who is signed in (a live page's "no change"
        # poll) reads neither the session nor the user.
        request.user = SimpleLazyObject(lambda: _marked(get_user(request)))  # type: ignore[assignment]
        return self.get_response(request)


def _marked(user: User) -> User:
    if user.is_authenticated:
        remember_roles(user)
        setattr(user, _MEMO, [])
    return user
