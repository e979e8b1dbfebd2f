"""Every view and every export of contact details in the network app goes through the consent
check (``network.consent.disclose``, called by ``actions.directory.contact_details``).

The URL patterns are enumerated from Django's resolver (every pattern of the ``network``
namespace, every path value the test world has, by GET and POST, as each role); the export
functions from the network's action modules (every public function whose name starts with
``export``). Each contact detail in the world is a distinctive value: a value nobody consented
to show may appear in no answer except the person's own pages; a consented value may appear only
in an answer during which the consent check ran.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import pkgutil
import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

import grassroots.network.actions as network_actions
from grassroots.network import consent
from grassroots.network.actions import directory
from grassroots.network.actions.access import ActionRefused
from tests.network.directory_world import ALICE, BOB, PASSWORD, World, build
from tests.network.directory_world import _quick_and_private as _quick_and_private

pytestmark = pytest.mark.django_db

# a person's own pages show them their own details (download, erasure, consents): never anyone
# else's, which the test checks too
OWN_DATA = {"mydata", "mydata_json", "mydata_csv", "consents"}
ROLES = ("anonymous", "organiser", "admin_a", "admin_b", "alice_user", "bob_user", "outsider")


def network_patterns() -> Iterator[tuple[str, str, list[str]]]:
    """(name, route, parameter names) of every URL pattern in the network namespace."""

    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, ns: str
    ) -> Iterator[tuple[str, str, URLPattern]]:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, route, p.namespace or ns)
            else:
                yield ns, route, p

    for ns, route, p in walk(get_resolver().url_patterns, "", ""):
        if ns == "network":
            yield p.name or "", route, list(p.pattern.converters)


def fill(route: str, values: dict[str, list[str]]) -> list[str]:
    """Every path the route makes from the world's values for its parameters."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    out = []
    for combo in itertools.product(*(values.get(n, values["*"]) for n in names)):
        path = route
        for n, v in zip(names, combo, strict=True):
            path = re.sub(rf"<(?:\w+:)?{n}>", v, path, count=1)
        out.append("/" + path.lstrip("^").rstrip("$"))
    return out


@pytest.fixture
def w() -> World:
    world = build()
    # Alice lets Hillford Tenants see her e-mail for news; nothing else is consented by anyone
    directory.give_consent(
        by=world.alice_user,
        network=world.net,
        group=world.a,
        fields=["email"],
        purpose="news",
        text_version="1",
    )
    return world


def client(w: World, role: str) -> Client:
    c = Client()
    if role != "anonymous":
        c.login(username=getattr(w, role).username, password=PASSWORD)
    return c


def shows(text: str, value: str) -> bool:
    """Whether ``value`` stands in ``text`` as itself (not inside a longer word such as a
    CSRF token, which may hold "LS6" by chance)."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", text) is not None


def body_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_no_view_in_the_network_shows_a_contact_detail_without_the_consent_check(
    w: World,
) -> None:
    from grassroots.network.models import Consent, Gathering, Resource

    patterns = list(network_patterns())
    assert {"group_shared", "consents", "mydata_json"} <= {n for n, _r, _p in patterns}
    ids = sorted(
        {
            str(x)
            for m in (Consent, Gathering, Resource)
            for x in m.objects.values_list("pk", flat=True)
        }
        | {"1", "2"}
    )
    values = {
        "network": [w.net.slug],
        "group": [w.a.slug, w.b.slug, w.c.slug],
        "*": ids,
    }
    never = {"alice": [ALICE["phone"], "LS6"], "bob": [*BOB.values(), "M14"]}
    consented = ALICE["email"]
    posts = [{}, {"purpose": "news", "wanted": list(consent.FIELDS)}]
    checked = 0
    real = consent.disclose
    calls: list[object] = []

    def spy(*a: Any, **k: Any) -> consent.Disclosure:
        calls.append(a)
        return real(*a, **k)

    for role in ROLES:
        c = client(w, role)
        for name, route, _params in patterns:
            for path in fill(route, values):
                for method, data in [("get", None)] + [("post", d) for d in posts]:
                    calls.clear()
                    with mock.patch.object(consent, "disclose", spy):
                        r = getattr(c, method)(path, data) if data is not None else c.get(path)
                    text = body_of(r)
                    checked += 1
                    for owner, secrets in never.items():
                        if name in OWN_DATA and role == f"{owner}_user":
                            continue
                        for s in secrets:
                            assert not shows(text, s), f"{method} {path} as {role} shows {s}"
                    if shows(text, consented) and not (name in OWN_DATA and role == "alice_user"):
                        assert calls, f"{method} {path} as {role} shows an e-mail unchecked"
                        assert role == "admin_a", f"{path} shows Alice's e-mail to {role}"
    assert checked > 100


def export_functions() -> list[tuple[str, Any]]:
    found = []
    for info in pkgutil.iter_modules(network_actions.__path__):
        module = importlib.import_module(f"grassroots.network.actions.{info.name}")
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fname.startswith("export") and fn.__module__ == module.__name__:
                found.append((f"{module.__name__}.{fname}", fn))
    return found


def test_every_export_function_lists_only_consented_fields_and_refuses_beyond_consent(
    w: World,
) -> None:
    exports = export_functions()
    assert "grassroots.network.actions.directory.export_contacts" in {n for n, _f in exports}
    real = consent.disclose
    calls: list[object] = []

    def spy(*a: Any, **kw: Any) -> consent.Disclosure:
        calls.append(a)
        return real(*a, **kw)

    for name, fn in exports:
        for group, purpose in itertools.product((w.a, w.b, w.c), consent.PURPOSES):
            for k in range(1, len(consent.FIELDS) + 1):
                for wanted in itertools.combinations(consent.FIELDS, k):
                    calls.clear()
                    admin = w.admin_a if group == w.a else w.admin_b
                    with mock.patch.object(consent, "disclose", spy):
                        try:
                            text, _plan = fn(by=admin, group=group, purpose=purpose, wanted=wanted)
                        except ActionRefused as exc:
                            text = str(exc)
                    for s in (ALICE["phone"], "LS6", *BOB.values()):
                        assert not shows(text, s), f"{name} {group} {purpose} {wanted} shows {s}"
                    if shows(text, ALICE["email"]):
                        assert calls and group == w.a and purpose == "news"
                        assert wanted == ("email",), f"{name} exported beyond consent: {wanted}"
