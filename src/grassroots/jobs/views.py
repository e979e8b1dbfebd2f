"""The job page (who started what, how far it got, how it ended; retry when it failed) and
the list of one's jobs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string

from grassroots.jobs import actions
from grassroots.jobs.models import Job
from grassroots.members.permissions import can, units_where

SHOWN_PROBLEMS = 200

# kinds whose page shows more than progress and outcome: a function (request, job) -> the
# extra context, with "template" naming a template that extends jobs/detail.html
PAGES = {"members.import_check": "grassroots.members.views.files.check_job_page"}


def started(
    request: HttpRequest, job: Job, what: str, *, done_url: str = "", prefix: str = ""
) -> HttpResponse:
    """Where a view goes after starting a job: its page, with its outcome if it is done
    already (jobs run inline where no worker is configured); ``done_url``, if given, instead
    of the page when the job is done without problems."""
    if job.state == "done":
        messages.success(request, f"{prefix}{job.outcome}")
        if done_url and not job.problems:
            return redirect(done_url)
    elif job.state == "failed":
        messages.error(request, f"{what} failed: {job.error}")
    else:
        messages.info(request, f"{prefix}{what}: this page shows how far it has got.")
    return redirect("jobs:detail", pk=job.pk)


def _visible(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("started_by", "unit"), pk=pk)
    user = request.user
    if job.started_by_id != user.pk and not can(user, job.permission, job.unit):
        raise PermissionDenied("only those who may start this work here may see it")
    return job


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible(request, pk)
    ctx = {
        "job": job,
        "problems": job.problems[:SHOWN_PROBLEMS],
        "more_problems": max(0, len(job.problems) - SHOWN_PROBLEMS),
        "may_retry": job.retryable() and can(request.user, job.permission, job.unit),
        "template": "jobs/detail.html",
    }
    if job.kind in PAGES:
        ctx.update(import_string(PAGES[job.kind])(request, job))
    return render(request, ctx["template"], ctx)


@login_required
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what a retry does, with the button. POST: retry."""
    job = _visible(request, pk)
    if request.method == "POST":
        try:
            job = actions.retry(job, by=request.user)
        except actions.ActionRefused as exc:
            messages.error(request, str(exc))
            return redirect("jobs:detail", pk=pk)
        return started(request, job, "The retry")
    if not job.retryable():
        messages.info(request, f"{job.title} has not failed: there is nothing to retry.")
        return redirect("jobs:detail", pk=pk)
    return render(request, "jobs/retry.html", {"job": job})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Jobs this user started, and those in units where they may start the same work."""
    user = request.user
    mine_q = Q(started_by=user)
    for perm in set(Job.objects.values_list("permission", flat=True).distinct()):
        mine_q |= Q(permission=perm, unit__in=units_where(user, perm))
    jobs = Job.objects.filter(mine_q).select_related("started_by").order_by("-created_at")[:100]
    return render(request, "jobs/list.html", {"jobs": jobs, "here": reverse("jobs:mine")})
