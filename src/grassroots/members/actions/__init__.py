"""Every change to units, members, roles and occasions: atomic, checked, and audited.

Each action checks its preconditions (the actor's role over the unit, the state the record is in),
saves, and writes one audit entry saying who, when, what and why. ``by=None`` is the operator at
the command line (demo seeding, ``grassroots import``), who is trusted and recorded as "system".
Views and the CLI never call ``.save()`` themselves.
"""

from grassroots.members.actions._common import (
    EDITABLE,
    IMPORT_STATUS_MOVES,
    PARENT_KINDS,
    TRANSITIONS,
    ActionRefused,
)
from grassroots.members.actions.imports import ImportOutcome, import_members
from grassroots.members.actions.occasions import close_occasion, create_occasion
from grassroots.members.actions.register import (
    change_status,
    create_login,
    create_member,
    link_account,
    record_payment,
    update_member,
)
from grassroots.members.actions.units import (
    child_kinds,
    create_unit,
    grant_role,
    record_affiliation,
    rename_unit,
    revoke_role,
)

__all__ = [
    "EDITABLE",
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
    "record_affiliation",
    "record_payment",
    "rename_unit",
    "revoke_role",
    "update_member",
]
