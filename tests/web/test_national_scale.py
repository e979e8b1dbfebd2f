"""What the pages at national scale rely on (bench/bench_pages.py measures them on 500,000
members): the register counts its filters in one pass, an administrator's member page lists
every branch and ward as Django would, and a frozen roll without database foreign keys is still
protected and removed with its election."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.elections import actions as elections
from grassroots.elections.models import Election, RollEntry
from grassroots.members import actions
from grassroots.members.eligibility import RuleSet
from grassroots.members.models import Member, Unit
from grassroots.site.widgets import QuickSelect
from tests.web.conftest import TODAY, Org

pytestmark = pytest.mark.django_db


def _client(org: Org, user: str) -> Client:
    c = Client()
    c.force_login(org.users[user])
    return c


def test_the_register_page_reads_its_filter_counts_and_page_count_in_one_pass(org: Org) -> None:
    for i in range(30):
        actions.create_member(
            by=None,
            number=f"H{i:03d}",
            name=f"Hill Member {i}",
            branch=org.hillford,
            join_date=dt.date(2020, 1, 1),
            status=("full", "lapsed", "provisional")[i % 3],
            paid_up_to=TODAY + dt.timedelta(days=(-1) ** i * 30),
        )
    c = _client(org, "admin")
    with CaptureQueriesContext(connection) as q:
        resp = c.get("/units/national/?status=full&arrears=paid_up")
    assert resp.status_code == 200
    counting = [x["sql"] for x in q.captured_queries if "COUNT(" in x["sql"].upper()]
    # one pass over the branches' members, and one over any member filed under a unit that is
    # not a branch (none here: only the ORM can put one there)
    assert len(counting) == 2, counting
    # the figures are those of the filters, each as if it alone changed
    listing = resp.context["listing"]
    members = Member.objects.all()
    full = members.filter(status="full")
    paid = members.filter(paid_up_to__gte=TODAY)
    assert listing.status_counts["full"] == full.filter(paid_up_to__gte=TODAY).count()
    assert listing.status_counts["lapsed"] == paid.filter(status="lapsed").count()
    assert listing.arrears_counts == {
        "in_arrears": full.count() - full.filter(paid_up_to__gte=TODAY).count(),
        "paid_up": full.filter(paid_up_to__gte=TODAY).count(),
    }
    assert listing.total == full.filter(paid_up_to__gte=TODAY).count()
    # counted once: the next reads take the figures stored for each branch, and count only
    # the members filed under units that are not branches
    with CaptureQueriesContext(connection) as q:
        again = c.get("/units/national/?status=full&arrears=paid_up")
    counting = [x["sql"] for x in q.captured_queries if "COUNT(" in x["sql"].upper()]
    assert len(counting) == 1, counting
    same = again.context["listing"]
    assert (same.status_counts, same.arrears_counts, same.total) == (
        listing.status_counts, listing.arrears_counts, listing.total
    )  # fmt: skip


def test_an_administrators_member_page_offers_every_branch_and_ward_with_hers_chosen(
    org: Org,
) -> None:
    actions.create_unit(
        kind="branch", code="a-and-b", name="Ash & <Birch>", parent=org.north, by=None
    )
    page = _client(org, "admin").get(f"/members/{org.ann.number}/").content.decode()
    branch = re.search(r'<select name="branch"[^>]*>(.*?)</select>', page, re.S)
    ward = re.search(r'<select name="ward"[^>]*>(.*?)</select>', page, re.S)
    assert branch and ward
    options = re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', branch.group(1))
    names = {label for _, _, label in options}
    assert {"Hillford", "Moorside", "Ash &amp; &lt;Birch&gt;"} <= names
    assert [label for _, chosen, label in options if chosen] == ["Hillford"]
    east = f'<option value="{org.hillford_east.pk}" selected>Hillford East</option>'
    assert east in ward.group(1)


@pytest.mark.parametrize("value", ["2", None, ""])
def test_the_quick_drop_down_writes_what_djangos_drop_down_writes(value: str | None) -> None:
    choices = [("", "---"), ("1", "A & B <x>"), ("2", 'Say "yes"'), ("Group", [("3", "C")])]
    attrs = {"id": "id_b", "required": True, "aria-describedby": "b_help", "disabled": False}

    def squash(html: str) -> str:
        return re.sub(r">\s+<", "><", html.strip())

    django = forms.Select(choices=choices, attrs=attrs).render("b", value)
    quick = QuickSelect(choices=choices, attrs=attrs).render("b", value)
    assert squash(quick) == squash(django)


def _open_election(org: Org) -> Election:
    now = timezone.now()
    day = dt.timedelta(days=1)
    e = elections.create_election(
        title="Chair",
        seats=1,
        rule="scottish",
        unit=org.national,
        eligibility=RuleSet(on=now.date()),
        freeze_date=now.date(),
        nominations_open=now - 3 * day,
        nominations_close=now - 2 * day,
        voting_open=now - day,
        voting_close=now + day,
        threshold={},
        by=None,
        now=now - 4 * day,
    )
    for name in ("Pat", "Sam"):
        c = elections.add_candidate(e, name=name, by=None, now=now - 3 * day)
        elections.consent(c, statement="", by=None, now=now - 3 * day)
    return elections.open_voting(e, by=None, now=now)


def test_a_frozen_roll_names_each_member_once_and_protects_them_and_their_branch(
    org: Org,
) -> None:
    e = _open_election(org)
    roll = list(RollEntry.objects.filter(election=e).values_list("member_id", "branch_id"))
    assert sorted(roll) == sorted(
        Member.objects.filter(status="full").values_list("pk", "branch_id")
    )
    assert e.roll_size == len(roll) == 2
    with pytest.raises(ProtectedError):
        Member.objects.get(pk=org.bob.pk).delete()
    with pytest.raises(ProtectedError):
        Unit.objects.get(pk=org.moorside.pk).delete()
    Election.objects.filter(pk=e.pk).delete()
    assert not RollEntry.objects.exists()


def test_a_frozen_rolls_figures_per_branch_are_counted_once_and_named_as_the_branch_is_now(
    org: Org,
) -> None:
    from django.core.cache import cache

    cache.clear()
    e = _open_election(org)
    first = elections.turnout(e)
    assert {b["branch"]: b["roll"] for b in first["branches"]} == {"Hillford": 1, "Moorside": 1}
    with CaptureQueriesContext(connection) as q:
        again = elections.turnout(e)
    assert again == first
    assert not [x for x in q.captured_queries if "elections_rollentry" in x["sql"]]
    actions.rename_unit(org.moorside, name="Moorside and Dale", by=None)
    renamed = {b["branch"]: b["roll"] for b in elections.turnout(e)["branches"]}
    assert renamed == {"Hillford": 1, "Moorside and Dale": 1}
