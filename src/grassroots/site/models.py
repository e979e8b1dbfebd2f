"""The site's own table: the one-time form tokens already spent (``site/once.py``)."""

from __future__ import annotations

from django.db import models


class SentForm(models.Model):
    """A form's one-time token whose action succeeded. The unique token is what makes two
    sendings of one form at the same instant record once: the second insert waits for the
    first's transaction and fails if it committed. Holds a random token and a time, nothing
    about who sent it or what was recorded."""

    token = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"form sent at {self.sent_at:%Y-%m-%d %H:%M}"
