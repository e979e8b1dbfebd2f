"""Register uploads waiting between the import report and the user's confirmation.

A staged file is named by a random token kept in the uploader's session. It is removed when
the import it holds is confirmed (or refused, so the user uploads again), and once it is older
than ``IMPORT_STAGING_MAX_AGE_HOURS`` it counts as abandoned: every new upload sweeps those
first, and ``python -m django sweep_imports`` does the same from cron on a quiet site.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings

__all__ = ["discard", "folder", "load", "stage", "sweep"]


def folder() -> Path:
    d = Path(settings.IMPORT_STAGING_DIR)
    d.mkdir(parents=True, exist_ok=True)
    return d


def _path(token: str) -> Path | None:
    if not (token.isascii() and token.isalnum()):
        return None  # a token is a uuid4's hex digits: never a path of its own
    return folder() / f"{token}.csv"


def sweep(*, now: float | None = None) -> int:
    """Remove staged files older than the configured age; return how many went."""
    cutoff = (
        now if now is not None else time.time()
    ) - settings.IMPORT_STAGING_MAX_AGE_HOURS * 3600
    removed = 0
    for f in folder().glob("*.csv"):
        try:
            if f.stat().st_mtime < cutoff:
                f.unlink()
                removed += 1
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


def discard(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)
