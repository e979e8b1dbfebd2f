"""Serving as in production: gunicorn with the static files from whitenoise and a health
check; the demo on PostgreSQL; two app servers on one PostgreSQL casting ballots; a backup
with pg_dump restored with pg_restore."""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from bench.bench_voting_http import RECEIPT, cast_form

from grassroots.cli.web import gunicorn_command
from tests.scratch import REPO, drive, postgres_url, scratch_database

NEEDS_POSTGRES = "needs PostgreSQL: set DATABASE_URL to a PostgreSQL server (CI does)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(base: str, server: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited with code {server.returncode}")
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet
        time.sleep(0.3)
    raise AssertionError(f"{base} did not become healthy within {seconds} s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)


def test_serve_runs_gunicorn_with_compressed_cached_static_files_and_a_health_check(
    tmp_path: Path,
) -> None:
    port = _free_port()
    with scratch_database(tmp_path) as env:
        env.pop("GRASSROOTS_DEMO")
        env.update(
            DJANGO_SETTINGS_MODULE="grassroots.site.settings",
            GRASSROOTS_SECRET_KEY=secrets.token_urlsafe(50),
            GRASSROOTS_SSL_REDIRECT="0",
            GRASSROOTS_SECURE_COOKIES="0",
            GRASSROOTS_HSTS_SECONDS="0",
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "grassroots", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            cwd=REPO,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, server)
            health = requests.get(f"{base}/healthz", timeout=10).json()
            home = requests.get(f"{base}/", timeout=10)
            found = re.search(r'href="(/static/grassroots/site\.[0-9a-f]{12}\.css)"', home.text)
            assert found, "the page links the collected, content-hashed stylesheet"
            css = requests.get(base + found.group(1), headers={"Accept-Encoding": "gzip"})
            plain = requests.get(f"{base}/static/grassroots/site.css", timeout=10)
        finally:
            _stop(server)
    assert health["status"] == "ok" and health["migrations"] == "applied"
    assert health["queue"]["waiting"] == 0
    assert home.status_code == 200 and "gunicorn" in home.headers.get("Server", "")
    assert css.status_code == 200 and css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]  # a hashed name never changes
    assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]


