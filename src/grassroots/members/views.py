"""Thin views: check the user's role, call one action or query, render or redirect."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from grassroots.audit.models import AuditEntry
from grassroots.members import actions, csvio, queries
from grassroots.members.delegates import CONFERENCE, gc_formula
from grassroots.members.eligibility import RuleSet
from grassroots.members.forms import (
    DelegateForm,
    ImportForm,
    MemberForm,
    OccasionForm,
    PaymentForm,
    RenameUnitForm,
    RoleForm,
    StatusForm,
    UnitForm,
)
from grassroots.members.models import Member, Occasion, Role, Unit
from grassroots.members.permissions import can, require, units_where
from grassroots.members.sections import sections_for

ERRORS_SHOWN = 500


def _unit(code: str) -> Unit:
    return get_object_or_404(Unit, code=code)


@login_required
def my_standing(request: HttpRequest) -> HttpResponse:
    """The member's own record and, for each open meeting or ballot, whether they may take part."""
    member = Member.objects.filter(user=request.user).select_related("branch", "ward").first()
    rows = queries.standing(member, Occasion.objects.all()) if member else []
    sections = sections_for(member) if member else []
    return render(
        request, "members/standing.html", {"member": member, "rows": rows, "sections": sections}
    )


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


@login_required
def register(request: HttpRequest, code: str) -> HttpResponse:
    """A unit's register, searchable, a page at a time."""
    unit = _unit(code)
    require(request.user, "view_register", unit)
    qs = Member.objects.filter(branch__path__startswith=unit.path).select_related("branch")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(number=q) | Q(email__iexact=q))
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "members/register.html",
        {
            "unit": unit,
            "page": page,
            "q": q,
            "status": status,
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


def _check_file(unit: Unit, user: object, text: str) -> csvio.ParseResult:
    allowed = set(
        units_where(user, "edit_register")  # type: ignore[arg-type]
        .filter(path__startswith=unit.path)
        .values_list("pk", flat=True)
    )
    return queries.check_register(text, allowed_branches=allowed)


def _staging() -> Path:
    d = Path(settings.IMPORT_STAGING_DIR)
    d.mkdir(parents=True, exist_ok=True)
    return d


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _report(
    request: HttpRequest,
    unit: Unit,
    parsed: csvio.ParseResult,
    token: str,
    name: str,
    *,
    changed_since: bool = False,
) -> HttpResponse:
    codes = {ref.id: code for code, ref in queries.unit_refs().items()}
    new, updates = len(parsed.rows), len(parsed.updates)
    if parsed.errors:
        label = f"Import the {_plural(new + updates, 'valid row')} and skip the rest"
    else:
        label = "Import: " + " and ".join(
            p
            for p in (
                f"add {_plural(new, 'new member')}" if new else "",
                f"update {_plural(updates, 'member')}" if updates else "",
            )
            if p
        )
    return render(
        request,
        "members/import_report.html",
        {
            "unit": unit,
            "parsed": parsed,
            "errors": parsed.errors[:ERRORS_SHOWN],
            "more": max(0, len(parsed.errors) - ERRORS_SHOWN),
            "updates": parsed.updates[:ERRORS_SHOWN],
            "more_updates": max(0, updates - ERRORS_SHOWN),
            "new_rows": [(r, codes.get(r.branch_id, "")) for r in parsed.rows[:ERRORS_SHOWN]],
            "more_new": max(0, new - ERRORS_SHOWN),
            "label": label,
            "token": token,
            "name": name,
            "changed_since": changed_since,
        },
        status=200,
    )


def _stage(
    request: HttpRequest, unit: Unit, raw: bytes, name: str, parsed: csvio.ParseResult
) -> str:
    """Keep an upload until the user confirms it; the token names it in their session.

    The plan's fingerprint goes with it: the confirmation imports only the plan that was shown.
    """
    token = uuid.uuid4().hex
    (_staging() / f"{token}.csv").write_bytes(raw)
    request.session[f"import:{token}"] = {
        "unit": unit.code,
        "name": name,
        "plan": parsed.plan_digest(),
    }
    return token


@login_required
def import_register(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a register CSV: import it if clean and all new, else show the report first.

    A file with errors waits for the user to import its valid rows (unless they chose that up
    front and there are some); a file that would change members already in the register waits
    for the user to see which columns change.
    """
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error(
                "file", "The file is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'."
            )
            return render(request, "members/import.html", {"unit": unit, "form": form})
        parsed = _check_file(unit, request.user, text)
        skip_errors = form.cleaned_data["import_valid"] and parsed.header_ok and parsed.rows
        if (parsed.errors and not skip_errors) or parsed.updates:
            token = _stage(request, unit, raw, upload.name, parsed)
            return _report(request, unit, parsed, token, upload.name)
        try:
            out = actions.import_members(
                parsed, unit=unit, by=request.user, import_valid=True, source=upload.name
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _done(out))
            return redirect("members:register", code=unit.code)
    return render(request, "members/import.html", {"unit": unit, "form": form})


def _done(out: actions.ImportOutcome) -> str:
    updated = f", updated {out.updated}" if out.updated else ""
    unchanged = f"; {out.unchanged} row(s) already matched the register" if out.unchanged else ""
    skipped = f"; skipped {out.skipped} row(s) with errors" if out.skipped else ""
    return f"Imported {out.created} member(s){updated}{unchanged}{skipped}."


@login_required
@require_POST
def import_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """The user chose to import a checked file: its valid rows, its updates."""
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    token = request.POST.get("token", "")
    staged = request.session.get(f"import:{token}")
    path = _staging() / f"{token}.csv"
    if not token.isalnum() or not staged or staged["unit"] != unit.code or not path.exists():
        messages.error(request, "That upload has expired; please upload the file again.")
        return redirect("members:import", code=unit.code)
    parsed = _check_file(unit, request.user, path.read_bytes().decode("utf-8-sig"))
    if parsed.plan_digest() != staged.get("plan"):
        # the register changed since the report: show what the file would now do, import nothing
        request.session[f"import:{token}"] = {**staged, "plan": parsed.plan_digest()}
        return _report(request, unit, parsed, token, staged["name"], changed_since=True)
    try:
        out = actions.import_members(
            parsed, unit=unit, by=request.user, import_valid=True, source=staged["name"]
        )
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect("members:import", code=unit.code)
    path.unlink(missing_ok=True)
    del request.session[f"import:{token}"]
    messages.success(request, _done(out))
    return redirect("members:register", code=unit.code)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def export_register(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """The unit's register as CSV, in the format the import reads."""
    unit = _unit(code)
    require(request.user, "edit_register", unit)
    qs = (
        Member.objects.filter(branch__path__startswith=unit.path)
        .order_by("number")
        .values_list(
            "number",
            "name",
            "email",
            "branch__code",
            "ward__code",
            "join_date",
            "status",
            "paid_up_to",
            "rate_band",
            "gender",
            "birth_date",
        )
    )
    w = csv.writer(_Echo(), lineterminator="\n")

    def rows():  # type: ignore[no-untyped-def]
        yield w.writerow(csvio.COLUMNS)
        for r in qs.iterator(chunk_size=5000):
            yield w.writerow(["" if v is None else v for v in r])

    resp = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{unit.code}-register.csv"'
    return resp


@login_required
def occasion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An occasion's rules and its electorate: eligible, and held back by each reason."""
    o = get_object_or_404(Occasion.objects.select_related("unit"), pk=pk)
    require(request.user, "view_eligibility", o.unit)
    total, result = queries.electorate_of(o)
    counts = [(queries.REASON_LABELS[k], n) for k, n in result.counts().items()]
    return render(
        request,
        "members/occasion.html",
        {
            "o": o,
            "rules": o.rule_set(),
            "total": total,
            "result": result,
            "counts": counts,
            "on_payment": int(result.on_payment.sum()),
            "can_manage": can(request.user, "manage_occasions", o.unit),
        },
    )


@login_required
def delegates(request: HttpRequest, code: str) -> HttpResponse:
    """Delegate entitlement per branch at a snapshot date, with the figures and steps used."""
    unit = _unit(code)
    require(request.user, "view_delegates", unit)
    default = {
        "snapshot": dt.date(dt.date.today().year - 1, 12, 31),
        "formula": "conference",
        "per": 25,
    }
    form = DelegateForm(request.GET or default)
    table = []
    formula = None
    if form.is_valid():
        d = form.cleaned_data
        formula = CONFERENCE if d["formula"] == "conference" else gc_formula(d["per"])
        table = queries.delegate_table(
            Unit.objects.filter(path__startswith=unit.path), formula, d["snapshot"]
        )
    return render(
        request,
        "members/delegates.html",
        {"unit": unit, "form": form, "table": table, "formula": formula},
    )


@login_required
def occasion_new(request: HttpRequest, code: str) -> HttpResponse:
    """Open a meeting or ballot with its eligibility rules."""
    unit = _unit(code)
    require(request.user, "manage_occasions", unit)
    form = OccasionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        branch = unit.kind == "branch" and d["branch_only"]
        rules = RuleSet(
            on=d["date"],
            freeze_date=d["freeze_date"],
            paid_up_to=d["paid_up_to"],
            may_pay_on_day=d["may_pay_on_day"],
            provisional_days=d["provisional_days"],
            min_membership_days=d["min_membership_days"],
            exclude_suspended=d["exclude_suspended"],
            branch_id=unit.pk if branch else None,
            branch_name=unit.name if branch else "",
        )
        try:
            o = actions.create_occasion(
                by=request.user,
                title=d["title"],
                kind=d["kind"],
                unit=unit,
                date=d["date"],
                rules=rules,
                reason=d["reason"],
            )
        except actions.ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("members:occasion", pk=o.pk)
    return render(request, "members/occasion_form.html", {"unit": unit, "form": form})


@login_required
@require_POST
def occasion_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a meeting or ballot."""
    o = get_object_or_404(Occasion, pk=pk)
    try:
        actions.close_occasion(o, by=request.user, reason=request.POST.get("reason", ""))
    except actions.ActionRefused as exc:
        messages.error(request, str(exc))
    return redirect("members:occasion", pk=o.pk)


@login_required
def roles(request: HttpRequest, code: str) -> HttpResponse:
    """Who holds which role over this unit and below; grant and revoke."""
    from django.contrib.auth import get_user_model

    unit = _unit(code)
    require(request.user, "manage_roles", unit)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and "revoke" in request.POST:
        role = get_object_or_404(Role, pk=request.POST["revoke"], unit__path__startswith=unit.path)
        actions.revoke_role(role, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "Role removed.")
        return redirect("members:roles", code=unit.code)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", "No login with that username.")
        else:
            try:
                actions.grant_role(
                    user=user,
                    kind=form.cleaned_data["kind"],
                    unit=unit,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except actions.ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Role given.")
                return redirect("members:roles", code=unit.code)
    held = (
        Role.objects.filter(unit__path__startswith=unit.path)
        .select_related("user", "unit")
        .order_by("unit__path", "kind")
    )
    return render(request, "members/roles.html", {"unit": unit, "form": form, "held": held})
