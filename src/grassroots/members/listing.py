"""The register's list: search, filters by status and arrears, sorting, and the members' count
for each filter choice (what the list would hold if that choice were made instead)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, When

from grassroots.members.eligibility import STATUSES
from grassroots.members.models import Member
from grassroots.members.paging import order_by

__all__ = ["ARREARS", "SORTS", "Listing", "list_register"]

# arrears filter: value -> (label, condition on a member as at ``today``)
ARREARS = {
    "in_arrears": "In arrears",
    "paid_up": "Paid up",
}

# sort key -> (column heading, the fields ordered by)
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "number": ("Number", ("number",)),
    "name": ("Name", ("name", "number")),
    "branch": ("Branch", ("branch__name", "number")),
    "ward": ("Ward", ("ward__name", "number")),
    "status": ("Status", ("status", "number")),
    "joined": ("Joined", ("join_date", "number")),
    "paid": ("Paid up to", ("paid_up_to", "number")),
}


def _arrears_q(value: str, today: dt.date) -> Q:
    paid = Q(paid_up_to__gte=today)
    return paid if value == "paid_up" else ~paid | Q(paid_up_to__isnull=True)


@dataclass(frozen=True)
class Listing:
    """What the register page shows: the chosen filters, the members, the counts."""

    q: str
    status: str  # "" or one of STATUSES
    arrears: str  # "" or a key of ARREARS
    sort: str  # a key of SORTS, "-" in front for descending
    members: QuerySet[Member]
    status_counts: dict[str, int]  # with the other filters as chosen: how many of each status
    arrears_counts: dict[str, int]  # likewise for in arrears / paid up
    any_status: int  # with the other filters as chosen, whatever the status
    any_arrears: int  # with the other filters as chosen, paid up or not
    total: int  # members listed: every filter as chosen
    fields: tuple[str, ...]  # the fields sorted by, the membership number last
    descending: bool

    def params(self, **changes: str) -> dict[str, str]:
        """The page's query parameters with ``changes`` made (empty values left out)."""
        p = {"q": self.q, "status": self.status, "arrears": self.arrears, "sort": self.sort}
        p.update(changes)
        return {k: v for k, v in p.items() if v}


Cells = dict[tuple[str, bool], int]


def list_register(
    members: QuerySet[Member],
    params: Mapping[str, str],
    today: dt.date,
    *,
    stored: Callable[[], Cells] | None = None,
) -> Listing:
    """Apply the page's search, filters and sort to ``members``; count each filter choice.

    ``stored``, when nothing is searched for, gives the counts by (status, paid up) of all
    ``members`` without reading them (members.tallies)."""
    q = params.get("q", "").strip()
    status = params.get("status", "")
    status = status if status in STATUSES else ""
    arrears = params.get("arrears", "")
    arrears = arrears if arrears in ARREARS else ""
    sort = params.get("sort", "")
    sort = sort if sort.removeprefix("-") in SORTS else "number"
    if q:
        members = members.filter(Q(name__icontains=q) | Q(number=q) | Q(email__iexact=q))
    # one pass over the members searched for: how many in each status, paid up or not; every
    # count the page shows is a sum of these cells (a national register is read once, not
    # once for the status counts, once for the arrears counts and once for the pages)
    cells: Cells = {}
    if stored is not None and not q:
        cells = stored()
    else:
        rows = (
            members.order_by()
            .annotate(paid=Case(When(_arrears_q("paid_up", today), then=True), default=False))
            .values_list("status", "paid")
            .annotate(n=Count("id"))
        )
        for s, paid, n in rows:
            cells[(s, bool(paid))] = cells.get((s, bool(paid)), 0) + n

    def arrears_ok(paid: bool) -> bool:
        return not arrears or (arrears == "paid_up") == paid

    status_counts = dict.fromkeys(STATUSES, 0)
    for (s, paid), n in cells.items():
        if arrears_ok(paid) and s in status_counts:
            status_counts[s] += n
    by_status = [(paid, n) for (s, paid), n in cells.items() if not status or s == status]
    arrears_counts = {
        "paid_up": sum(n for paid, n in by_status if paid),
        "in_arrears": sum(n for paid, n in by_status if not paid),
    }
    by_arrears = members.filter(_arrears_q(arrears, today)) if arrears else members
    chosen = by_arrears.filter(status=status) if status else by_arrears
    fields = SORTS[sort.removeprefix("-")][1]
    descending = sort.startswith("-")
    return Listing(
        q=q,
        status=status,
        arrears=arrears,
        sort=sort,
        members=chosen.select_related("branch", "ward").order_by(*order_by(fields, descending)),
        status_counts=status_counts,
        arrears_counts=arrears_counts,
        any_status=sum(status_counts.values()),
        any_arrears=sum(arrears_counts.values()),
        total=sum(n for paid, n in by_status if arrears_ok(paid)),
        fields=fields,
        descending=descending,
    )
