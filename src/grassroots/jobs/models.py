"""A job (long work run by a worker) and the per-recipient record of a mail-out."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class Job(models.Model):
    """One piece of long work: what it is, who started it, how far it got and how it ended."""

    STATES = [
        ("queued", "Waiting for a worker"),
        ("running", "Running"),
        ("done", "Finished"),
        ("failed", "Failed"),
    ]
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    params = models.JSONField(default=dict)
    # whose permission covers the job: those who may start it here may see and retry it
    unit = models.ForeignKey("members.Unit", on_delete=models.PROTECT, related_name="+")
    permission = models.CharField(max_length=40)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    back_url = models.CharField(max_length=300, blank=True)  # the page the work was started from
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=STATES, default="queued")
    attempts = models.PositiveIntegerField(default=0)
    # the step under way when a job has several (e.g. "Checking rows", "Writing to the register"):
    # done and total count that step's work
    phase = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    error = models.TextField(blank=True)
    problems = models.JSONField(default=list)  # [[what, why], ...] e.g. a refused address
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.title

    def stalled(self, now: dt.datetime | None = None) -> bool:
        """Running, but no sign of life for longer than a worker takes between two steps:
        its worker was stopped or killed. It may be retried like a failed job."""
        if self.state != "running" or self.heartbeat_at is None:
            return False
        limit = dt.timedelta(seconds=settings.GRASSROOTS_JOB_STALLED_SECONDS)
        return (now or timezone.now()) - self.heartbeat_at > limit

    def retryable(self) -> bool:
        return self.state == "failed" or self.stalled()

    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


class Delivery(models.Model):
    """One recipient of one mail-out job: sent (when) or not (why). A retried job skips every
    recipient already sent to, so nobody gets the same mail-out twice."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "member"], name="one_delivery_per_recipient")
        ]
