"""A mail backend for tests that run a worker in another process: each message a file in
GRASSROOTS_TEST_MAIL_DIR. With GRASSROOTS_TEST_MAIL_HOLD_AT=k, the k-th message waits before
it is written (a file "holding" says so): the test kills the worker there, mid-run."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, messages: Any) -> int:
        folder = Path(os.environ["GRASSROOTS_TEST_MAIL_DIR"])
        hold = int(os.environ.get("GRASSROOTS_TEST_MAIL_HOLD_AT", "0"))
        for m in messages:
            if hold and len(list(folder.glob("*.eml"))) + 1 == hold:
                (folder / "holding").write_text(m.to[0])
                time.sleep(600)  # until the test kills this worker
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(m.message().as_bytes())
        return len(messages)
