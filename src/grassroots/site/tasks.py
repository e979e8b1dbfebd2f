"""What needs doing, for someone who keeps a register (a branch secretary): open elections
their members vote in, nominations their bodies have still to record, and uploads waiting for
their confirmation. Read side only; the home page shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from grassroots.elections.actions import nominating_bodies
from grassroots.elections.models import Election, Nomination
from grassroots.members.models import Role
from grassroots.members.permissions import PERMISSIONS, units_where
from grassroots.members.views.waiting import waiting_imports

__all__ = ["Task", "Tasks", "secretary_tasks"]


@dataclass(frozen=True)
class Task:
    """One thing to do or look at: what, where, and by when."""

    text: str
    url: str
    when: str = ""


@dataclass(frozen=True)
class Tasks:
    open_elections: list[Task] = field(default_factory=list)
    nominations: list[Task] = field(default_factory=list)
    imports: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.open_elections) + len(self.nominations) + len(self.imports)


def _role_paths(user: AbstractBaseUser | AnonymousUser) -> list[str]:
    if getattr(user, "is_superuser", False):
        return ["/"]
    return list(
        Role.objects.filter(user_id=user.pk, kind__in=PERMISSIONS["edit_register"]).values_list(
            "unit__path", flat=True
        )
    )


def secretary_tasks(request: HttpRequest, now: dt.datetime | None = None) -> Tasks | None:
    """What needs doing for a user who keeps a register; None for anyone else."""
    user = request.user
    paths = _role_paths(user) if user.is_authenticated else []
    if not paths:
        return None
    now = now or timezone.now()

    def touches(unit_path: str) -> bool:  # the election's unit is above or within a register
        return any(p.startswith(unit_path) or unit_path.startswith(p) for p in paths)

    elections = Election.objects.filter(
        state__in=("voting", "draft"),
        announced_at__isnull=False,  # drafts: their managers only
    ).select_related("unit")
    open_elections, nominations = [], []
    kept = units_where(user, "edit_register")
    for e in elections.order_by("voting_close", "nominations_close", "title"):
        if not touches(e.unit.path):
            continue
        url = reverse("elections:detail", args=[e.pk])
        if e.state == "voting":
            open_elections.append(
                Task(
                    e.title,
                    url,
                    f"voting closes {timezone.localtime(e.voting_close):%Y-%m-%d %H:%M}",
                )
            )
        elif e.nominations_open <= now <= e.nominations_close:
            decided = Nomination.objects.filter(election=e).values("body_id")
            closes = f"nominations close {timezone.localtime(e.nominations_close):%Y-%m-%d %H:%M}"
            for body in nominating_bodies(e).filter(pk__in=kept).exclude(pk__in=decided):
                nominations.append(
                    Task(
                        f"{body.name}: its nomination in {e.title}",
                        url + "#record-nomination",
                        closes,
                    )
                )
    imports = [
        Task(
            f"{w.name} for {w.unit.name}: checked, waiting for you to confirm",
            reverse("members:import_waiting", args=[w.unit.code]) + f"?token={w.token}",
        )
        for w in waiting_imports(request)
    ]
    return Tasks(open_elections, nominations, imports)
