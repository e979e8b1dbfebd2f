"""Actions: every state change checks its preconditions and writes one audit entry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from grassroots.audit.log import record, verify
from grassroots.audit.models import AuditEntry
from grassroots.members import actions, csvio, queries
from grassroots.members.models import Member
from grassroots.members.permissions import NotAllowed
from tests.web.conftest import Org

pytestmark = pytest.mark.django_db
D = dt.date


def _last() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()  # type: ignore[return-value]


def test_creating_a_member_records_who_did_it_and_why(org: Org) -> None:
    sec = org.users["secretary"]
    m = actions.create_member(
        by=sec,
        number="N1",
        name="Nia New",
        branch=org.hillford,
        join_date=D(2025, 1, 1),
        reason="joined at the stall",
    )
    e = _last()
    assert (e.actor, e.action, e.subject, e.reason) == (
        sec,
        "create_member",
        "member:N1",
        "joined at the stall",
    )
    assert e.summary == "added Nia New (N1) to Hillford as provisional"
    assert m.status == "provisional"


def test_a_membership_number_cannot_be_used_twice(org: Org) -> None:
    with pytest.raises(actions.ActionRefused, match="M1 is already in the register"):
        actions.create_member(
            by=None, number="M1", name="X", branch=org.hillford, join_date=D(2025, 1, 1)
        )


def test_a_member_must_belong_to_a_branch_and_a_ward_of_that_branch(org: Org) -> None:
    with pytest.raises(actions.ActionRefused, match="is a region, not a branch"):
        actions.create_member(
            by=None, number="N2", name="X", branch=org.north, join_date=D(2025, 1, 1)
        )
    with pytest.raises(actions.ActionRefused, match="not a ward of Moorside"):
        actions.create_member(
            by=None,
            number="N2",
            name="X",
            branch=org.moorside,
            ward=org.hillford_east,
            join_date=D(2025, 1, 1),
        )


@pytest.mark.parametrize(
    ("start", "transition", "end"),
    [
        ("provisional", "confirm", "full"),
        ("full", "lapse", "lapsed"),
        ("full", "suspend", "suspended"),
        ("suspended", "readmit", "full"),
        ("lapsed", "readmit", "full"),
        ("full", "expel", "expelled"),
    ],
)
def test_each_allowed_status_change_moves_the_member_and_is_audited(
    org: Org, start: str, transition: str, end: str
) -> None:
    Member.objects.filter(pk=org.ann.pk).update(status=start)
    actions.change_status(
        org.ann, transition, by=org.users["secretary"], reason="branch decision 12"
    )
    assert Member.objects.get(pk=org.ann.pk).status == end
    e = _last()
    assert e.action == f"{transition}_member" and e.detail == {"from": start, "to": end}
    assert e.reason == "branch decision 12"


@pytest.mark.parametrize(
    ("start", "transition"),
    [("full", "confirm"), ("expelled", "readmit"), ("lapsed", "lapse"), ("expelled", "suspend")],
)
def test_a_status_change_from_the_wrong_status_is_refused_and_changes_nothing(
    org: Org, start: str, transition: str
) -> None:
    Member.objects.filter(pk=org.ann.pk).update(status=start)
    before = AuditEntry.objects.count()
    with pytest.raises(actions.ActionRefused, match=f"status is {start}"):
        actions.change_status(org.ann, transition, by=org.users["secretary"], reason="x")
    assert Member.objects.get(pk=org.ann.pk).status == start
    assert AuditEntry.objects.count() == before


def test_suspending_needs_a_reason(org: Org) -> None:
    with pytest.raises(actions.ActionRefused, match="a reason is required to suspend"):
        actions.change_status(org.ann, "suspend", by=org.users["secretary"], reason="  ")


def test_editing_records_each_changed_field_with_old_and_new_values(org: Org) -> None:
    actions.update_member(
        org.ann,
        by=org.users["secretary"],
        changes={"name": "Ann Smith", "email": ""},
        reason="married",
    )
    e = _last()
    assert e.detail == {"changes": {"name": ["Ann Arrears", "Ann Smith"]}}
    assert e.summary == "changed name of Ann Smith (M1)"


def test_a_payment_must_move_the_paid_up_to_date_forward(org: Org) -> None:
    actions.record_payment(org.ann, paid_up_to=D(2099, 1, 1), by=org.users["secretary"])
    with pytest.raises(actions.ActionRefused, match="already paid up to 2099-01-01"):
        actions.record_payment(org.ann, paid_up_to=D(2098, 1, 1), by=org.users["secretary"])


def _file(rows: str) -> str:
    return "number,name,branch,join_date,status\n" + rows


def _parse(org: Org, text: str) -> csvio.ParseResult:
    """Checked as the operator's command does: any branch, matched with the register."""
    return queries.check_register(text, allowed_branches=None)


