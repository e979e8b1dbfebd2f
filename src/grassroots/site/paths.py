"""Where grassroots keeps its files, decided without importing Django."""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """``GRASSROOTS_DATA_DIR``, else the checkout's var/, else the user's data directory."""
    if os.environ.get("GRASSROOTS_DATA_DIR"):
        return Path(os.environ["GRASSROOTS_DATA_DIR"])
    if (_REPO / "pyproject.toml").is_file():
        return _REPO / "var"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "grassroots"


# the result report's own static files (its stylesheet), served by the web app as report/…
REPORT_STATIC = Path(__file__).resolve().parents[1] / "count" / "report" / "static"
