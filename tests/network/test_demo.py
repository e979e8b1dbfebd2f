"""The network demo: about 30 groups of three kinds with overlapping lists, a published primary
in which the women's minimum binds, an open primary in its hustings (held as a meeting with its
notice and agenda), and a primary now voting whose roll holds people only a group's list
knows."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils.html import escape

from grassroots.count import rules
from grassroots.count.formats import blt
from grassroots.members import demo as members_demo
from grassroots.network import demo
from grassroots.network.actions.roll_invitations import uninvited
from grassroots.network.models import Group, Primary, PrimaryEntry, PrimaryGroupFigure

pytestmark = pytest.mark.django_db


def test_the_network_demo_has_its_groups_a_published_primary_where_the_minimum_binds() -> None:
    members_demo.seed(members=100)
    made = demo.seed()
    assert made["groups"] == 30
    kinds = {
        k: Group.objects.filter(kind=k, status="accepted").count()
        for k in ("local", "national", "union")
    }
    assert kinds == {"local": 24, "national": 2, "union": 4}
    assert Group.objects.filter(status="applied").count() == 1
    published = Primary.objects.get(pk=made["published"])
    e = published.election
    assert e.state == "published"
    assert sum(f.found_elsewhere for f in PrimaryGroupFigure.objects.filter(primary=published))
    assert published.entries_count > e.roll_size  # overlapping lists, each person once
    women = set(demo.SLATE_WOMEN)
    elected = json.loads(e.publication.files["result.json"])["elected"]
    assert len(elected) == 9 and len(women & set(elected)) >= 5
    # the same ballots counted without the minimum elect fewer women: the minimum binds
    ballots = blt.loads(e.publication.files["ballots.blt"])
    free = rules.count(ballots, e.rule, seats=9, seed=e.seed)
    assert len(women & set(free.elected)) < 5
    hustings = Primary.objects.get(pk=made["open"])
    assert hustings.election.state == "draft"
    assert hustings.questions.count() == 5 and hustings.themes.count() == 2
    assert hustings.candidacies.count() == 5
    # its hustings is held online as a meeting, called with its notice and agenda, and shown
    meeting = hustings.hustings_meeting
    assert meeting is not None and meeting.state == "called" and meeting.join_url
    assert meeting.called_at < meeting.notice_deadline < meeting.start
    assert meeting.start < hustings.election.nominations_close
    agenda = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert {"Questions on council housing", "Questions on public services"} <= set(agenda)
    page = Client().get(f"/networks/left/primaries/{hustings.pk}/").content.decode()
    assert f'href="/meetings/{meeting.pk}/"' in page
    notice = Client().get(f"/meetings/{meeting.pk}/").content.decode()
    assert all(escape(title) in notice for title in agenda)
    # a primary now voting whose roll holds people only a group's imported list knows
    voting = Primary.objects.get(pk=made["voting"])
    assert voting.election.state == "voting"
    list_only = uninvited(voting)
    assert list_only.count() > voting.election.roll_size // 2
    assert not PrimaryEntry.objects.filter(
        primary=voting, card__in=list_only, person__user__isnull=False
    ).exists()
