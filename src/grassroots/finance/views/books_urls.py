"""The books' addresses, added to the finance app's urls."""

from __future__ import annotations

from django.urls import URLPattern, path

from grassroots.finance.views import accounts, api_books, bank, books, budgets, spends

B = "finance/units/<ident:code>/books/"

urlpatterns: list[URLPattern] = [
    path(B, books.overview, name="books"),
    path(B + "settings/", books.settings, name="books_settings"),
    path(B + "beancount", books.beancount, name="beancount"),
    path(B + "banks/new/", bank.mapping_new, name="mapping_new"),
    path(B + "statements/new/", bank.statement_new, name="statement_new"),
    path(B + "statements/<id:pk>/", bank.statement, name="statement"),
    path(B + "statements/<id:pk>/confirm/", bank.statement_confirm, name="statement_confirm"),
    path(B + "reconcile/", bank.reconcile, name="reconcile"),
    path(B + "spends/new/", spends.spend_new, name="spend_new"),
    path(B + "spends/<id:pk>/", spends.spend, name="spend"),
    path(B + "budgets/<int:year>/", budgets.budget, name="budget"),
    path(B + "accounts/new/", accounts.accounts_new, name="accounts_new"),
    path(B + "accounts/<id:pk>/", accounts.accounts, name="accounts"),
    path(B + "accounts/<id:pk>/accounts.csv", accounts.accounts_csv_file, name="accounts_csv"),
    path(B + "accounts/<id:pk>/accounts.pdf", accounts.accounts_pdf_file, name="accounts_pdf"),
    path(B + "look/", accounts.look, name="look"),
    path("api/units/<ident:code>/accounts", api_books.api_unit_accounts, name="api_unit_accounts"),
    path("api/accounts/<id:pk>", api_books.api_accounts, name="api_accounts"),
]
