"""Text files a spreadsheet saves, read as text: their encoding and their column separator.

Pure Python. Excel's "CSV UTF-8" is UTF-8 with a byte-order mark; its "Unicode text" is UTF-16
(little-endian on Windows, big-endian from some older Macs) with a byte-order mark, its columns
separated by tabs. Every importer that reads such files (bank statements, payments files) reads
them through these, so each accepts the same files.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator

__all__ = ["heading_delimiter", "records", "unicode_text"]


def unicode_text(data: bytes) -> str | None:
    """``data`` as text: UTF-16 with its byte-order mark (either byte order), or UTF-8 with or
    without its mark (the mark dropped); None if it is neither."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")  # the mark says the byte order and is dropped
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: perhaps UTF-8 text that happens to start so
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def heading_delimiter(text: str, candidates: str = ",;\t") -> str:
    """The column separator of ``text``, one of ``candidates``, read from its heading line
    alone (a comma when none is found). Only the separator is guessed: a guess at quoting from
    one line without quotes would read a doubled quote (a cell such as: He said ""hi"") as two
    fields' worth."""
    try:
        return csv.Sniffer().sniff((text.splitlines() or [""])[0], candidates).delimiter
    except csv.Error:
        return ","


def records(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """The records after the heading, numbered as a spreadsheet numbers its rows (the heading
    is row 1), blank ones left out; a record the reader cannot read (a field over the csv
    module's limit, a NUL byte) comes as its error, so the importer can name its row."""
    number = 1
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield number, exc
            continue
        if any(cell.strip() for cell in record):
            yield number, record
