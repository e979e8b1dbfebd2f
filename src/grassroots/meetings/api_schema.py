"""The meetings part of the OpenAPI 3.1 document: its paths, merged into /api/openapi.json.

Each response schema is plain JSON Schema (2020-12), so the tests validate real responses
against it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PATHS", "SCHEMAS"]

_STR = {"type": "string"}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
_DT = {"type": "string", "format": "date-time"}
_DATE = {"type": "string", "format": "date"}
_URI = {"type": "string", "format": "uri"}
_PURPOSE = {"enum": ["ordinary", "special", "nominating"]}


def _object(props: dict[str, Any]) -> dict[str, Any]:
    """An object with exactly these properties, all present."""
    return {
        "type": "object",
        "required": sorted(props),
        "additionalProperties": False,
        "properties": props,
    }


_MEETING_FIELDS: dict[str, Any] = {
    "id": _INT,
    "title": _STR,
    "body": _STR,
    "body_kind": {"enum": ["all_member", "general_committee", "executive", "agm", "branch"]},
    "purpose": _PURPOSE,
    "state": {"enum": ["called", "open", "held", "cancelled"]},
    "start": _DT,
    "time_zone": {"type": "string", "description": "the body's zone, e.g. Europe/London"},
    "place": _STR,
    "online": {"type": "boolean", "description": "joined online; the link is for members only"},
    "called_at": {**_DT, "description": "when the notice was given"},
    "notice_deadline": {
        **_DT,
        "description": "from the body's notice period; items and papers after it are late",
    },
    "short_notice": {"type": "boolean", "description": "called after its own notice deadline"},
    "short_notice_reason": _STR,
    "cancel_reason": _STR,
    "cancelled_at": {
        "type": ["string", "null"],
        "format": "date-time",
        "description": "when it was cancelled; null unless it is",
    },
    "url": _URI,
    "api": _URI,
}
_PAPER = _object(
    {
        "id": _INT,
        "title": _STR,
        "filename": _STR,
        "content_type": _STR,
        "size": {"type": "integer", "minimum": 0},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "published_at": _DT,
        "late": _BOOL,
        "late_reason": _STR,
        "replaces": {"type": ["integer", "null"], "description": "the paper this version replaces"},
        "current": _BOOL,
        "url": {
            "type": ["string", "null"],
            "format": "uri",
            "description": "null where the body's papers are for its members only",
        },
    }
)
_ITEM = _object(
    {
        "position": {"type": "integer", "minimum": 1},
        "title": _STR,
        "details": _STR,
        "added_at": _DT,
        "late": _BOOL,
        "late_reason": _STR,
        "taken": {
            "type": ["boolean", "null"],
            "description": "a late item: whether the meeting voted to take it (null: undecided)",
        },
        "papers": {"type": "array", "items": _PAPER},
    }
)
_NULL_DT = {"type": ["string", "null"], "format": "date-time"}
_EXACT = {"type": "string", "description": "an exact figure: whole, or a fraction for card votes"}
_BUSINESS: dict[str, Any] = {
    "attendance": _object(
        {
            "with_a_vote": _INT,
            "without_a_vote": _INT,
            "in_person": _INT,
            "online": _INT,
            "paid_on_the_day": _INT,
        }
    ),
    "motions": {
        "type": "array",
        "items": _object(
            {
                "id": _INT,
                "kind": {"enum": ["motion", "amendment", "composite", "emergency", "procedural"]},
                "title": _STR,
                "text": {**_STR, "description": "as submitted"},
                "text_now": {**_STR, "description": "after carried amendments"},
                "state": _STR,
                "mover": {
                    **_STR,
                    "description": "a member's name, or the body that moved it with the day "
                    "of its meeting that decided to",
                },
                "moved_by_body": {
                    "type": ["object", "null"],
                    "description": "the branch or affiliated body that moved it, and the "
                    "decision of its own meeting that adopted it",
                    "properties": {
                        "code": _STR,
                        "name": _STR,
                        "decided_on": {"type": ["string", "null"], "format": "date"},
                        "decision_vote_meeting": {
                            "type": ["integer", "null"],
                            "description": "the meeting whose carried vote adopted it",
                        },
                        "decision_note": {
                            **_STR,
                            "description": "the decision in words, where the meeting is not "
                            "on the record",
                        },
                    },
                    "required": [
                        "code",
                        "name",
                        "decided_on",
                        "decision_vote_meeting",
                        "decision_note",
                    ],
                    "additionalProperties": False,
                },
                "seconder": _STR,
                "amends": {"type": ["integer", "null"]},
                "forwarded_from": {
                    "type": ["integer", "null"],
                    "description": "the meeting it came from",
                },
                "emergency_reason": _STR,
                "submitted_at": _DT,
            }
        ),
    },
    "votes": {
        "type": "array",
        "items": _object(
            {
                "question": _STR,
                "motion": {"type": ["integer", "null"]},
                "method": {"enum": ["hands", "online", "card"]},
                "majority": _STR,
                "opened_at": _DT,
                "closed_at": _NULL_DT,
                "for": _EXACT,
                "against": _EXACT,
                "abstaining": _EXACT,
                "carried": {"type": ["boolean", "null"]},
                "working": _STR,
                "inquorate_reason": _STR,
            }
        ),
    },
    "ballots": {
        "type": "array",
        "description": "secret ballots held in the meeting through the elections API",
        "items": _object({"title": _STR, "state": _STR, "election": _URI}),
    },
    "minutes": {
        "type": "array",
        "description": "circulated and approved minutes (drafts are not published)",
        "items": _object(
            {
                "state": {"enum": ["circulated", "approved"]},
                "text": _STR,
                "circulated_at": _NULL_DT,
                "approved_at": _NULL_DT,
                "sha256": _STR,
                "corrects": {"type": ["integer", "null"]},
            }
        ),
    },
}
_MEETING = _object(
    {
        **_MEETING_FIELDS,
        **_BUSINESS,
        "unit": {"type": "string", "description": "the unit's code"},
        "papers_public": _BOOL,
        "agenda": {"type": "array", "items": _ITEM},
        "requisitions": {
            "type": "array",
            "description": "the requisitions this meeting was called in answer to",
            "items": _URI,
        },
    }
)
_REQUISITION = _object(
    {
        "id": _INT,
        "body": _STR,
        "purpose": _STR,
        "text": _STR,
        "started_by": _STR,
        "started_at": _DT,
        "signatures": _object(
            {
                "members": _INT,
                "members_who_may_sign": _INT,
                "branches": _INT,
                "branches_that_may_sign": _INT,
                "working": {
                    "type": "array",
                    "description": "one line per threshold of the body's rule",
                    "items": _STR,
                },
            }
        ),
        "branches_signed": {
            "type": "array",
            "items": _object({"branch": _STR, "signed_at": _DT, "decision": _STR}),
        },
        "met_at": {"type": ["string", "null"], "format": "date-time"},
        "call_by": {
            "type": ["string", "null"],
            "format": "date",
            "description": "once met: the last day the meeting may be called",
        },
        "meeting": {"type": ["string", "null"], "format": "uri"},
        "called_at": {"type": ["string", "null"], "format": "date-time"},
        "overdue": {"type": "boolean", "description": "met, not called, and past call_by"},
        "url": _URI,
    }
)
_DECISION = _object(
    {
        "id": _INT,
        "body": _STR,
        "purpose": _PURPOSE,
        "what": {"type": "string", "description": "the meeting not held"},
        "decided_on": _DATE,
        "present": {"type": "array", "description": "who took it, by name", "items": _STR},
        "votes": _object({"for": _INT, "against": _INT, "abstain": _INT}),
        "reason": _STR,
        "election": {"type": ["string", "null"], "format": "uri"},
        "decided_not_to_nominate": _BOOL,
        "recorded_at": _DT,
        "url": _URI,
    }
)
_UNIT = _object(
    {
        "unit": _object({"code": _STR, "name": _STR, "kind": _STR}),
        "meetings": {"type": "array", "items": _object(_MEETING_FIELDS)},
        "requisitions": {"type": "array", "items": _REQUISITION},
        "decisions_not_to_meet": {"type": "array", "items": _DECISION},
    }
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "unit": _UNIT,
    "meeting": _MEETING,
    "requisition": _REQUISITION,
    "decision": _DECISION,
}


def _get(summary: str, param: dict[str, Any], schema: dict[str, Any], what: str) -> Any:
    return {
        "get": {
            "summary": summary,
            "parameters": [param],
            "responses": {
                "200": {
                    "description": what,
                    "content": {"application/json": {"schema": schema}},
                },
                "404": {"description": f"no such {what}"},
            },
        }
    }


_CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}

PATHS: dict[str, Any] = {
    "/api/units/{code}/meetings": _get(
        "A unit's meetings (latest first), requisitions and decisions not to meet",
        _CODE,
        _UNIT,
        "unit",
    ),
    "/api/meetings/{id}": _get(
        "One meeting: notice, short notice, agenda, every paper version with its SHA-256",
        _ID,
        _MEETING,
        "meeting",
    ),
    "/api/requisitions/{id}": _get(
        "A requisition: signatures against the threshold with the working, and its answer",
        _ID,
        _REQUISITION,
        "requisition",
    ),
    "/api/decisions/{id}": _get(
        "A decision not to hold a meeting: who took it, the vote and the reason",
        _ID,
        _DECISION,
        "decision",
    ),
}
