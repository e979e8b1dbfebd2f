"""The network part of the OpenAPI 3.1 document: its paths, merged into /api/openapi.json.

Each response schema is plain JSON Schema (2020-12), so the tests validate real responses
against it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PATHS"]

_STR = {"type": "string"}
_INT = {"type": "integer", "minimum": 0}
_BOOL = {"type": "boolean"}
_DT = {"type": "string", "format": "date-time"}
_URI = {"type": "string", "format": "uri"}
_STRS = {"type": "array", "items": _STR}


def _object(props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": sorted(props),
        "additionalProperties": False,
        "properties": props,
    }


_GROUP = _object(
    {
        "slug": _STR,
        "name": _STR,
        "kind": {"enum": ["local", "national", "union", "liberation", "other"]},
        "area": _STR,
        "stated_size": {**_INT, "description": "how many members the group says it has"},
        "rules_link": _STR,
        "about": _STR,
        "issues": _STRS,
        "meeting_times": _STR,
        "url": _URI,
    }
)
_GROUPS = _object({"network": _STR, "slug": _STR, "groups": {"type": "array", "items": _GROUP}})
_STATE = {"enum": ["draft", "voting", "closed", "counted", "published", "cancelled"]}
_SUMMARY_FIELDS: dict[str, Any] = {
    "id": _INT,
    "title": _STR,
    "state": _STATE,
    "seats": _INT,
    "url": _URI,
    "api": _URI,
}
_PRIMARIES = _object(
    {"network": _STR, "primaries": {"type": "array", "items": _object(_SUMMARY_FIELDS)}}
)
_BOUNDS = {"type": "object", "additionalProperties": _INT}
_PRIMARY = _object(
    {
        **_SUMMARY_FIELDS,
        "purpose": _STR,
        "rule": _STR,
        "constraints": _object({"minima": _BOUNDS, "maxima": _BOUNDS}),
        "backing_threshold": {**_STR, "description": "the groups' backing a candidate needs"},
        "requires_party_membership": _BOOL,
        "freeze_date": {"type": "string", "format": "date"},
        "nominations_open": _DT,
        "nominations_close": _DT,
        "voting_open": _DT,
        "voting_close": _DT,
        "roll_size": {"type": ["integer", "null"], "description": "null until voting opens"},
        "candidates": {
            "type": "array",
            "items": _object(
                {
                    "name": _STR,
                    "statement": _STR,
                    "groups": {**_STRS, "description": "constraint groups, e.g. women"},
                    "backed_by": _STRS,
                    "threshold_met": _BOOL,
                    "on_ballot": _BOOL,
                }
            ),
        },
        "hustings": {
            "type": "array",
            "items": _object(
                {
                    "theme": _STR,
                    "questions": _STRS,
                    "answers": {
                        "type": "array",
                        "items": _object({"candidate": _STR, "text": _STR}),
                    },
                }
            ),
        },
        "hustings_meeting": {
            "description": "the meeting of the meetings app the hustings is held as online, "
            "if any: its page keeps the notice, attendance and record",
            "oneOf": [
                {"type": "null"},
                _object({"title": _STR, "start": _DT, "state": _STR, "page": _URI, "api": _URI}),
            ],
        },
        "group_figures": {
            "type": "array",
            "description": "each group's members at the freeze date and how many another "
            "group also listed (counts, never who)",
            "items": _object({"group": _STR, "members": _INT, "found_elsewhere": _INT}),
        },
        "turnout_by_group": {
            "type": "array",
            "items": _object({"group": _STR, "on_roll": _INT, "voted": _INT}),
        },
        "result": {
            "oneOf": [
                {"type": "null"},
                _object(
                    {
                        "elected": _STRS,
                        "ballots": _INT,
                        "members": {**_INT, "description": "people on the roll, each once"},
                        "groups": _INT,
                        "entries": {**_INT, "description": "rows on the groups' lists"},
                        "excluded_by_register": _INT,
                        "stages": _INT,
                        "election_api": _URI,
                        "bundle": _URI,
                    }
                ),
            ]
        },
    }
)


def _get(summary: str, params: list[dict[str, Any]], schema: dict[str, Any], what: str) -> Any:
    return {
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {"description": what, "content": {"application/json": {"schema": schema}}},
                "404": {"description": f"no such {what}"},
            },
        }
    }


_NETWORK = {"name": "network", "in": "path", "required": True, "schema": {"type": "string"}}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}

PATHS: dict[str, Any] = {
    "/api/networks/{network}/groups": _get(
        "A network's affiliated groups and their public profiles", [_NETWORK], _GROUPS, "network"
    ),
    "/api/networks/{network}/primaries": _get(
        "A network's open slate primaries", [_NETWORK], _PRIMARIES, "network"
    ),
    "/api/networks/{network}/primaries/{id}": _get(
        "One primary: rules, candidates and their backing, hustings, counts per group, and the "
        "slate with how it was chosen once published",
        [_NETWORK, _ID],
        _PRIMARY,
        "primary",
    ),
}
