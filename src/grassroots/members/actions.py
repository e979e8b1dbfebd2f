"""Every change to units, members, roles and occasions: atomic, checked, and audited.

Each action checks its preconditions (the actor's role over the unit, the state the record is in),
saves, and writes one audit entry saying who, when, what and why. ``by=None`` is the operator at
the command line (demo seeding, ``grassroots import``), who is trusted and recorded as "system".
Views and the CLI never call ``.save()`` themselves.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from grassroots.audit.log import record, record_many
from grassroots.count.errors import InputError
from grassroots.members import csvio
from grassroots.members.eligibility import STATUSES, RuleSet
from grassroots.members.models import Member, Occasion, Role, Unit, registered_numbers
from grassroots.members.permissions import require

__all__ = [
    "IMPORT_STATUS_MOVES",
    "PARENT_KINDS",
    "TRANSITIONS",
    "ActionRefused",
    "ImportOutcome",
    "change_status",
    "child_kinds",
    "close_occasion",
    "create_login",
    "create_member",
    "create_occasion",
    "create_unit",
    "grant_role",
    "import_members",
    "link_account",
    "record_payment",
    "rename_unit",
    "revoke_role",
    "update_member",
]

User = AbstractBaseUser | AnonymousUser

# transition: (statuses it may start from, status it leads to, whether a reason is required)
TRANSITIONS: dict[str, tuple[frozenset[str], str, bool]] = {
    "confirm": (frozenset({"provisional"}), "full", False),
    "lapse": (frozenset({"provisional", "full"}), "lapsed", False),
    "suspend": (frozenset({"provisional", "full", "lapsed"}), "suspended", True),
    "readmit": (frozenset({"lapsed", "suspended"}), "full", True),
    "expel": (frozenset({"provisional", "full", "lapsed", "suspended"}), "expelled", True),
}

# the status changes an import may make: those that need no reason (confirm, lapse)
IMPORT_STATUS_MOVES: frozenset[tuple[str, str]] = frozenset(
    (start, end) for starts, end, needs_reason in TRANSITIONS.values() if not needs_reason
    for start in starts
)  # fmt: skip

# the kinds of unit each kind may sit under (None: the top of the tree)
PARENT_KINDS: dict[str, tuple[str | None, ...]] = {
    "national": (None,),
    "region": ("national",),
    "branch": ("region", "national"),
    "ward": ("branch",),
    "affiliate": ("national", "region", "branch"),
}

_CODE = re.compile(r"[-a-zA-Z0-9_]+")  # a slug: CSV files and addresses name units by code

EDITABLE = ("name", "email", "branch", "ward", "join_date", "rate_band", "gender", "birth_date")


class ActionRefused(InputError):
    """An action's precondition is not met; the message says which and how to proceed."""


def _check(by: User | None, perm: str, unit: Unit) -> None:
    if by is not None:
        require(by, perm, unit)


def child_kinds(parent_kind: str) -> tuple[str, ...]:
    """The kinds of unit that may be added under a unit of ``parent_kind``."""
    return tuple(k for k, parents in PARENT_KINDS.items() if parent_kind in parents)


@transaction.atomic
def create_unit(
    *, kind: str, code: str, name: str, parent: Unit | None, by: User | None, reason: str = ""
) -> Unit:
    """Add a unit to the organisation tree under ``parent``."""
    if kind not in PARENT_KINDS:
        raise ActionRefused(f"unknown unit kind {kind!r}")
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in PARENT_KINDS[kind]:
        where = " or ".join(p or "nothing" for p in PARENT_KINDS[kind])
        article = "an" if kind[0] in "aeiou" else "a"
        raise ActionRefused(
            f"{article} {kind} cannot sit under {parent_kind or 'nothing'}: it goes under {where}"
        )
    if parent is not None:
        _check(by, "manage_units", parent)
    elif by is not None and not getattr(by, "is_superuser", False):
        raise ActionRefused("only a superuser may create the national unit")
    if not _CODE.fullmatch(code):
        raise ActionRefused(
            f"the code {code!r} may hold only letters, digits, hyphens and underscores"
        )
    if not name.strip():
        raise ActionRefused("a unit needs a name")
    if Unit.objects.filter(code=code).exists():
        raise ActionRefused(f"a unit with code {code!r} already exists")
    unit = Unit(kind=kind, code=code, name=name.strip(), parent=parent, path="")
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    under = f" under {parent.name}" if parent is not None else ""
    record(
        by,
        "create_unit",
        f"unit:{unit.pk}",
        f"created {kind} {unit.name} ({code}){under}",
        reason=reason,
    )
    return unit


