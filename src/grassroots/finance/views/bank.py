"""Bank statements in the browser: a bank's CSV columns, the upload, its report (confirm or
discard) and reconciling each line."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grassroots.finance.actions import bank as actions
from grassroots.finance.actions._common import BooksRefused
from grassroots.finance.bank import MAX_BYTES
from grassroots.finance.bank.csvfile import Columns
from grassroots.finance.books_forms import MappingForm, ReconcileForm, StatementForm
from grassroots.finance.models import Account, BankLine, CsvMapping, Statement
from grassroots.finance.views._books_common import unit_for
from grassroots.site.uploads import upload_limit


@login_required
def mapping_new(request: HttpRequest, code: str) -> HttpResponse:
    """Say which columns of a bank's CSV statements hold what; saved for next time."""
    unit = unit_for(request, code, "keep_books")
    form = MappingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.save_mapping(
                unit,
                bank=d["bank"],
                columns=Columns(
                    date=d["date_column"].strip(),
                    date_format=d["date_format"],
                    description=d["description_column"].strip(),
                    payee=d["payee_column"].strip(),
                    amount=d["amount_column"].strip(),
                    paid_in=d["paid_in_column"].strip(),
                    paid_out=d["paid_out_column"].strip(),
                    reference=d["reference_column"].strip(),
                    decimal_comma=d["decimal_comma"],
                ),
                by=request.user,
            )
        except BooksRefused as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"Saved how {d['bank']}'s statements are read.")
            return redirect("finance:statement_new", code=unit.code)
    return render(request, "finance/books/mapping_form.html", {"unit": unit, "form": form})


@upload_limit(MAX_BYTES + 64 * 1024)
@login_required
def statement_new(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a statement; the next page is its report, and nothing is imported yet."""
    unit = unit_for(request, code, "keep_books")
    banks = list(Account.objects.filter(unit=unit, is_bank=True))
    mappings = list(CsvMapping.objects.filter(unit=unit))
    form = StatementForm(
        request.POST or None,
        request.FILES or None,
        accounts=[(a.pk, a.name) for a in banks],
        mappings=[(m.pk, m.bank) for m in mappings],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", f"The file is over {MAX_BYTES // (1024 * 1024)} MB.")
        else:
            try:
                statement, _ = actions.check_statement(
                    next(a for a in banks if str(a.pk) == d["account"]),
                    format=d["format"],
                    filename=upload.name or "statement",
                    data=upload.read(),
                    mapping=next((m for m in mappings if str(m.pk) == d["mapping"]), None),
                    by=request.user,
                )
            except BooksRefused as e:
                form.add_error(None, str(e))
            else:
                return redirect("finance:statement", code=unit.code, pk=statement.pk)
    return render(
        request,
        "finance/books/statement_form.html",
        {"unit": unit, "form": form, "banks": banks, "mappings": mappings},
    )


@login_required
def statement(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A statement's report: what importing it would do, line by line."""
    unit = unit_for(request, code, "keep_books")
    st = get_object_or_404(Statement, pk=pk, account__unit=unit)
    report = actions.report(st) if st.state == "checked" else None
    return render(
        request,
        "finance/books/statement.html",
        {
            "unit": unit,
            "statement": st,
            "report": report,
            "lines": st.lines.select_related("transaction") if st.state == "imported" else [],
        },
    )


@require_POST
@login_required
def statement_confirm(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = unit_for(request, code, "keep_books")
    st = get_object_or_404(Statement, pk=pk, account__unit=unit)
    try:
        if request.POST.get("discard"):
            if request.POST["discard"] != "confirmed":  # only the confirmation's button sends it
                raise BooksRefused("confirm that the statement is to be discarded")
            actions.discard_statement(st, by=request.user)
            messages.success(request, "Statement discarded: nothing was imported.")
            return redirect("finance:books", code=unit.code)
        lines = actions.confirm_statement(
            st, sha256=request.POST.get("sha256", ""), by=request.user
        )
    except BooksRefused as e:
        messages.error(request, str(e))
        return redirect("finance:statement", code=unit.code, pk=st.pk)
    messages.success(request, f"Imported {len(lines)} line{'s' if len(lines) != 1 else ''}.")
    return redirect("finance:reconcile", code=unit.code)


def _choices(line: BankLine, accounts: list[Account]) -> list[tuple[str, str]]:
    out = [
        (f"t{t.pk}", f"{t.description} of {t.date:%d/%m/%Y} (already in the books)")
        for t in actions.match_candidates(line)
    ]
    out += [
        (f"a{a.pk}", f"{a.get_category_display()}: {a.name}")
        for a in accounts
        if a.pk != line.account_id
        and (a.category in ("income", "funds", "liability") or line.amount < 0 or a.is_bank)
    ]
    return out


@login_required
def reconcile(request: HttpRequest, code: str) -> HttpResponse:
    """Every imported line not yet tied to a transaction, each with its own form."""
    unit = unit_for(request, code, "keep_books")
    accounts = list(Account.objects.filter(unit=unit))
    lines = actions.unreconciled(unit)
    rows = []
    for line in lines:
        bound = request.method == "POST" and request.POST.get("line") == str(line.pk)
        form = ReconcileForm(
            request.POST if bound else None,
            choices=_choices(line, accounts),
            prefix=f"line{line.pk}",
        )
        if bound and form.is_valid():
            target = form.cleaned_data["target"]
            try:
                if target.startswith("t"):
                    txn = next(t for t in actions.match_candidates(line) if f"t{t.pk}" == target)
                    actions.reconcile_line(line, transaction_to=txn, by=request.user)
                else:
                    acc = next(a for a in accounts if f"a{a.pk}" == target)
                    actions.reconcile_line(line, account=acc, by=request.user)
            except BooksRefused as e:
                form.add_error("target", str(e))
            else:
                messages.success(request, f"Reconciled the line “{line.description}”.")
                return redirect("finance:reconcile", code=unit.code)
        rows.append((line, form))
    return render(request, "finance/books/reconcile.html", {"unit": unit, "rows": rows})