def test_an_import_with_errors_changes_nothing_unless_the_valid_rows_are_chosen(org: Org) -> None:
    parsed = _parse(org, _file("I1,Ivy,hillford,2020-01-01,full\nI2,Ian,nowhere,2020-01-01,full\n"))
    before = (Member.objects.count(), AuditEntry.objects.count())
    with pytest.raises(
        actions.ActionRefused, match="1 problem\\(s\\) in 1 row\\(s\\): nothing was imported"
    ):
        actions.import_members(parsed, unit=org.national, by=org.users["admin"])
    assert (Member.objects.count(), AuditEntry.objects.count()) == before
    out = actions.import_members(
        parsed, unit=org.national, by=org.users["admin"], import_valid=True, source="x.csv"
    )
    assert (out.created, out.skipped) == (1, 1)
    assert (
        Member.objects.filter(number="I1").exists()
        and not Member.objects.filter(number="I2").exists()
    )
    assert (
        _last().summary
        == "imported 1 member(s) into Test Party from x.csv, skipping 1 row(s) with errors"
    )


def test_a_branch_secretary_cannot_import_into_another_branch_even_with_a_checked_file(
    org: Org,
) -> None:
    parsed = _parse(org, _file("I1,Ivy,moorside,2020-01-01,full\n"))
    with pytest.raises(actions.ActionRefused, match="outside Hillford"):
        actions.import_members(parsed, unit=org.hillford, by=org.users["secretary"])
    with pytest.raises(NotAllowed):
        actions.import_members(parsed, unit=org.moorside, by=org.users["secretary"])


def test_the_audit_chain_verifies_and_detects_an_altered_entry(org: Org) -> None:
    assert verify() is None
    e = _last()
    AuditEntry.objects.filter(pk=e.pk).update(
        summary="nothing happened"
    )  # tampering below the model
    broken = verify()
    assert broken is not None and broken.entry_id == e.pk and "altered" in broken.problem


def test_audit_entries_cannot_be_changed_or_deleted_through_the_model(org: Org) -> None:
    e = _last()
    e.summary = "rewritten"
    with pytest.raises(PermissionError):
        e.save()
    with pytest.raises(PermissionError):
        e.delete()


@pytest.mark.django_db(transaction=True)
def test_an_audit_entry_is_only_written_inside_the_actions_transaction() -> None:
    assert not transaction.get_connection().in_atomic_block
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        record(None, "x", "y", "z")
    assert not AuditEntry.objects.exists()


def test_roles_of_a_branch_cannot_be_given_over_a_region(org: Org) -> None:
    with pytest.raises(actions.ActionRefused, match="scoped to a branch"):
        actions.grant_role(
            user=org.users["officer"], kind="branch_secretary", unit=org.north, by=None
        )


