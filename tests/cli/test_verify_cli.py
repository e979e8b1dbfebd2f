"""``grassroots verify`` on bundles: 0 matches, 1 does not match, 2 malformed (one line).

The fixtures in tests/data/bundles are written by its make_bundles.py: a good bundle (as a
folder and a zip), bad ones each named after its one problem, and well-formed ones that do
not match their recount.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grassroots.cli.main import app
from grassroots.cli.verify import read_bundle
from grassroots.elections.bundle_form import MAX_BUNDLE_BYTES, MAX_BUNDLE_ENTRIES, BundleError
from tests.shared_data import REPO

BUNDLES = REPO / "tests" / "data" / "bundles"
BAD = BUNDLES / "bad"
HEX = "64 lowercase hexadecimal digits"

# bad bundle -> the error after "error: <path>: "
MALFORMED: dict[str, str] = {
    "missing_receipts": "the bundle lacks receipts.txt",
    "election_json_not_json": "election.json:2: not valid JSON (Expecting property name "
    "enclosed in double quotes)",
    "election_json_a_list": "election.json: expected a JSON object, found [1, 2]",
    "result_json_a_string": 'result.json: expected a JSON object, found "elected: Ann Black"',
    "no_rule": "election.json: missing rule",
    "seats_not_a_number": 'election.json: seats must be a whole number of at least 1, found "two"',
    "turnout_missing": "election.json: missing turnout.ballots",
    "constraints_not_an_object": 'election.json: constraints must be an object, found ["women"]',
    "unknown_rule": "election.json: the recount cannot run: unknown rule 'papal-conclave'; "
    "choose one of: scottish, ers97, meek, warren, irv, fptp, block, borda",
    "receipt_line_too_short": f'receipts.txt:2: expected a receipt hash ({HEX}), found "ffff"',
    "receipt_line_in_capitals": f'receipts.txt:2: expected a receipt hash ({HEX}), found "'
    + "A" * 56
    + "...",
    "receipt_line_blank": f'receipts.txt:2: expected a receipt hash ({HEX}), found ""',
    "receipts_not_utf8": "receipts.txt:1: not UTF-8 text (byte 0xff)",
    "ballots_malformed": "ballots.blt:9: expected a ballot weight, found 'x'",
    "no_hash_for_receipts": "election.json: sha256 has no hash for receipts.txt",
    "no_hash_for_result": "election.json: sha256 has no hash for result.json",
    "hash_for_a_file_not_in_the_bundle": "election.json: sha256 lists 'notes.txt', which is not "
    "a bundle file",
    "hash_not_hexadecimal": f"election.json: the sha256 of ballots.blt must be {HEX}, "
    'found "sha256:abc"',
    "duplicate_entry.zip": "the zip holds the entry ballots.blt more than once",
    "same_file_in_two_folders.zip": "the zip holds ballots.blt more than once (in different "
    "folders)",
    "too_many_entries.zip": f"the zip holds {MAX_BUNDLE_ENTRIES + 1} entries, more than "
    f"{MAX_BUNDLE_ENTRIES}",
    "zip_bomb.zip": f"the zip would unpack to 1073745130 bytes, more than {MAX_BUNDLE_BYTES}: "
    "not extracted",
    "damaged_entry.zip": "the zip is damaged: Bad CRC-32 for file 'ballots.blt'",
    "not_a_bundle.txt": "not a folder or a zip of published election files",
}

runner = CliRunner()


def verify(path: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["verify", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_every_bad_bundle_fixture_has_its_expected_error() -> None:
    assert sorted(MALFORMED) == sorted(p.name for p in BAD.iterdir())


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_bundle_exits_2_with_one_line_naming_the_problem(name: str) -> None:
    code, out, err = verify(BAD / name)
    assert code == 2
    assert out == ""
    (line,) = err.splitlines()
    assert line == f"error: {BAD / name}: {MALFORMED[name]}"


def test_the_zip_bomb_is_refused_on_its_declared_size_before_anything_is_extracted() -> None:
    with zipfile.ZipFile(BAD / "zip_bomb.zip") as z:
        assert z.getinfo("padding.bin").file_size == 2**30  # one GiB, packed into a few bytes
    with pytest.raises(BundleError, match=rf"more than {MAX_BUNDLE_BYTES}: not extracted"):
        read_bundle(BAD / "zip_bomb.zip")


@pytest.mark.parametrize("good", ["good", "good.zip"])
def test_the_good_bundle_matches_as_a_folder_and_as_a_zip(good: str) -> None:
    code, out, err = verify(BUNDLES / good)
    assert (code, err) == (0, "")
    assert "MATCHES" in out and "checked: recount under scottish with seed 20260101" in out


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (
            "ballots_changed_after_hashing",
            "problem: ballots.blt: its sha256 differs from the one in election.json",
        ),
        (
            "a_receipt_missing",
            "problem: ballots.blt holds 7 ballots, receipts.txt 6 hashes, election.json a "
            "turnout of 7: all three must be equal",
        ),
    ],
)
def test_a_well_formed_bundle_that_does_not_match_exits_1_listing_the_problems(
    name: str, problem: str
) -> None:
    code, _, err = verify(BUNDLES / "mismatched" / name)
    assert code == 1
    lines = err.splitlines()
    assert problem in lines
    assert lines[-1].startswith(f"{BUNDLES / 'mismatched' / name}: DOES NOT MATCH (")


def test_a_missing_path_exits_2(tmp_path: Path) -> None:
    code, _, err = verify(tmp_path / "nowhere")
    assert code == 2
    assert err == f"error: {tmp_path / 'nowhere'}: no such file or folder\n"


def zip_of(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return path


def test_a_bundle_file_past_the_byte_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    files = {p.name: p.read_bytes() for p in (BUNDLES / "good").iterdir()}
    files["receipts.txt"] += b"0" * 2**20  # one MiB more, deflated to a kilobyte
    bundle = zip_of(tmp_path / "big.zip", files)
    limit = 2**20
    with pytest.raises(BundleError, match=f"more than {limit}: not extracted"):
        read_bundle(bundle, max_bytes=limit)
    folder = tmp_path / "big"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    with pytest.raises(BundleError, match=f"more than {limit}$"):
        read_bundle(folder, max_bytes=limit)
    assert set(read_bundle(folder)) == set(files)  # within the real limit it reads


@pytest.mark.parametrize("name", ["zip_bomb.zip", "duplicate_entry.zip", "receipts_not_utf8"])
def test_verify_audit_reads_a_bundles_checkpoint_within_the_same_bounds(name: str) -> None:
    result = runner.invoke(app, ["verify", "--audit", str(BAD / name)])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line == f"error: {BAD / name}: {MALFORMED[name]}"
