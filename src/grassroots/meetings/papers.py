"""What a meeting paper may be: its kind told from its first bytes, never from its name alone.

Pure: takes the upload's name and bytes, returns the cleaned name, the media type, the size and
the SHA-256 that the published record carries, or refuses with the reason. Accepted kinds are
the ones papers come in: PDF, office documents (OOXML and OpenDocument, both zip containers,
and the older OLE2 formats), plain text, and PNG or JPEG images.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["KINDS", "MAX_BYTES", "PaperError", "PaperFile", "check_paper"]

MAX_BYTES = 25 * 1024 * 1024  # a long PDF with scans; anything larger belongs elsewhere

# extension: (media type, the first bytes such a file starts with, or None to check as text)
KINDS: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (b"PK\x03\x04",),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    "odp": ("application/vnd.oasis.opendocument.presentation", (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": ("text/plain; charset=utf-8", None),
}


class PaperError(ValueError):
    """The upload cannot be published as a paper; the message names the file and the problem."""


@dataclass(frozen=True)
class PaperFile:
    filename: str
    content_type: str
    size: int
    sha256: str


def _clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKC", base)
    base = re.sub(r"[^\w.\- ]+", "", base).strip(" .")
    return base[:150] or "paper"


def check_paper(name: str, data: bytes) -> PaperFile:
    """Check an uploaded paper and describe it, or raise ``PaperError`` saying why not."""
    filename = _clean_name(name)
    shown = filename if filename != "paper" else repr(name)
    if not data:
        raise PaperError(f"{shown}: the file is empty")
    if len(data) > MAX_BYTES:
        raise PaperError(
            f"{shown}: {len(data) / 1048576:.1f} MB is over the {MAX_BYTES // 1048576} MB limit"
        )
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in KINDS:
        allowed = ", ".join(sorted({k.upper() for k in KINDS if k != "jpeg"}))
        raise PaperError(f"{shown}: papers must be one of {allowed}")
    media, magic = KINDS[ext]
    if magic is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PaperError(f"{shown}: not UTF-8 text (byte {exc.start})") from None
    elif not any(data.startswith(m) for m in magic):
        raise PaperError(f"{shown}: the contents are not a {ext.upper()} file")
    return PaperFile(filename, media, len(data), hashlib.sha256(data).hexdigest())
