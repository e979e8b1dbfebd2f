"""A database of their own for tests that run the site in other processes (app servers,
workers): on the PostgreSQL server DATABASE_URL names when it is set (a new database beside
it, dropped afterwards), else an SQLite file. The processes use the test settings."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


@contextmanager
def scratch_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment for processes sharing one empty database (migrated by the first)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        GRASSROOTS_DEMO="1",
        GRASSROOTS_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "src")]),
    )
    url = postgres_url()
    if not url:
        env.pop("DATABASE_URL", None)
        yield env
        return
    import psycopg

    name = f"grassroots_scratch_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield env
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drive(env: dict[str, str], *args: str, timeout: float = 300) -> Any:
    """Run ``python -m tests.driver ARGS`` against the scratch database; its JSON answer."""
    out = subprocess.run(
        [sys.executable, "-m", "tests.driver", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])
