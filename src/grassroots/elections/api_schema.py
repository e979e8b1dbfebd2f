"""The OpenAPI 3.1 document of the public JSON API, written by hand; served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from grassroots.finance.api_books_schema import PATHS as BOOKS_PATHS
from grassroots.finance.api_subscriptions_schema import PATHS as SUBSCRIPTION_PATHS
from grassroots.meetings.api_schema import PATHS as MEETING_PATHS
from grassroots.network.api_schema import PATHS as NETWORK_PATHS

__all__ = ["OPENAPI"]

_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
_SUMMARY: dict[str, Any] = {
    "type": "object",
    "required": ["id", "title", "seats", "rule", "state", "voting_open", "voting_close", "url"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "seats": {"type": "integer", "minimum": 1},
        "rule": {"type": "string", "description": "rule set name, e.g. scottish, meek"},
        "state": {"enum": ["draft", "voting", "closed", "published"]},
        "voting_open": {"type": "string", "format": "date-time"},
        "voting_close": {"type": "string", "format": "date-time"},
        "url": {"type": "string", "format": "uri"},
    },
}
_TURNOUT = {
    "type": "object",
    "properties": {
        "voted": {"type": "integer"},
        "roll": {"type": "integer"},
        "branches": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "branch": {"type": "string"},
                    "voted": {"type": "integer"},
                    "roll": {"type": "integer"},
                },
            },
        },
    },
}
_FILE_NAMES = ["ballots.blt", "receipts.txt", "result.json", "election.json"]

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "grassroots public API",
        "version": "1",
        "description": (
            "Public results and published files of online elections. Anyone may recount: "
            "download the four files (or /elections/{id}/bundle.zip) and run "
            "`grassroots verify`. Public meeting records: each unit's meetings with their "
            "notice, agenda and papers (with SHA-256), requisitions and decisions not to meet. "
            "Subscription rules: rates by band and their split between levels, by date. "
            "Each unit's published accounts, every figure down to its transactions. "
            "Networks: groups' public profiles, open slate primaries and their results."
        ),
    },
    "paths": {
        "/api/elections": {
            "get": {
                "summary": "Every election, summarised",
                "responses": {
                    "200": {
                        "description": "the list",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "elections": {"type": "array", "items": _SUMMARY}
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
        "/api/elections/{id}": {
            "get": {
                "summary": "One election: summary, roll, turnout, result once published",
                "parameters": [_ID],
                "responses": {
                    "200": {
                        "description": "the election",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "allOf": [
                                        _SUMMARY,
                                        {
                                            "type": "object",
                                            "properties": {
                                                "candidates": {
                                                    "type": "array",
                                                    "items": {"type": "string"},
                                                },
                                                "profiles": {
                                                    "type": "array",
                                                    "description": "each candidate's "
                                                    "statement and photo address",
                                                    "items": {
                                                        "type": "object",
                                                        "required": ["name", "statement", "photo"],
                                                        "properties": {
                                                            "name": {"type": "string"},
                                                            "statement": {"type": "string"},
                                                            "photo": {
                                                                "type": ["string", "null"],
                                                                "format": "uri",
                                                            },
                                                        },
                                                    },
                                                },
                                                "roll": {
                                                    "type": "object",
                                                    "properties": {
                                                        "size": {"type": "integer"},
                                                        "fingerprint": {
                                                            "type": "string",
                                                            "description": "sha256 over the "
                                                            "sorted member numbers, one a line",
                                                        },
                                                    },
                                                },
                                                "turnout": _TURNOUT,
                                                "result": {
                                                    "type": "object",
                                                    "description": "the engine's CountResult "
                                                    "(rule, seats, quota, elected, stages …)",
                                                },
                                                "files": {
                                                    "type": "object",
                                                    "additionalProperties": {
                                                        "type": "string",
                                                        "format": "uri",
                                                    },
                                                },
                                            },
                                        },
                                    ]
                                }
                            }
                        },
                    },
                    "404": {"description": "no such election"},
                },
            }
        },
        "/api/elections/{id}/receipt": {
            "post": {
                "summary": "A receipt's state; with the receipt code, the ranking recorded for it",
                "description": (
                    "The receipt code is the voter's secret and is sent only in the body, never"
                    " in the URL. With the code the answer includes the ranking its ballot"
                    " holds; with the public hash (as published in receipts.txt) only whether"
                    " it is recorded and counted."
                ),
                "parameters": [_ID],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "code": {"type": "string"},
                                    "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "the answer",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "hash": {"type": "string"},
                                        "recorded": {"type": "boolean"},
                                        "counted": {"type": "boolean"},
                                        "ranking": {
                                            "type": "array",
                                            "items": {"type": "string"},
                                        },
                                    },
                                    "required": ["hash", "recorded", "counted"],
                                }
                            }
                        },
                    },
                    "400": {"description": "neither a code nor a 64-character hash was given"},
                    "404": {"description": "no such election"},
                    "405": {"description": "not a POST: a code is never read from a URL"},
                },
            }
        },
        "/elections/{id}/files/{name}": {
            "get": {
                "summary": "One published file",
                "parameters": [
                    _ID,
                    {
                        "name": "name",
                        "in": "path",
                        "required": True,
                        "schema": {"enum": _FILE_NAMES},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "the file",
                        "content": {"text/plain": {}, "application/json": {}},
                    },
                    "404": {"description": "not published or no such file"},
                },
            }
        },
    },
}
OPENAPI["paths"].update(MEETING_PATHS)  # each app contributes its own paths
OPENAPI["paths"].update(SUBSCRIPTION_PATHS)
OPENAPI["paths"].update(BOOKS_PATHS)
OPENAPI["paths"].update(NETWORK_PATHS)
