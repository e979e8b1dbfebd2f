"""Refunds in a payment processor's export (Stripe's payments export), read beside its payments.

Pure Python, no Django. Stripe's export has, for each payment, ``Amount Refunded`` (what has been
given back so far, in part or in full) and a ``Status`` of ``Refunded`` once the whole payment
is. Each row with something refunded is a ``RefundLine``: the processor's id of the payment (the
reference its payment was recorded under), the amount paid and the amount refunded so far. A
row whose refunded amount cannot be read, or is more than the payment, is a ``RowError``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from grassroots.finance.apportion import parse_pence
from grassroots.finance.payments_csv import DELIMITERS, RowError
from grassroots.textfiles import heading_delimiter, records

__all__ = ["RefundLine", "RefundLines", "read_refunds"]

REFUNDED = "Amount Refunded"


@dataclass(frozen=True)
class RefundLine:
    row: int
    reference: str
    paid: int
    refunded: int  # in all so far, in pence


@dataclass
class RefundLines:
    lines: list[RefundLine] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _pence(text: str) -> int:
    pence = parse_pence(text)
    if pence < 0:
        raise ValueError(f"{text.strip()!r} is less than nothing")
    return pence


def read_refunds(text: str) -> RefundLines:
    """Every refunded payment in a processor's export (nothing for another kind of file)."""
    out = RefundLines()
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=heading_delimiter(text, DELIMITERS))
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error:
        return out  # the payments' own check names the unreadable header
    if not {"id", "Amount", "Status"} <= set(header):
        return out
    for index, values in records(reader):
        if isinstance(values, csv.Error):
            break  # the payments' own check names the row that cannot be read
        if len(values) != len(header):
            continue  # the payments' own check names a malformed row
        row = dict(zip(header, (v.strip() for v in values), strict=True))
        status = row["Status"].lower()
        given = row.get(REFUNDED, "")
        if not given and status != "refunded":
            continue
        try:
            paid = _pence(row["Amount"])
        except ValueError as e:
            out.errors.append(RowError(index, "Amount", str(e)))
            continue
        try:
            refunded = _pence(given) if given else paid
        except ValueError as e:
            out.errors.append(RowError(index, REFUNDED, str(e)))
            continue
        if refunded == 0:
            continue
        if refunded > paid:
            out.errors.append(
                RowError(index, REFUNDED, f"{given} refunded is more than the {row['Amount']} paid")
            )
            continue
        out.lines.append(RefundLine(index, row["id"], paid, refunded))
    return out
