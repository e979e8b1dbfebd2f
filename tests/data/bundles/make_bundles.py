"""Write the bundle fixtures of tests/cli/test_verify_cli.py: one good bundle, and bad ones,
each named after its one problem.

Run from the repository root: ``.venv/bin/python tests/data/bundles/make_bundles.py``. The
output is deterministic (fixed seed, receipt hashes and zip timestamps), so running it again
changes nothing; the zip bomb takes some seconds of CPU to compress.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from grassroots.elections.bundle_form import MAX_BUNDLE_ENTRIES
from grassroots.elections.publish import FILES, build

HERE = Path(__file__).resolve().parent
GOOD = HERE / "good"
BAD = HERE / "bad"
MISMATCHED = HERE / "mismatched"
STAMP = (2026, 1, 1, 0, 0, 0)

CANDIDATES = ["Ann Black", "Bob Jones", "Cath Lee", "Dan Wu"]
RANKINGS = [
    ["Ann Black", "Bob Jones"],
    ["Ann Black", "Cath Lee"],
    ["Ann Black"],
    ["Bob Jones", "Ann Black"],
    ["Bob Jones"],
    ["Cath Lee", "Dan Wu"],
    ["Dan Wu", "Cath Lee"],
]


def good_files() -> dict[str, str]:
    hashes = [hashlib.sha256(f"receipt {i}".encode()).hexdigest() for i in range(len(RANKINGS))]
    bundle = build(
        title="Branch committee (fixture)",
        seats=2,
        rule="scottish",
        seed=20260101,
        candidates=CANDIDATES,
        rankings=RANKINGS,
        constraints={},
        receipt_hashes=hashes,
        roll_size=9,
        roll_fingerprint=hashlib.sha256(b"roll").hexdigest(),
        turnout_by_branch={"Moorside": 7},
    )
    return dict(bundle.files)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def rehash(files: dict[str, str]) -> dict[str, str]:
    """election.json's hashes made to match the other files again."""
    meta = json.loads(files["election.json"])
    meta["sha256"] = {
        name: sha(files[name]) if name in files else digest
        for name, digest in meta["sha256"].items()
    }
    files["election.json"] = json.dumps(meta, indent=2, sort_keys=True) + "\n"
    return files


def edit_meta(change: Callable[[dict[str, object]], None]) -> Callable[[dict[str, str]], None]:
    def apply(files: dict[str, str]) -> None:
        meta = json.loads(files["election.json"])
        change(meta)
        files["election.json"] = json.dumps(meta, indent=2, sort_keys=True) + "\n"

    return apply


def write_folder(path: Path, files: dict[str, str | bytes]) -> None:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    for name, content in files.items():
        target = path / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="\n")


def write_zip(path: Path, entries: list[tuple[str, str | bytes]]) -> None:
    """A zip of ``entries``, stored uncompressed, with a fixed timestamp."""
    with zipfile.ZipFile(path, "w") as z:
        for name, content in entries:
            z.writestr(zipfile.ZipInfo(name, STAMP), content)


def receipts_line(files: dict[str, str], line: str) -> None:
    lines = files["receipts.txt"].splitlines()
    lines[1] = line
    files["receipts.txt"] = "\n".join(lines) + "\n"


def set_hash(name: str, digest: str | None) -> Callable[[dict[str, str]], None]:
    """election.json with the hash of ``name`` set to ``digest``, or removed (None)."""

    def apply(files: dict[str, str]) -> None:
        meta = json.loads(files["election.json"])
        if digest is None:
            del meta["sha256"][name]
        else:
            meta["sha256"][name] = digest
        files["election.json"] = json.dumps(meta, indent=2, sort_keys=True) + "\n"

    return apply


