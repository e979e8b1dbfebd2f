"""The JSON API of published accounts: every response valid against the OpenAPI document,
the content exactly what was hashed, nothing unpublished."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver
from jsonschema import Draft202012Validator, FormatChecker

from grassroots.finance.actions import accounts
from grassroots.finance.models import PublishedAccounts
from tests.finance.conftest import published_books
from tests.web.conftest import Org

pytestmark = pytest.mark.django_db


def valid(path: str, data: Any) -> Any:
    doc = Client().get("/api/openapi.json").json()
    schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    Draft202012Validator(schema["schema"], format_checker=FormatChecker()).validate(data)
    return data


def test_published_accounts_are_listed_and_served_as_approved_with_their_hash(org: Org) -> None:
    published_books(org)
    listing = valid(
        "/api/units/{code}/accounts", Client().get("/api/units/hillford/accounts").json()
    )
    (summary,) = listing["accounts"]
    data = valid("/api/accounts/{id}", Client().get(summary["url"]).json())
    canonical = json.dumps(
        data["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert hashlib.sha256(canonical.encode()).hexdigest() == data["sha256"] == summary["sha256"]
    assert data["content"]["surplus"] == "180.00"  # 1,120 in, 40 + 900 out
    assert len(data["signed_off"]) == 2
    assert data["approved_by"]["question"] == "Adopt the accounts"
    unapproved = [t for t in data["content"]["transactions"] if t["approval"].startswith("UNAPP")]
    assert [t["payee"] for t in unapproved] == ["Solicitors"]


def test_accounts_not_yet_published_and_unknown_ones_are_404_in_json(org: Org) -> None:
    from tests.finance.conftest import open_books, with_officers

    open_books(with_officers(org))
    draft = accounts.prepare_accounts(
        org.hillford,
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
        by=None,
    )
    assert PublishedAccounts.objects.get() == draft
    for path in (f"/api/accounts/{draft.pk}", "/api/accounts/99999", "/api/units/nowhere/accounts"):
        r = Client().get(path)
        assert r.status_code == 404
    assert Client().get("/api/units/hillford/accounts").json()["accounts"] == []


def test_the_openapi_document_describes_the_books_api_paths() -> None:
    doc = Client().get("/api/openapi.json").json()
    (mine,) = [r for r in get_resolver().url_patterns if getattr(r, "app_name", "") == "finance"]
    routes = {
        str(p.pattern)
        for p in mine.url_patterns
        if "accounts" in str(p.pattern) and str(p.pattern).startswith("api/")
    }
    assert routes == {"api/units/<ident:code>/accounts", "api/accounts/<id:pk>"}
    for path in ("/api/units/{code}/accounts", "/api/accounts/{id}"):
        schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        Draft202012Validator.check_schema(schema["schema"])
