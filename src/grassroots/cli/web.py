"""``grassroots demo``, ``serve``, ``worker`` and ``import-members``: thin wrappers over web
use cases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["register"]


def _django() -> None:
    """Set up Django only when a web command runs (the counting commands never load it)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.site.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _runserver(host: str, port: int) -> None:
    from django.core.management import call_command

    # --insecure: serve the static files without a separate web server (one-machine use)
    call_command("runserver", f"{host}:{port}", "--insecure", "--noreload")


def settings_flag_officer_mfa() -> bool:
    """Whether officers must set up a second factor (the settings' GRASSROOTS_OFFICER_MFA)."""
    from django.conf import settings

    return bool(getattr(settings, "GRASSROOTS_OFFICER_MFA", True))


def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    members: Annotated[int, typer.Option(help="How many demo members to create.")] = 3000,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help="Where the demo's SQLite database goes (default: a fresh one under var/demo)."
        ),
    ] = None,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Seed only; do not start the server.")
    ] = False,
) -> None:
    """Start the web app with a demo organisation, printing the address and logins.

    On its own SQLite database, or on the PostgreSQL database DATABASE_URL names (an empty one
    is seeded; one that holds the demo already is served as it is). A job worker runs beside
    the server.
    """
    from grassroots.site.paths import data_dir as default_dir

    target = data_dir or default_dir() / "demo"
    target.mkdir(parents=True, exist_ok=True)
    os.environ["GRASSROOTS_DATA_DIR"] = str(target)
    os.environ["GRASSROOTS_DEMO"] = "1"  # the development key, plain HTTP, console mail
    _django()
    from grassroots.elections.demo import seed as seed_elections
    from grassroots.finance.demo_subscriptions import seed as seed_subscriptions
    from grassroots.meetings.demo import seed as seed_meetings
    from grassroots.members.demo import DEMO_PASSWORD, seed
    from grassroots.members.models import Unit

    _migrate()
    where = _database_name() or str(target)
    if Unit.objects.exists():
        typer.echo(f"Using the demo organisation already in {where}.")
        logins = None
    else:
        typer.echo(f"Creating the demo organisation in {where} ({members} members)…")
        logins = seed(members=members)
        typer.echo("Adding demo elections: one open for voting, one counted and published…")
        seed_elections()
        typer.echo(
            "Adding demo meetings: bodies, General Committees held and to come, an online "
            "members' meeting in progress…"
        )
        seed_meetings()
        from grassroots.meetings.demo_branch import demo_logins as meeting_logins

        logins += meeting_logins()
        typer.echo(
            "Adding a year of subscriptions, split by the rule members cite and by a changed "
            "rule from a later date, and the national office's remittances…"
        )
        seed_subscriptions()
        from grassroots.finance.demo_books import seed as seed_books

        typer.echo(
            "Adding the home branch's books: last year's statement reconciled, spends approved "
            "at minuted meetings, one unapproved, accounts published; a statement to import…"
        )
        logins += seed_books()
        from grassroots.finance.demo_income import seed as seed_income

        typer.echo(
            "Adding a refund and posting this year's subscription income into the units' books…"
        )
        seed_income()
        from grassroots.network.demo import seed as seed_network

        typer.echo(
            "Adding the network: 30 groups with overlapping lists, a published primary where "
            "the women's minimum binds, a primary in its hustings and one now voting…"
        )
        seed_network(password=DEMO_PASSWORD)
        # after the network demo (its groups, people and organisers): the directory's consents,
        # groups' profiles, the hub and gatherings
        from grassroots.network.demo_directory import seed as seed_directory

        typer.echo("Adding the network's directory shared by consent, its hub and gatherings…")
        shared = seed_directory(password=DEMO_PASSWORD)
        sharers = shared.get("sharers") or []
        if sharers:
            from grassroots.members.demo import DemoLogin

            logins.append(DemoLogin(str(sharers[0]), "a network member sharing some details"))
    typer.echo(f"\ngrassroots demo: http://{host}:{port}/")
    typer.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for name, role in (
        [(login.username, login.role) for login in logins]
        if logins
        else [("admin", "administrator"), ("secretary", "branch secretary"), ("member", "member")]
    ):
        typer.echo(f"  {name:<10} {role}")
    if settings_flag_officer_mfa():
        typer.echo(
            "  Officers (every login but member and newmember) set up an authenticator app or a"
            "\n  passkey at their first sign-in, as in production; to skip that in the demo, start"
            "\n  it with GRASSROOTS_OFFICER_MFA=0."
        )
    typer.echo(
        "  As member: My standing lists the online members' meeting in progress; join and vote."
    )
    typer.echo(
        "  The network (/networks/left/primaries/): organiser (runs it), groupadmin (two groups),"
        "\n  candidate (stands in the primary in its hustings), voter (in two groups). Most people"
        "\n  on the voting primary's roll are known only by a group's list: they ask for a sign-in"
        "\n  link on the login page (the demo prints mail to the console)."
    )
    typer.echo("")
    if not no_serve:
        worker = _start_worker()
        try:
            _runserver(host, port)
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def _database_name() -> str:
    """The PostgreSQL database in use, named without its password; "" for SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    s = connection.settings_dict
    return f"PostgreSQL database {s['NAME']} on {s['HOST'] or 'localhost'}"


def _start_worker() -> subprocess.Popen[bytes]:
    """One job worker beside the demo's server, in its own process, with the same settings."""
    return subprocess.Popen([sys.executable, "-m", "grassroots", "worker"], env=dict(os.environ))


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 2,
    threads: Annotated[int, typer.Option(help="Threads in each worker process.")] = 4,
) -> None:
    """Apply migrations, collect the static files and serve the web app with gunicorn.

    SQLite by default, PostgreSQL with DATABASE_URL; settings from the environment
    (docs/deploy.md). Run `grassroots worker` beside it for mail-outs and imports.
    """
    _django()
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command

    from grassroots.site.checks import refuse_unsafe_start

    try:
        refuse_unsafe_start()
    except ImproperlyConfigured as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    _migrate()
    call_command("collectstatic", interactive=False, verbosity=0)
    typer.echo(f"grassroots: http://{host}:{port}/")
    sys.stdout.flush()
    # gunicorn takes this process over: signals from systemd (or Ctrl-C) reach it directly
    os.execv(sys.executable, gunicorn_command(host, port, workers, threads))


