"""The agenda before the meeting: adding items and papers (late ones with why), cancelling."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from grassroots.jobs.views import started
from grassroots.meetings import actions
from grassroots.meetings.forms import CancelForm, ItemForm, PaperForm
from grassroots.meetings.models import Meeting, Notice, Paper
from grassroots.meetings.papers import MAX_BYTES
from grassroots.members.permissions import can
from grassroots.site.uploads import upload_limit


def _managed(request: HttpRequest, pk: int) -> Meeting:
    m = get_object_or_404(Meeting.objects.select_related("body__unit"), pk=pk)
    if not can(request.user, "manage_meetings", m.body.unit):
        raise PermissionDenied(f"only the secretary of {m.body.unit.name} keeps this agenda")
    return m


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    m = _managed(request, pk)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = actions.add_item(
                m, title=d["title"], details=d["details"], reason=d["reason"], by=request.user
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Item {item.position} added{' (late)' if item.late else ''}."
            )
            return redirect("meetings:detail", m.pk)
    ctx = {"form": form, "m": m, "late": timezone.now() >= m.notice_deadline, "what": "an item"}
    return render(request, "meetings/agenda_form.html", ctx)


@upload_limit(MAX_BYTES + 1_048_576)  # a larger body is refused unread (site/uploads.py)
@login_required
def paper_add(request: HttpRequest, pk: int) -> HttpResponse:
    m = _managed(request, pk)
    items = list(m.items.all())
    if not items:
        messages.error(request, "Add an agenda item first: every paper belongs to an item.")
        return redirect("meetings:detail", m.pk)
    current = [p for p in Paper.objects.filter(item__meeting=m) if p.current]
    form = PaperForm(
        request.POST or None,
        request.FILES or None,
        items=[(i.pk, str(i)) for i in items],
        papers=[(p.pk, f"{p.title} (item {p.item.position})") for p in current],
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        item = next(i for i in items if str(i.pk) == d["item"])
        replaces = next((p for p in current if str(p.pk) == d["replaces"]), None)
        if upload.size > MAX_BYTES:
            form.add_error("file", f"{upload.name}: over the {MAX_BYTES // 1048576} MB limit")
        else:
            try:
                paper = actions.add_paper(
                    item,
                    title=d["title"],
                    name=upload.name,
                    data=upload.read(),
                    reason=d["reason"],
                    replaces=replaces,
                    by=request.user,
                )
            except actions.ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                late = " (late)" if paper.late else ""
                messages.success(request, f"Paper “{paper.title}” published{late}.")
                return redirect("meetings:detail", m.pk)
    ctx = {"form": form, "m": m, "late": timezone.now() >= m.notice_deadline, "what": "a paper"}
    return render(request, "meetings/agenda_form.html", ctx)


@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    m = _managed(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            m = actions.cancel_meeting(m, by=request.user, reason=form.cleaned_data["reason"])
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            job = actions.start_cancellation(
                m, by=request.user, base_url=request.build_absolute_uri("/")
            )
            return started(
                request,
                job,
                "The cancellation is being sent",
                done_url=reverse("meetings:detail", args=[m.pk]),
                prefix="Meeting cancelled; its record stays, marked so. ",
            )
    told = Notice.objects.filter(meeting=m, sent_at__isnull=False).count()
    return render(request, "meetings/cancel.html", {"form": form, "m": m, "told": told})
