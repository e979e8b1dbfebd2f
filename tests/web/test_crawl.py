"""No server error from malformed input anywhere: every URL pattern, every role, hostile values.

The crawl enumerates Django's URL resolver (so a page added later is crawled without editing
this file), fills each path parameter with real values from the demo organisation and with
hostile ones, and requests each address as each role: plain, then with every query key and
form field the page shows (plus the keys views read directly) set to one hostile value at a
time, by GET and by POST. Any 500 fails the test, listing every one with its exception.
"""

from __future__ import annotations

import datetime as dt
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = (None, "member", "secretary", "returning", "admin")

# one value per request, given to every key at once: each is malformed in its own way
HOSTILE = (
    "١٢",  # Arabic-Indic digits: str.isdigit() says yes
    "²",  # a superscript two: isdigit() yes, int() no
    "1\x00",  # NUL: PostgreSQL refuses it in any text
    "9" * 40,  # beyond any database integer
    "0001-01-01",  # the calendar's first day: a day before it overflows
    "x" * 3000,
    '{"kind": [',
    "a\r\nBcc: x@example.org",
)
# keys that views read straight from request.GET or request.POST, shown in no form
EXTRA_KEYS = (
    "page", "q", "status", "code", "hash", "token", "step", "verify", "body", "candidate",
    "revoke", "name", "groups", "statement", "remove_photo", "on_request", "note", "snapshot",
    "formula", "per", "rank-0", "rank-1", "member", "number", "item", "vote", "choice",
    "transition", "paid_up_to", "reason", "next", "format", "year", "month", "since",
)  # fmt: skip
# for the second and later real values of a path (another election's state, say): fewer
SHORT_HOSTILE = ("١٢", "1\x00", "9" * 40)
_INT_HOSTILE = ("0", "9" * 30)
_TEXT_HOSTILE = ("%2F..%2F", "%2500", "%C3%B1", "..", "x" * 300, "%00")


@dataclass(frozen=True)
class Route:
    route: str  # e.g. "elections/<int:pk>/candidates/<int:cid>/consent/"
    name: str
    params: tuple[tuple[str, str], ...]  # (converter, name)


def _routes(patterns: Any = None, prefix: str = "") -> Iterator[Route]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            params = tuple(re.findall(r"<(?:(\w+):)?(\w+)>", route))
            yield Route(route, p.name or route, params)


def _fill(route: str, values: dict[str, str]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)


@dataclass
class World:
    values: dict[tuple[str, str], list[str]]  # (route prefix, param) -> real values


def _world() -> World:
    from grassroots.elections import demo as election_demo
    from grassroots.elections.models import Candidate, Election
    from grassroots.elections.publish import FILES
    from grassroots.meetings import demo as meeting_demo
    from grassroots.meetings.models import Meeting
    from grassroots.members import demo as member_demo
    from grassroots.members.models import Member, Occasion, Unit

    member_demo.seed(members=60)
    election_demo.seed(voters=10)
    now = timezone.now()
    day = dt.timedelta(days=1)
    national = Unit.objects.get(kind="national")
    # a draft election with nominations open: the consent and nomination pages have work to do
    from grassroots.elections import actions as election_actions
    from grassroots.members import actions
    from grassroots.members.eligibility import RuleSet

    draft = election_actions.create_election(
        title="Draft (crawl)",
        seats=2,
        rule="scottish",
        unit=national,
        eligibility=RuleSet(on=(now + 10 * day).date()),
        freeze_date=(now - 5 * day).date(),
        nominations_open=now - day,
        nominations_close=now + 5 * day,
        voting_open=now + 10 * day,
        voting_close=now + 20 * day,
        threshold={"kind": "branch", "count": 1},
        by=None,
    )
    for name in ("Crawl One", "Crawl Two"):
        election_actions.add_candidate(draft, name=name, groups=[], by=None)
    meeting_demo.seed()
    actions.create_occasion(
        by=None,
        title="AGM",
        kind="meeting",
        unit=national,
        date=now.date(),
        rules=RuleSet(on=now.date()),
    )
    elections = [str(pk) for pk in Election.objects.values_list("pk", flat=True)]
    candidates = [str(pk) for pk in Candidate.objects.values_list("pk", flat=True)[:3]]
    meetings = [str(pk) for pk in Meeting.objects.values_list("pk", flat=True)]
    from grassroots.meetings.models import Paper

    papers = [str(pk) for pk in Paper.objects.values_list("pk", flat=True)[:2]]
    units = list(Unit.objects.values_list("code", flat=True)[:3])
    members = ["D900001", "D900003", *Member.objects.values_list("number", flat=True)[:1]]
    return World(
        {
            ("elections", "pk"): elections,
            ("api", "pk"): elections,
            ("elections", "cid"): candidates,
            ("elections", "name"): list(FILES[:2]),
            ("meetings", "pk"): meetings,
            ("meetings", "paper"): papers,
            ("occasions", "pk"): [str(o) for o in Occasion.objects.values_list("pk", flat=True)],
            ("units", "code"): units,
            ("members", "number"): members,
        }
    )