def gunicorn_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    """The gunicorn command line ``serve`` runs (also the tests' way to start app servers)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "grassroots.site.wsgi:application",
        f"--bind={host}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--worker-class=gthread",
        "--access-logfile=-",
        "--graceful-timeout=30",
        # no control socket in the user's home: several servers on one machine would share it
        "--no-control-socket",
    ]


def worker(
    interval: Annotated[
        float, typer.Option(help="Seconds between looks at the queue when it is empty.")
    ] = 1.0,
    batch: Annotated[
        bool, typer.Option("--batch", help="Run the jobs waiting now, then stop.")
    ] = False,
) -> None:
    """Run jobs from the queue (mail-outs, imports) until stopped; run one or more per site.

    At start it takes back any job whose worker stopped mid-run (no progress for
    GRASSROOTS_JOB_STALLED_SECONDS) and carries it on: nobody already reached is sent to again.
    """
    _django()
    _migrate()
    from django.core.management import call_command

    from grassroots.jobs.actions import resume_stalled

    for job in resume_stalled():
        typer.echo(f"carrying on job {job.pk} ({job.title}): its worker had stopped")
    args = ["db_worker", f"--interval={interval}", "--no-startup-delay"]
    if batch:
        args.append("--batch")
    call_command(*args)


def import_members(
    file: Annotated[Path, typer.Argument(help="Register CSV (see docs/web.md for the columns).")],
    unit: Annotated[str, typer.Option(help="Code of the unit to import into (e.g. national).")],
    import_valid: Annotated[
        bool,
        typer.Option("--import-valid", help="Import the valid rows even if some rows have errors."),
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Only report what the import would do; change nothing."),
    ] = False,
) -> None:
    """Check a register CSV and import it, printing a row-by-row report of errors and updates."""
    _django()
    _migrate()
    from grassroots.members import actions, queries
    from grassroots.members.models import Unit

    target = Unit.objects.filter(code=unit).first()
    if target is None:
        typer.echo(f"error: no unit with code {unit!r}", err=True)
        raise typer.Exit(2)
    allowed = set(Unit.objects.filter(path__startswith=target.path).values_list("pk", flat=True))
    with file.open(encoding="utf-8-sig", newline="") as fh:
        parsed = queries.check_register(fh, allowed_branches=allowed)
    for e in parsed.errors[:200]:
        typer.echo(f"{file}: {e}", err=True)
    if len(parsed.errors) > 200:
        typer.echo(f"…and {len(parsed.errors) - 200} more problems", err=True)
    for u in parsed.updates[:200]:
        changes = "; ".join(f"{c} {b or '(blank)'} → {a or '(blank)'}" for c, b, a in u.changes)
        typer.echo(f"{file}: row {u.row.row}: updates {u.row.number}: {changes}")
    if len(parsed.updates) > 200:
        typer.echo(f"…and {len(parsed.updates) - 200} more updates")
    if check:
        typer.echo(
            f"checked: {len(parsed.rows)} new, {len(parsed.updates)} update(s), "
            f"{parsed.unchanged} unchanged, {parsed.bad_rows} row(s) with errors; nothing changed"
        )
        return
    try:
        out = actions.import_members(
            parsed, unit=target, by=None, import_valid=import_valid, source=file.name
        )
    except actions.ActionRefused as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"imported {out.created} member(s)"
        + (f", updated {out.updated}" if out.updated else "")
        + (f"; {out.unchanged} row(s) already matched the register" if out.unchanged else "")
        + f"; skipped {out.skipped} row(s) with errors"
    )


def register(app: typer.Typer) -> None:
    """Add the web commands to the ``grassroots`` command."""
    app.command("demo")(demo)
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.command("import-members")(import_members)