# name -> how the good files are changed (hashes are recomputed afterwards unless the
# problem is the hashes themselves)
FOLDERS: dict[str, Callable[[dict[str, str]], None]] = {
    "missing_receipts": lambda f: f.pop("receipts.txt"),
    "election_json_not_json": lambda f: f.update({"election.json": '{"rule": "scottish",\n'}),
    "election_json_a_list": lambda f: f.update({"election.json": "[1, 2]\n"}),
    "result_json_a_string": lambda f: f.update({"result.json": '"elected: Ann Black"\n'}),
    "no_rule": edit_meta(lambda m: m.pop("rule")),
    "seats_not_a_number": edit_meta(lambda m: m.update({"seats": "two"})),
    "turnout_missing": edit_meta(lambda m: m.pop("turnout")),
    "constraints_not_an_object": edit_meta(lambda m: m.update({"constraints": ["women"]})),
    "unknown_rule": edit_meta(lambda m: m.update({"rule": "papal-conclave"})),
    "receipt_line_too_short": lambda f: receipts_line(f, "ffff"),
    "receipt_line_in_capitals": lambda f: receipts_line(f, "A" * 64),
    "receipt_line_blank": lambda f: receipts_line(f, ""),
    "ballots_malformed": lambda f: f.update(
        {"ballots.blt": f["ballots.blt"].replace("\n0\n", "\nx 1 0\n0\n", 1)}
    ),
}
HASH_FOLDERS: dict[str, Callable[[dict[str, str]], None]] = {
    "no_hash_for_receipts": set_hash("receipts.txt", None),
    "no_hash_for_result": set_hash("result.json", None),
    "hash_for_a_file_not_in_the_bundle": set_hash("notes.txt", "0" * 64),
    "hash_not_hexadecimal": set_hash("ballots.blt", "sha256:abc"),
}
MISMATCHES: dict[str, Callable[[dict[str, str]], None]] = {
    "ballots_changed_after_hashing": lambda f: f.update(
        {"ballots.blt": f["ballots.blt"].replace("Dan Wu", "Dan Woo")}
    ),
    "a_receipt_missing": lambda f: f.update(
        {"receipts.txt": "".join(f["receipts.txt"].splitlines(keepends=True)[1:])}
    ),
}


def main() -> None:
    files = good_files()
    write_folder(GOOD, dict(files))
    shutil.rmtree(BAD, ignore_errors=True)
    shutil.rmtree(MISMATCHED, ignore_errors=True)
    for name, change in FOLDERS.items():
        changed = dict(files)
        change(changed)
        if not name.startswith("election_json"):  # else election.json itself is the problem
            rehash(changed)
        write_folder(BAD / name, dict(changed))
    for name, change in HASH_FOLDERS.items():
        changed = dict(files)
        change(changed)
        write_folder(BAD / name, dict(changed))
    not_utf8: dict[str, str | bytes] = dict(files)
    not_utf8["receipts.txt"] = b"\xff" + files["receipts.txt"].encode()[1:]
    write_folder(BAD / "receipts_not_utf8", not_utf8)
    for name, change in MISMATCHES.items():
        changed = dict(files)
        change(changed)
        if name == "a_receipt_missing":
            rehash(changed)
        write_folder(MISMATCHED / name, dict(changed))

    entries: list[tuple[str, str | bytes]] = [(name, files[name]) for name in FILES]
    write_zip(BAD / "duplicate_entry.zip", [*entries, ("ballots.blt", "3 1\n5 1 0\n0\n")])
    write_zip(
        BAD / "same_file_in_two_folders.zip",
        [*entries, ("old/ballots.blt", files["ballots.blt"])],
    )
    extra = [(f"note-{i}.txt", "") for i in range(MAX_BUNDLE_ENTRIES + 1 - len(entries))]
    write_zip(BAD / "too_many_entries.zip", [*entries, *extra])
    write_zip(HERE / "good.zip", entries)
    # A stored (uncompressed) zip with one byte of ballots.blt changed: its CRC no longer fits.
    damaged = BAD / "damaged_entry.zip"
    write_zip(damaged, entries)
    raw = damaged.read_bytes()
    at = raw.index(b"Branch committee (fixture)")
    damaged.write_bytes(raw[:at] + b"b" + raw[at + 1 :])
    # The bomb: the bundle's files and one entry of 1 GiB of zeros, which bzip2 packs into
    # under a kilobyte.
    bomb = BAD / "zip_bomb.zip"
    with zipfile.ZipFile(bomb, "w") as z:
        for name, content in entries:
            z.writestr(zipfile.ZipInfo(name, STAMP), content)
        info = zipfile.ZipInfo("padding.bin", STAMP)
        info.compress_type = zipfile.ZIP_BZIP2
        with z.open(info, "w") as out:
            chunk = bytes(2**24)
            for _ in range(64):
                out.write(chunk)
    (BAD / "not_a_bundle.txt").write_text("these are not the files you are looking for\n")


if __name__ == "__main__":
    main()