def test_an_import_adds_new_rows_updates_known_ones_and_audits_each_update(org: Org) -> None:
    admin = org.users["admin"]
    text = (
        "number,name,email,branch,join_date,status,paid_up_to\n"
        f"M1,Ann Arrears,ann@example.org,hillford,2019-01-01,full,{D(2099, 1, 1)}\n"
        f"M2,Bob Moor,,moorside,2019-01-01,full,{org.bob.paid_up_to}\n"  # as in the register
        "N9,Nel New,,moorside,2024-02-03,provisional,\n"
    )
    before = AuditEntry.objects.count()
    out = actions.import_members(_parse(org, text), unit=org.national, by=admin, source="x.csv")
    assert (out.created, out.updated, out.unchanged, out.skipped) == (1, 1, 1, 0)
    ann = Member.objects.get(number="M1")
    assert (ann.email, ann.paid_up_to, ann.ward_id) == (
        "ann@example.org",
        D(2099, 1, 1),
        org.hillford_east.pk,  # no ward column: the ward stays
    )
    assert Member.objects.filter(number="N9", branch=org.moorside).exists()
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.subject) for e in entries] == [
        ("update_member", "member:M1"),
        ("import_members", f"unit:{org.national.pk}"),
    ]
    upd, summary = entries
    assert upd.actor == admin
    assert upd.summary == "changed email, paid_up_to of Ann Arrears (M1) by import from x.csv"
    assert upd.detail["changes"] == {
        "email": ["", "ann@example.org"],
        "paid_up_to": [str(org.ann.paid_up_to), "2099-01-01"],
    }
    assert summary.summary == "imported 1 member(s) and updated 1 into Test Party from x.csv"
    assert summary.detail["unchanged"] == 1
    assert verify() is None  # the entries written together chain like any others


def test_an_update_by_import_moves_a_member_and_clears_the_old_branchs_ward(org: Org) -> None:
    text = _file("M1,Ann Arrears,moorside,2019-01-01,full\n")
    actions.import_members(_parse(org, text), unit=org.north, by=org.users["admin"])
    ann = Member.objects.get(number="M1")
    assert (ann.branch_id, ann.ward_id) == (org.moorside.pk, None)


def test_a_branch_secretary_cannot_update_another_branchs_member_by_import(org: Org) -> None:
    sec = org.users["secretary"]
    # checked within Hillford, Bob (Moorside) is a row error and is not updated
    parsed = queries.check_register(
        _file("M2,Bob Hillford,hillford,2019-01-01,full\n"), allowed_branches={org.hillford.pk}
    )
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "number")]
    assert parsed.updates == []
    # a file checked without that limit is refused by the action itself
    unchecked = _parse(org, _file("M2,Bob Hillford,hillford,2019-01-01,full\n"))
    assert [u.row.number for u in unchecked.updates] == ["M2"]
    before = AuditEntry.objects.count()
    with pytest.raises(actions.ActionRefused, match="row 2: M2 is a member outside Hillford"):
        actions.import_members(unchecked, unit=org.hillford, by=sec)
    assert Member.objects.get(number="M2").name == "Bob Moor"
    assert AuditEntry.objects.count() == before


def test_an_import_may_confirm_or_lapse_but_not_expel(org: Org) -> None:
    parsed = _parse(
        org,
        _file(
            "M1,Ann Arrears,hillford,2019-01-01,lapsed\nM2,Bob Moor,moorside,2019-01-01,expelled\n"
        ),
    )
    assert [e.column for e in parsed.errors] == ["status"]
    out = actions.import_members(parsed, unit=org.national, by=None, import_valid=True)
    assert (out.updated, out.skipped) == (1, 1)
    assert Member.objects.get(number="M1").status == "lapsed"
    assert Member.objects.get(number="M2").status == "full"


def test_an_import_checked_before_the_register_changed_is_refused(org: Org) -> None:
    parsed = _parse(org, _file("N5,Nia,hillford,2020-01-01,full\n"))
    actions.create_member(
        by=None, number="N5", name="Nia", branch=org.hillford, join_date=D(2020, 1, 1)
    )
    with pytest.raises(actions.ActionRefused, match=r"already in the register, e\.g\. N5; check"):
        actions.import_members(parsed, unit=org.national, by=None)
