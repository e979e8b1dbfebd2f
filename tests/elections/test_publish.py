"""Close, count with the engine, publish the bundle; ``grassroots verify`` recounts it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from grassroots.cli.main import app
from grassroots.count.ballots import election_from_rankings
from grassroots.count.rules import count
from grassroots.elections import actions, publish, receipts
from grassroots.members import actions as member_actions
from tests.elections.conftest import DAY, NOW, Setup, make_election
from tests.web.conftest import Org

# Nine voters; Scottish STV, 2 seats. Alice and Bea (women) against Cal and Dan.
RANKINGS = [
    ["Cal Calm", "Dan Deft"],
    ["Cal Calm", "Dan Deft"],
    ["Cal Calm", "Alice Able"],
    ["Cal Calm"],
    ["Dan Deft", "Cal Calm"],
    ["Dan Deft", "Cal Calm"],
    ["Dan Deft"],
    ["Alice Able", "Bea Bold"],
    ["Bea Bold", "Alice Able"],
]


def _vote_and_publish(org: Org, **extra: object) -> tuple[Setup, list[str]]:
    for i in range(len(RANKINGS) - 2):
        member_actions.create_member(
            by=None,
            number=f"P{i}",
            name=f"Voter {i}",
            branch=org.moorside,
            join_date=NOW.date().replace(year=2018),
            status="full",
        )
    s = make_election(org, **extra)
    from grassroots.members.models import Member

    voters = [*Member.objects.filter(number__startswith="P"), org.ann, org.bob]
    codes = [actions.cast(s.election, m, r) for m, r in zip(voters, RANKINGS, strict=True)]
    actions.close_voting(s.election, by=org.users["returning"], now=NOW + 6 * DAY)
    actions.count_votes(s.election, by=org.users["returning"])
    actions.publish_result(s.election, by=org.users["returning"])
    s.election.refresh_from_db()
    return s, codes


def test_the_published_result_is_the_engines_count_of_the_cast_ballots(org: Org) -> None:
    s, _ = _vote_and_publish(org)
    files = s.election.publication.files
    expected = count(
        election_from_rankings(sorted(s.candidates), 2, RANKINGS, title=s.election.title),
        "scottish",
        seed=s.election.seed,
    )
    assert json.loads(files["result.json"])["elected"] == list(expected.elected)
    assert set(expected.elected) == {"Cal Calm", "Dan Deft"}
    assert s.election.state == "published"


def test_a_women_minimum_changes_the_published_result(org: Org) -> None:
    s, _ = _vote_and_publish(org, constraints={"minima": {"women": 1}})
    result = json.loads(s.election.publication.files["result.json"])
    assert "Cal Calm" in result["elected"]
    assert {"Alice Able", "Bea Bold"} & set(result["elected"])
    assert any(st["action"] == "constraint" for st in result["stages"])


def test_the_bundle_lists_every_receipt_hash_and_the_roll_fingerprint(org: Org) -> None:
    s, codes = _vote_and_publish(org)
    files = s.election.publication.files
    hashes = files["receipts.txt"].split()
    assert hashes == sorted(hashes)
    assert sorted(receipts.receipt_hash(str(s.election.pk), c) for c in codes) == hashes
    meta = json.loads(files["election.json"])
    assert meta["roll"] == {"size": 9, "fingerprint": s.election.roll_fingerprint}
    assert meta["turnout"]["ballots"] == 9
    assert meta["turnout"]["by_branch"] == {"Hillford": 1, "Moorside": 8}


def test_the_published_bundle_verifies(org: Org) -> None:
    s, _ = _vote_and_publish(org)
    verdict = publish.verify(s.election.publication.files)
    assert verdict.ok, verdict.problems


@pytest.mark.parametrize(
    ("name", "old", "new", "problem"),
    [
        ("ballots.blt", "\n1 3 1 0\n", "\n1 1 3 0\n", "sha256"),
        ("result.json", '"Cal Calm",', '"Bea Bold",', "sha256"),
        ("receipts.txt", "\n", "\n" + "f" * 64 + "\n", "receipt"),
    ],
)
def test_a_tampered_bundle_fails_verification_naming_the_file(
    org: Org, name: str, old: str, new: str, problem: str
) -> None:
    s, _ = _vote_and_publish(org)
    files = dict(s.election.publication.files)
    assert old in files[name]
    files[name] = files[name].replace(old, new, 1)
    verdict = publish.verify(files)
    assert not verdict.ok
    assert any(name in p or problem in p for p in verdict.problems), verdict.problems


def test_altered_ballots_with_recomputed_hashes_still_fail_the_recount(org: Org) -> None:
    s, _ = _vote_and_publish(org)
    files = dict(s.election.publication.files)
    # move two of Cal's first preferences to Bea, then fix the hashes as a forger would
    files["ballots.blt"] = files["ballots.blt"].replace("\n2 3 4 0\n", "\n2 2 1 0\n", 1)
    meta = json.loads(files["election.json"])
    import hashlib

    meta["sha256"]["ballots.blt"] = hashlib.sha256(files["ballots.blt"].encode()).hexdigest()
    files["election.json"] = json.dumps(meta)
    verdict = publish.verify(files)
    assert not verdict.ok
    assert any("recount" in p or "stage" in p for p in verdict.problems), verdict.problems


def test_grassroots_verify_says_matches_for_a_published_folder_and_fails_when_altered(
    org: Org, tmp_path: Path
) -> None:
    s, _ = _vote_and_publish(org)
    for name, text in s.election.publication.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    assert "MATCHES" in ok.output
    (tmp_path / "receipts.txt").write_text("", encoding="utf-8")
    bad = runner.invoke(app, ["verify", str(tmp_path)])
    assert bad.exit_code == 1
    assert "DOES NOT MATCH" in bad.output


def test_counting_before_closing_is_refused(voting: Setup) -> None:
    with pytest.raises(actions.ActionRefused, match="close voting first"):
        actions.count_votes(voting.election, by=None)


def test_publishing_before_counting_is_refused(voting: Setup) -> None:
    actions.close_voting(voting.election, by=None, now=NOW + 6 * DAY)
    with pytest.raises(actions.ActionRefused, match="count the votes first"):
        actions.publish_result(voting.election, by=None)


def test_grassroots_verify_reads_the_zip_the_site_serves(org: Org, tmp_path: Path) -> None:
    from django.test import Client

    s, _ = _vote_and_publish(org)
    z = tmp_path / "bundle.zip"
    z.write_bytes(Client().get(f"/elections/{s.election.pk}/bundle.zip").content)
    out = CliRunner().invoke(app, ["verify", str(z)])
    assert out.exit_code == 0, out.output
    assert "recount under scottish" in out.output
