"""Test-only readers for RCTab test cases: config; ES&S xlsx, CDF, CSV, Dominion, Hart CVRs.

RCTab (BrightSpots/rcv, MPL-2.0) ships each test as a ``<name>_config.json``, one or more
cast vote record files, and the round-by-round tallies it expects. This module reads those
files (our own code, written from the formats' documentation and the files themselves) and
turns each ballot into a grassroots ranking by applying, ahead of the count, the ballot
options RCTab applies while counting. All of them act at a fixed place on the paper, so doing
them first gives the same count:

* ``maxRankingsAllowed``: ranks beyond it are ignored;
* ``maxSkippedRanksAllowed``: a gap of more unmarked ranks than allowed exhausts the paper;
* ``overvoteRule``: a rank marked for several candidates exhausts the paper
  (``exhaustImmediately``), is passed over (``alwaysSkipToNextRank``), or stays a rank of
  equal candidates (``exhaustIfMultipleContinuing``, which is what ``irv`` does with one);
* ``exhaustOnDuplicateCandidate``: a candidate marked again exhausts the paper, or the repeat
  is passed over.

A paper with marks that exhausts before its first usable rank cannot be an ``Election``
ranking (an empty ranking is a blank paper); it is counted in ``CvrBallots.dead`` instead,
because RCTab reports it among the inactive ballots from round 1.

Only the stdlib is used: an ``.xlsx`` file is a zip of XML parts.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from grassroots.count.ballots import Election, Ranking, group_ballots

UWI = "Undeclared Write-ins"
OVERVOTE = "\x00overvote"
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}

# A ballot as marked: (rank number, the labels marked at that rank).
Marks = list[tuple[int, tuple[str, ...]]]


def xlsx_rows(path: Path) -> list[dict[int, str]]:
    """The first sheet's rows as {column number (1-based): cell text}, row 1 first."""
    with zipfile.ZipFile(path) as z:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
            for si in root.findall("m:si", _NS):
                shared.append("".join(t.text or "" for t in si.iter(f"{{{_NS['m']}}}t")))
        sheets = sorted(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
        root = ElementTree.fromstring(z.read(sheets[0]))
    m = f"{{{_NS['m']}}}"
    cell_tag, value_tag, text_tag = m + "c", m + "v", m + "t"
    rows: dict[int, dict[int, str]] = {}
    columns: dict[str, int] = {}
    for row in root.iter(m + "row"):
        cells: dict[int, str] = {}
        for c in row:
            if c.tag != cell_tag:
                continue
            letters = c.attrib["r"].rstrip("0123456789")
            col = columns.get(letters)
            if col is None:
                col = 0
                for ch in letters:
                    col = col * 26 + ord(ch) - 64
                columns[letters] = col
            kind = c.attrib.get("t", "n")
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(text_tag))
            else:
                value = next((v.text for v in c if v.tag == value_tag), None)
                if value is None:
                    continue
                text = shared[int(value)] if kind == "s" else value
                if kind == "n" and text.endswith(".0"):
                    text = text[:-2]
            cells[col] = text
        rows[int(row.attrib["r"])] = cells
    last = max(rows, default=0)
    return [rows.get(i, {}) for i in range(1, last + 1)]


@dataclass
class CvrBallots:
    """What the CVRs of one case hold, once RCTab's ballot options have been applied."""

    election: Election
    dead: int = 0  # papers with marks that exhaust before any usable rank
    blank: int = 0  # papers with no marks at all (RCTab's undervotes)
    notes: list[str] = field(default_factory=list)


