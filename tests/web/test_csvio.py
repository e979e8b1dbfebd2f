"""Register CSV: every problem reported by row and column; what is written reads back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from grassroots.members import csvio
from grassroots.members.csvio import UnitRef

UNITS = {
    "national": UnitRef(1, "national", None),
    "hillford": UnitRef(3, "branch", 2),
    "moorside": UnitRef(4, "branch", 2),
    "hillford-east": UnitRef(5, "ward", 3),
    "north": UnitRef(2, "region", 1),
}
HEADER = "number,name,email,branch,ward,join_date,status,paid_up_to,rate_band,gender,birth_date\n"
TODAY = dt.date(2026, 1, 1)


def parse(body: str, **kw: object) -> csvio.ParseResult:
    return csvio.parse(HEADER + body, UNITS, today=TODAY, **kw)  # type: ignore[arg-type]


def test_a_clean_file_gives_every_row_and_no_errors() -> None:
    r = parse(
        "A1,Ann,ann@example.org,hillford,hillford-east,2020-01-02,full,2026-12-31,reduced,woman,1990-04-01\n"
        "A2,Bob,,moorside,,2021-05-06,provisional,,,,\n"
    )
    assert r.errors == [] and r.total == 2
    assert [m.number for m in r.rows] == ["A1", "A2"]
    assert (
        r.rows[0].ward_id == 5
        and r.rows[1].paid_up_to is None
        and r.rows[1].rate_band == "standard"
    )


def test_each_problem_names_its_row_column_and_what_is_wrong() -> None:
    r = parse(
        "A1,Ann,ann@example.org,hillford,,2020-01-02,full,,,,\n"  # row 2: fine
        "A2,Bob,,nowhere,,2020-13-01,full,,,,\n"  # row 3: branch, date
        "A1,Cat,not-an-email,north,,2020-01-01,member,,,,\n"  # row 4: repeat, email, region, status
    )
    got = [(e.row, e.column) for e in r.errors]
    assert got == [
        (3, "branch"),
        (3, "join_date"),
        (4, "number"),
        (4, "email"),
        (4, "branch"),
        (4, "status"),
    ]
    assert str(r.errors[0]) == "row 3, column branch: no unit with code 'nowhere'"
    assert r.errors[1].problem == "expected a date as YYYY-MM-DD, found '2020-13-01'"
    assert r.errors[2].problem == "A1 repeats row 2"
    assert r.bad_rows == 2 and len(r.rows) == 1


def test_a_missing_required_column_or_unknown_column_is_a_header_error() -> None:
    r = csvio.parse("number,name,colour\nA1,Ann,red\n", UNITS)
    assert not r.header_ok
    assert {(e.row, e.column) for e in r.errors} >= {
        (1, "colour"),
        (1, "branch"),
        (1, "join_date"),
        (1, "status"),
    }
    assert r.rows == []


def test_a_row_with_the_wrong_number_of_fields_is_reported() -> None:
    r = parse("A1,Ann\n")
    assert [(e.row, e.problem) for e in r.errors] == [(2, "expected 11 fields, found 2")]


def test_numbers_already_in_the_register_and_branches_out_of_scope_are_refused() -> None:
    r = parse(
        "A1,Ann,,hillford,,2020-01-02,full,,,,\nA2,Bob,,moorside,,2020-01-02,full,,,,\n",
        existing_numbers={"A1"},
        allowed_branches={3},
    )
    assert [(e.row, e.column) for e in r.errors] == [(2, "number"), (3, "branch")]


def test_a_ward_must_belong_to_the_rows_branch_and_dates_must_make_sense() -> None:
    r = parse("A1,Ann,,moorside,hillford-east,2027-01-02,full,,,,2028-01-01\n")
    assert [e.column for e in r.errors] == ["ward", "join_date", "birth_date"]


def test_blank_lines_are_not_rows() -> None:
    r = parse("\nA1,Ann,,hillford,,2020-01-02,full,,,,\n\n")
    assert r.total == 1 and r.errors == []


def test_an_empty_file_says_so() -> None:
    r = csvio.parse("", UNITS)
    assert r.errors[0].problem == "the file is empty: expected a header row"


def test_what_write_produces_parse_reads_back() -> None:
    rows = [
        {
            "number": "A1",
            "name": "Ann, Jr",
            "email": "",
            "branch": "hillford",
            "ward": None,
            "join_date": dt.date(2020, 1, 2),
            "status": "full",
            "paid_up_to": None,
            "rate_band": "standard",
            "gender": "",
            "birth_date": None,
        }
    ]
    r = csvio.parse(csvio.write(rows), UNITS, today=TODAY)
    assert r.errors == []
    assert r.rows[0].name == "Ann, Jr" and r.rows[0].join_date == dt.date(2020, 1, 2)


DATA = Path(__file__).resolve().parents[1] / "data" / "web"


def _file(name: str) -> csvio.ParseResult:
    return csvio.parse((DATA / name).read_text(encoding="utf-8"), UNITS, today=TODAY)


def test_the_valid_fixture_reads_with_quoting_and_every_column() -> None:
    r = _file("register_valid.csv")
    assert r.errors == [] and r.total == 3
    assert r.rows[2].name == 'Cat "Kit" Example, Jr'
    assert r.rows[1].birth_date == dt.date(2004, 2, 29)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("register_dates_not_iso.csv", [(2, "join_date"), (3, "join_date")]),
        ("register_unknown_column.csv", [(1, "joined"), (1, "join_date")]),
        ("register_repeated_number.csv", [(3, "number")]),
        ("register_branch_not_a_branch.csv", [(2, "branch"), (3, "branch")]),
    ],
)
def test_each_bad_fixture_is_reported_at_its_row_and_column(
    name: str, expected: list[tuple[int, str]]
) -> None:
    assert [(e.row, e.column) for e in _file(name).errors] == expected
