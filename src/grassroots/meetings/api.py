"""The public JSON API of meeting records: a unit's meetings, one meeting, requisitions and
decisions not to meet. Described in meetings/api_schema.py, part of /api/openapi.json.

Only what the public pages show: no online join link, and a paper's address only where the
body's papers are public (its hash and publication time always).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from grassroots.meetings.models import DecisionNotToMeet, Meeting, Paper, Requisition
from grassroots.meetings.signing import standing_of
from grassroots.members.models import Unit

__all__ = ["api_decision", "api_meeting", "api_requisition", "api_unit_meetings"]


def _url(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _meeting_summary(m: Meeting, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "body": m.body.name,
        "body_kind": m.body.kind,
        "purpose": m.purpose,
        "state": m.state,
        "start": m.start.isoformat(),
        "time_zone": m.body.time_zone,
        "place": m.place,
        "online": m.online,
        "called_at": m.called_at.isoformat(),
        "notice_deadline": m.notice_deadline.isoformat(),
        "short_notice": m.short_notice,
        "short_notice_reason": m.short_notice_reason,
        "cancel_reason": m.cancel_reason,
        "cancelled_at": m.cancelled_at.isoformat() if m.cancelled_at else None,
        "url": _url(request, "meetings:detail", m.pk),
        "api": _url(request, "meetings:api_meeting", m.pk),
    }


def _paper(p: Paper, public: bool, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "filename": p.filename,
        "content_type": p.content_type,
        "size": p.size,
        "sha256": p.sha256,
        "published_at": p.published_at.isoformat(),
        "late": p.late,
        "late_reason": p.late_reason,
        "replaces": p.replaces_id,
        "current": p.current,
        "url": _url(request, "meetings:paper", p.item.meeting_id, p.pk) if public else None,
    }


def _requisition(r: Requisition, request: HttpRequest) -> dict[str, Any]:
    today = timezone.localdate()
    count = standing_of(r, today)
    return {
        "id": r.pk,
        "body": r.body.name,
        "purpose": r.purpose,
        "text": r.text,
        "started_by": r.started_by,
        "started_at": r.started_at.isoformat(),
        "signatures": {
            "members": count.member_signatures,
            "members_who_may_sign": count.members,
            "branches": count.branch_signatures,
            "branches_that_may_sign": count.branches,
            "working": list(count.lines),
        },
        "branches_signed": [
            {"branch": s.branch.name, "signed_at": s.signed_at.isoformat(), "decision": s.decision}
            for s in r.signatures.filter(
                withdrawn_at__isnull=True, branch__isnull=False
            ).select_related("branch")
        ],
        "met_at": r.met_at.isoformat() if r.met_at else None,
        "call_by": r.call_by.isoformat() if r.call_by else None,
        "meeting": _url(request, "meetings:api_meeting", r.meeting_id) if r.meeting_id else None,
        "called_at": r.called_at.isoformat() if r.called_at else None,
        "overdue": r.overdue_on(today),
        "url": _url(request, "meetings:requisition", r.pk),
    }


def _decision(d: DecisionNotToMeet, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": d.pk,
        "body": d.body.name,
        "purpose": d.purpose,
        "what": d.what,
        "decided_on": d.decided_on.isoformat(),
        "present": sorted(m.name for m in d.present.all()),
        "votes": {"for": d.votes_for, "against": d.votes_against, "abstain": d.abstentions},
        "reason": d.reason,
        "election": _url(request, "elections:api_election", d.election_id)
        if d.election_id
        else None,
        "decided_not_to_nominate": d.nomination_id is not None,
        "recorded_at": d.recorded_at.isoformat(),
        "url": _url(request, "meetings:decision", d.pk),
    }


def api_unit_meetings(request: HttpRequest, code: str) -> JsonResponse:
    """A unit's meetings (latest first), requisitions and decisions not to meet."""
    unit = get_object_or_404(Unit, code=code)
    meetings = Meeting.objects.filter(body__unit=unit).select_related("body")
    return JsonResponse(
        {
            "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind},
            "meetings": [_meeting_summary(m, request) for m in meetings],
            "requisitions": [
                _requisition(r, request)
                for r in Requisition.objects.filter(body__unit=unit).select_related("body")
            ],
            "decisions_not_to_meet": [
                _decision(d, request)
                for d in DecisionNotToMeet.objects.filter(body__unit=unit).select_related("body")
            ],
        }
    )