def _instances(world: World, r: Route) -> Iterator[tuple[str, bool | None]]:
    """(address, whether it holds a hostile value) for each way of filling ``r``'s parameters:
    False for the first real address, None for the other real ones, True for hostile ones."""
    head = r.route.split("/", 1)[0]
    real: dict[str, list[str]] = {}
    for conv, name in r.params:
        found = world.values.get((head, name))
        if found is None:
            found = ["1"] if conv in ("int", "id") else ["x"]
        real[name] = [quote(v, safe="") for v in found]
    # every combination of real values is too many: the first of each, then each in turn
    first = {n: v[0] for n, v in real.items()}
    seen = set()
    for name, options in [(None, [None]), *real.items()]:
        for v in options:
            values = dict(first) if name is None else {**first, name: v}
            url = _fill(r.route, values)  # type: ignore[arg-type]
            if url not in seen:
                yield url, (False if not seen else None)
                seen.add(url)
    for conv, name in r.params:
        for bad in _INT_HOSTILE if conv in ("int", "id") else _TEXT_HOSTILE:
            yield _fill(r.route, {**first, name: bad}), True


_FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.IGNORECASE)


def _fields(html: str) -> set[str]:
    return {n for n in _FIELD.findall(html) if n != "csrfmiddlewaretoken"}


@dataclass
class Failure:
    role: str | None
    method: str
    url: str
    value: str | None
    error: str

    def __str__(self) -> str:
        shown = repr(self.value)[:40] if self.value is not None else "-"
        return (
            f"{self.role or 'anonymous'} {self.method} {self.url[:120]} value={shown}: {self.error}"
        )


def _error(resp: Any) -> str:
    info = getattr(resp, "exc_info", None)
    if info:
        last = traceback.extract_tb(info[2])[-1]
        return f"{info[0].__name__}: {str(info[1])[:160]} at {last.filename}:{last.lineno}"
    return f"status {resp.status_code}"


def _close(resp: Any) -> None:
    """Close a response as the server would, without the end-of-request signal closing the
    test's database connection (Django's test client holds it back the same way)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        resp.close()
    finally:
        request_finished.connect(close_old_connections)


def _clients() -> dict[str | None, Client]:
    from grassroots.members.demo import DEMO_PASSWORD

    out: dict[str | None, Client] = {}
    for role in ROLES:
        c = Client(raise_request_exception=False)
        if role is not None:
            assert c.login(username=role, password=DEMO_PASSWORD), role
        out[role] = c
    return out


def test_no_address_answers_a_server_error_to_any_role_with_hostile_values(
    settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = _world()
    clients = _clients()
    failures: dict[tuple[str, str, str], Failure] = {}  # one example per route, method, error
    requests = 0

    def check(
        r: Route, role: str | None, method: str, url: str, value: str | None, **kw: Any
    ) -> Any:
        nonlocal requests
        requests += 1
        c = clients[role]
        resp = c.get(url, **kw) if method == "GET" else c.post(url, **kw)
        if resp.streaming:
            _close(resp)  # a file response holds its file open
        # 503 is a health check's designed answer ("not ready"), not an error
        if resp.status_code >= 500 and resp.status_code != 503:
            error = _error(resp)
            failures.setdefault(
                (r.name, method, error.split(" at ")[-1]), Failure(role, method, url, value, error)
            )
        return resp

    routes = [r for r in _routes() if "logout" not in r.name]
    for r in routes:
        for url, hostile in _instances(world, r):
            for role in (None, "admin") if hostile else ROLES:
                resp = check(r, role, "GET", url, None)
                if hostile or resp.status_code in (302, 403, 404):
                    continue  # refused before any input is read: hostile values change nothing
                page = resp.status_code == 200 and not resp.streaming
                html = resp.content.decode(errors="replace") if page else ""
                keys = sorted(_fields(html) | set(EXTRA_KEYS))
                for value in HOSTILE if hostile is False else SHORT_HOSTILE:
                    data = {k: value for k in keys}
                    check(r, role, "GET", url + "?" + urlencode(data), value)
                    check(r, role, "POST", url, value, data=data)
    assert requests > 1000  # the crawl reached the pages
    assert not failures, f"{len(failures)} kinds of server error:\n" + "\n".join(
        str(f) for f in failures.values()
    )
