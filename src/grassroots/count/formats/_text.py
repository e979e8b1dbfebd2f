"""Reading ballot files as text: UTF-8 (with or without a byte-order mark) and line splitting.

Shared by the readers so every one of them reports undecodable bytes the same way, naming the
line, and splits lines only at CR, LF or CRLF (never at the other code points
``str.splitlines`` treats as line breaks, which may legitimately appear inside a name).
"""

from __future__ import annotations

import re
from pathlib import Path

from grassroots.count.errors import BallotFileError

__all__ = ["decode", "read_bytes", "read_text", "split_lines"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def decode(raw: bytes, source: str) -> str:
    """UTF-8 text from bytes, dropping a leading byte-order mark."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BallotFileError(
            source, line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})"
        ) from None


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a ballot file, or ``BallotFileError`` saying why it cannot be read."""
    p = Path(path)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise BallotFileError(str(p), None, f"cannot read the file: {exc.strerror}") from None


def read_text(path: str | Path) -> str:
    """The text of a ballot file, or ``BallotFileError`` saying why it cannot be read."""
    return decode(read_bytes(path), str(path))


def split_lines(text: str) -> list[str]:
    """Lines split at CR, LF and CRLF only; a final line break ends the last line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
