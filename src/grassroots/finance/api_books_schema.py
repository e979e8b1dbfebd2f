"""The books' part of the OpenAPI 3.1 document: published accounts, merged into
/api/openapi.json. Plain JSON Schema (2020-12): the tests validate real responses against it."""

from __future__ import annotations

from typing import Any

__all__ = ["PATHS"]

_MONEY = {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "description": "an exact amount"}
_IDS = {"type": "array", "items": {"type": "integer"}, "description": "transaction ids"}


def _object(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": sorted(props) if required is None else required,
        "additionalProperties": False,
        "properties": props,
    }


_LINE = _object(
    {"code": {"type": "string"}, "name": {"type": "string"}, "amount": _MONEY, "transactions": _IDS}
)
_BALANCE = _object(
    {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "category": {"enum": ["asset", "liability", "funds"]},
        "opening": _MONEY,
        "closing": _MONEY,
        "transactions": _IDS,
    }
)
_BANK = _object(
    {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "books": _MONEY,
        "statement": {"anyOf": [_MONEY, {"type": "null"}]},
        "difference": {"anyOf": [_MONEY, {"type": "null"}]},
    }
)
_TRANSACTION = _object(
    {
        "id": {"type": "integer"},
        "date": {"type": "string", "format": "date"},
        "description": {"type": "string"},
        "payee": {"type": "string"},
        "approval": {
            "type": "string",
            "description": "a spend's approval: the decision cited, within the threshold, or "
            "UNAPPROVED; empty for other transactions",
        },
        "legs": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "array",
                "prefixItems": [{"type": "string"}, _MONEY],
                "minItems": 2,
                "maxItems": 2,
            },
        },
    }
)
_DECISION = _object(
    {
        "question": {"type": "string"},
        "meeting": {"type": "integer"},
        "meeting_url": {"type": "string", "format": "uri"},
        "minutes_url": {"type": ["string", "null"], "format": "uri"},
    }
)
_SUMMARY = _object(
    {
        "id": {"type": "integer"},
        "start": {"type": "string", "format": "date"},
        "end": {"type": "string", "format": "date"},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "url": {"type": "string", "format": "uri"},
    }
)
_CONTENT = _object(
    {
        "unit": {"type": "string"},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "start": {"type": "string", "format": "date"},
        "end": {"type": "string", "format": "date"},
        "income": {"type": "array", "items": _LINE},
        "expenditure": {"type": "array", "items": _LINE},
        "total_income": _MONEY,
        "total_expenditure": _MONEY,
        "surplus": _MONEY,
        "balances": {"type": "array", "items": _BALANCE},
        "funds": _object(
            {"opening": _MONEY, "put_in": _MONEY, "surplus": _MONEY, "closing": _MONEY}
        ),
        "bank": {"type": "array", "items": _BANK},
        "transactions": {"type": "array", "items": _TRANSACTION},
    },
    # accounts published before the funds were given lack them: a frozen version never changes
    required=[
        "unit", "currency", "start", "end", "income", "expenditure", "total_income",
        "total_expenditure", "surplus", "balances", "bank", "transactions",
    ],
)  # fmt: skip
_ACCOUNTS = _object(
    {
        "id": {"type": "integer"},
        "unit": {"type": "string"},
        "sha256": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$",
            "description": "SHA-256 of `content` as canonical JSON (sorted keys, no spaces, UTF-8)",
        },
        "content": _CONTENT,
        "signed_off": {
            "type": "array",
            "items": _object({"signed_at": {"type": "string", "format": "date-time"}}),
            "description": "the auditors' sign-offs, each of this hash",
        },
        "approved_at": {"type": "string", "format": "date-time"},
        "approved_by": _DECISION,
        "csv": {"type": "string", "format": "uri"},
        "pdf": {"type": "string", "format": "uri"},
    }
)


def _get(summary: str, schema: dict[str, Any], param: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [param],
            "responses": {
                "200": {
                    "description": "found",
                    "content": {"application/json": {"schema": schema}},
                },
                "404": {"description": "no such unit, or no such published accounts"},
            },
        }
    }


PATHS: dict[str, Any] = {
    "/api/units/{code}/accounts": _get(
        "A unit's published accounts, latest period first",
        _object({"unit": {"type": "string"}, "accounts": {"type": "array", "items": _SUMMARY}}),
        {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
    ),
    "/api/accounts/{id}": _get(
        "Published accounts as approved: income and expenditure, balances, the bank, every "
        "transaction with its approval, the sign-offs and the AGM's decision",
        _ACCOUNTS,
        {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
    ),
}
