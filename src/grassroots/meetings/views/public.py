"""The public record: a unit's meetings, one meeting's notice, agenda and papers, calendars."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from grassroots.meetings.actions.motions import backing, motions_close, support_needed
from grassroots.meetings.branch_motions import SENDING_KINDS
from grassroots.meetings.calendar import calendar_for
from grassroots.meetings.entitlement import entitled_ids, member_standing
from grassroots.meetings.models import Meeting, Paper
from grassroots.meetings.views.decisions import record_for
from grassroots.meetings.views.record import motion_changes
from grassroots.members.models import Member, Unit
from grassroots.members.permissions import can


def _member(request: HttpRequest) -> Member | None:
    user = request.user
    return Member.objects.filter(user_id=user.pk).first() if user.is_authenticated else None


def unit_meetings(request: HttpRequest, code: str) -> HttpResponse:
    """Every meeting of the unit's bodies, coming and past: open to anyone."""
    unit = get_object_or_404(Unit, code=code)
    meetings = Meeting.objects.filter(body__unit=unit).select_related("body")
    now = timezone.now()
    ctx = {
        "unit": unit,
        "upcoming": sorted((m for m in meetings if m.start >= now), key=lambda m: m.start),
        "past": [m for m in meetings if m.start < now],
        "may_call": can(request.user, "manage_meetings", unit) and unit.bodies.exists(),
        # requisitions and decisions not to meet, beside the meetings (views/decisions.py)
        "may_requisition": request.user.is_authenticated
        and any(b.requisition_rule() for b in unit.bodies.all()),
        **record_for(unit),
        "sends_motions": unit.kind in SENDING_KINDS,
        "may_send_motions": can(request.user, "move_branch_motions", unit),
    }
    return render(request, "meetings/unit.html", ctx)


def _may_read_papers(request: HttpRequest, m: Meeting) -> bool:
    if m.body.papers_public or can(request.user, "manage_meetings", m.body.unit):
        return True
    member = _member(request)
    return member is not None and member_standing(member, m).may_attend


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's notice, agenda and papers (late ones marked) and the reader's standing."""
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    member = _member(request)
    standing = member_standing(member, m) if member is not None else None
    items = list(m.items.prefetch_related("papers"))
    entitled = len(entitled_ids(m.body, m.local_start().date()))
    motions = list(
        m.motions.select_related(
            "mover",
            "seconder",
            "from_unit",
            "amends",
            "origin__meeting__body",
            "decision__meeting__body",
        )
    )
    for mo in motions:
        mo.changes = motion_changes(mo)  # type: ignore[attr-defined]
        mo.support = support_needed(mo)  # type: ignore[attr-defined]
        mo.needs_seconder = mo.seconder_id is None and backing(mo).seconder  # type: ignore[attr-defined]
    ctx = {
        "m": m,
        "items": items,
        "standing": standing,
        "me": member,
        "may_manage": can(request.user, "manage_meetings", m.body.unit),
        "may_read_papers": _may_read_papers(request, m),
        "show_join": standing is not None and standing.may_attend,
        "upcoming": m.start >= timezone.now(),
        "entitled": entitled,
        "quorum_needed": m.body.quorum_rule().required(entitled),
        "motions_close": motions_close(m),
        "ballots": m.ballots.select_related("election"),
        "motions": motions,
        "votes": m.votes.filter(closed_at__isnull=False).order_by("closed_at"),
        "attendance": m.attendance.aggregate(
            voters=Count("pk", filter=Q(may_vote=True)),
            visitors=Count("pk", filter=Q(may_vote=False)),
            door=Count("pk", filter=Q(may_vote=True, how="door")),
            online=Count("pk", filter=Q(may_vote=True, how="online")),
            paid=Count("pk", filter=Q(paid_on_day=True)),
        ),
        "published_minutes": m.minutes.exclude(state="draft")
        .select_related("approved_by_vote__meeting")
        .order_by("drafted_at"),
    }
    return render(request, "meetings/detail.html", ctx)


def paper_file(request: HttpRequest, pk: int, paper: int) -> FileResponse:
    """One paper, exactly as published (its SHA-256 is on the meeting's page)."""
    p = get_object_or_404(Paper.objects.select_related("item__meeting__body"), pk=paper)
    if p.item.meeting_id != pk:
        raise Http404("no such paper for this meeting")
    if not _may_read_papers(request, p.item.meeting):
        raise Http404("the papers of this body are for its members")
    response = FileResponse(
        p.file.open("rb"), as_attachment=False, filename=p.filename, content_type=p.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def meeting_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    m = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    ics = calendar_for([m], name=m.body.name, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{m.pk}.ics"'
    return response


def unit_calendar(request: HttpRequest, code: str) -> HttpResponse:
    """A feed of the unit's meetings that calendar programs can subscribe to."""
    unit = get_object_or_404(Unit, code=code)
    meetings = Meeting.objects.filter(body__unit=unit).select_related("body").order_by("start")
    ics = calendar_for(
        meetings.prefetch_related("items"),
        name=f"{unit.name} meetings",
        base_url=request.build_absolute_uri("/"),
    )
    return HttpResponse(ics, content_type="text/calendar; charset=utf-8")
