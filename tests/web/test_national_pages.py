"""Pages at national scale (issue 15): the register's counts and the delegates' figures are
counted once and stored per unit, and counted again after any change to that unit's members;
the register's pages after the first are sought from the last member shown, never skipped to
with OFFSET, in every sort."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grassroots.members import actions, queries
from grassroots.members.delegates import gc_formula
from grassroots.members.models import BranchTally, Member, Unit
from grassroots.members.tallies import delegate_figures, register_cells, unit_versions
from tests.web.conftest import TODAY, Org

pytestmark = pytest.mark.django_db

D = dt.date
SNAPSHOT = TODAY


def _add(org: Org, n: int, *, branch: Unit | None = None, prefix: str = "H") -> None:
    for i in range(n):
        actions.create_member(
            by=None,
            number=f"{prefix}{i:03d}",
            name=f"{'ABCDE'[i % 5]} Member {i}",
            branch=branch or org.hillford,
            ward=org.hillford_east if (branch is None and i % 3 == 0) else None,
            join_date=D(2020, 1, 1),
            status=("full", "lapsed", "provisional")[i % 3],
            paid_up_to=None if i % 4 == 0 else TODAY + dt.timedelta(days=(-1) ** i * (i + 1)),
            gender="woman" if i % 2 else "",
        )


def _figures(org: Org) -> dict[str, tuple[int, int]]:
    rows = queries.delegate_table(
        Unit.objects.filter(path__startswith=org.national.path), gc_formula(1), SNAPSHOT
    )
    return {r.body.code: (r.figures.members, r.figures.groups["women"]) for r in rows}


def _counted(org: Org) -> dict[str, tuple[int, int]]:
    """The same figures counted directly from the register."""
    out = {}
    for b in Unit.objects.filter(kind="branch"):
        paying = Member.objects.filter(
            branch=b,
            join_date__lte=SNAPSHOT,
            paid_up_to__gte=SNAPSHOT,
            status__in=("provisional", "full", "suspended"),
        )
        out[b.code] = (paying.count(), paying.filter(gender__iexact="woman").count())
    return out


def test_the_delegates_figures_are_counted_once_per_snapshot_and_then_read_from_storage(
    org: Org,
) -> None:
    _add(org, 12)
    first = _figures(org)
    assert first == _counted(org)
    with CaptureQueriesContext(connection) as q:
        again = _figures(org)
    assert again == first
    assert not [x for x in q.captured_queries if "members_member" in x["sql"]]
    # another snapshot date is counted for itself
    other = delegate_figures(
        {org.hillford.pk: Unit.objects.get(pk=org.hillford.pk).register_version},
        SNAPSHOT - dt.timedelta(days=3650),
    )
    assert other[org.hillford.pk].get("members", 0) == 0  # none had joined then


def test_every_change_to_a_member_through_the_actions_is_in_the_next_delegates_table(
    org: Org,
) -> None:
    _add(org, 12)
    _figures(org)
    lapsed = Member.objects.get(number="H001")
    actions.change_status(lapsed, "readmit", by=None, reason="paid again")
    assert _figures(org) == _counted(org)
    paying = Member.objects.get(number="H000")  # full, never paid
    actions.record_payment(paying, paid_up_to=SNAPSHOT + dt.timedelta(days=5), by=None)
    assert _figures(org) == _counted(org)
    # a move between branches changes both
    before = _figures(org)
    actions.update_member(
        Member.objects.get(number="H002"),
        by=None,
        changes={"branch": org.moorside, "ward": None},
    )
    after = _figures(org)
    assert after == _counted(org)
    assert after["hillford"][0] == before["hillford"][0] - 1
    assert after["moorside"][0] == before["moorside"][0] + 1
    # a new member, and a change of gender
    actions.create_member(
        by=None,
        number="N1",
        name="New",
        branch=org.moorside,
        join_date=D(2020, 1, 1),
        status="full",
        paid_up_to=SNAPSHOT,
        gender="Woman",
    )
    actions.update_member(Member.objects.get(number="H004"), by=None, changes={"gender": "W"})
    assert _figures(org) == _counted(org)


def test_an_import_recounts_the_branches_it_adds_to_updates_and_moves_members_from(
    org: Org,
) -> None:
    _add(org, 6)
    _figures(org)
    text = (
        "number,name,branch,join_date,status,paid_up_to\n"
        f"I1,Ivy,moorside,2020-01-01,full,{SNAPSHOT}\n"
        f"H003,D Member 3,moorside,2020-01-01,full,{SNAPSHOT}\n"
    )
    parsed = queries.check_register(text, allowed_branches=None)
    assert not parsed.errors, parsed.errors
    actions.import_members(parsed, unit=org.national, by=None)
    assert _figures(org) == _counted(org)
    assert Member.objects.get(number="H003").branch == org.moorside


def test_a_member_saved_outside_the_actions_still_recounts_its_branch(org: Org) -> None:
    _figures(org)
    Member.objects.create(
        number="X1",
        name="Direct",
        branch=org.moorside,
        join_date=D(2020, 1, 1),
        status="full",
        paid_up_to=SNAPSHOT,
    )
    assert _figures(org) == _counted(org)
    Member.objects.get(number="X1").delete()
    assert _figures(org) == _counted(org)


def test_figures_counted_before_a_change_committed_are_not_kept_for_after_it(org: Org) -> None:
    versions = unit_versions(org.national)  # a page reads the versions...
    actions.create_member(  # ...a change is committed meanwhile...
        by=None,
        number="Y1",
        name="Meanwhile",
        branch=org.hillford,
        join_date=D(2020, 1, 1),
        status="full",
        paid_up_to=TODAY,
    )
    register_cells(versions, TODAY)  # ...and its counts are stored under the old version
    stored = BranchTally.objects.get(unit=org.hillford, kind="register", on=TODAY)
    assert stored.version < Unit.objects.get(pk=org.hillford.pk).register_version
    cells = register_cells(unit_versions(org.national), TODAY)
    assert (
        cells[("full", True)] == Member.objects.filter(status="full", paid_up_to__gte=TODAY).count()
    )


def test_the_register_counts_follow_a_status_change_and_yesterdays_counts_are_dropped(
    org: Org,
) -> None:
    _add(org, 9)
    BranchTally.objects.create(
        unit=org.hillford, kind="register", on=TODAY - dt.timedelta(days=1), version=0, figures={}
    )
    c = Client()
    c.force_login(org.users["admin"])
    before = c.get("/units/national/").context["listing"].status_counts
    assert not BranchTally.objects.filter(on__lt=TODAY, kind="register").exists()
    actions.change_status(Member.objects.get(number="H000"), "lapse", by=None)
    after = c.get("/units/national/").context["listing"].status_counts
    assert after["full"] == before["full"] - 1
    assert after["lapsed"] == before["lapsed"] + 1


def _walk(c: Client, start: str) -> tuple[list[str], list[str]]:
    """Follow Next from ``start`` to the end, then Previous back: the numbers seen each way."""
    forward: list[list[str]] = []
    url = start
    while True:
        r = c.get(url)
        assert r.status_code == 200
        forward.append([m.number for m in r.context["rows"]])
        nxt = r.context["nav"]["next"]
        if not nxt:
            break
        url = "/units/national/?" + nxt
    backward: list[list[str]] = []
    while True:
        backward.append([m.number for m in r.context["rows"]])
        prev = r.context["nav"]["previous"]
        if not prev:
            break
        r = c.get("/units/national/?" + prev)
        assert r.status_code == 200
    return [n for p in forward for n in p], [n for p in reversed(backward) for n in p]


@pytest.mark.parametrize(
    "sort", ["number", "name", "-name", "ward", "-ward", "paid", "-paid", "branch", "-joined"]
)
def test_following_next_then_previous_visits_every_member_once_in_order_in_every_sort(
    org: Org, sort: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grassroots.members import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 7)
    _add(org, 40)
    _add(org, 11, branch=org.moorside, prefix="K")
    c = Client()
    c.force_login(org.users["admin"])
    whole = c.get(f"/units/national/?sort={sort}&page=1")
    order = list(whole.context["listing"].members.values_list("number", flat=True))
    assert len(order) == Member.objects.count()
    forward, backward = _walk(c, f"/units/national/?sort={sort}")
    assert forward == order
    assert backward == order


def test_a_page_after_the_first_reads_from_the_last_member_shown_without_offset(
    org: Org,
) -> None:
    _add(org, 160)  # 55 full members with Ann and Bob
    c = Client()
    c.force_login(org.users["admin"])
    first = c.get("/units/national/?status=full")
    nav = first.context["nav"]
    assert nav["next"] == f"status=full&sort=number&after={first.context['rows'][-1].number}"
    with CaptureQueriesContext(connection) as q:
        second = c.get("/units/national/?" + nav["next"])
    assert not [x for x in q.captured_queries if "OFFSET" in x["sql"].upper()]
    shown = [m.number for m in second.context["rows"]]
    full = list(Member.objects.filter(status="full").values_list("number", flat=True))
    assert shown == full[50:]
    html = second.content.decode()
    assert (
        "First page" in html and "Previous" in html and f"to {second.context['rows'][-1]}" in html
    )
    assert second.context["listing"].total == len(full)


@pytest.mark.parametrize("cursor", ["NOSUCH", "'; DROP TABLE x; --", "", "%00", "M1" * 200])
def test_a_page_after_a_number_no_member_has_is_the_first_page_said_so(
    org: Org, cursor: str
) -> None:
    c = Client()
    c.force_login(org.users["secretary"])
    r = c.get("/units/hillford/", {"after": cursor, "sort": "name"})
    assert r.status_code == 200
    assert [m.number for m in r.context["rows"]] == ["M1"]
    if cursor.strip():
        assert "No member has the number" in r.content.decode()


def test_a_page_after_a_member_of_another_branch_shows_only_this_branchs_members(
    org: Org,
) -> None:
    _add(org, 5, branch=org.moorside, prefix="K")
    c = Client()
    c.force_login(org.users["secretary"])
    r = c.get("/units/hillford/", {"after": "K000"})
    assert all(m.branch_id == org.hillford.pk for m in r.context["rows"])


def test_a_member_filed_under_a_unit_that_is_not_a_branch_is_still_counted_in_the_register(
    org: Org,
) -> None:
    c = Client()
    c.force_login(org.users["admin"])
    before = c.get("/units/national/").context["listing"].total
    Member.objects.create(  # only the ORM allows it; the actions refuse a region
        number="R1", name="Regional", branch=org.north, join_date=D(2020, 1, 1), status="full"
    )
    assert c.get("/units/national/").context["listing"].total == before + 1
    assert (
        c.get("/units/north/").context["listing"].total
        == Member.objects.filter(branch__path__startswith=org.north.path).count()
    )


def _log_pages(c: Client, start: str, link: str) -> list[int]:
    seen: list[int] = []
    url = start
    while url:
        r = c.get(url)
        assert r.status_code == 200
        page = r.context["page"]
        seen.extend(e.id for e in page.entries)
        number = getattr(page, link)
        url = f"/audit/?{'before' if link == 'older' else 'after'}={number}" if number else ""
    return seen


def test_the_audit_log_is_read_older_and_newer_a_page_at_a_time_by_entry_number(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grassroots.audit import views as audit_views
    from grassroots.audit.models import AuditEntry

    monkeypatch.setattr(audit_views, "PAGE_SIZE", 4)
    _add(org, 9)
    ids = list(AuditEntry.objects.order_by("-id").values_list("id", flat=True))
    assert len(ids) > 12
    c = Client()
    c.force_login(org.users["admin"])
    older = _log_pages(c, "/audit/", "older")
    assert older == ids
    # from the oldest page back up to the newest
    with CaptureQueriesContext(connection) as q:
        last = c.get(f"/audit/?before={ids[-2]}")
    assert not [x for x in q.captured_queries if "OFFSET" in x["sql"].upper()]
    assert [e.id for e in last.context["page"].entries] == ids[-1:]
    newer = _log_pages(c, f"/audit/?before={ids[-2]}", "newer")
    assert sorted(newer, reverse=True) == ids and len(set(newer)) == len(ids)
    html = c.get(f"/audit/?before={ids[4]}").content.decode()
    assert f"Entries {ids[5]} to {ids[8]}" in html and "Newest" in html and "Older" in html


@pytest.mark.parametrize(
    "params", [{"before": "x"}, {"after": "-1; --"}, {"before": "9" * 40}, {"after": "0" * 30}]
)
def test_an_audit_log_page_from_a_place_that_is_no_entry_number_is_the_newest_said_so(
    org: Org, params: dict[str, str]
) -> None:
    from grassroots.audit.models import AuditEntry

    c = Client()
    c.force_login(org.users["admin"])
    r = c.get("/audit/", params)
    assert r.status_code == 200
    newest = AuditEntry.objects.order_by("-id").first()
    assert newest is not None and r.context["page"].entries[0].id == newest.id
    assert "is not an entry number" in r.content.decode()


def test_the_audit_log_past_either_end_shows_the_newest_entries(org: Org) -> None:
    from grassroots.audit.models import AuditEntry

    c = Client()
    c.force_login(org.users["admin"])
    newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    for params in ({"before": "1"}, {"after": str(newest)}):
        r = c.get("/audit/", params)
        assert r.context["page"].entries[0].id == newest


def test_the_delegates_table_writes_each_row_with_its_working_and_escapes_names(
    org: Org,
) -> None:
    actions.create_unit(kind="branch", code="odd", name="Ash & <Birch>", parent=org.north, by=None)
    c = Client()
    c.force_login(org.users["admin"])
    html = c.get("/units/national/delegates/").content.decode()
    assert '<td data-label="Branch or body">Ash &amp; &lt;Birch&gt;</td>' in html
    assert "<b" + "irch>" not in html.lower().replace("&lt;birch&gt;", "")
    row = html[html.index("Ash &amp;") :].split("</tr>")[0]
    assert '<td class="num" data-label="Members">0</td>' in row
    assert "<li>no members counted: no delegates</li>" in row


def test_delegate_figures_are_kept_for_the_latest_snapshot_dates_only(org: Org) -> None:
    from grassroots.members.tallies import KEPT_SNAPSHOTS

    versions = unit_versions(org.national).versions
    dates = [D(2010 + i, 12, 31) for i in range(KEPT_SNAPSHOTS + 3)]
    first = delegate_figures(versions, dates[0])
    for d in dates[1:]:
        delegate_figures(versions, d)
    kept = set(BranchTally.objects.filter(kind="delegates").values_list("on", flat=True))
    assert kept == set(dates[-KEPT_SNAPSHOTS:])
    # an earlier date is counted again, the same as before
    assert delegate_figures(versions, dates[0]) == first
