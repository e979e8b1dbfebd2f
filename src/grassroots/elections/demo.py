"""Demo elections over the demo organisation: one open for voting, one counted and published.

Call ``seed()`` after ``grassroots.members.demo.seed`` (the demo command does it in one line).
"""

from __future__ import annotations

import colorsys
import datetime as dt
import io
import random

from django.utils import timezone
from PIL import Image, ImageDraw

from grassroots.elections import actions
from grassroots.elections.models import Election, RollEntry
from grassroots.elections.photos import Photo, prepare_photo
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Member, Unit

__all__ = ["seed"]

DAY = dt.timedelta(days=1)
EXEC = ("Ada Rivers", "Ben Okafor", "Chloe Marsh", "Dev Patel", "Erin Walsh", "Femi Adeyemi")
WOMEN = ("Ada Rivers", "Chloe Marsh", "Erin Walsh")


def _portrait(name: str, hue: float) -> Photo:
    """A stand-in photo for a demo candidate: their initials on a plain colour."""
    r, g, b = (round(255 * x) for x in colorsys.hls_to_rgb(hue, 0.35, 0.45))
    image = Image.new("RGB", (240, 240), (r, g, b))
    initials = "".join(part[0] for part in name.split())
    ImageDraw.Draw(image).text((120, 120), initials, fill="white", anchor="mm", font_size=96)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return prepare_photo(out.getvalue(), filename=f"{name}.png")


def _election(title: str, seats: int, start: dt.datetime, voters_now: dt.datetime) -> Election:
    national = Unit.objects.get(kind="national")
    branches = list(Unit.objects.filter(kind="branch").order_by("code"))
    e = actions.create_election(
        title=title,
        seats=seats,
        rule="scottish",
        unit=national,
        eligibility=RuleSet(on=start.date(), provisional_days=56),
        freeze_date=start.date() - 30 * DAY,
        nominations_open=start - 20 * DAY,
        nominations_close=start - 5 * DAY,
        voting_open=start,
        voting_close=start + 14 * DAY,
        threshold={"kind": "branch", "count": 2},
        constraints={"minima": {"women": 1}},
        by=None,
    )
    during = start - 10 * DAY
    for i, name in enumerate(EXEC):
        groups = ["women"] if name in WOMEN else []
        c = actions.add_candidate(e, name=name, groups=groups, by=None, now=during)
        actions.consent(
            c,
            statement=f"{name} asks for your vote.",
            photo=_portrait(name, i / len(EXEC)),
            by=None,
            now=during,
        )
        for b in (branches[i % len(branches)], branches[(i + 1) % len(branches)]):
            actions.record_nomination(e, body=b, candidate=c, by=None, now=during)
    actions.open_voting(e, by=None, now=max(voters_now, start - 5 * DAY))
    return e


def _draft(now: dt.datetime) -> Election:
    """A draft being set up: only the returning officer and administrator see it."""
    return actions.create_election(
        title="Treasurer (demo, draft)",
        seats=1,
        rule="irv",
        unit=Unit.objects.get(kind="national"),
        eligibility=RuleSet(on=(now + 30 * DAY).date(), provisional_days=56),
        freeze_date=(now + 5 * DAY).date(),
        nominations_open=now + 7 * DAY,
        nominations_close=now + 21 * DAY,
        voting_open=now + 30 * DAY,
        voting_close=now + 44 * DAY,
        threshold={"kind": "branch", "count": 2},
        announced=False,
        by=None,
    )


def seed(voters: int = 400, now: dt.datetime | None = None) -> list[Election]:
    """An election open now and a published one whose voters cast a few weeks ago (returned),
    and a draft that only its managers see."""
    now = now or timezone.now()
    rng = random.Random(5)
    past = _election("Policy forum representatives (demo, published)", 3, now - 40 * DAY, now)
    members = list(
        Member.objects.filter(pk__in=RollEntry.objects.filter(election=past).values("member_id"))
    )
    for m in rng.sample(members, min(voters, len(members))):
        ranking = rng.sample(list(past.ballot), rng.randint(1, len(past.ballot)))
        actions.cast(past, m, ranking, now=now - 35 * DAY)
    actions.close_voting(past, by=None, now=now - 25 * DAY)
    actions.count_votes(past, by=None)
    actions.publish_result(past, by=None)
    current = _election("Regional executive (demo, voting open)", 3, now - 2 * DAY, now)
    _draft(now)
    return [past, current]
