"""Reading the ballot form: every well-numbered form gives its ranking; broken ones say why."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.elections.ranking import parse_ranks
from tests.strategies import ranked_ballot_forms


@given(ranked_ballot_forms())
def test_a_form_numbered_one_to_k_reads_back_as_the_ranking_meant(
    form: tuple[list[str], list[str], dict[str, str]],
) -> None:
    candidates, ranked, boxes = form
    parsed = parse_ranks(candidates, boxes)
    assert parsed.errors == ()
    assert list(parsed.ranking) == ranked


@given(ranked_ballot_forms())
def test_giving_one_rank_to_two_candidates_is_always_refused(
    form: tuple[list[str], list[str], dict[str, str]],
) -> None:
    candidates, ranked, boxes = form
    blank = [c for c in candidates if c not in ranked]
    if not blank:
        return
    boxes = {**boxes, blank[0]: "1"}
    parsed = parse_ranks(candidates, boxes)
    assert parsed.ranking == ()
    assert any("more than one candidate" in e for e in parsed.errors)


def test_each_problem_gets_its_own_sentence() -> None:
    names = ["A", "B", "C"]
    assert parse_ranks(names, {}).errors == (
        "rank at least one candidate (1 for your first choice)",
    )
    assert parse_ranks(names, {"A": "x"}).errors == (
        "A: 'x' is not a rank; use 1, 2, 3 … or leave it blank",
    )
    assert parse_ranks(names, {"A": "4"}).errors == ("A: rank 4 is more than the 3 candidates",)
    assert parse_ranks(names, {"A": "1", "B": "3"}).errors == (
        "rank 2 is skipped; number your choices 1, 2, 3 … in order",
    )


def test_each_error_names_the_boxes_it_is_about_and_a_whole_ballot_error_none() -> None:
    names = ["A", "B", "C", "D"]
    assert parse_ranks(names, {}).boxes == {}
    assert parse_ranks(names, {"A": "x", "B": "9"}).boxes == {
        "A": "not a rank: use 1, 2, 3 … or leave it blank",
        "B": "more than the 4 candidates",
    }
    assert parse_ranks(names, {"A": "1", "B": "1", "C": "2"}).boxes == {
        "A": "rank 1 is given to more than one candidate",
        "B": "rank 1 is given to more than one candidate",
    }
    assert parse_ranks(names, {"A": "1", "B": "3", "C": "4"}).boxes == {
        "B": "comes after the skipped rank 2",
        "C": "comes after the skipped rank 2",
    }


@pytest.mark.parametrize("text", ["²", "①", "½", "1.0", "1e3", "−1", "0", "٠", "1\x00"])
def test_characters_python_calls_digits_but_no_rank_is_refused_in_words(text: str) -> None:
    out = parse_ranks(["A", "B"], {"A": text})
    assert out.ranking == ()
    assert out.boxes == {"A": "not a rank: use 1, 2, 3 … or leave it blank"}


def test_decimal_digits_of_any_script_are_ranks() -> None:
    out = parse_ranks(["A", "B", "C"], {"A": "٢", "B": "１", "C": "३"})
    assert out.errors == () and out.ranking == ("B", "A", "C")


def test_a_rank_thousands_of_digits_long_is_beyond_the_candidates_not_a_crash() -> None:
    out = parse_ranks(["A", "B"], {"A": "9" * 5000})
    assert out.boxes == {"A": "more than the 2 candidates"}
    assert len(out.errors[0]) < 80


@given(st.dictionaries(st.sampled_from(["A", "B", "C"]), st.text()))
def test_no_text_typed_in_the_boxes_raises_anything(boxes: dict[str, str]) -> None:
    out = parse_ranks(["A", "B", "C"], boxes)
    assert bool(out.ranking) != bool(out.errors)
