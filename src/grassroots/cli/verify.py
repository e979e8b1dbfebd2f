"""``grassroots verify``: recount a published election bundle and say whether it matches.

Exit codes: 0 the bundle matches its recount; 1 it is well formed but does not match (every
problem listed); 2 it cannot be checked: not a folder or zip, too big, a zip with too many or
repeated entries, a file missing, unreadable or malformed (one line, ``error: ...``).
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Annotated

import typer

from grassroots.cli import audit_verify
from grassroots.cli.count import fail
from grassroots.elections.bundle_form import MAX_BUNDLE_BYTES, MAX_BUNDLE_ENTRIES, BundleError
from grassroots.elections.publish import FILES, verify

__all__ = ["read_bundle", "register"]


def _text(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BundleError(f"{name}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x})") from None


def _read_folder(path: Path, max_bytes: int) -> dict[str, str]:
    """The bundle's files from a folder, refusing before reading if they are too big."""
    present = [path / name for name in FILES if (path / name).exists()]
    for p in present:
        if not p.is_file():
            raise BundleError(f"{p.name} is not a file")
    total = sum(p.stat().st_size for p in present)
    if total > max_bytes:
        raise BundleError(f"the bundle's files hold {total} bytes, more than {max_bytes}")
    out: dict[str, str] = {}
    for p in present:
        with p.open("rb") as f:
            raw = f.read(max_bytes + 1)  # bounded even if the file grows meanwhile
        max_bytes -= len(raw)
        if max_bytes < 0:
            raise BundleError("the bundle's files grew past the size limit while being read")
        out[p.name] = _text(p.name, raw)
    return out


def _zip_entries(z: zipfile.ZipFile, max_bytes: int, max_entries: int) -> list[zipfile.ZipInfo]:
    """The entries holding bundle files, once the zip's directory is known to be safe to open.

    Checked on what the directory declares, before anything is extracted: the number of
    entries, their total uncompressed size, and that no name (or bundle file name, in any
    folder) appears twice.
    """
    infos = z.infolist()
    if len(infos) > max_entries:
        raise BundleError(f"the zip holds {len(infos)} entries, more than {max_entries}")
    declared = sum(info.file_size for info in infos)
    if declared > max_bytes:
        raise BundleError(
            f"the zip would unpack to {declared} bytes, more than {max_bytes}: not extracted"
        )
    repeated = [name for name, n in Counter(i.filename for i in infos).items() if n > 1]
    if repeated:
        raise BundleError(f"the zip holds the entry {repeated[0]} more than once")
    wanted = [i for i in infos if not i.is_dir() and PurePosixPath(i.filename).name in FILES]
    names = Counter(PurePosixPath(i.filename).name for i in wanted)
    twice = [name for name in FILES if names[name] > 1]
    if twice:
        raise BundleError(f"the zip holds {twice[0]} more than once (in different folders)")
    return wanted


def _read_zip(path: Path, max_bytes: int, max_entries: int) -> dict[str, str]:
    """The bundle's files from a zip, bounded in entries and in bytes unpacked."""
    if path.stat().st_size > max_bytes:  # its directory alone could then be huge
        raise BundleError(f"the zip is {path.stat().st_size} bytes, more than {max_bytes}")
    try:
        with zipfile.ZipFile(path) as z:
            out: dict[str, str] = {}
            for info in _zip_entries(z, max_bytes, max_entries):
                name = PurePosixPath(info.filename).name
                with z.open(info) as f:
                    raw = f.read(max_bytes + 1)
                max_bytes -= len(raw)
                if max_bytes < 0:
                    raise BundleError("the zip unpacks to more than its directory declares")
                out[name] = _text(name, raw)
            return out
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BundleError(f"the zip is damaged: {exc}") from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, or an unknown compression
        raise BundleError(f"the zip cannot be read: {exc}") from None


def read_bundle(
    path: Path, *, max_bytes: int = MAX_BUNDLE_BYTES, max_entries: int = MAX_BUNDLE_ENTRIES
) -> dict[str, str]:
    """The bundle's files as text, from a folder or a ``.zip`` of the published files."""
    if path.is_dir():
        return _read_folder(path, max_bytes)
    if zipfile.is_zipfile(path):
        return _read_zip(path, max_bytes, max_entries)
    if not path.exists():
        raise BundleError("no such file or folder")
    raise BundleError("not a folder or a zip of published election files")


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
        verdict = verify(read_bundle(export))
    except BundleError as exc:
        raise fail(f"{export}: {exc}") from None
    except OSError as exc:
        raise fail(f"{export}: cannot read: {exc.strerror or exc}") from None
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