def api_meeting(request: HttpRequest, pk: int) -> JsonResponse:
    """One meeting: its notice, agenda items in order, and every paper version with its hash."""
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    public = m.body.papers_public
    out = _meeting_summary(m, request)
    out["unit"] = m.body.unit.code
    out["papers_public"] = public
    out["agenda"] = [
        {
            "position": i.position,
            "title": i.title,
            "details": i.details,
            "added_at": i.added_at.isoformat(),
            "late": i.late,
            "late_reason": i.late_reason,
            "taken": i.taken,
            "papers": [_paper(p, public, request) for p in i.papers.select_related("item")],
        }
        for i in m.items.all()
    ]
    out["requisitions"] = [
        _url(request, "meetings:api_requisition", r.pk) for r in m.requisitions.all()
    ]
    out.update(_business(m, request))
    return JsonResponse(out)


def _business(m: Meeting, request: HttpRequest) -> dict[str, Any]:
    """What the meeting did: attendance counts, motions, votes with their working, ballots,
    and the minutes once circulated."""
    counts = m.attendance.aggregate(
        with_a_vote=Count("pk", filter=Q(may_vote=True)),
        without_a_vote=Count("pk", filter=Q(may_vote=False)),
        in_person=Count("pk", filter=Q(may_vote=True, how="door")),
        online=Count("pk", filter=Q(may_vote=True, how="online")),
        paid_on_the_day=Count("pk", filter=Q(paid_on_day=True)),
    )
    motions = [
        {
            "id": mo.pk,
            "kind": mo.kind,
            "title": mo.title,
            "text": mo.text,
            "text_now": mo.text_now(),
            "state": mo.state,
            "mover": mo.moved_by(),
            "moved_by_body": (
                {
                    "code": mo.from_unit.code,
                    "name": mo.from_unit.name,
                    "decided_on": day.isoformat() if (day := mo.decided_day()) else None,
                    "decision_vote_meeting": mo.decision.meeting_id if mo.decision else None,
                    "decision_note": mo.decision_note,
                }
                if mo.from_unit is not None
                else None
            ),
            "seconder": mo.seconder.name if mo.seconder else "",
            "amends": mo.amends_id,
            "forwarded_from": mo.origin.meeting_id if mo.origin else None,
            "emergency_reason": mo.emergency_reason,
            "submitted_at": mo.submitted_at.isoformat(),
        }
        for mo in m.motions.select_related(
            "mover", "seconder", "from_unit", "origin__meeting__body", "decision", "meeting__body"
        )
    ]
    votes = [
        {
            "question": v.question,
            "motion": v.motion_id,
            "method": v.method,
            "majority": v.majority,
            "opened_at": v.opened_at.isoformat(),
            "closed_at": v.closed_at.isoformat() if v.closed_at else None,
            "for": v.for_votes,
            "against": v.against_votes,
            "abstaining": v.abstentions,
            "carried": v.carried,
            "working": v.working,
            "inquorate_reason": v.inquorate_reason,
        }
        for v in m.votes.all()
    ]
    minutes = [
        {
            "state": mn.state,
            "text": mn.text,
            "circulated_at": mn.circulated_at.isoformat() if mn.circulated_at else None,
            "approved_at": mn.approved_at.isoformat() if mn.approved_at else None,
            "sha256": mn.sha256,
            "corrects": mn.corrects_id,
        }
        for mn in m.minutes.exclude(state="draft").order_by("drafted_at")
    ]
    ballots = [
        {
            "title": b.election.title,
            "state": b.election.state,
            "election": _url(request, "elections:api_election", b.election_id),
        }
        for b in m.ballots.select_related("election")
    ]
    return {
        "attendance": counts,
        "motions": motions,
        "votes": votes,
        "ballots": ballots,
        "minutes": minutes,
    }


def api_requisition(request: HttpRequest, pk: int) -> JsonResponse:
    r = get_object_or_404(Requisition.objects.select_related("body"), pk=pk)
    return JsonResponse(_requisition(r, request))


def api_decision(request: HttpRequest, pk: int) -> JsonResponse:
    d = get_object_or_404(DecisionNotToMeet.objects.select_related("body"), pk=pk)
    return JsonResponse(_decision(d, request))
