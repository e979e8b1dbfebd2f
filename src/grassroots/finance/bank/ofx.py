"""Bank statements as OFX (1.x SGML or 2.x XML), read with ofxtools.

Each ``<STMTTRN>`` is converted on its own, so one bad transaction is reported with its line
in the file and the others are still read.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import re
from typing import Any

from ofxtools.models.base import Aggregate
from ofxtools.Parser import OFXTree

from grassroots.finance.bank import Balance, LineProblem, Parsed, StatementLine, too_big
from grassroots.finance.ledger import LedgerError, exact_amount

__all__ = ["read_ofx"]


def _message(e: Exception) -> str:
    text = " ".join(str(e).split())
    text = re.sub(r"^Can't set STMTTRN\.(\w+) to ", lambda m: f"{m[1].upper()} ", text)
    return text[:300] or type(e).__name__


def _bad_number(element: Any) -> str:
    """Which of a transaction's numbers ofxtools could not read, in words."""
    for child in element.iter():
        text = (child.text or "").strip()
        if child.tag in ("TRNAMT", "BALAMT", "CURRATE"):
            try:
                decimal.Decimal(text)
            except decimal.InvalidOperation:
                return f"{child.tag} {text[:40]!r} is not an amount of money"
    return "a number in this transaction cannot be read"


def _closing(root: Any, currency: str) -> Balance | None:
    """The statement's LEDGERBAL, if it gives one that reads."""
    found = root.find(".//LEDGERBAL")
    if found is None:
        return None
    try:
        amount = exact_amount((found.findtext("BALAMT") or "").strip(), currency)
        day = dt.datetime.strptime((found.findtext("DTASOF") or "")[:8], "%Y%m%d").date()
    except (LedgerError, ValueError):
        return None
    return Balance(day, amount)


def read_ofx(data: bytes, currency: str) -> Parsed:
    """Read an OFX statement for an account kept in ``currency``."""
    out = Parsed()
    big = too_big(data)
    if big:
        out.problems.append(big)
        return out
    tree = OFXTree()
    try:
        tree.parse(io.BytesIO(data))
        root: Any = tree.getroot()
    except Exception as e:  # ofxtools raises its own parse errors and ValueError alike
        out.problems.append(LineProblem("the file", f"it is not an OFX statement ({_message(e)})"))
        return out
    text = data.decode("latin-1")
    starts = [m.start() for m in re.finditer(r"<STMTTRN>", text, re.IGNORECASE)]
    curdef = root.find(".//CURDEF")
    file_currency = (curdef.text or "").strip() if curdef is not None else currency
    if file_currency != currency:
        out.problems.append(
            LineProblem(
                "the file",
                f"the statement is in {file_currency or 'no currency'}, the account in {currency}",
            )
        )
        return out
    for n, element in enumerate(root.iter("STMTTRN")):
        line = text.count("\n", 0, starts[n]) + 1 if n < len(starts) else 0
        where = f"line {line}" if line else f"transaction {n + 1}"
        try:
            trn: Any = Aggregate.from_etree(element)
        except decimal.InvalidOperation:  # ofxtools' own reading of a number: no words of its own
            out.problems.append(LineProblem(where, _bad_number(element)))
            continue
        except Exception as e:
            out.problems.append(LineProblem(where, _message(e)))
            continue
        try:
            amount = exact_amount(trn.trnamt, currency)
        except LedgerError as e:
            out.problems.append(LineProblem(where, f"TRNAMT: {e}"))
            continue
        if amount == 0:
            out.problems.append(LineProblem(where, "TRNAMT is nothing"))
            continue
        payee = trn.name or (trn.payee.name if getattr(trn, "payee", None) else "") or ""
        description = trn.memo or payee or trn.trntype
        out.lines.append(
            StatementLine(
                position=line or n + 1,
                date=trn.dtposted.date(),
                amount=amount,
                currency=currency,
                description=str(description)[:300],
                payee=str(payee)[:200],
                reference=str(trn.fitid or "")[:200],
            )
        )
    out.closing = _closing(root, currency)
    if not starts and not out.lines:
        out.problems.append(LineProblem("the file", "it holds no transactions (STMTTRN)"))
    return out
