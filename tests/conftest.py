"""Suite-wide settings: in CI, a skip for want of shared data or a browser is a failure."""

from __future__ import annotations

import os
import sys
from collections.abc import Generator

import pytest
from hypothesis import settings

# Speed is measured in bench/, never asserted in a test: Hypothesis's default 200 ms limit per
# example fails property tests at random on a loaded machine (a CI run beside other work).
settings.register_profile("grassroots", deadline=None)
settings.load_profile("grassroots")

# Skip reasons that mean "the environment is missing something CI must have".
_CI_MUST_HAVE = {
    "GRASSROOTS_REQUIRE_SHARED": ("shared data", "../shared", "shared/data"),
    "GRASSROOTS_REQUIRE_BROWSER": ("chromium", "browser", "playwright"),
    # tests/elections/test_server_log.py reads PostgreSQL's log to prove no ballot reaches it
    "GRASSROOTS_REQUIRE_PG_LOG": ("cannot read postgresql's server log",),
}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    """Turn environment skips into failures where CI says the environment must be complete."""
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or not isinstance(report.longrepr, tuple):
        return
    reason = str(report.longrepr[2]).lower()
    for variable, words in _CI_MUST_HAVE.items():
        if os.environ.get(variable) == "1" and any(w in reason for w in words):
            report.outcome = "failed"
            report.longrepr = f"skipped in CI where it must run ({variable}=1): {reason}"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: cached figures (a meeting's entitled set, its live
    panel's shared part) are keyed by ids, which a new test database may give again."""
    if "django.apps" in sys.modules:
        from django.apps import apps

        if apps.ready:
            from django.core.cache import cache

            cache.clear()
    live = sys.modules.get("grassroots.meetings.views.live")
    if live is not None:
        live._SHARED.clear()  # the live panel's figures kept in memory, keyed by meeting id


@pytest.fixture(autouse=True)
def _sign_in_guards(request: pytest.FixtureRequest) -> Generator[None]:
    """Tests log officers in with a password alone (``client.login`` or the login form) and fail
    passwords on purpose: the second-factor rule for officers and django-axes's lock-out, both on
    in the shipped settings, are off here except in tests marked ``sign_in_guards``, which test
    them."""
    if request.node.get_closest_marker("sign_in_guards") is not None or not (
        "django.apps" in sys.modules and __import__("django.apps").apps.apps.ready
    ):
        yield
        return
    from django.test import override_settings

    with override_settings(GRASSROOTS_OFFICER_MFA=False, AXES_ENABLED=False):
        yield
