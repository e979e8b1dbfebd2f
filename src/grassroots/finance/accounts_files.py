"""Published accounts as files: CSV (every figure and transaction) and a printable PDF (fpdf2).

Both are made from the frozen content, so they say exactly what was signed off and approved,
and carry its SHA-256.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fpdf import FPDF

from grassroots.members.csvio import cell

__all__ = ["accounts_csv", "accounts_pdf"]


def accounts_csv(content: dict[str, Any], sha256: str) -> str:
    """Every figure and transaction. Words that came from outside (a bank's description or
    payee, an account's name) are passed through ``cell``: one a spreadsheet would run as a
    formula (=HYPERLINK(...)) gets an apostrophe before it; the amounts stay numbers."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["section", "code", "name", "amount", "opening", "closing", "transactions"])
    for section in ("income", "expenditure"):
        for line in content[section]:
            ids = " ".join(str(i) for i in line["transactions"])
            w.writerow(
                [section, cell(line["code"]), cell(line["name"]), line["amount"], "", "", ids]
            )
    w.writerow(["total income", "", "", content["total_income"], "", "", ""])
    w.writerow(["total expenditure", "", "", content["total_expenditure"], "", "", ""])
    w.writerow(["surplus", "", "", content["surplus"], "", "", ""])
    for b in content["balances"]:
        ids = " ".join(str(i) for i in b["transactions"])
        w.writerow(
            ["balance", cell(b["code"]), cell(b["name"]), "", b["opening"], b["closing"], ids]
        )
    funds = content.get("funds")  # accounts published before the funds were given lack it
    if funds:
        w.writerow(["funds", "", "put into the funds", funds["put_in"], funds["opening"],
                    funds["closing"], ""])  # fmt: skip
    for b in content["bank"]:
        w.writerow(
            ["bank", cell(b["code"]), cell(b["name"]), b["books"], "", b["statement"] or "", ""]
        )
    w.writerow([])
    w.writerow(["transaction", "date", "description", "payee", "approval", "legs"])
    for t in content["transactions"]:
        legs = "; ".join(f"{code} {amount}" for code, amount in t["legs"])
        w.writerow(
            [t["id"], t["date"], cell(t["description"]), cell(t["payee"]), cell(t["approval"]),
             cell(legs)]
        )  # fmt: skip
    w.writerow([])
    w.writerow(["sha256", sha256])
    return out.getvalue()


_PLAIN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "—": "-", "–": "-", "−": "-"})


def _latin(text: str) -> str:
    """The PDF's built-in fonts hold Latin-1 only (£ included); anything else becomes '?'."""
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def accounts_pdf(content: dict[str, Any], sha256: str, status: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin(f"Accounts of {content['unit']}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, _latin(f"Accounts of {content['unit']}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        0,
        6,
        _latin(f"{content['start']} to {content['end']}. {status}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )

    def table(title: str, rows: list[tuple[str, str]]) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, _latin(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for name, amount in rows:
            pdf.cell(130, 6, _latin(name))
            pdf.cell(0, 6, _latin(amount), align="R", new_x="LMARGIN", new_y="NEXT")

    cur = "£" if content["currency"] == "GBP" else content["currency"] + " "

    def money(amount: str) -> str:  # the sign before the pound sign: -£40.00, as on the page
        return ("-" if amount.startswith("-") else "") + cur + amount.lstrip("-")

    table(
        "Income",
        [(x["name"], money(x["amount"])) for x in content["income"]]
        + [("Total income", money(content["total_income"]))],
    )
    table(
        "Expenditure",
        [(x["name"], money(x["amount"])) for x in content["expenditure"]]
        + [("Total expenditure", money(content["total_expenditure"]))],
    )
    table("Surplus (deficit)", [("Income less expenditure", money(content["surplus"]))])
    table(
        "Balances (debit +, credit -)",
        [
            (f"{b['name']} (opening {money(b['opening'])})", money(b["closing"]))
            for b in content["balances"]
        ],
    )
    if content.get("funds"):
        funds = content["funds"]
        table(
            "Funds",
            [
                ("Funds at the start (every surplus before included)", money(funds["opening"])),
                ("Put into the funds", money(funds["put_in"])),
                ("Surplus (deficit) for the period", money(funds["surplus"])),
                ("Funds at the end", money(funds["closing"])),
            ],
        )
    if content["bank"]:
        table(
            "Bank",
            [
                (
                    f"{b['name']}: statements "
                    + (money(b["statement"]) if b["statement"] else "none imported"),
                    money(b["books"]),
                )
                for b in content["bank"]
            ],
        )
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Transactions", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    names = {x["code"]: x["name"] for x in content["balances"]}
    names |= {x["code"]: x["name"] for x in content["income"] + content["expenditure"]}
    for t in content["transactions"]:  # each leg by its account's name, as on the page
        legs = "; ".join(f"{names.get(code, code)} {money(amount)}" for code, amount in t["legs"])
        line = f"#{t['id']} {t['date']} {t['description']}"
        if t["payee"]:
            line += f" ({t['payee']})"
        line += f": {legs}"
        if t["approval"]:
            line += f". {t['approval']}"
        pdf.multi_cell(0, 4.5, _latin(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(
        0, 4.5, f"SHA-256 of the accounts as published: {sha256}", new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())


def load(text: str) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(text)
    return content
