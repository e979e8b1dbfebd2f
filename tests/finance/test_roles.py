"""The officers of open books: a unit's treasurer keeps its books, its auditors sign off its
accounts, and each holds over their unit and the units below it only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from grassroots.members import actions
from grassroots.members.models import Role
from grassroots.members.permissions import can

pytestmark = pytest.mark.django_db


def test_a_branch_treasurer_keeps_that_branchs_books_and_an_auditor_signs_off_only() -> None:
    nat = actions.create_unit(kind="national", code="nat", name="Party", parent=None, by=None)
    hill = actions.create_unit(kind="branch", code="hill", name="Hillford", parent=nat, by=None)
    moor = actions.create_unit(kind="branch", code="moor", name="Moorside", parent=nat, by=None)
    users = get_user_model().objects
    treasurer = users.create_user("t", password="x")
    auditor = users.create_user("a", password="x")
    Role.objects.create(user=treasurer, kind="treasurer", unit=hill)
    Role.objects.create(user=auditor, kind="auditor", unit=hill)

    assert can(treasurer, "keep_books", hill)
    assert not can(treasurer, "keep_books", moor)
    assert not can(treasurer, "keep_books", nat)
    assert not can(treasurer, "audit_accounts", hill)
    assert can(auditor, "audit_accounts", hill)
    assert can(auditor, "view_books", hill)
    assert not can(auditor, "keep_books", hill)
    assert not can(auditor, "approve_spending", hill)
