"""A unit's register and one member's page: adding, editing, status and payments."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grassroots.audit.models import AuditEntry
from grassroots.members import actions, paging, queries
from grassroots.members.eligibility import STATUSES
from grassroots.members.forms import (
    MemberForm,
    PaymentForm,
    StatusForm,
)
from grassroots.members.listing import ARREARS, SORTS, list_register
from grassroots.members.models import Member, Occasion
from grassroots.members.permissions import can, require, units_where
from grassroots.members.tallies import members_of, register_cells, unit_versions
from grassroots.members.views._common import _unit


@login_required
def register(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's register: search, filters by status and arrears with the members' count for
    each choice, sorting by any column, a page at a time."""
    unit = _unit(code)
    require(request.user, "view_register", unit)
    today = dt.date.today()
    tree = unit_versions(unit)
    listing = list_register(
        members_of(tree),
        request.GET,
        today,
        stored=lambda: register_cells(tree, today),  # counted once a day per branch
    )
    params = urlencode(listing.params())
    join = "&" if params else ""
    seek = paging.seek_page(listing.members, listing.fields, listing.descending, request.GET)
    if seek is None:  # the first page, or a page by its number
        paginator = Paginator(listing.members, paging.PAGE_SIZE)
        paginator.count = listing.total  # counted with the filters' figures: no second COUNT
        page = paginator.get_page(request.GET.get("page"))
        rows = list(page)
        nav = {
            "position": f"Page {page.number} of {paginator.num_pages}",
            "first": "",
            "previous": f"{params}{join}page={page.number - 1}" if page.has_previous() else "",
            # the next page is sought from the last member shown, never counted through
            "next": params + join + urlencode({"after": rows[-1].number})
            if page.has_next()
            else "",
            "problem": "",
        }
    else:
        rows = seek.members
        nav = {
            "position": f"From {rows[0]} to {rows[-1]}" if rows else "No more members",
            "first": params or "page=1",
            "previous": params + join + urlencode({"before": seek.before}) if seek.before else "",
            "next": params + join + urlencode({"after": seek.after}) if seek.after else "",
            "problem": seek.problem,
        }
    columns = []
    for key, (label, _) in SORTS.items():
        current = listing.sort.removeprefix("-") == key
        descending = listing.sort.startswith("-")
        again = f"-{key}" if current and not descending else key  # a second click reverses
        sort = ("descending" if descending else "ascending") if current else ""
        columns.append((key, label, urlencode(listing.params(sort=again)), sort))
    return render(
        request,
        "members/register.html",
        {
            "unit": unit,
            "rows": rows,
            "nav": nav,
            "listing": listing,
            "columns": columns,
            "sort_choices": [
                (f"{d}{key}", f"{label}{', reversed' if d else ''}")
                for key, (label, _) in SORTS.items()
                for d in ("", "-")
            ],
            "statuses": [(s, s.capitalize(), listing.status_counts[s]) for s in STATUSES],
            "arrears_choices": [(k, v, listing.arrears_counts[k]) for k, v in ARREARS.items()],
            "can_edit": can(request.user, "edit_register", unit),
            "can_occasions": can(request.user, "manage_occasions", unit),
            "can_roles": can(request.user, "manage_roles", unit),
            "can_units": can(request.user, "manage_units", unit),
            "children": unit.children.all(),
        },
    )


@login_required
def member_new(request: HttpRequest, code: str) -> HttpResponse:
    """Add one member."""
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    units = units_where(request.user, "edit_register").filter(path__startswith=unit.path)
    form = MemberForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            m = actions.create_member(by=request.user, **form.cleaned_data)
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Added {m.name}.")
            return redirect("members:member", number=m.number)
    return render(request, "members/member_form.html", {"unit": unit, "form": form})


@login_required
def member_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One member's record, with forms to edit it, change status and record a payment."""
    m = get_object_or_404(Member.objects.select_related("branch", "ward"), number=number)
    require(request.user, "view_register", m.branch)
    can_edit = can(request.user, "edit_register", m.branch)
    units = units_where(request.user, "edit_register")
    form = None
    if can_edit:
        initial = {f: getattr(m, f) for f in actions.EDITABLE}
        form = MemberForm(request.POST or None, units=units, editing=True, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            reason = data.pop("reason", "")
            try:
                actions.update_member(m, by=request.user, changes=data, reason=reason)
            except actions.ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Saved.")
                return redirect("members:member", number=m.number)
    elif request.method == "POST":
        require(request.user, "edit_register", m.branch)
    history = AuditEntry.objects.filter(subject=f"member:{m.number}").order_by("-id")[:50]
    occasions = Occasion.objects.all()
    return render(
        request,
        "members/member.html",
        {
            "m": m,
            "form": form,
            "status_form": StatusForm(),
            "payment_form": PaymentForm(),
            "history": history,
            "rows": queries.standing(m, occasions),
            "transitions": [
                t for t, (start, _, _) in actions.TRANSITIONS.items() if m.status in start
            ],
        },
    )


@login_required
@require_POST
def member_status(request: HttpRequest, number: str) -> HttpResponse:
    """Change a member's status (confirm, lapse, suspend, readmit, expel)."""
    m = get_object_or_404(Member, number=number)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.change_status(
                m,
                form.cleaned_data["transition"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except actions.ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Status changed.")
    else:
        messages.error(request, "Choose a status change.")
    return redirect("members:member", number=m.number)


@login_required
@require_POST
def member_payment(request: HttpRequest, number: str) -> HttpResponse:
    """Record a subscription payment."""
    m = get_object_or_404(Member, number=number)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            actions.record_payment(m, by=request.user, **form.cleaned_data)
        except actions.ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Payment recorded.")
    else:
        messages.error(request, "Give the date the subscription is now paid up to.")
    return redirect("members:member", number=m.number)
