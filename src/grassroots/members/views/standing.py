"""A member's own standing: what they may take part in, and why."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.members import queries
from grassroots.members.models import Member, Occasion
from grassroots.members.sections import sections_for


@login_required
def my_standing(request: HttpRequest) -> HttpResponse:
    """The member's own record and, for each open meeting or ballot, whether they may take part."""
    member = Member.objects.filter(user=request.user).select_related("branch", "ward").first()
    rows = queries.standing(member, Occasion.objects.all()) if member else []
    sections = sections_for(member) if member else []
    return render(
        request, "members/standing.html", {"member": member, "rows": rows, "sections": sections}
    )
