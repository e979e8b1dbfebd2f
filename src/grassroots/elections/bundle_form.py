"""The form of a published election bundle: what must hold before it can be recounted at all.

Pure Python, no Django, no I/O. ``grassroots verify`` tells two failures apart: a bundle that
is *malformed* (a file missing, unreadable, of the wrong shape: exit 2, one line naming the file,
the line where there is one, and the problem) and one that is well formed but *does not match*
(a hash, a total or the recount disagrees: exit 1, every problem listed). This module checks
the first; ``publish.verify`` the second.

What a well-formed bundle holds (see ``publish.build``, which writes it):

- each of ``publish.FILES``, as UTF-8 text, and nothing read beyond ``MAX_BUNDLE_BYTES`` in all
  (``MAX_BUNDLE_ENTRIES`` entries at most in a zip, no name twice);
- ``election.json``: an object with ``rule`` (text), ``seats`` (a whole number, at least 1),
  ``seed`` (a whole number), ``constraints`` (an object), ``roll.size`` and
  ``turnout.ballots`` (whole numbers) and ``sha256``: a 64-digit lowercase hexadecimal hash
  for every other file of the bundle, and for no file outside it;
- ``result.json``: an object;
- ``receipts.txt``: one receipt hash a line, each 64 lowercase hexadecimal digits;
- ``ballots.blt``: a BLT file the reader accepts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from grassroots.count.ballots import Election
from grassroots.count.errors import InputError
from grassroots.count.formats import blt

__all__ = [
    "MAX_BUNDLE_BYTES",
    "MAX_BUNDLE_ENTRIES",
    "BundleError",
    "WellFormed",
    "check_form",
    "check_receipts",
]

# Bounds on what ``grassroots verify`` reads. A bundle is four text files; its largest part is
# one receipt hash (65 bytes) a ballot, so 256 MiB holds the bundle of an election of over three
# million voters. A zip is refused on the sizes and the count its directory declares, before
# anything is extracted.
MAX_BUNDLE_BYTES = 256 * 2**20
MAX_BUNDLE_ENTRIES = 64

_HASH = re.compile(r"[0-9a-f]{64}")


class BundleError(InputError):
    """The bundle is malformed: the message is one line, naming the file and the problem."""


@dataclass(frozen=True)
class WellFormed:
    """A bundle's files, parsed: what ``publish.verify`` compares and recounts."""

    meta: dict[str, Any]
    result: dict[str, Any]
    receipts: list[str]
    election: Election


def _show(value: object) -> str:
    """A value read from JSON or text, as JSON, cut short."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _object(files: Mapping[str, str], name: str) -> dict[str, Any]:
    try:
        data = json.loads(files[name])
    except json.JSONDecodeError as exc:
        raise BundleError(f"{name}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError):
        raise BundleError(
            f"{name}: not usable JSON (a number too long or nested too deeply)"
        ) from None
    if not isinstance(data, dict):
        raise BundleError(f"{name}: expected a JSON object, found {_show(data)}")
    return data


def _field(meta: Mapping[str, Any], path: str) -> object:
    """The value at ``turnout.ballots`` and the like, or a BundleError naming what is missing."""
    value: object = meta
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise BundleError(f"election.json: missing {path}")
        value = value[key]
    return value


def _check_meta(meta: Mapping[str, Any]) -> None:
    rule = _field(meta, "rule")
    if not isinstance(rule, str):
        raise BundleError(f"election.json: rule must be text, found {_show(rule)}")
    seats = _field(meta, "seats")
    if not isinstance(seats, int) or isinstance(seats, bool) or seats < 1:
        raise BundleError(
            f"election.json: seats must be a whole number of at least 1, found {_show(seats)}"
        )
    for path in ("seed", "roll.size", "turnout.ballots"):
        value = _field(meta, path)
        if not _is_int(value):
            raise BundleError(f"election.json: {path} must be a whole number, found {_show(value)}")
    _check_constraints(_field(meta, "constraints"))


def _check_constraints(constraints: object) -> None:
    """``{"groups": {g: [names]}, "minima": {g: n}, "maxima": {g: n}}``, each part optional."""
    if not isinstance(constraints, dict):
        raise BundleError(
            f"election.json: constraints must be an object, found {_show(constraints)}"
        )
    groups = constraints.get("groups", {})
    if not isinstance(groups, dict) or not all(
        isinstance(members, list) and all(isinstance(m, str) for m in members)
        for members in groups.values()
    ):
        raise BundleError(
            "election.json: constraints.groups must map each group to a list of names, "
            f"found {_show(groups)}"
        )
    for part in ("minima", "maxima"):
        bounds = constraints.get(part) or {}
        if not isinstance(bounds, dict) or not all(_is_int(n) for n in bounds.values()):
            raise BundleError(
                f"election.json: constraints.{part} must map each group to a whole number, "
                f"found {_show(bounds)}"
            )


def _check_hashes(meta: Mapping[str, Any], hashed: Sequence[str]) -> None:
    """Every file in ``hashed`` has its sha256 in ``election.json``, and no other file has."""
    hashes = _field(meta, "sha256")
    if not isinstance(hashes, dict):
        raise BundleError(f"election.json: sha256 must be an object, found {_show(hashes)}")
    for name in hashed:
        if name not in hashes:
            raise BundleError(f"election.json: sha256 has no hash for {name}")
    for name, digest in hashes.items():
        if name not in hashed:
            raise BundleError(f"election.json: sha256 lists {name!r}, which is not a bundle file")
        if not isinstance(digest, str) or not _HASH.fullmatch(digest):
            raise BundleError(
                f"election.json: the sha256 of {name} must be 64 lowercase hexadecimal digits, "
                f"found {_show(digest)}"
            )


def check_receipts(text: str) -> list[str]:
    """The receipt hashes, one a line; a line of any other form is a BundleError naming it."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the line break that ends the last line
    for number, line in enumerate(lines, start=1):
        if not _HASH.fullmatch(line):
            raise BundleError(
                f"receipts.txt:{number}: expected a receipt hash (64 lowercase hexadecimal "
                f"digits), found {_show(line)}"
            )
    return lines


def check_form(files: Mapping[str, str], names: Sequence[str]) -> WellFormed:
    """The bundle of files ``names`` parsed, or a BundleError for the first way it is malformed.

    ``election.json`` must hold the sha256 of every other name.
    """
    missing = [name for name in names if name not in files]
    if missing:
        raise BundleError(f"the bundle lacks {', '.join(missing)}")
    meta = _object(files, "election.json")
    _check_meta(meta)
    _check_hashes(meta, [name for name in names if name != "election.json"])
    result = _object(files, "result.json")
    receipts = check_receipts(files["receipts.txt"])
    try:
        election = blt.loads(files["ballots.blt"], source="ballots.blt")
    except InputError as exc:
        raise BundleError(str(exc)) from None
    return WellFormed(meta, result, receipts, election)
