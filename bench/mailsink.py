"""A mail backend for the mail-out benchmarks: each message handed over is one line, its
recipient and Message-ID, appended to the file GRASSROOTS_BENCH_MAIL_LOG (one ``write`` per
message, so a line is on disk, in the kernel's care, once the call returns: a worker killed
with SIGKILL loses none). With GRASSROOTS_BENCH_MAIL_HOLD_AT=k the k-th message this process
hands over waits, a file ``<log>.holding`` saying so, until the benchmark kills the worker.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    handed_over = 0  # by this process

    def send_messages(self, messages: Any) -> int:
        path = os.environ["GRASSROOTS_BENCH_MAIL_LOG"]
        hold = int(os.environ.get("GRASSROOTS_BENCH_MAIL_HOLD_AT", "0"))
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            for m in messages:
                EmailBackend.handed_over += 1
                if hold and EmailBackend.handed_over == hold:
                    with open(path + ".holding", "w", encoding="utf-8") as fh:
                        fh.write(m.to[0])
                    time.sleep(3600)  # until the benchmark kills this worker
                m.message()  # the message as it would go over the wire (headers, body, MIME)
                line = f"{m.to[0]}\t{m.extra_headers.get('Message-ID', '')}\n"
                os.write(fd, line.encode())
        finally:
            os.close(fd)
        return len(messages)
