"""The subscriptions part of the OpenAPI 3.1 document: the split rules, merged into
/api/openapi.json. Response schemas are plain JSON Schema (2020-12), so the tests validate real
responses against them."""

from __future__ import annotations

from typing import Any

__all__ = ["PATHS", "SCHEMAS"]

_PENCE = {"type": "integer", "minimum": 0, "description": "pence"}
_LEVELS = ["national", "region", "branch", "ward"]


def _object(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "required": sorted(props) if required is None else required,
        "additionalProperties": False,
        "properties": props,
    }


_BAND = _object(
    {
        "rate": {**_PENCE, "description": "the band's rate a year, in pence"},
        "shares": {
            "type": "object",
            "description": "pence of the yearly rate each level receives; they add up to the rate",
            "additionalProperties": False,
            "properties": {level: _PENCE for level in _LEVELS},
        },
    }
)
_RULE = _object(
    {
        "id": {"type": "integer"},
        "effective_from": {"type": "string", "format": "date"},
        "effective_until": {
            "type": ["string", "null"],
            "format": "date",
            "description": "the day before the next rule takes effect; null for the latest",
        },
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "reason": {"type": "string"},
        "bands": {"type": "object", "additionalProperties": _BAND},
        "rounding": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
    }
)
_RULES = _object({"rules": {"type": "array", "items": _RULE}, "rounding": {"type": "string"}})

SCHEMAS: dict[str, dict[str, Any]] = {"rules": _RULES, "rule": _RULE}

PATHS: dict[str, Any] = {
    "/api/subscription-rules": {
        "get": {
            "summary": "Every subscription rule: rates by band and their split between levels, "
            "each from its date (latest first), and the rounding rule",
            "responses": {
                "200": {
                    "description": "the rules",
                    "content": {"application/json": {"schema": _RULES}},
                }
            },
        }
    },
    "/api/subscription-rules/{id}": {
        "get": {
            "summary": "One subscription rule",
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "responses": {
                "200": {
                    "description": "the rule",
                    "content": {"application/json": {"schema": _RULE}},
                },
                "404": {"description": "no such rule"},
            },
        }
    },
}
