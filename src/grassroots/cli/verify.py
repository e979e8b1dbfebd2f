"""``grassroots verify``: recount a published election bundle and say whether it matches."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Annotated

import typer

from grassroots.cli import audit_verify
from grassroots.cli.count import fail
from grassroots.elections.publish import FILES, verify

__all__ = ["read_bundle", "register"]


def read_bundle(path: Path) -> dict[str, str]:
    """The bundle's files as text, from a folder or a ``.zip`` of the published files."""
    if path.is_dir():
        return {p.name: p.read_text(encoding="utf-8") for p in path.iterdir() if p.name in FILES}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return {
                Path(n).name: z.read(n).decode("utf-8")
                for n in z.namelist()
                if Path(n).name in FILES
            }
    raise FileNotFoundError(f"{path}: not a folder or a zip of published election files")


def verify_bundle(
    export: Annotated[
        Path | None,
        typer.Argument(help="Folder or .zip holding ballots.blt, receipts.txt, result.json …"),
    ] = None,
    audit: Annotated[
        bool,
        typer.Option(
            "--audit",
            help="Instead: check the web app's audit log (DATABASE_URL) against its published "
            "checkpoints and the one in the bundle, if given.",
        ),
    ] = False,
    checkpoint: Annotated[
        list[str] | None,
        typer.Option(help="With --audit: a checkpoint noted as ENTRY:DIGEST (repeatable)."),
    ] = None,
) -> None:
    """Recount an election's published files independently; exit 0 if everything matches."""
    if audit:
        audit_verify.run([export] if export else [], checkpoint or [])
        return
    if export is None:
        raise fail("give the published files to verify (a folder or .zip), or --audit")
    try:
        files = read_bundle(export)
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(str(exc)) from None
    verdict = verify(files)
    for check in verdict.checked:
        typer.echo(f"checked: {check}")
    if verdict.ok:
        typer.echo(f"{export}: MATCHES — the recount gives the published result")
        return
    for problem in verdict.problems:
        typer.echo(f"problem: {problem}", err=True)
    typer.echo(f"{export}: DOES NOT MATCH ({len(verdict.problems)} problem(s))", err=True)
    raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add ``verify`` to the command-line app."""
    app.command("verify")(verify_bundle)
