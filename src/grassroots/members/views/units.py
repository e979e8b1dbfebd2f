"""The organisation tree: listing, viewing, adding and renaming units."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from grassroots.members import actions
from grassroots.members.forms import (
    RenameUnitForm,
    UnitForm,
)
from grassroots.members.models import Occasion, Unit
from grassroots.members.permissions import require, units_where
from grassroots.members.views._common import _unit


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """The units whose register or delegates this user may see, each linked only where they may."""
    registers = units_where(request.user, "view_register")
    # delegates are computed for branches and above: a ward is listed for its register only
    delegates = units_where(request.user, "view_delegates").exclude(kind="ward")
    units = (registers | delegates).distinct()
    occasions = Occasion.objects.filter(
        unit__in=units_where(request.user, "view_eligibility")
    ).select_related("unit")
    managed = units_where(request.user, "manage_units")
    tops = managed.exclude(parent__in=managed)  # the highest units whose tree this user keeps
    return render(
        request,
        "members/units.html",
        {
            "units": units,
            "registers": set(registers.values_list("pk", flat=True)),
            "occasions": occasions,
            "tree_tops": tops,
        },
    )


@dataclass
class _Node:
    unit: Unit
    can_add: bool
    children: list[_Node] = field(default_factory=list)


@login_required
def unit_tree(request: HttpRequest, code: str) -> HttpResponse:
    """The organisation tree below a unit, with links to add a unit under each one or rename it."""
    top = _unit(code)
    require(request.user, "manage_units", top)
    nodes: dict[int, _Node] = {}
    for u in Unit.objects.filter(path__startswith=top.path).order_by("path"):
        nodes[u.pk] = _Node(u, bool(actions.child_kinds(u.kind)))
        if u.parent_id in nodes and u.pk != top.pk:
            nodes[u.parent_id].children.append(nodes[u.pk])
    for n in nodes.values():
        n.children.sort(key=lambda c: (c.unit.kind, c.unit.name))
    return render(
        request,
        "members/unit_tree.html",
        {"unit": top, "root": nodes[top.pk], "count": len(nodes)},
    )


@login_required
def unit_new(request: HttpRequest, code: str) -> HttpResponse:
    """Add a unit under this one."""
    parent = _unit(code)
    require(request.user, "manage_units", parent)
    form = UnitForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            u = actions.create_unit(parent=parent, by=request.user, **form.cleaned_data)
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Added {u.get_kind_display().lower()} {u.name} ({u.code}).")
            return redirect("members:unit_tree", code=_tree_top(request, parent).code)
    return render(request, "members/unit_form.html", {"parent": parent, "form": form})


@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Rename a unit (its code stays)."""
    unit = _unit(code)
    require(request.user, "manage_units", unit)
    form = RenameUnitForm(request.POST or None, initial={"name": unit.name})
    if request.method == "POST" and form.is_valid():
        try:
            actions.rename_unit(unit, by=request.user, **form.cleaned_data)
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Renamed to {form.cleaned_data['name'].strip()}.")
            return redirect("members:unit_tree", code=_tree_top(request, unit).code)
    return render(request, "members/unit_rename.html", {"unit": unit, "form": form})


def _tree_top(request: HttpRequest, unit: Unit) -> Unit:
    """The highest unit above (or at) ``unit`` whose tree this user may manage."""
    managed = units_where(request.user, "manage_units")
    above = [int(pk) for pk in unit.path.strip("/").split("/")]
    return managed.filter(pk__in=above).order_by("path").first() or unit
