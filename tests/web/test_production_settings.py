"""Production settings come from the environment and fail closed (docs/deploy.md).

Each test starts a fresh interpreter with an environment of its own (the suite itself runs
as the demo, ``tests/settings.py``), so what is checked is what a deployment gets.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_data import REPO

DEPLOY = REPO / "docs" / "deploy.md"


def documented_environment() -> dict[str, str]:
    """The lines of the block after ``<!-- production environment -->`` in docs/deploy.md."""
    text = DEPLOY.read_text(encoding="utf-8")
    block = re.search(r"<!-- production environment -->\n```sh\n(.*?)```", text, re.S)
    assert block, "docs/deploy.md has no production environment block"
    pairs = (line.split("=", 1) for line in block.group(1).splitlines() if line.strip())
    return {name: value for name, value in pairs}


def run(
    env: dict[str, str], *args: str, code: str | None = None, data: Path
) -> subprocess.CompletedProcess[str]:
    """``manage.py ARGS`` (or ``python -c CODE``) with only ``env`` and the basics set."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    full = {**base, "GRASSROOTS_DATA_DIR": str(data), "PYTHONPATH": str(REPO), **env}
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(
        command, cwd=REPO, env=full, capture_output=True, text=True, timeout=120, check=False
    )


def production(**extra: str) -> dict[str, str]:
    """The documented production environment with a fresh key and no PostgreSQL needed."""
    env = documented_environment()
    env["GRASSROOTS_SECRET_KEY"] = secrets.token_urlsafe(50)
    env.pop("DATABASE_URL")
    env.pop("GRASSROOTS_DATA_DIR")
    return {**env, **extra}


def test_check_deploy_is_clean_in_the_documented_production_configuration(tmp_path: Path) -> None:
    env = documented_environment()
    assert env["GRASSROOTS_SECRET_KEY"].startswith("replace-with")
    env["GRASSROOTS_SECRET_KEY"] = secrets.token_urlsafe(50)
    env.pop("GRASSROOTS_DATA_DIR")  # the check writes nothing; keep it in tmp_path
    done = run(env, "check", "--deploy", "--fail-level", "WARNING", data=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k) for k in ('SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_HSTS_PRELOAD', 'EMAIL_BACKEND')} | "
    "{'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None)}))"
)
ENV = {"DJANGO_SETTINGS_MODULE": "grassroots.site.settings"}


def settings_under(env: dict[str, str], tmp_path: Path) -> dict[str, object]:
    done = run({**ENV, **env}, code=SETTINGS, data=tmp_path)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_outside_the_demo_https_is_on_and_each_part_can_be_switched_off_by_name(
    tmp_path: Path,
) -> None:
    key = {"GRASSROOTS_SECRET_KEY": secrets.token_urlsafe(50)}
    assert settings_under(key, tmp_path) == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "EMAIL_BACKEND": "grassroots.site.mail.UnconfiguredBackend",
        "proxy": None,
    }
    switched = settings_under(
        {
            **key,
            "GRASSROOTS_SSL_REDIRECT": "0",
            "GRASSROOTS_SECURE_COOKIES": "0",
            "GRASSROOTS_HSTS_SECONDS": "0",
            "GRASSROOTS_HSTS_INCLUDE_SUBDOMAINS": "0",
            "GRASSROOTS_HSTS_PRELOAD": "1",
            "GRASSROOTS_BEHIND_PROXY": "1",
            "GRASSROOTS_EMAIL_HOST": "smtp.example.org",
        },
        tmp_path,
    )
    assert switched == {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": True,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
    }
    demo = settings_under({"GRASSROOTS_DEMO": "1"}, tmp_path)
    assert demo["SECURE_SSL_REDIRECT"] is False and demo["SECURE_HSTS_SECONDS"] == 0
    assert demo["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        ({"GRASSROOTS_SSL_REDIRECT": "yes"}, "GRASSROOTS_SSL_REDIRECT must be 1 or 0, found 'yes'"),
        ({"GRASSROOTS_HSTS_SECONDS": "a year"}, "GRASSROOTS_HSTS_SECONDS must be a whole number"),
        (
            {"GRASSROOTS_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
            "only the demo may use it",
        ),
    ],
)
def test_a_mistyped_or_unsafe_setting_stops_the_site_naming_the_variable(
    tmp_path: Path, env: dict[str, str], problem: str
) -> None:
    done = run(
        {**ENV, "GRASSROOTS_SECRET_KEY": secrets.token_urlsafe(50), **env},
        code=SETTINGS,
        data=tmp_path,
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and problem in done.stderr


def test_without_a_secret_key_nothing_falls_back_and_nothing_starts(tmp_path: Path) -> None:
    # No key at all: Django has none to sign with, the WSGI app and `serve` refuse to start,
    # and check --deploy fails.
    no_key = run(
        ENV,
        code="import django; django.setup(); from django.conf import settings; settings.SECRET_KEY",
        data=tmp_path,
    )
    assert "The SECRET_KEY setting must not be empty" in no_key.stderr
    wsgi = run({}, code="import grassroots.site.wsgi", data=tmp_path)
    assert wsgi.returncode != 0
    assert "ImproperlyConfigured: GRASSROOTS_SECRET_KEY is not set" in wsgi.stderr
    serve = run({}, code="from grassroots.cli.main import app; app(['serve'])", data=tmp_path)
    assert serve.returncode == 2
    assert serve.stderr.startswith("error: GRASSROOTS_SECRET_KEY is not set")
    check = run({}, "check", "--deploy", data=tmp_path)
    assert check.returncode == 1 and "(grassroots_site.E001)" in check.stderr
    # The demo's published key given outside the demo is refused the same way.
    from grassroots.site.environment import DEMO_SECRET_KEY

    demo_key = run(
        {"GRASSROOTS_SECRET_KEY": DEMO_SECRET_KEY},
        code="import grassroots.site.wsgi",
        data=tmp_path,
    )
    assert "GRASSROOTS_SECRET_KEY is the demo's published key" in demo_key.stderr


RESET = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from django.test import Client
User.objects.create_user("ann", "ann@example.org", "a-long-enough-password")
answer = Client().post(
    "/accounts/password_reset/", {"email": "ann@example.org"}, secure=True,
    HTTP_HOST="vote.example.org",
)
print("status", answer.status_code)
"""


def test_outside_the_demo_a_password_reset_puts_no_sign_in_link_in_the_log(
    tmp_path: Path,
) -> None:
    env = production(GRASSROOTS_ALLOWED_HOSTS="vote.example.org")
    env.pop("GRASSROOTS_EMAIL_HOST")  # no mail server configured
    done = run({**ENV, **env}, code=RESET, data=tmp_path / "prod")
    assert done.returncode == 0, done.stderr
    assert "status 302" in done.stdout
    log = done.stdout + done.stderr
    assert "/accounts/reset/" not in log and "ann@example.org" not in log
    assert "1 e-mail message(s) not sent: no mail server is configured" in log
    # The demo prints the message, link and all, to the console: that is what it is for.
    demo = run(
        {**ENV, "GRASSROOTS_DEMO": "1", "GRASSROOTS_ALLOWED_HOSTS": "vote.example.org"},
        code=RESET,
        data=tmp_path / "demo",
    )
    assert demo.returncode == 0, demo.stderr
    assert "https://vote.example.org/accounts/reset/" in demo.stdout
