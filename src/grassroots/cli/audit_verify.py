"""``grassroots verify --audit``: check the audit log's hash chain against its checkpoints.

Reads the chain from the web app's database (``DATABASE_URL``, else the SQLite file in the
data directory) and holds it against every checkpoint published (stored in the database),
against each bundle given (its ``election.json`` carries the checkpoint taken when the result
was published) and against each ``--checkpoint ENTRY:DIGEST`` noted from the public page.
Exit 0: intact and matching; 1: broken, cut short or rewritten; 2: bad input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from grassroots.cli.count import fail

__all__ = ["bundle_checkpoint", "parse_checkpoint", "run"]

_CHECKPOINT = re.compile(r"([0-9]{1,18}):([0-9a-f]{64})")


def parse_checkpoint(text: str) -> tuple[int, str]:
    """``ENTRY:DIGEST`` (as the public checkpoints page shows it) as (entry, digest)."""
    m = _CHECKPOINT.fullmatch(text.strip().lower())
    if m is None:
        raise fail(
            f"--checkpoint {text!r}: expected ENTRY:DIGEST, the entry's number, a colon and "
            "its 64 hexadecimal digits"
        )
    return int(m.group(1)), m.group(2)


def bundle_checkpoint(path: Path) -> tuple[int, str]:
    """The audit checkpoint in a published bundle's ``election.json``."""
    from grassroots.cli.verify import read_bundle
    from grassroots.elections.bundle_form import BundleError

    try:
        files = read_bundle(path)
    except BundleError as exc:  # too big, a repeated entry, not UTF-8 ...: read no further
        raise fail(f"{path}: {exc}") from None
    except OSError as exc:
        raise fail(f"{path}: cannot read: {exc.strerror or exc}") from None
    if "election.json" not in files:
        raise fail(f"{path}: no election.json in the bundle")
    try:
        meta: Any = json.loads(files["election.json"])
    except json.JSONDecodeError as exc:
        raise fail(f"{path}: election.json:{exc.lineno}: not valid JSON ({exc.msg})") from None
    audit = meta.get("audit") if isinstance(meta, dict) else None
    if not isinstance(audit, dict):
        raise fail(f"{path}: election.json holds no audit checkpoint (published before they were)")
    entry, digest = audit.get("entry"), audit.get("digest")
    if not isinstance(entry, int) or not isinstance(digest, str):
        raise fail(f"{path}: election.json: audit must hold an entry number and a digest")
    return parse_checkpoint(f"{entry}:{digest}")


def run(bundles: Sequence[Path], checkpoints: Sequence[str]) -> None:
    """Check the chain; print what was checked; exit 1 if it is broken or does not match."""
    extra = [(f"--checkpoint {c}", parse_checkpoint(c)) for c in checkpoints]
    extra += [(str(p), bundle_checkpoint(p)) for p in bundles]

    from grassroots.cli.web import _django

    _django()
    from grassroots.audit.log import ChainHead, check

    report = check((source, ChainHead(*cp)) for source, cp in extra)
    typer.echo(f"checked: {report.entries} entries chained from the first")
    for checkpoint in report.checkpoints:
        typer.echo(f"checked: {checkpoint}")
    if report.broken is None:
        typer.echo(
            f"audit log: INTACT — {report.entries} entries up to entry {report.last.entry} "
            f"(digest {report.last.digest}), matching {len(report.checkpoints)} checkpoint(s)"
        )
        return
    typer.echo(f"problem: {report.broken.problem}", err=True)
    typer.echo("audit log: BROKEN", err=True)
    raise typer.Exit(code=1)
