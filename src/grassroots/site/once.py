"""One record per form shown: a form sent twice (a double click, the back button and send
again) records once, and the second sending is told so in words.

Each such form carries a hidden one-time token, kept in the session when the form is shown
and spent when the form's action succeeds. A sending whose token is not (or no longer) in
the session is refused before the action runs; a sending without a token (a script rather
than the page's form) is not refused.

Two sendings at the same instant both find the token in the session (each request reads it
before the other saves it), so the session alone cannot tell them apart. The action therefore
runs inside ``sending``, which first inserts the token into ``SentForm`` in the action's own
transaction: the second insert waits for the first transaction and fails once it commits, and
a refused action rolls its token back, leaving the form free to be sent again.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from grassroots.site.models import SentForm

__all__ = ["ALREADY_SENT", "AlreadySent", "add_token", "sending", "spend", "still_open"]

KEY = "once_tokens"
FIELD = "once"
KEPT = 50  # the newest tokens kept: forms open in other tabs still send
ALREADY_SENT = (
    "This form was already sent (or is out of date): check what was recorded, then fill the "
    "form in again if something is still missing."
)


def add_token(form: forms.Form, request: HttpRequest) -> None:
    """Give ``form`` its hidden token: a new one when the form is shown or shown again."""
    form.fields[FIELD] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    token = secrets.token_urlsafe(16)
    tokens = [*list(request.session.get(KEY, []))[-(KEPT - 1) :], token]
    request.session[KEY] = tokens
    if form.is_bound:
        form.data = form.data.copy()
        form.data[form.add_prefix(FIELD)] = token  # shown again, it may be sent once more
    else:
        form.initial[FIELD] = token


def still_open(request: HttpRequest, token: str) -> bool:
    """Whether ``token`` was given with a form shown and not yet spent. A sending without one
    (a script, not the page's form) is let through: only the page's form is sent twice."""
    return not token or token in request.session.get(KEY, [])


class AlreadySent(Exception):
    """The same form's action already succeeded (perhaps a moment ago, in another request)."""


@contextmanager
def sending(request: HttpRequest, token: str) -> Iterator[None]:
    """Run the form's action inside this block: it commits with the token spent, or not at
    all. Raises ``AlreadySent`` before the action runs if the token was spent already."""
    if not token:  # a script, not the page's form: nothing to send twice
        yield
        return
    with transaction.atomic():
        now = timezone.now()
        try:
            with transaction.atomic():  # a savepoint: the refusal leaves the transaction usable
                SentForm.objects.create(token=token, sent_at=now)
        except IntegrityError:
            raise AlreadySent(ALREADY_SENT) from None
        yield
        # a token outlives its session at most: older ones could never be sent again
        forgotten = now - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        SentForm.objects.filter(sent_at__lt=forgotten).delete()
    spend(request, token)


def spend(request: HttpRequest, token: str) -> None:
    """The form's action succeeded: the same sending again is refused."""
    request.session[KEY] = [t for t in request.session.get(KEY, []) if t != token]
