"""Where the full shared data sets live, and skipping cleanly when they are absent.

Tests that read all of ``../shared/data`` use ``SHARED_DATA`` (overridable with
``GRASSROOTS_SHARED_DATA``) to build their parameters at collection time and call
``require_shared`` so that a checkout without ``../shared`` skips them with a clear message
instead of failing. Small vendored subsets in ``tests/data`` keep the suite meaningful there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = REPO / "tests" / "data"
SHARED_DATA = Path(os.environ.get("GRASSROOTS_SHARED_DATA", REPO.parent / "shared" / "data"))


def shared_available() -> bool:
    """Whether ``../shared/data`` is beside the checkout."""
    return (SHARED_DATA / "elections").is_dir()


def require_shared(*parts: str) -> Path:
    """The path under ``../shared/data``, or skip the test saying what is missing.

    With ``GRASSROOTS_REQUIRE_SHARED=1`` (set by CI) a missing path fails instead of skipping.
    """
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        message = f"{path} is absent: the full shared data sets are not beside this checkout"
        if os.environ.get("GRASSROOTS_REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path