@transaction.atomic
def rename_unit(unit: Unit, *, name: str, by: User | None, reason: str = "") -> Unit:
    """Give a unit a new name; its code stays, so files and addresses that use it still work."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _check(by, "manage_units", unit)
    name = name.strip()
    if not name:
        raise ActionRefused("a unit needs a name")
    if name == unit.name:
        raise ActionRefused(f"{unit.name} already has that name")
    old = unit.name
    unit.name = name
    unit.save(update_fields=["name"])
    record(
        by,
        "rename_unit",
        f"unit:{unit.pk}",
        f"renamed {unit.kind} {old} ({unit.code}) to {name}",
        reason=reason,
        detail={"from": old, "to": name},
    )
    return unit


@transaction.atomic
def grant_role(
    *, user: AbstractBaseUser, kind: str, unit: Unit, by: User | None, reason: str = ""
) -> Role:
    """Give ``user`` the role ``kind`` over ``unit`` and everything below it."""
    _check(by, "manage_roles", unit)
    if kind in ("branch_secretary", "branch_officer") and unit.kind not in ("branch", "ward"):
        raise ActionRefused(f"a {kind.replace('_', ' ')} is scoped to a branch, not a {unit.kind}")
    role, created = Role.objects.get_or_create(user=user, kind=kind, unit=unit)
    if not created:
        raise ActionRefused(f"{user.get_username()} already holds that role over {unit.name}")
    record(
        by,
        "grant_role",
        f"user:{user.pk}",
        f"made {user.get_username()} {role.get_kind_display().lower()} of {unit.name}",
        reason=reason,
    )
    return role


@transaction.atomic
def revoke_role(role: Role, *, by: User | None, reason: str = "") -> None:
    """Take a role away."""
    _check(by, "manage_roles", role.unit)
    who, what = role.user.get_username(), role.get_kind_display().lower()
    summary = f"removed {who} as {what} of {role.unit.name}"
    subject = f"user:{role.user_id}"
    role.delete()
    record(by, "revoke_role", subject, summary, reason=reason)


def _check_branch_and_ward(branch: Unit, ward: Unit | None) -> None:
    if branch.kind != "branch":
        raise ActionRefused(f"{branch.name} is a {branch.kind}, not a branch")
    if ward is not None and (ward.kind != "ward" or ward.parent_id != branch.pk):
        raise ActionRefused(f"{ward.name} is not a ward of {branch.name}")


@transaction.atomic
def create_member(
    *,
    by: User | None,
    number: str,
    name: str,
    branch: Unit,
    join_date: dt.date,
    status: str = "provisional",
    email: str = "",
    ward: Unit | None = None,
    paid_up_to: dt.date | None = None,
    rate_band: str = "standard",
    gender: str = "",
    birth_date: dt.date | None = None,
    reason: str = "",
) -> Member:
    """Add a member to a branch's register."""
    _check(by, "edit_register", branch)
    _check_branch_and_ward(branch, ward)
    if status not in STATUSES:
        raise ActionRefused(f"status {status!r} is not one of {', '.join(STATUSES)}")
    if Member.objects.filter(number=number).exists():
        raise ActionRefused(f"membership number {number} is already in the register")
    m = Member.objects.create(
        number=number,
        name=name,
        email=email,
        branch=branch,
        ward=ward,
        join_date=join_date,
        status=status,
        paid_up_to=paid_up_to,
        rate_band=rate_band,
        gender=gender,
        birth_date=birth_date,
    )
    record(
        by,
        "create_member",
        f"member:{m.number}",
        f"added {m.name} ({m.number}) to {branch.name} as {status}",
        reason=reason,
    )
    return m


