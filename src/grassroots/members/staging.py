"""Register uploads waiting between the import report and the user's confirmation.

A staged file is named by a random token kept in the uploader's session (or, for a file
checked by a job, in the job); a check job's report waits beside it (``<token>.report.json``).
Both are removed when the import it holds is done (or refused, or cancelled), and once older
than ``IMPORT_STAGING_MAX_AGE_HOURS`` they count as abandoned: every new upload sweeps those
first, and ``python -m django sweep_imports`` does the same from cron on a quiet site.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings

__all__ = [
    "count_lines",
    "discard",
    "exists",
    "folder",
    "load",
    "load_report",
    "open_text",
    "stage",
    "stage_report",
    "sweep",
]


def folder() -> Path:
    d = Path(settings.IMPORT_STAGING_DIR)
    d.mkdir(parents=True, exist_ok=True)
    return d


def _path(token: str, suffix: str = ".csv") -> Path | None:
    if not (token.isascii() and token.isalnum()):
        return None  # a token is a uuid4's hex digits: never a path of its own
    return folder() / f"{token}{suffix}"


REPORT = ".report.json"


def sweep(*, now: float | None = None) -> int:
    """Remove staged files older than the configured age; return how many went."""
    cutoff = (
        now if now is not None else time.time()
    ) - settings.IMPORT_STAGING_MAX_AGE_HOURS * 3600
    removed = 0
    for f in [*folder().glob("*.csv"), *folder().glob(f"*{REPORT}")]:
        try:
            if f.stat().st_mtime < cutoff:
                f.unlink()
                removed += f.suffix == ".csv"  # a report goes with its upload
        except FileNotFoundError:  # swept by another worker meanwhile
            continue
    return removed


def stage(token: str, raw: bytes) -> None:
    """Keep ``raw`` under ``token``, sweeping abandoned files first."""
    sweep()
    path = _path(token)
    assert path is not None
    path.write_bytes(raw)


def load(token: str) -> bytes | None:
    """The staged file's bytes, or None if there is none (expired, swept, never staged)."""
    path = _path(token)
    try:
        return path.read_bytes() if path is not None else None
    except FileNotFoundError:
        return None


def exists(token: str) -> bool:
    """Whether a file is staged under ``token`` (without reading it)."""
    path = _path(token)
    return path is not None and path.is_file()


def open_text(token: str) -> TextIO | None:
    """The staged file opened as text, read line by line as ``io.StringIO`` of the decoded
    bytes would give them (a job reads 500,000 rows without holding the whole file), or None."""
    path = _path(token)
    try:
        return open(path, encoding="utf-8-sig", newline="\n") if path is not None else None
    except FileNotFoundError:
        return None


def count_lines(token: str) -> int | None:
    """How many line ends the staged file has (read in pieces), or None if it is gone."""
    path = _path(token)
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    except FileNotFoundError:
        return None


def discard(token: str) -> None:
    """Remove the staged file and its report, if any."""
    for suffix in (".csv", REPORT):
        path = _path(token, suffix)
        if path is not None:
            path.unlink(missing_ok=True)


def stage_report(token: str, report: dict[str, Any]) -> None:
    """Keep a check job's report beside the staged file it describes."""
    path = _path(token, REPORT)
    assert path is not None
    path.write_text(json.dumps(report), encoding="utf-8")


def load_report(token: str) -> dict[str, Any] | None:
    """The report kept for ``token``, or None (not checked yet, expired, discarded)."""
    path = _path(token, REPORT)
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path is not None else None
    except FileNotFoundError:
        return None
