"""Fixtures for the meeting tests: the web tests' organisation, with bodies that meet."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import Org, _org
from tests.web.conftest import _fast_passwords as _fast_passwords  # autouse fixture reused


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def org(db: None) -> Org:
    return _org()