@pytest.mark.skipif(not postgres_url(), reason=NEEDS_POSTGRES)
def test_the_demo_seeds_the_postgresql_database_that_database_url_names(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as env:
        del env["DJANGO_SETTINGS_MODULE"]
        command = [sys.executable, "-m", "grassroots", "demo", "--no-serve", "--members", "50"]
        first = subprocess.run(
            command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=False
        )
        again = subprocess.run(
            command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300, check=False
        )
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
    assert first.returncode == 0, first.stderr
    assert f"Creating the demo organisation in PostgreSQL database {name}" in first.stdout
    assert "grassroots demo: http://127.0.0.1:8000/" in first.stdout
    assert "grassroots:grassroots@" not in first.stdout  # the password is not printed
    assert again.returncode == 0 and f"already in PostgreSQL database {name}" in again.stdout


@pytest.mark.skipif(
    not postgres_url(),
    reason="two app servers share one database only on PostgreSQL; " + NEEDS_POSTGRES,
)
def test_two_app_servers_on_one_postgresql_store_every_ballot_once_with_a_valid_receipt(
    tmp_path: Path,
) -> None:
    voters = 24
    with scratch_database(tmp_path) as env:
        seeded = drive(env, "seed-voters", str(voters))
        election, sessions = seeded["election"], seeded["sessions"]
        ports = [_free_port(), _free_port()]
        servers = [
            subprocess.Popen(
                gunicorn_command("127.0.0.1", p, 1, 4), env=env, cwd=REPO, start_new_session=True
            )
            for p in ports
        ]
        try:
            bases = [f"http://127.0.0.1:{p}" for p in ports]
            for base, server in zip(bases, servers, strict=True):
                _wait_healthy(base, server)
            codes: list[str] = []
            again: list[tuple[str, str]] = []
            errors: list[str] = []
            lock = threading.Lock()

            def vote(k: int) -> None:
                rng = random.Random(k)
                http = requests.Session()
                for i in range(k, voters, 4):
                    # the ballot from one server, cast through the other, then sent again
                    # (a voter's second click) through the first
                    first, second = bases[i % 2], bases[(i + 1) % 2]
                    http.cookies.clear()
                    http.cookies.set("sessionid", sessions[i])
                    page = http.get(f"{first}/elections/{election}/vote/", timeout=60)
                    form = cast_form(page.text, rng)
                    if form is None:
                        with lock:
                            errors.append(f"voter {i}: no ballot form ({page.status_code})")
                        continue
                    sent = http.post(f"{second}/elections/{election}/vote/", data=form, timeout=60)
                    found = RECEIPT.search(sent.text)
                    resent = http.post(f"{first}/elections/{election}/vote/", data=form, timeout=60)
                    repeat = RECEIPT.search(resent.text)
                    with lock:
                        if found is None:
                            errors.append(f"voter {i}: no receipt ({sent.status_code})")
                            continue
                        codes.append(found.group(1))
                        again.append((found.group(1), repeat.group(1) if repeat else ""))

            pool = [threading.Thread(target=vote, args=(k,)) for k in range(4)]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
        finally:
            for server in servers:
                _stop(server)
        assert errors == []
        (tmp_path / "codes.json").write_text(json.dumps(codes))
        stored = drive(env, "ballots", str(election), str(tmp_path / "codes.json"))
    assert len(codes) == len(set(codes)) == voters
    assert all(code == repeat for code, repeat in again)  # the second click: the same receipt
    assert stored == {
        "ballots": voters,
        "voters": voters,
        "distinct_hashes": voters,
        "valid_receipts": voters,
    }


@pytest.mark.skipif(not postgres_url(), reason=NEEDS_POSTGRES)
@pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="pg_dump and pg_restore are not installed (Debian: postgresql-client)",
)
def test_a_backup_taken_with_pg_dump_restores_into_an_empty_database(tmp_path: Path) -> None:
    with scratch_database(tmp_path) as env:
        seeded = drive(env, "seed-reminders", "12")
        backup = tmp_path / "grassroots.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={backup}", env["DATABASE_URL"]],
            check=True,
            timeout=120,
        )
        before = drive(env, "job", str(seeded["job"]))
        with scratch_database(tmp_path / "restored") as restored:
            # a fresh, empty database: restore the backup into it, then read it as the site
            subprocess.run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--exit-on-error",
                    f"--dbname={restored['DATABASE_URL']}",
                    str(backup),
                ],
                check=True,
                timeout=120,
            )
            after = drive(restored, "job", str(seeded["job"]))
            audit = drive(restored, "audit")
    assert after == before and after["sent"] == 12
    assert audit == {"verified": True, "entries": audit["entries"]} and audit["entries"] > 0


def test_the_demo_runs_a_job_worker_beside_its_server(tmp_path: Path) -> None:
    port = _free_port()
    with scratch_database(tmp_path) as env:
        demo_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
        demo = subprocess.Popen(
            [
                *(sys.executable, "-m", "grassroots", "demo", "--members", "50"),
                *("--port", str(port), "--data-dir", env["GRASSROOTS_DATA_DIR"]),
            ],
            env=demo_env,
            cwd=REPO,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        try:
            _wait_healthy(f"http://127.0.0.1:{port}", demo, seconds=240)
            # a mail-out put on the demo database's queue is run by the demo's own worker
            job = drive({**env, "GRASSROOTS_TEST_TASKS": "database"}, "seed-reminders", "5")
            deadline = time.monotonic() + 120
            while (state := drive(env, "job", str(job["job"])))["state"] != "done":
                assert time.monotonic() < deadline, f"the demo's worker did not run it: {state}"
                time.sleep(1)
        finally:
            _stop(demo)
    assert job["state"] == "queued" and state["sent"] == 5
