"""Bank statements as ISO 20022 CAMT.053 (bank-to-customer statement), any version.

Read with the standard library's XML parser through defusedxml (no DTDs, no entity
expansion). Elements are matched by their local names, so camt.053.001.02 to .13 all read.
Each entry (``Ntry``) is reported with its line in the file when it cannot be read.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import DefusedXMLParser  # type: ignore[import-untyped]

from grassroots.finance.bank import Balance, LineProblem, Parsed, StatementLine, too_big
from grassroots.finance.ledger import LedgerError, exact_amount

__all__ = ["read_camt053"]


class _Lines(ET.TreeBuilder):
    """Builds the tree and remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: Any = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(element: ET.Element, *path: str) -> ET.Element | None:
    """The first descendant along ``path`` of local names (any namespace)."""
    current: list[ET.Element] = [element]
    for name in path:
        current = [c for e in current for c in e if _local(c.tag) == name]
        if not current:
            return None
    return current[0]


def _text(element: ET.Element, *path: str) -> str:
    found = _find(element, *path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _date(entry: ET.Element) -> dt.date:
    for where in ("BookgDt", "ValDt"):
        day = _text(entry, where, "Dt") or _text(entry, where, "DtTm")[:10]
        if day:
            try:
                return dt.date.fromisoformat(day)
            except ValueError:
                raise ValueError(f"{where} {day!r} is not a date (YYYY-MM-DD)") from None
    raise ValueError("no booking date (BookgDt) or value date (ValDt)")


def _entry(entry: ET.Element, currency: str, line: int) -> StatementLine:
    amt = _find(entry, "Amt")
    if amt is None or not (amt.text or "").strip():
        raise ValueError("no amount (Amt)")
    if amt.get("Ccy", currency) != currency:
        raise ValueError(f"the amount is in {amt.get('Ccy')}, the account in {currency}")
    try:
        amount = exact_amount((amt.text or "").strip(), currency)
    except LedgerError as e:
        raise ValueError(f"Amt: {e}") from None
    if amount <= 0:
        raise ValueError("Amt must be positive; CdtDbtInd says which way it went")
    way = _text(entry, "CdtDbtInd")
    if way not in ("CRDT", "DBIT"):
        raise ValueError(f"CdtDbtInd is {way!r}, not CRDT or DBIT")
    if _text(entry, "RvslInd") == "true":
        way = "DBIT" if way == "CRDT" else "CRDT"
    date = _date(entry)
    details = _find(entry, "NtryDtls", "TxDtls")
    party = ""
    remittance = ""
    if details is not None:
        side = ("Dbtr", "Cdtr") if way == "CRDT" else ("Cdtr", "Dbtr")
        party = _text(details, "RltdPties", side[0], "Nm") or _text(
            details, "RltdPties", side[0], "Pty", "Nm"
        )
        remittance = _text(details, "RmtInf", "Ustrd")
    description = remittance or _text(entry, "AddtlNtryInf") or party or "Bank entry"
    return StatementLine(
        position=line,
        date=date,
        amount=amount if way == "CRDT" else -amount,
        currency=currency,
        description=description[:300],
        payee=party[:200],
        reference=(_text(entry, "AcctSvcrRef") or _text(entry, "NtryRef"))[:200],
    )


def _closing(statement: ET.Element, currency: str) -> Balance | None:
    """The statement's closing booked balance (Bal of type CLBD), if it gives one that reads."""
    for bal in (b for b in statement if _local(b.tag) == "Bal"):
        if _text(bal, "Tp", "CdOrPrtry", "Cd") != "CLBD":
            continue
        try:
            amount = exact_amount(_text(bal, "Amt"), currency)
            day = dt.date.fromisoformat(_text(bal, "Dt", "Dt") or _text(bal, "Dt", "DtTm")[:10])
        except (LedgerError, ValueError):
            return None
        return Balance(day, -amount if _text(bal, "CdtDbtInd") == "DBIT" else amount)
    return None


def read_camt053(data: bytes, currency: str) -> Parsed:
    """Read a CAMT.053 statement for an account kept in ``currency``."""
    out = Parsed()
    big = too_big(data)
    if big:
        out.problems.append(big)
        return out
    builder = _Lines()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as e:
        line, column = e.position
        out.problems.append(LineProblem(f"line {line}", f"not well-formed XML (column {column})"))
        return out
    except DefusedXmlException:
        out.problems.append(LineProblem("the file", "it declares a DTD or entities: refused"))
        return out
    if _local(root.tag) != "Document" or _find(root, "BkToCstmrStmt") is None:
        out.problems.append(
            LineProblem("the file", "it is not a CAMT.053 statement (no BkToCstmrStmt)")
        )
        return out
    statements = [s for s in _find(root, "BkToCstmrStmt") or [] if _local(s.tag) == "Stmt"]
    for statement in statements:
        ccy = _text(statement, "Acct", "Ccy")
        if ccy and ccy != currency:
            line = builder.lines.get(id(statement), 0)
            out.problems.append(
                LineProblem(f"line {line}", f"the statement is in {ccy}, the account in {currency}")
            )
            continue
        out.closing = _closing(statement, currency) or out.closing
        for entry in (e for e in statement if _local(e.tag) == "Ntry"):
            line = builder.lines.get(id(entry), 0)
            try:
                out.lines.append(_entry(entry, currency, line))
            except ValueError as e:
                out.problems.append(LineProblem(f"line {line}", str(e)))
    if not statements:
        out.problems.append(LineProblem("the file", "it holds no statement (Stmt)"))
    return out
