"""Ballot file readers and writers on vendored files: real examples, bad inputs, policies.

Real examples in tests/data/formats/good come from Droop's test files, PrefLib ED-00007 and
scot-elex (see tests/data/formats/PROVENANCE.md); bad inputs in tests/data/formats/bad are
named after their problem, and each must fail with exactly the message below.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from grassroots.count.ballots import Election
from grassroots.count.errors import BallotFileError, InputError
from grassroots.count.formats import (
    blt,
    format_of,
    preflib,
    read_ballots,
    write_ballots,
)
from grassroots.count.formats import csv as csv_format
from grassroots.count.formats import json as json_format

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"
GOOD = DATA / "good"
BAD = DATA / "bad"

# file -> (line or None, problem, reader options)
BAD_FILES: dict[str, tuple[int | None, str, dict[str, Any]]] = {
    "non_numeric_weight.blt": (3, "expected a ballot weight, found 'x'", {}),
    "missing_end_marker.blt": (
        4,
        "the ballots never end: expected a line '0' before the names",
        {},
    ),
    "ballot_without_final_zero.blt": (2, "a ballot line must end with 0", {}),
    "candidate_out_of_range.blt": (2, "candidate 5 is not one of 1..3", {}),
    "zero_weight.blt": (2, "a ballot weight must be positive, found 0", {}),
    "negative_weight.blt": (3, "expected a ballot weight, found '-2'", {}),
    "fractional_weight.blt": (2, "expected a ballot weight, found '1.5'", {}),
    "header_without_seats.blt": (1, "expected 'candidates seats', found '3'", {}),
    "empty.blt": (1, "the file is empty: expected 'candidates seats'", {}),
    "only_comments.blt": (1, "the file is empty: expected 'candidates seats'", {}),
    "too_few_names.blt": (5, "expected 3 candidate names, found 2", {}),
    "unquoted_name.blt": (
        5,
        "expected the name of candidate 2 in double quotes, found 'Pollux'",
        {},
    ),
    "unterminated_name.blt": (
        5,
        'the name of candidate 2 has no closing double quote: "Pollux',
        {},
    ),
    "withdrawn_out_of_range.blt": (2, "withdrawn candidate -7 is not one of -1..-3", {}),
    "tie_order.blt": (
        2,
        "a tie-break order ([tie ...]) is not supported: grassroots breaks ties as the "
        "counting rule says (looking back, then by lot with a recorded seed); remove the line",
        {},
    ),
    "droop_options.blt": (
        2,
        "Droop's counting options ([droop ...]) are not read from ballot files: choose the "
        "rule and its options when counting; remove the line",
        {},
    ),
    "unknown_option.blt": (
        2,
        "unknown option line [undeclared ...]; grassroots reads [nick ...] and "
        "[withdrawn ...] only",
        {},
    ),
    "option_after_ballots.blt": (3, "option lines [...] must come before the ballots", {}),
    "repeated_names.blt": (6, "candidate name 'Castor' is given twice", {}),
    "zero_inside_ballot.blt": (2, "a 0 before the end of a ballot line", {}),
    "dangling_equals.blt": (2, "an '=' must join two candidates, found '1='", {}),
    "unknown_nickname.blt": (3, "expected a candidate number or nickname, found 'd'", {}),
    "not_utf8.blt": (4, "the file is not UTF-8 text (byte 0xe5)", {}),
    "missing_alternative_name.soi": (
        5,
        "the header has no '# ALTERNATIVE NAME 2: ...' line",
        {},
    ),
    "missing_number_alternatives.soi": (
        3,
        "the header has no '# NUMBER ALTERNATIVES: n' line",
        {},
    ),
    "voters_mismatch.soi": (2, "NUMBER VOTERS says 9 but the orders' counts add up to 8", {}),
    "alternative_out_of_range.soi": (5, "alternative 4 is not one of 1..2", {}),
    "unclosed_brace.toi": (5, "a '{' has no closing '}'", {}),
    "non_numeric_count.soi": (4, "expected a positive count of voters, found 'x'", {}),
    "missing_colon.soi": (4, "expected 'count: order', found '5 1,2'", {}),
    "non_numeric_rank.csv": (
        3,
        "column 2 (Bob): expected a rank number (1, 2, ...), found 'x'",
        {},
    ),
    "non_numeric_weight.csv": (3, "column 1 (weight): expected a ballot weight, found 'many'", {}),
    "ragged_row.csv": (3, "the row has 3 cells but the header has 2", {}),
    "rank_columns_not_numbered.csv": (1, "rank columns must be numbered 1..2, found 1, 3", {}),
    "duplicate_header.csv": (1, "column 3 (Ann): the header 'Ann' appears twice", {}),
    "unknown_candidate.csv": (
        3,
        "column 2 (rank2): unknown candidate 'Zed'",
        {"candidates": ["Ann", "Bob"]},
    ),
    "bad_weight.json": (
        4,
        'ballots[1].weight: expected a positive whole number, found "x"',
        {},
    ),
    "syntax_error.json": (3, "not valid JSON: Expecting ',' delimiter", {}),
    "unknown_candidate.json": (3, "ballots[0].ranking[1]: unknown candidate 'Zed'", {}),
    "wrong_format.json": (1, "format: expected 'grassroots-ballots', found \"votekit\"", {}),
    "weight_too_large.blt": (
        3,
        "a ballot weight of 10000000000000000000 is more than 9223372036854775807, "
        "the most ballots counted",
        {},
    ),
    "weights_add_up_too_far.csv": (
        3,
        "column 1 (weight): the ballot weights add up to 9223372036854775808 by here, "
        "more than 9223372036854775807, the most ballots counted",
        {},
    ),
}


def test_every_bad_fixture_has_its_expected_message() -> None:
    assert sorted(BAD_FILES) == sorted(p.name for p in BAD.iterdir())


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_malformed_file_is_refused_naming_file_line_and_problem(name: str) -> None:
    line, problem, options = BAD_FILES[name]
    path = BAD / name
    with pytest.raises(BallotFileError) as caught:
        read_ballots(path, **options)
    where = f"{path}:{line}" if line is not None else str(path)
    assert str(caught.value) == f"{where}: {problem}"
    assert caught.value.line == line
    assert caught.value.source == str(path)


def test_ballot_file_errors_are_input_errors_and_value_errors() -> None:
    with pytest.raises(ValueError):
        blt.loads("x")
    assert issubclass(BallotFileError, InputError)


# --- BLT on real files -----------------------------------------------------------------------


def test_blt_reads_names_title_weights_and_rankings() -> None:
    e = read_ballots(GOOD / "42u.blt")
    assert e.candidates == ("Cåstor", "Pøllüx", "Hélen")
    assert e.title == "Pøllüx and Hélen should tie"
    assert e.seats == 2
    assert dict(zip(e.rankings, e.weights, strict=True)) == {((0,), (1,)): 4, ((2,),): 2}
    assert e.irregularities == ()


def test_blt_with_a_byte_order_mark_reads_like_without() -> None:
    assert (GOOD / "42ubom.blt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_ballots(GOOD / "42ubom.blt") == read_ballots(GOOD / "42u.blt")


def test_blt_withdrawn_line_and_droop_withdrawn_option_mean_the_same() -> None:
    plain = read_ballots(GOOD / "SCw.blt")
    droop = read_ballots(GOOD / "SCwopt.blt")
    assert plain.withdrawn == frozenset({3})
    assert plain.candidates[3] == "Pat LaMarche"
    assert (droop.rankings, droop.weights, droop.withdrawn) == (
        plain.rankings,
        plain.weights,
        plain.withdrawn,
    )


def test_blt_droop_nicknames_and_equal_rankings_are_read() -> None:
    e = read_ballots(GOOD / "eq1.blt")
    assert e.candidates == ("A", "B", "C")
    assert dict(zip(e.rankings, e.weights, strict=True)) == {
        ((0,), (1,)): 5,
        ((1, 2),): 1,
        ((2,),): 3,
    }


def test_blt_tie_order_line_is_refused_rather_than_ignored() -> None:
    with pytest.raises(BallotFileError, match=r"42t\.blt:2: a tie-break order"):
        read_ballots(GOOD / "42t.blt")


def test_blt_text_after_the_title_is_recorded_as_not_used() -> None:
    e = read_ballots(GOOD / "M135.blt")
    assert e.title == "M135: Gen v1.1 1 3 45"
    assert len(e.candidates) == 25 and e.seats == 7
    # Droop's report says "Ballots: 677": it leaves out the two blank ballots (lines 545, 557).
    assert sum(w for _, w in e.effective_rankings()) == 677
    assert e.total_ballots == 679
    (note,) = e.irregularities
    assert note.startswith(f"{GOOD / 'M135.blt'}:708: text after the title is not used: ")


def test_blt_candidate_ranked_twice_keeps_the_first_mark_and_says_so() -> None:
    e = blt.loads('3 1\n2 1 2 1 3 0\n0\n"A" "B" "C" "t"\n', source="w.blt")
    assert e.rankings == (((0,), (1,), (2,)),)
    assert e.irregularities == ("w.blt:2: candidate 1 ranked twice; the later mark is ignored",)


def test_blt_comments_blank_lines_and_crlf_are_accepted() -> None:
    lines = ["# comment", "", "3 1 # header", "2 1 2 0", "1 0", "0", '"A # not a comment"']
    text = "\r\n".join([*lines, '"B" "C"', '"T"', ""])
    e = blt.loads(text)
    assert e.candidates == ("A # not a comment", "B", "C")
    assert e.rankings == (((0,), (1,)), ())
    assert e.total_ballots == 3


def test_blt_identical_ballot_lines_are_grouped_with_their_weight() -> None:
    e = blt.loads('2 1\n1 1 2 0\n1 2 0\n3 1 2 0\n0\n"A" "B" ""\n')
    assert dict(zip(e.rankings, e.weights, strict=True)) == {((0,), (1,)): 4, ((1,),): 1}


def test_blt_huge_candidate_number_in_header_does_not_exhaust_memory() -> None:
    with pytest.raises(BallotFileError, match="expected 999999999 candidate names, found 1"):
        blt.loads('999999999 1\n1 999999999 0\n0\n"A"\n')


# --- PrefLib ---------------------------------------------------------------------------------


def test_preflib_soi_agrees_with_the_blt_of_the_same_election() -> None:
    soi = read_ballots(GOOD / "00007-00000022.soi")
    ref = read_ballots(GOOD / "00007-00000022.blt")
    assert soi.candidates == ref.candidates
    assert soi.seats == 0 == ref.seats
    assert dict(zip(soi.rankings, soi.weights, strict=True)) == dict(
        zip(ref.rankings, ref.weights, strict=True)
    )


def test_preflib_ties_in_braces_are_equal_ranks() -> None:
    text = (
        "# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n"
        "# ALTERNATIVE NAME 3: C\n# NUMBER VOTERS: 7\n4: 1,{2,3}\n3: {1, 3}, 2\n"
    )
    e = preflib.loads(text, seats=1)
    assert dict(zip(e.rankings, e.weights, strict=True)) == {
        ((0,), (1, 2)): 4,
        ((0, 2), (1,)): 3,
    }
    assert e.seats == 1


def test_preflib_older_layout_is_read() -> None:
    text = "3\n1,A\n2,B\n3,C\n7,7,2\n4,1,2,3\n3,{2,3},1\n"
    e = preflib.loads(text)
    assert e.candidates == ("A", "B", "C")
    assert dict(zip(e.rankings, e.weights, strict=True)) == {
        ((0,), (1,), (2,)): 4,
        ((1, 2), (0,)): 3,
    }


def test_preflib_alternative_listed_twice_keeps_the_first_place_and_says_so() -> None:
    text = "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n2: 1,2,1\n"
    e = preflib.loads(text, source="p.soi")
    assert e.rankings == (((0,), (1,)),)
    assert e.irregularities == (
        "p.soi:4: alternative 1 listed twice; the later mention is ignored",
    )


# --- CSV -------------------------------------------------------------------------------------


def test_csv_rank_columns_are_detected_and_read() -> None:
    text = "Rank 1,Rank 2,Rank 3,Weight\nAnn,Bob,,3\nBob,,,1\nAnn,Bob,,2\n"
    e = csv_format.loads(text, seats=1)
    assert e.candidates == ("Ann", "Bob")
    assert dict(zip(e.rankings, e.weights, strict=True)) == {((0,), (1,)): 5, ((1,),): 1}
    assert e.irregularities == ()


def test_csv_candidate_columns_are_detected_and_read() -> None:
    text = "Ann,Bob,Cat\n1,2,\n,1,2\n2,1,3\n"
    e = csv_format.loads(text)
    assert e.candidates == ("Ann", "Bob", "Cat")
    assert e.rankings == (((0,), (1,)), ((1,), (2,)), ((1,), (0,), (2,)))


def test_csv_semicolons_and_tabs_are_accepted_as_separators() -> None:
    assert csv_format.loads("Ann;Bob\n1;2\n").rankings == (((0,), (1,)),)
    assert csv_format.loads("Ann\tBob\n2\t1\n").rankings == (((1,), (0,)),)


def test_csv_layout_can_be_named_when_candidate_names_look_like_numbers() -> None:
    e = csv_format.loads("1,2\n2,1\n", layout="candidates")
    assert e.candidates == ("1", "2")
    assert e.rankings == (((1,), (0,)),)


def test_csv_skipped_rank_truncates_the_ballot_by_default_and_says_so() -> None:
    e = csv_format.loads("rank1,rank2,rank3\nAnn,,Bob\n", source="v.csv")
    assert e.rankings == (((0,),),)
    assert e.irregularities == (
        "v.csv:2: rank 2 is blank but a later rank is filled; the preferences after the gap "
        "are not used",
    )


def test_csv_skipped_rank_can_close_up_instead() -> None:
    e = csv_format.loads("Ann,Bob,Cat\n1,4,2\n", source="v.csv", skipped="close")
    assert e.rankings == (((0,), (2,), (1,)),)
    assert e.irregularities == (
        "v.csv:2: rank 3 is blank but a later rank is filled; the later preferences move up "
        "to close the gap",
    )


def test_csv_two_candidates_with_the_same_rank_number_are_ranked_equal_and_recorded() -> None:
    e = csv_format.loads("Ann,Bob,Cat\n1,1,2\n", source="v.csv")
    assert e.rankings == (((0, 1), (2,)),)
    assert e.irregularities == ("v.csv:2: rank 1 given to Ann, Bob; they are ranked equal",)


def test_csv_candidate_ranked_twice_keeps_the_first_rank_and_says_so() -> None:
    e = csv_format.loads("1,2,3\nAnn,Bob,Ann\n", source="v.csv")
    assert e.rankings == (((0,), (1,)),)
    assert e.irregularities == ("v.csv:2: 'Ann' ranked twice; the later rank is ignored",)


def test_csv_fixed_candidate_list_keeps_its_order() -> None:
    e = csv_format.loads("1,2\nCat,Ann\n", candidates=["Ann", "Bob", "Cat"])
    assert e.candidates == ("Ann", "Bob", "Cat")
    assert e.rankings == (((2,), (0,)),)


# --- JSON and the dispatcher -----------------------------------------------------------------


def test_json_round_trips_irregularities_and_withdrawn_candidates() -> None:
    e = blt.loads('3 1\n-2\n2 1 2 1 3=2 0\n0\n"A" "B" "C" "t"\n', source="w.blt")
    assert e.irregularities and e.withdrawn == frozenset({1})
    assert json_format.loads(json_format.dumps(e)) == e


def test_extension_chooses_the_reader_and_a_name_overrides_it() -> None:
    assert format_of("x.BLT") == "blt"
    assert format_of("a/b.toi") == "preflib"
    with pytest.raises(InputError, match="cannot tell the ballot file format"):
        format_of("ballots.txt")
    with pytest.raises(InputError, match="unknown ballot file format 'xml'"):
        read_ballots(GOOD / "42u.blt", format="xml")


def test_read_ballots_seats_option_sets_seats_for_files_without_them() -> None:
    assert read_ballots(GOOD / "00007-00000022.soi", seats=3).seats == 3


def test_write_ballots_writes_to_a_path_or_a_stream(tmp_path: Path) -> None:
    e = read_ballots(GOOD / "shetland_2017_ward6.blt")
    for fmt in ("blt", "json"):
        path = tmp_path / f"out.{fmt}"
        write_ballots(e, path, fmt)
        assert read_ballots(path) == e
        stream = io.StringIO()
        write_ballots(e, stream, fmt)
        assert stream.getvalue() == path.read_text(encoding="utf-8")
    write_ballots(e, tmp_path / "out.soi", "preflib")
    assert read_ballots(tmp_path / "out.soi", seats=e.seats) == e


def test_writers_refuse_what_their_format_cannot_hold() -> None:
    e = Election(("A\nB",), 1, (((0,),),), (1,))
    with pytest.raises(InputError, match="line break"):
        blt.dumps(e)
    with pytest.raises(InputError, match="cannot mark withdrawn"):
        preflib.dumps(Election(("A", "B"), 1, (), (), withdrawn=frozenset({0})))
    with pytest.raises(InputError, match="cannot write 'csv' files"):
        write_ballots(e, io.StringIO(), "csv")


@pytest.mark.parametrize(
    ("load", "text", "line"),
    [
        (blt.loads, "3 1\n" + "9" * 5000 + " 1 0\n0\n", 2),
        (
            preflib.loads,
            "# NUMBER ALTERNATIVES: 1\n# ALTERNATIVE NAME 1: a\n" + "9" * 5000 + ": 1\n",
            3,
        ),
        (csv_format.loads, "a,b\n" + "9" * 5000 + ",1\n", 2),
    ],
)
def test_a_number_too_long_for_python_is_refused_with_its_line(
    load: Any, text: str, line: int
) -> None:
    with pytest.raises(BallotFileError) as caught:
        load(text, source="f")
    assert str(caught.value) == f"f:{line}: a number is too long to read"


def test_a_huge_declared_number_of_alternatives_is_refused_quickly() -> None:
    text = "# NUMBER ALTERNATIVES: 999999999999\n# ALTERNATIVE NAME 1: a\n1: 1\n"
    with pytest.raises(BallotFileError, match=re.escape("no '# ALTERNATIVE NAME 2: ...' line")):
        preflib.loads(text)


def test_a_byte_order_mark_in_already_decoded_text_is_ignored_by_every_reader() -> None:
    e = Election(("A", "B"), 1, (((0,), (1,)),), (2,), title="t")
    assert blt.loads("\ufeff" + blt.dumps(e)) == e
    assert json_format.loads("\ufeff" + json_format.dumps(e)) == e
    assert preflib.loads("\ufeff" + preflib.dumps(e), seats=1) == e
    assert csv_format.loads("\ufeffrank1,rank2,weight\nA,B,2\n").rankings == e.rankings


def test_blt_ballot_order_changes_only_the_order_of_the_grouped_rankings() -> None:
    lines = ["4 1 2 0", "2 3 0", "1 2=3 1 0", "3 1 2 0", "1 0"]
    head, tail = "3 2\n", '0\n"A" "B" "C" "t"\n'
    forward = blt.loads(head + "\n".join(lines) + "\n" + tail)
    backward = blt.loads(head + "\n".join(reversed(lines)) + "\n" + tail)
    assert dict(zip(forward.rankings, forward.weights, strict=True)) == dict(
        zip(backward.rankings, backward.weights, strict=True)
    )
    assert forward.rankings != backward.rankings


def test_json_structural_errors_name_the_line_where_the_value_starts() -> None:
    e = Election(("A", "B"), 1, (((0,),), ((1,), (0,))), (3, 2))
    lines = json_format.dumps(e).splitlines()
    k = next(i for i, line in enumerate(lines) if '"weight": 2' in line)
    lines[k] = lines[k].replace('"weight": 2', '"weight": -2')
    with pytest.raises(BallotFileError) as caught:
        json_format.loads("\n".join(lines), source="e.json")
    assert str(caught.value) == (
        f"e.json:{k + 1}: ballots[1].weight: expected a positive whole number, found -2"
    )


def test_write_ballots_takes_the_format_from_the_extension(tmp_path: Path) -> None:
    e = read_ballots(GOOD / "42u.blt")
    write_ballots(e, tmp_path / "copy.json")
    assert read_ballots(tmp_path / "copy.json") == e
    with pytest.raises(InputError, match="say which format"):
        write_ballots(e, io.StringIO())


def test_csv_separator_is_judged_on_the_header_even_after_blank_lines() -> None:
    e = csv_format.loads("\n\nAnn;Bob\n2;1\n", source="v.csv")
    assert e.candidates == ("Ann", "Bob")
    assert e.rankings == (((1,), (0,)),)
