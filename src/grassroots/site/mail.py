"""The e-mail backend outside the demo when no mail server is configured: nothing is sent.

It logs one warning per batch saying how many messages were not sent and why, and never
their text: a password-reset message holds a sign-in link, a receipt message the voter's
receipt code. Set ``GRASSROOTS_EMAIL_HOST`` (docs/deploy.md) to send mail.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

__all__ = ["UnconfiguredBackend"]

logger = logging.getLogger(__name__)


class UnconfiguredBackend(BaseEmailBackend):
    """Sends nothing; logs that messages were dropped, without their contents."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if email_messages:
            logger.warning(
                "%d e-mail message(s) not sent: no mail server is configured "
                "(set GRASSROOTS_EMAIL_HOST; see docs/deploy.md)",
                len(email_messages),
            )
        return 0
