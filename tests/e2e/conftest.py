"""Browser tests: Playwright driving the distribution's Chromium against a live server.

No browser is ever downloaded: ``GRASSROOTS_CHROMIUM`` (default ``/usr/bin/chromium``) is used
as it is; without it the tests skip saying so (and CI, with GRASSROOTS_REQUIRE_BROWSER=1, fails).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import Org, _org

# Playwright's sync API keeps an event loop in this thread; the ORM calls in the tests are
# ordinary synchronous ones, so Django's guard against async use does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("GRASSROOTS_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, tmp_path: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


# Module scope: each test module opens and closes its own Playwright, so modules that bring
# their own ``browser`` fixture never find another's event loop still running.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"no chromium browser at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (browser tests)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    pg = ctx.new_page()
    # generous: a hang still fails, but a loaded machine (the suite runs two workers) may be slow
    pg.set_default_timeout(60000)
    yield pg
    ctx.close()


@pytest.fixture
def live_org(transactional_db: None) -> Org:
    return _org()