@transaction.atomic
def update_member(
    member: Member, *, by: User | None, changes: Mapping[str, Any], reason: str = ""
) -> Member:
    """Change a member's details (not their status: that is ``change_status``)."""
    bad = set(changes) - set(EDITABLE)
    if bad:
        raise ActionRefused(f"cannot change {', '.join(sorted(bad))} here")
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check(by, "edit_register", member.branch)
    new_branch = changes.get("branch", member.branch)
    if new_branch != member.branch:
        _check(by, "edit_register", new_branch)
    _check_branch_and_ward(new_branch, changes.get("ward", member.ward))
    diff = {}
    for k, v in changes.items():
        old = getattr(member, k)
        if old != v:
            diff[k] = [str(old) if old is not None else None, str(v) if v is not None else None]
            setattr(member, k, v)
    if not diff:
        return member
    member.save()
    record(
        by,
        "update_member",
        f"member:{member.number}",
        f"changed {', '.join(diff)} of {member.name} ({member.number})",
        reason=reason,
        detail={"changes": diff},
    )
    return member


@transaction.atomic
def change_status(member: Member, transition: str, *, by: User | None, reason: str = "") -> Member:
    """Move a member along one allowed transition (confirm, lapse, suspend, readmit, expel)."""
    if transition not in TRANSITIONS:
        raise ActionRefused(f"unknown status change {transition!r}")
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check(by, "edit_register", member.branch)
    start, end, needs_reason = TRANSITIONS[transition]
    if member.status not in start:
        raise ActionRefused(
            f"cannot {transition} {member.name}: status is {member.status}, "
            f"must be {' or '.join(sorted(start))}"
        )
    if needs_reason and not reason.strip():
        raise ActionRefused(f"a reason is required to {transition} a member")
    old = member.status
    member.status = end
    member.save(update_fields=["status"])
    record(
        by,
        f"{transition}_member",
        f"member:{member.number}",
        f"{transition}: {member.name} ({member.number}) {old} → {end}",
        reason=reason,
        detail={"from": old, "to": end},
    )
    return member


@transaction.atomic
def record_payment(
    member: Member, *, paid_up_to: dt.date, by: User | None, reason: str = ""
) -> Member:
    """Record that a member's subscription is now paid up to ``paid_up_to``."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check(by, "edit_register", member.branch)
    if member.paid_up_to is not None and paid_up_to <= member.paid_up_to:
        raise ActionRefused(f"{member.name} is already paid up to {member.paid_up_to}")
    old = member.paid_up_to
    member.paid_up_to = paid_up_to
    member.save(update_fields=["paid_up_to"])
    record(
        by,
        "record_payment",
        f"member:{member.number}",
        f"{member.name} ({member.number}) paid up to {paid_up_to} (was {old or 'none'})",
        reason=reason,
    )
    return member


@transaction.atomic
def link_account(member: Member, *, user: AbstractBaseUser, by: User | None) -> Member:
    """Link a login account to a member so they can see their own standing."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check(by, "edit_register", member.branch)
    if member.user_id is not None:
        raise ActionRefused(f"{member.name} already has an account")
    member.user = user
    member.save(update_fields=["user"])
    record(
        by,
        "link_account",
        f"member:{member.number}",
        f"linked {user.get_username()} to {member.name}",
    )
    return member