@dataclass
class RctabCase:
    """One RCTab test case: its directory, config and expected rounds."""

    directory: Path
    name: str
    config: dict[str, Any]

    @classmethod
    def load(cls, directory: Path) -> RctabCase:
        name = directory.name
        config = json.loads((directory / f"{name}_config.json").read_text(encoding="utf-8"))
        return cls(directory, name, config)

    @property
    def rules(self) -> dict[str, Any]:
        rules: dict[str, Any] = self.config["rules"]
        return rules

    @property
    def expected_path(self) -> Path:
        return self.directory / f"{self.name}_expected_detailed_report.json"

    def expected_rounds(self) -> list[dict[str, Any]]:
        """RCTab's rounds: ``round``, ``tally``, ``tallyResults``, ``inactiveBallots``..."""
        data = json.loads(self.expected_path.read_text(encoding="utf-8"))
        rounds: list[dict[str, Any]] = data["results"]
        return rounds

    def candidate_names(self) -> list[str]:
        return [c["name"] for c in self.config["candidates"]]

    def excluded_names(self) -> set[str]:
        return {c["name"] for c in self.config["candidates"] if c.get("excluded")}

    def aliases(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in self.config["candidates"]:
            out[c["name"]] = c["name"]
            for a in c.get("aliases") or ():
                out[a] = c["name"]
            if c.get("code"):
                out[c["code"]] = c["name"]
        return out

    def unsupported(self) -> list[str]:
        """The options of this case our ``irv`` (or this reader) does not reproduce."""
        r = self.rules
        out: list[str] = []
        if r.get("winnerElectionMode") != "singleWinnerMajority":
            out.append(f"winnerElectionMode={r.get('winnerElectionMode')}")
        if r.get("continueUntilTwoCandidatesRemain"):
            out.append("continueUntilTwoCandidatesRemain")
        if str(r.get("stopTabulationEarlyAfterRound") or "").strip():
            out.append("stopTabulationEarlyAfterRound")
        if str(r.get("minimumVoteThreshold") or "0").strip() not in ("", "0"):
            out.append("minimumVoteThreshold")
        if r.get("doesFirstRoundDetermineThreshold"):
            out.append("doesFirstRoundDetermineThreshold")
        for s in self.config["cvrFileSources"]:
            if s.get("provider") not in (
                "ess",
                "cdf",
                "genericCsv",
                "clearBallot",
                "dominion",
                "hart",
            ):
                out.append(f"provider={s.get('provider')}")
            elif s.get("provider") == "cdf" and not s.get("filePath", "").endswith(
                (".json", ".xml")
            ):
                out.append(f"CDF file {s.get('filePath')}")
            elif not (self.directory / s.get("filePath", "")).exists() or (
                s.get("provider") == "dominion"
                and not list((self.directory / s["filePath"]).glob("CvrExport*.json"))
            ):
                out.append(f"missing CVR {s.get('filePath')}")
            if (
                r.get("overvoteRule") == "exhaustIfMultipleContinuing"
                and not s.get("overvoteDelimiter")
                and s.get("overvoteLabel")
            ):
                out.append("exhaustIfMultipleContinuing with an overvote label")
        if not self.expected_path.exists():
            out.append("no expected detailed report")
        return out

    # -- reading the CVRs ---------------------------------------------------------------

    def marks(self) -> Iterator[Marks]:
        for source in self.config["cvrFileSources"]:
            path = self.directory / source["filePath"]
            if source["provider"] == "ess":
                yield from self._ess_marks(path, source)
            elif source["provider"] == "hart":
                yield from self._hart_marks(path, source)
            elif source["provider"] == "dominion":
                yield from self._dominion_marks(path, source)
            elif source["provider"] == "genericCsv":
                yield from self._generic_csv_marks(path, source)
            elif source["provider"] == "clearBallot":
                yield from self._clear_ballot_marks(path, source)
            elif path.suffix.lower() == ".xml":
                yield from self._cdf_xml_marks(path, source)
            else:
                yield from self._cdf_marks(path, source)

    def _label(self, text: str, source: dict[str, Any], aliases: dict[str, str]) -> tuple[str, ...]:
        """The candidates (or markers) one cell names; () for an unmarked rank."""
        text = text.strip()
        if not text:
            return (UWI,) if source.get("treatBlankAsUndeclaredWriteIn") else ()
        if text == (source.get("skippedRankLabel") or "\x00"):
            return ()
        if text == (source.get("overvoteLabel") or "\x00"):
            return (OVERVOTE,)
        if text == (source.get("undeclaredWriteInLabel") or "\x00"):
            return (UWI,)
        delimiter = source.get("overvoteDelimiter") or ""
        parts = [p.strip() for p in text.split(delimiter)] if delimiter else [text]
        out = []
        for p in parts:
            if p == (source.get("undeclaredWriteInLabel") or "\x00"):
                out.append(UWI)
            elif p in aliases:
                out.append(aliases[p])
            else:
                raise ValueError(f"{self.name}: the CVR names {p!r}, not a declared candidate")
        return tuple(dict.fromkeys(out))

    def _ess_marks(self, path: Path, source: dict[str, Any]) -> Iterator[Marks]:
        rows = xlsx_rows(path)
        first_col = int(source["firstVoteColumnIndex"])
        first_row = int(source["firstVoteRowIndex"])
        width = self._max_rankings()
        header = rows[first_row - 2] if first_row >= 2 else {}
        aliases = self.aliases()
        if width is None:
            width = max((c for c in header), default=first_col) - first_col + 1
        for row in rows[first_row - 1 :]:
            if not row:
                continue
            marks: Marks = []
            for rank in range(1, width + 1):
                labels = self._label(row.get(first_col + rank - 1, ""), source, aliases)
                if labels:
                    marks.append((rank, labels))
            yield marks

    def _hart_marks(self, path: Path, source: dict[str, Any]) -> Iterator[Marks]:
        """A folder of Hart XML sheets; an option's ``Value`` has a 1 at each rank it holds,
        counted from the left (``010000`` is rank 2)."""
        aliases = self.aliases()
        wanted = str(source.get("contestId") or "")
        for sheet in sorted(path.glob("*.xml")):
            root = ElementTree.fromstring(sheet.read_bytes())
            tag = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""
            for contest in root.iter(tag + "Contest"):
                if (contest.findtext(tag + "Id") or "").strip() != wanted:
                    continue
                by_rank: dict[int, list[str]] = {}
                for option in contest.iter(tag + "Option"):
                    option_id = (option.findtext(tag + "Id") or "").strip()
                    if option_id in aliases or option.find(tag + "WriteInData") is None:
                        label = self._label(option_id, source, aliases)
                    else:
                        label = (UWI,)
                    value = (option.findtext(tag + "Value") or "").strip()
                    for i, bit in enumerate(value):
                        if bit == "1":
                            by_rank.setdefault(i + 1, []).extend(label)
                yield [(r, tuple(dict.fromkeys(by_rank[r]))) for r in sorted(by_rank)]

    def _dominion_marks(self, path: Path, source: dict[str, Any]) -> Iterator[Marks]:
        """A Dominion export folder: ``CvrExport*.json`` sessions, candidates by numeric id."""
        aliases = self.aliases()
        contest = int(source["contestId"])
        # A contest flagged "InvalidContest" (not on this voter's ballot style) is not counted.
        invalid: set[int] = set()
        outstack = path / "OutstackConditionManifest.json"
        if outstack.exists():
            manifest = json.loads(outstack.read_text(encoding="utf-8-sig"))
            invalid = {c["Id"] for c in manifest["List"] if c["Description"] == "InvalidContest"}
        for export in sorted(path.glob("CvrExport*.json")):
            data = json.loads(export.read_text(encoding="utf-8-sig"))
            for session in data["Sessions"]:
                # The adjudicated version, when there is one, replaces the scanned one.
                record = session.get("Modified") or session["Original"]
                contests = [
                    c
                    for card in record.get("Cards", [record])
                    for c in card.get("Contests", [])
                    if int(c["Id"]) == contest
                    and not invalid & set(c.get("OutstackConditionIds", []))
                ]
                if not contests:
                    continue  # this ballot does not hold the contest
                by_rank: dict[int, list[str]] = {}
                for mark in contests[0].get("Marks", []):
                    if mark.get("IsAmbiguous"):
                        continue
                    label = self._label(str(mark["CandidateId"]), source, aliases)
                    by_rank.setdefault(int(mark["Rank"]), []).extend(label)
                yield [(r, tuple(dict.fromkeys(by_rank[r]))) for r in sorted(by_rank)]

    def _generic_csv_marks(self, path: Path, source: dict[str, Any]) -> Iterator[Marks]:
        """One column per candidate (header), each cell the rank given to that candidate."""
        aliases = self.aliases()
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        first_col = int(source["firstVoteColumnIndex"]) - 1
        first_row = int(source["firstVoteRowIndex"]) - 1
        header = rows[first_row - 1]
        labels = [self._label(h, source, aliases) for h in header[first_col:]]
        for row in rows[first_row:]:
            by_rank: dict[int, list[str]] = {}
            for label, cell in zip(labels, row[first_col:], strict=False):
                if cell.strip() and label:
                    by_rank.setdefault(int(cell), []).extend(label)
            yield [(r, tuple(dict.fromkeys(by_rank[r]))) for r in sorted(by_rank)]

    def _clear_ballot_marks(self, path: Path, source: dict[str, Any]) -> Iterator[Marks]:
        """Columns ``Choice_<id>_1:<contest>:<rank>:<seats>:<candidate>:<party>``, 1 = marked."""
        aliases = self.aliases()
        with path.open(newline="", encoding="utf-8-sig") as f:
            rows = list(csv.reader(f))
        wanted = str(source.get("contestId") or "")
        columns: list[tuple[int, int, tuple[str, ...]]] = []
        for i, head in enumerate(rows[0]):
            parts = head.split(":")
            if len(parts) < 6 or not parts[0].startswith("Choice_") or parts[1] != wanted:
                continue
            name = ":".join(parts[4:-1])
            columns.append((i, int(parts[2]), self._label(name, source, aliases)))
        for row in rows[1:]:
            by_rank: dict[int, list[str]] = {}
            for i, rank, label in columns:
                if row[i].strip() == "1":
                    by_rank.setdefault(rank, []).extend(label or (UWI,))
            yield [(r, tuple(dict.fromkeys(by_rank[r]))) for r in sorted(by_rank)]

    def _cdf_marks(self, path: Path, source: dict[str, Any]) -> Iterator[Marks]:
        data = json.loads(path.read_text(encoding="utf-8"))
        selection_names: dict[str, str] = {}
        aliases = self.aliases()
        for election in data.get("Election", []):
            names = {c["@id"]: c.get("Name", c["@id"]) for c in election.get("Candidate", [])}
            for contest in election.get("Contest", []):
                for sel in contest.get("ContestSelection", []):
                    ids = sel.get("CandidateIds") or []
                    if ids:
                        name = names.get(ids[0], ids[0])
                        selection_names[sel["@id"]] = aliases.get(name, name)
                    else:
                        selection_names[sel["@id"]] = UWI
        for cvr in data.get("CVR", []):
            current = cvr.get("CurrentSnapshotId")
            snaps = [s for s in cvr["CVRSnapshot"] if s.get("@id") == current] or cvr["CVRSnapshot"]
            by_rank: dict[int, list[str]] = {}
            for contest in snaps[0].get("CVRContest", []):
                for sel in contest.get("CVRContestSelection", []):
                    name = selection_names[sel["ContestSelectionId"]]
                    for pos in sel.get("SelectionPosition", []):
                        if pos.get("HasIndication", "yes") != "yes":
                            continue
                        if str(pos.get("IsAllocable", "unknown")) == "no":
                            continue
                        by_rank.setdefault(int(pos["Rank"]), []).append(name)
            yield [(r, tuple(dict.fromkeys(by_rank[r]))) for r in sorted(by_rank)]
        del source

    def _cdf_xml_marks(self, path: Path, source: dict[str, Any]) -> Iterator[Marks]:
        """NIST CDF XML: the contest named by ``contestId`` (its name or its ObjectId)."""
        root = ElementTree.parse(path).getroot()

        def local(e: ElementTree.Element) -> str:
            return e.tag.rsplit("}", 1)[-1]

        def child(e: ElementTree.Element, name: str) -> ElementTree.Element | None:
            return next((c for c in e if local(c) == name), None)

        def text(e: ElementTree.Element, name: str, default: str = "") -> str:
            c = child(e, name)
            return default if c is None or c.text is None else c.text.strip()

        aliases = self.aliases()
        names: dict[str, str] = {}
        for e in root.iter():
            if local(e) == "Candidate" and text(e, "Name"):
                names[e.attrib.get("ObjectId", "")] = text(e, "Name")
        wanted = str(source.get("contestId") or "")
        contest_id = ""
        selection_names: dict[str, str] = {}
        for e in root.iter():
            if local(e) != "Contest":
                continue
            if wanted not in (text(e, "Name"), e.attrib.get("ObjectId", "")):
                continue
            contest_id = e.attrib.get("ObjectId", "")
            for sel in e:
                if local(sel) != "ContestSelection":
                    continue
                ids = [c.text.strip() for c in sel if local(c) == "CandidateIds" and c.text]
                # A write-in selection (or a candidate with no name) counts as an undeclared
                # write-in.
                name = names.get(ids[0].split()[0], UWI) if ids else UWI
                if text(sel, "IsWriteIn") == "true":
                    name = UWI
                selection_names[sel.attrib.get("ObjectId", "")] = aliases.get(name, name)
        if not contest_id:
            raise ValueError(f"{path}: no contest named {wanted!r}")
        for cvr in (e for e in root if local(e) == "CVR"):
            current = text(cvr, "CurrentSnapshotId")
            snaps = [s for s in cvr if local(s) == "CVRSnapshot"]
            snap = next((s for s in snaps if s.attrib.get("ObjectId") == current), None)
            if snap is None:
                continue
            contests = [
                c for c in snap if local(c) == "CVRContest" and text(c, "ContestId") == contest_id
            ]
            if not contests:
                continue  # this ballot does not hold the contest
            by_rank: dict[int, list[str]] = {}
            for sel in (s for s in contests[0] if local(s) == "CVRContestSelection"):
                name = selection_names.get(text(sel, "ContestSelectionId"), UWI)
                for pos in (p for p in sel if local(p) == "SelectionPosition"):
                    if text(pos, "HasIndication", "yes") != "yes":
                        continue
                    if text(pos, "IsAllocable", "unknown") == "no":
                        continue
                    rank = text(pos, "Rank")
                    if rank:
                        by_rank.setdefault(int(rank), []).append(name)
            yield [(r, tuple(dict.fromkeys(by_rank[r]))) for r in sorted(by_rank)]

    def _max_rankings(self) -> int | None:
        value = str(self.rules.get("maxRankingsAllowed", "max")).strip()
        return None if value in ("", "max") else int(value)

    # -- applying RCTab's ballot options ------------------------------------------------

    @cached_property
    def _options(self) -> tuple[int | None, int | None, str, bool, set[str]]:
        r = self.rules
        skip_text = str(r.get("maxSkippedRanksAllowed", "unlimited")).strip()
        max_skip = None if skip_text in ("", "unlimited") else int(skip_text)
        return (
            self._max_rankings(),
            max_skip,
            str(r.get("overvoteRule")),
            bool(r.get("exhaustOnDuplicateCandidate")),
            self.excluded_names(),
        )

    def ranking(self, marks: Marks) -> list[tuple[str, ...]]:
        """The ranks the count will see (empty when the paper exhausts at once)."""
        max_rank, max_skip, overvote_rule, exhaust_dup, excluded = self._options
        out: list[tuple[str, ...]] = []
        seen: set[str] = set()
        last = 0
        for rank, labels in marks:
            if max_rank is not None and rank > max_rank:
                break
            if max_skip is not None and rank - last - 1 > max_skip:
                break  # too many unmarked ranks in a row: exhausted
            last = rank
            names = tuple(n for n in labels if n not in excluded)
            if not names:
                continue
            if OVERVOTE in names or len(names) > 1:
                if overvote_rule == "alwaysSkipToNextRank":
                    continue
                if overvote_rule == "exhaustImmediately" or OVERVOTE in names:
                    break
                out.append(names)  # exhaustIfMultipleContinuing: an equal rank
                continue
            (name,) = names
            if name in seen:
                if exhaust_dup:
                    break
                continue
            seen.add(name)
            out.append(names)
        return out

    def ballots(self) -> CvrBallots:
        """The case's ballots as an ``Election`` for one seat."""
        names = [n for n in self.candidate_names()]
        excluded = self.excluded_names()
        all_marks = list(self.marks())
        # RCTab lists undeclared write-ins as a contestant whenever the CVR can name them.
        uses_uwi = any(
            s.get("undeclaredWriteInLabel") or s.get("treatBlankAsUndeclaredWriteIn")
            for s in self.config["cvrFileSources"]
        ) or any(UWI in labels for m in all_marks for _, labels in m)
        if uses_uwi and UWI not in names:
            names.append(UWI)
        index = {n: i for i, n in enumerate(names)}
        pairs: list[tuple[Ranking, int]] = []
        dead = blank = 0
        for marks in all_marks:
            if not marks:
                blank += 1
                continue
            ranks = self.ranking(marks)
            if not ranks:
                dead += 1
                continue
            ranking: Ranking = tuple(tuple(index[n] for n in rank) for rank in ranks if rank)
            pairs.append((ranking, 1))
        grouped = group_ballots(pairs)
        withdrawn = frozenset(index[n] for n in excluded if n in index)
        election = Election(
            tuple(names),
            1,
            tuple(grouped),
            tuple(grouped.values()),
            title=self.name,
            withdrawn=withdrawn,
        )
        return CvrBallots(election, dead=dead, blank=blank)


def tally_of(round_: dict[str, Any]) -> dict[str, Decimal]:
    """One RCTab round's tallies as exact decimals."""
    return {name: Decimal(v) for name, v in round_["tally"].items()}


def eliminated_in(round_: dict[str, Any]) -> list[str]:
    return [t["eliminated"] for t in round_.get("tallyResults", []) if "eliminated" in t]


def elected_in(round_: dict[str, Any]) -> list[str]:
    return [t["elected"] for t in round_.get("tallyResults", []) if "elected" in t]


def inactive_of(round_: dict[str, Any]) -> Decimal:
    return sum((Decimal(v) for v in round_.get("inactiveBallots", {}).values()), Decimal(0))
