"""The JSON API of public meeting records: every response validated against the schema the
OpenAPI document publishes; nothing a public page hides (join links, private papers' files)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from django.urls import get_resolver
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker

from grassroots.meetings import actions
from grassroots.meetings.models import Meeting
from tests.meetings.test_calling import PDF
from tests.meetings.test_requisitions import branch_body, decide, member, officers
from tests.web.conftest import Org

DAY = dt.timedelta(days=1)


def schema_for(path: str) -> dict[str, Any]:
    doc = Client().get("/api/openapi.json").json()
    get = doc["paths"][path]["get"]
    return get["responses"]["200"]["content"]["application/json"]["schema"]


def valid(path: str, data: Any) -> Any:
    Draft202012Validator(schema_for(path), format_checker=FormatChecker()).validate(data)
    return data


def record(org: Org) -> dict[str, Any]:
    """A unit with a public and a private body, papers (one late, one replaced), a short-notice
    meeting, a met requisition answered by a special meeting, and a decision not to meet."""
    now = timezone.now()
    body = branch_body(org, requisition_members=1, requisition_call_within_days=14)
    m = actions.call_meeting(
        body,
        title="Branch meeting",
        start=now + 30 * DAY,
        by=None,
        items=["Apologies", "Accounts"],
        place="Library",
        join_url="https://meet.example.org/secret-room",
        now=now - DAY,
    )
    first = actions.add_paper(
        m.items.get(position=2), title="Accounts", name="a.pdf", data=PDF, by=None, now=now - DAY
    )
    actions.add_paper(
        m.items.get(position=2),
        title="Accounts (corrected)",
        name="a2.pdf",
        data=PDF + b"\n% corrected",
        by=None,
        replaces=first,
        now=now - DAY / 2,
    )
    exec_body, people = officers(org)
    exec_body.papers_public = False
    exec_body.save()
    private = actions.call_meeting(
        exec_body,
        title="Officers",
        start=now + 2 * DAY,
        by=None,
        items=["Budget"],
        place="Office",
        short_notice_reason="the budget is due on Friday",
    )
    actions.add_paper(
        private.items.get(),
        title="Budget",
        name="b.pdf",
        data=PDF,
        by=None,
        reason="figures came late",
    )
    r = actions.start_requisition(
        body, purpose="Office move", by=org.users["member"], member=org.ann
    )
    special = actions.call_requisitioned_meeting(
        r, title="Special meeting", start=now + 20 * DAY, place="Hall", by=None
    )
    open_r = actions.start_requisition(
        branch_body(org, requisition_members=5),
        purpose="Rules",
        by=None,
        member=member(org, "M8", "Hal Hope", login=False),
    )
    d = decide(org, exec_body, people)
    return {
        "meeting": m,
        "private": private,
        "req": r,
        "open": open_r,
        "special": special,
        "decision": d,
    }


def test_a_unit_s_meeting_record_matches_the_schema(org: Org) -> None:
    rec = record(org)
    data = valid("/api/units/{code}/meetings", Client().get("/api/units/hillford/meetings").json())
    assert data["unit"]["code"] == "hillford"
    assert {m["title"] for m in data["meetings"]} == {
        "Branch meeting",
        "Officers",
        "Special meeting",
    }
    officers_meeting = next(m for m in data["meetings"] if m["title"] == "Officers")
    assert officers_meeting["short_notice"]
    assert officers_meeting["short_notice_reason"] == "the budget is due on Friday"
    assert {r["purpose"] for r in data["requisitions"]} == {"Office move", "Rules"}
    (d,) = data["decisions_not_to_meet"]
    assert d["present"] == ["Ann Arrears", "Cy Cole", "Di Dunn"] and d["votes"]["for"] == 2
    assert d["url"].endswith(f"/decisions/{rec['decision'].pk}/")
    assert "secret-room" not in json.dumps(data)


def test_one_meeting_lists_its_agenda_and_every_paper_version_with_its_hash(org: Org) -> None:
    rec = record(org)
    m = rec["meeting"]
    data = valid("/api/meetings/{id}", Client().get(f"/api/meetings/{m.pk}").json())
    accounts = data["agenda"][1]
    old, new = accounts["papers"]
    assert new["replaces"] == old["id"] and not old["current"] and new["current"]
    assert old["sha256"] != new["sha256"] and len(new["sha256"]) == 64
    assert Client().get(new["url"]).getvalue() == PDF + b"\n% corrected"
    assert "secret-room" not in json.dumps(data) and data["online"] is True
    private = valid("/api/meetings/{id}", Client().get(f"/api/meetings/{rec['private'].pk}").json())
    (paper,) = private["agenda"][0]["papers"]
    assert paper["url"] is None and paper["late"] and paper["late_reason"] == "figures came late"
    assert private["short_notice"] and not private["papers_public"]
    special = valid("/api/meetings/{id}", Client().get(f"/api/meetings/{rec['special'].pk}").json())
    assert special["purpose"] == "special"
    assert special["requisitions"] == [f"http://testserver/api/requisitions/{rec['req'].pk}"]


def test_a_requisition_shows_its_count_working_and_answer(org: Org) -> None:
    rec = record(org)
    met = valid("/api/requisitions/{id}", Client().get(f"/api/requisitions/{rec['req'].pk}").json())
    assert met["signatures"]["working"] == ["1 of 1 members' signatures needed"]
    assert met["met_at"] is not None and met["call_by"] is not None and not met["overdue"]
    assert met["meeting"] == f"http://testserver/api/meetings/{rec['special'].pk}"
    pending = valid(
        "/api/requisitions/{id}", Client().get(f"/api/requisitions/{rec['open'].pk}").json()
    )
    assert pending["met_at"] is None and pending["meeting"] is None
    assert pending["signatures"]["members"] == 1


def test_a_decision_not_to_meet_shows_who_the_vote_and_why(org: Org) -> None:
    rec = record(org)
    d = valid("/api/decisions/{id}", Client().get(f"/api/decisions/{rec['decision'].pk}").json())
    assert d["votes"] == {"for": 2, "against": 1, "abstain": 0}
    assert d["reason"] == "the hall is not available before nominations close"
    assert d["election"] is None and not d["decided_not_to_nominate"]


def test_unknown_records_are_404_not_errors(org: Org) -> None:
    c = Client()
    for url in (
        "/api/units/nowhere/meetings",
        "/api/meetings/999",
        "/api/requisitions/999",
        "/api/decisions/999",
    ):
        assert c.get(url).status_code == 404, url


def test_the_openapi_document_describes_every_meetings_api_path(org: Org) -> None:
    doc = Client().get("/api/openapi.json").json()
    (mine,) = [r for r in get_resolver().url_patterns if getattr(r, "app_name", "") == "meetings"]
    routes = {str(p.pattern) for p in mine.url_patterns if str(p.pattern).startswith("api/")}
    documented = {
        p.lstrip("/").replace("{id}", "<id:pk>").replace("{code}", "<ident:code>")
        for p in doc["paths"]
    }
    assert routes and routes <= documented
    for path in routes:
        Draft202012Validator.check_schema(
            schema_for("/" + path.replace("<id:pk>", "{id}").replace("<ident:code>", "{code}"))
        )
    assert Meeting.objects.count() == 0  # the document needs no data


def test_a_held_meetings_record_gives_its_attendance_motions_votes_and_minutes(org: Org) -> None:
    import datetime as dt

    from django.utils import timezone

    from grassroots.members import actions as member_actions

    body = actions.create_body(unit=org.hillford, kind="branch", name="Branch", by=None)
    start = timezone.now() - dt.timedelta(days=2)
    m = actions.call_meeting(
        body,
        title="Held",
        start=start,
        by=None,
        place="Hall",
        items=["Motions"],
        now=start - dt.timedelta(days=20),
    )
    people = [
        member_actions.create_member(
            by=None,
            number=f"Q{i}",
            name=f"Q {i}",
            branch=org.hillford,
            join_date=dt.date(2019, 1, 1),
            status="full",
            paid_up_to=dt.date(2030, 1, 1),
        )
        for i in range(2)
    ]
    motion = actions.submit_motion(
        m,
        title="Libraries",
        text="We oppose closures.",
        by=None,
        mover=people[0],
        seconder=people[1],
        now=start - dt.timedelta(days=10),
    )
    for p in people:
        actions.check_in(m, p, by=None, now=start)
    actions.open_meeting(m, by=None, now=start)
    vote = actions.open_vote(m, motion=motion, by=None, now=start)
    actions.record_hands(vote, for_=2, against=0, abstain=0, by=None)
    actions.close_vote(vote, by=None, now=start)
    actions.close_meeting(m, by=None, now=start + dt.timedelta(hours=1))
    draft = actions.draft_minutes(m, by=None)
    data = valid("/api/meetings/{id}", Client().get(f"/api/meetings/{m.pk}").json())
    assert data["minutes"] == []  # a draft is not published
    actions.circulate_minutes(draft, by=None)
    data = valid("/api/meetings/{id}", Client().get(f"/api/meetings/{m.pk}").json())
    assert data["attendance"]["with_a_vote"] == 2 and data["attendance"]["in_person"] == 2
    assert data["motions"][0]["state"] == "carried" and data["motions"][0]["mover"] == "Q 0"
    assert data["votes"][0]["for"] == "2" and data["votes"][0]["carried"] is True
    assert data["minutes"][0]["state"] == "circulated"
