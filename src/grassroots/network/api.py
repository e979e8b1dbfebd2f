"""The network's public JSON API: groups' public profiles, primaries and their results.
Described in network/api_schema.py, part of /api/openapi.json.

Only what the public pages show: never a group's contact address, a list of members, a
person's details, or a primary's key; per-group figures are counts.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from grassroots.network.actions import primaries as pa
from grassroots.network.actions.primary_roll import turnout_by_group
from grassroots.network.models import Group, Network, Primary, PrimaryGroupFigure

__all__ = ["api_groups", "api_primaries", "api_primary"]


def _url(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def api_groups(request: HttpRequest, network: str) -> JsonResponse:
    """The network's affiliated groups and their public profiles."""
    net = get_object_or_404(Network, slug=network)
    out = []
    for g in Group.objects.filter(network=net, status="accepted").select_related("profile"):
        profile = getattr(g, "profile", None)
        out.append(
            {
                "slug": g.slug,
                "name": g.name,
                "kind": g.kind,
                "area": g.area,
                "stated_size": g.stated_size,
                "rules_link": g.rules_link,
                "about": profile.about if profile else "",
                "issues": profile.issue_list() if profile else [],
                "meeting_times": profile.meeting_times if profile else "",
                "url": _url(request, "network:group_profile", net.slug, g.slug),
            }
        )
    return JsonResponse({"network": net.name, "slug": net.slug, "groups": out})


def _summary(request: HttpRequest, p: Primary) -> dict[str, Any]:
    e = p.election
    return {
        "id": p.pk,
        "title": e.title,
        "state": e.state,
        "seats": e.seats,
        "url": _url(request, "network:primary", p.network.slug, p.pk),
        "api": _url(request, "network:api_primary", p.network.slug, p.pk),
    }


def api_primaries(request: HttpRequest, network: str) -> JsonResponse:
    net = get_object_or_404(Network, slug=network)
    ps = Primary.objects.filter(network=net).select_related("election", "network")
    return JsonResponse({"network": net.name, "primaries": [_summary(request, p) for p in ps]})


def _hustings_meeting(request: HttpRequest, p: Primary) -> dict[str, Any] | None:
    """The meeting the hustings is held as (its page keeps the notice and record), if any."""
    m = p.hustings_meeting
    if m is None:
        return None
    return {
        "title": m.title,
        "start": m.start.isoformat(),
        "state": m.state,
        "page": _url(request, "meetings:detail", m.pk),
        "api": _url(request, "meetings:api_meeting", m.pk),
    }


def api_primary(request: HttpRequest, network: str, pk: int) -> JsonResponse:
    """One primary: rules, timetable, candidates and their backing, the hustings, per-group
    counts, and once published the slate with how it was chosen and the recount bundle."""
    net = get_object_or_404(Network, slug=network)
    p = get_object_or_404(
        Primary.objects.select_related("election", "network", "hustings_meeting"),
        network=net,
        pk=pk,
    )
    e = p.election
    candidates = []
    for c in p.candidacies.select_related("candidate").order_by("candidate__name"):
        outcome = pa.backing_outcome(c)
        candidates.append(
            {
                "name": c.candidate.name,
                "statement": c.candidate.statement,
                "groups": list(c.candidate.groups or []),
                "backed_by": list(outcome.groups),
                "threshold_met": outcome.ok,
                "on_ballot": not c.candidate.withdrawn
                and (e.state == "draft" or c.candidate.name in e.ballot),
            }
        )
    hustings = [
        {
            "theme": t.title,
            "questions": [q.text for q in t.questions.all()],
            "answers": [
                {"candidate": a.candidacy.candidate.name, "text": a.text}
                for a in t.answers.select_related("candidacy__candidate")
            ],
        }
        for t in p.themes.all()
    ]
    figures = [
        {"group": f.group.name, "members": f.people, "found_elsewhere": f.found_elsewhere}
        for f in PrimaryGroupFigure.objects.filter(primary=p).select_related("group")
    ]
    turnout = (
        [
            {"group": t.group.name, "on_roll": t.on_roll, "voted": t.voted}
            for t in turnout_by_group(p)
        ]
        if e.state != "draft"
        else []
    )
    result = None
    summary = pa.slate_summary(p)
    if summary is not None:
        result = {
            "elected": list(summary.elected),
            "ballots": summary.ballots,
            "members": summary.people,
            "groups": summary.groups,
            "entries": summary.entries,
            "excluded_by_register": summary.excluded,
            "stages": summary.stages,
            "election_api": _url(request, "elections:api_election", e.pk),
            "bundle": _url(request, "elections:bundle", e.pk),
        }
    body = {
        **_summary(request, p),
        "purpose": p.purpose,
        "rule": e.rule,
        "constraints": {
            "minima": dict((e.constraints or {}).get("minima", {})),
            "maxima": dict((e.constraints or {}).get("maxima", {})),
        },
        "backing_threshold": pa.threshold_words(p),
        "requires_party_membership": p.requires_party_membership,
        "freeze_date": e.freeze_date.isoformat(),
        "nominations_open": e.nominations_open.isoformat(),
        "nominations_close": e.nominations_close.isoformat(),
        "voting_open": e.voting_open.isoformat(),
        "voting_close": e.voting_close.isoformat(),
        "roll_size": e.roll_size,
        "candidates": candidates,
        "hustings": hustings,
        "hustings_meeting": _hustings_meeting(request, p),
        "group_figures": figures,
        "turnout_by_group": turnout,
        "result": result,
    }
    return JsonResponse(body)