@transaction.atomic
def create_login(
    *, username: str, password: str, email: str = "", member: Member | None = None, by: User | None
) -> AbstractBaseUser:
    """Create a login account, linked to ``member`` when given."""
    from django.contrib.auth import get_user_model

    if member is not None:
        _check(by, "edit_register", member.branch)
    elif by is not None:
        raise ActionRefused("only the operator may create an account not linked to a member")
    model = get_user_model()
    if model.objects.filter(username=username).exists():
        raise ActionRefused(f"the username {username!r} is taken")
    user = model.objects.create_user(username=username, password=password, email=email)
    record(by, "create_login", f"user:{user.pk}", f"created the login {username}")
    if member is not None:
        link_account(member, user=user, by=by)
    return user


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: members added, rows skipped for errors, members updated, rows that
    matched the register already."""

    created: int
    skipped: int
    updated: int = 0
    unchanged: int = 0


_COLUMNS = (
    "number", "name", "email", "branch_id", "ward_id", "join_date", "status", "paid_up_to",
    "rate_band", "gender", "birth_date",
)  # fmt: skip


def _insert_rows(rows: list[csvio.MemberRow], batch_size: int) -> None:
    """Insert checked rows: COPY on PostgreSQL, one prepared INSERT with many rows elsewhere.

    The ORM's bulk_create spends most of its time building model instances and SQL per batch
    (on SQLite only ~90 rows fit a statement); these are several times faster.
    """
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    table = connection.ops.quote_name(Member._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    day = _same if postgres else connection.ops.adapt_datefield_value

    def values(r: csvio.MemberRow) -> tuple[object, ...]:
        return (
            r.number, r.name, r.email, r.branch_id, r.ward_id, day(r.join_date), r.status,
            day(r.paid_up_to), r.rate_band, r.gender, day(r.birth_date),
        )  # fmt: skip

    with connection.cursor() as cur:
        if postgres:
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(values(r))
            return
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
        for i in range(0, len(rows), batch_size):
            cur.executemany(sql, [values(r) for r in rows[i : i + batch_size]])


def _update_rows(updates: list[csvio.RowUpdate], batch_size: int) -> None:
    """Write the changed columns of each updated member: one prepared UPDATE per set of columns."""
    from django.db import connection

    qn = connection.ops.quote_name
    table = qn(Member._meta.db_table)
    adapt = connection.ops.adapt_datefield_value

    def value(v: object) -> object:
        return adapt(v) if isinstance(v, dt.date) else v

    groups: dict[tuple[str, ...], list[csvio.RowUpdate]] = {}
    for u in updates:
        groups.setdefault(tuple(sorted(u.values)), []).append(u)
    with connection.cursor() as cur:
        for cols, group in groups.items():
            sets = ", ".join(f"{qn(c)} = %s" for c in cols)
            sql = f"UPDATE {table} SET {sets} WHERE {qn('id')} = %s"
            for i in range(0, len(group), batch_size):
                cur.executemany(
                    sql,
                    [
                        (*(value(u.values[c]) for c in cols), u.member_id)
                        for u in group[i : i + batch_size]
                    ],
                )


def _same(d: dt.date | None) -> dt.date | None:
    return d


def _chunks(items: list[Any], size: int = 10000) -> Any:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _check_updates(updates: list[csvio.RowUpdate], unit: Unit, allowed: set[int]) -> None:
    """Every member an import updates is in ``unit`` now, and each status change is allowed."""
    now: dict[int, tuple[str, int, str]] = {}
    for ids in _chunks([u.member_id for u in updates]):
        for pk, number, branch_id, status in Member.objects.filter(pk__in=ids).values_list(
            "pk", "number", "branch_id", "status"
        ):
            now[pk] = (number, branch_id, status)
    for u in updates:
        number, branch_id, status = now.get(u.member_id, ("", 0, ""))
        if number != u.row.number:
            raise ActionRefused(
                f"row {u.row.row}: member {u.row.number} has changed since the file was checked; "
                "check the file again"
            )
        if branch_id not in allowed:
            raise ActionRefused(f"row {u.row.row}: {number} is a member outside {unit.name}")
        if "status" in u.values and (status, u.values["status"]) not in IMPORT_STATUS_MOVES:
            raise ActionRefused(
                f"row {u.row.row}: an import does not change {number} from {status} "
                f"to {u.values['status']}"
            )


@transaction.atomic
def import_members(
    parsed: csvio.ParseResult,
    *,
    unit: Unit,
    by: User | None,
    import_valid: bool = False,
    source: str = "upload",
    batch_size: int = 5000,
) -> ImportOutcome:
    """Write a checked register file; with errors, nothing changes unless ``import_valid``.

    ``parsed`` must have been checked against ``unit``'s branches (``csvio.parse`` with
    ``allowed_branches``) and matched with the register (``csvio.match_existing``, as
    ``queries.check_register`` does): its ``rows`` are added, its ``updates`` change the members
    they name, each with its own audit entry. Branches and members are checked again here.
    """
    _check(by, "edit_register", unit)
    if not parsed.header_ok:
        raise ActionRefused("the file's header is wrong: nothing can be imported")
    if parsed.errors and not import_valid:
        raise ActionRefused(
            f"{len(parsed.errors)} problem(s) in {parsed.bad_rows} row(s): nothing was imported; "
            "fix the file or choose to import the valid rows"
        )
    allowed = set(Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))
    stray = next(
        (r for r in [*parsed.rows, *(u.row for u in parsed.updates)] if r.branch_id not in allowed),
        None,
    )
    if stray is not None:
        raise ActionRefused(f"row {stray.row}: its branch is outside {unit.name}")
    taken = registered_numbers([r.number for r in parsed.rows])
    if taken:
        first = min(taken)
        raise ActionRefused(
            f"{len(taken)} membership number(s) already in the register, e.g. {first}; "
            "check the file again"
        )
    _check_updates(parsed.updates, unit, allowed)
    _insert_rows(parsed.rows, batch_size)
    _update_rows(parsed.updates, batch_size)
    record_many(
        by,
        (
            (
                "update_member",
                f"member:{u.row.number}",
                f"changed {', '.join(u.columns)} of {u.row.name} ({u.row.number}) "
                f"by import from {source}",
                {
                    "changes": {c: [before, after] for c, before, after in u.changes},
                    "source": source,
                    "row": u.row.row,
                },
            )
            for u in parsed.updates
        ),
    )
    created, updated, skipped = len(parsed.rows), len(parsed.updates), parsed.bad_rows
    record(
        by,
        "import_members",
        f"unit:{unit.pk}",
        f"imported {created} member(s)"
        + (f" and updated {updated}" if updated else "")
        + f" into {unit.name} from {source}"
        + (f", skipping {skipped} row(s) with errors" if skipped else ""),
        detail={
            "created": created,
            "updated": updated,
            "unchanged": parsed.unchanged,
            "skipped_rows": sorted({e.row for e in parsed.errors})[:1000],
            "source": source,
        },
    )
    return ImportOutcome(created, skipped, updated, parsed.unchanged)


@transaction.atomic
def create_occasion(
    *,
    by: User | None,
    title: str,
    kind: str,
    unit: Unit,
    date: dt.date,
    rules: RuleSet,
    reason: str = "",
) -> Occasion:
    """Open a meeting or ballot with its eligibility rules."""
    _check(by, "manage_occasions", unit)
    if kind not in dict(Occasion.KINDS):
        raise ActionRefused(f"unknown occasion kind {kind!r}")
    if rules.on != date:
        raise ActionRefused(f"the rules are set for {rules.on}, the {kind} is on {date}")
    o = Occasion.objects.create(
        title=title, kind=kind, unit=unit, date=date, rules=rules.to_dict(), is_open=True
    )
    record(
        by,
        "create_occasion",
        f"occasion:{o.pk}",
        f"opened {kind} {title} on {date} for {unit.name}",
        reason=reason,
        detail={"rules": rules.to_dict()},
    )
    return o


@transaction.atomic
def close_occasion(occasion: Occasion, *, by: User | None, reason: str = "") -> Occasion:
    """Close a meeting or ballot: it no longer shows on members' standing pages."""
    occasion = Occasion.objects.select_for_update().get(pk=occasion.pk)
    _check(by, "manage_occasions", occasion.unit)
    if not occasion.is_open:
        raise ActionRefused(f"{occasion.title} is already closed")
    occasion.is_open = False
    occasion.save(update_fields=["is_open"])
    record(
        by, "close_occasion", f"occasion:{occasion.pk}", f"closed {occasion.title}", reason=reason
    )
    return occasion
