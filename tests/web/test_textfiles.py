"""The reading every importer shares (grassroots/textfiles.py): records numbered as a
spreadsheet numbers its rows, blank ones left out, an unreadable one named by its row."""

from __future__ import annotations

import csv
import io

from grassroots.textfiles import records


def test_records_are_numbered_as_spreadsheet_rows_past_blank_lines_and_unreadable_ones() -> None:
    huge = "x" * (csv.field_size_limit() + 1)
    text = f"name,email\nAnn,ann@example.org\n,\n\nBob,{huge}\nCal,cal@example.org\n"
    reader = csv.reader(io.StringIO(text))
    next(reader)  # the heading is row 1
    found = list(records(reader))
    assert [number for number, _ in found] == [2, 5, 6]
    assert found[0][1] == ["Ann", "ann@example.org"]
    assert isinstance(found[1][1], csv.Error)
    assert found[2][1] == ["Cal", "cal@example.org"]
