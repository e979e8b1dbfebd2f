"""The JSON API against its own OpenAPI document: Hypothesis fills every documented operation
with values of the documented types and hostile ones, and no answer is a server error."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

# JSON values of any shape, for bodies and properties
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
HOSTILE_TEXT = st.sampled_from(["", "\x00", "١٢", "²", "9" * 40, "-1", "../x", "a\r\nb", "%00"])


def _value(schema: dict[str, Any], real: list[int]) -> st.SearchStrategy[Any]:
    """Values for one parameter: the documented kind (real ids among them) or hostile text."""
    if "enum" in schema:
        documented: st.SearchStrategy[Any] = st.sampled_from(schema["enum"])
    elif schema.get("type") == "integer":
        documented = st.sampled_from(real) | st.integers(min_value=0, max_value=10**30)
    else:
        documented = st.text(max_size=80)
    return documented | HOSTILE_TEXT | st.text(max_size=20)


def _body(schema: dict[str, Any] | None) -> st.SearchStrategy[bytes]:
    """A request body: an object of the documented properties (each of any JSON value, or a
    well-formed one), any JSON at all, or bytes that are not JSON."""
    if schema is None:
        return st.just(b"")
    props = schema.get("properties", {})
    well_formed = {
        k: (
            st.from_regex(v["pattern"], fullmatch=True)
            if "pattern" in v
            else st.text(max_size=40) | HOSTILE_TEXT
        )
        for k, v in props.items()
    }
    objects = st.fixed_dictionaries({}, optional={k: s | JSON for k, s in well_formed.items()})
    return (
        objects.map(lambda d: json.dumps(d).encode())
        | JSON.map(lambda d: json.dumps(d).encode())
        | st.binary(max_size=64)
    )


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in doc["paths"].items() for method, op in ops.items()]


def test_every_documented_operation_answers_hostile_input_without_a_server_error(
    client: Client,
) -> None:
    from grassroots.elections import demo as election_demo
    from grassroots.elections.models import Election
    from grassroots.members import demo as member_demo

    member_demo.seed(members=40)
    election_demo.seed(voters=8)
    real = list(Election.objects.values_list("pk", flat=True))
    doc = client.get("/api/openapi.json").json()
    operations = _operations(doc)
    assert {p for p, _, _ in operations} >= {"/api/elections", "/api/elections/{id}"}
    api = Client(raise_request_exception=False)

    @st.composite
    def requests(draw: Any) -> tuple[str, str, bytes, str]:
        path, method, op = draw(st.sampled_from(operations))
        for p in op.get("parameters", []):
            if p["in"] == "path":
                value = draw(_value(p.get("schema", {}), real))
                path = path.replace("{" + p["name"] + "}", quote(str(value), safe=""))
        query = draw(st.dictionaries(st.sampled_from(["hash", "code", "id", "x"]), HOSTILE_TEXT))
        content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        body = draw(_body(content.get("schema")) if content else st.just(b""))
        return method, path + ("?" + urlencode(query) if query else ""), body, path

    @settings(
        max_examples=150,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(requests())
    def call(request: tuple[str, str, bytes, str]) -> None:
        method, url, body, _ = request
        resp = api.generic(method.upper(), url, body, content_type="application/json")
        assert resp.status_code < 500, (method, url, body[:80], getattr(resp, "exc_info", None))
        if url.startswith("/api/") and resp.status_code != 404:
            assert resp["Content-Type"].startswith("application/json"), url
            json.loads(resp.content)

    call()
