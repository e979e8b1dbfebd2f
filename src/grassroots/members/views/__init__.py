"""Thin views: check the user's role, call one action or query, render or redirect."""

from grassroots.members.views.files import (
    check_cancel,
    check_confirm,
    export_register,
    import_cancel,
    import_confirm,
    import_register,
)
from grassroots.members.views.occasions import (
    affiliation_record,
    delegates,
    occasion_close,
    occasion_detail,
    occasion_new,
)
from grassroots.members.views.register import (
    member_detail,
    member_new,
    member_payment,
    member_status,
    register,
)
from grassroots.members.views.roles import roles
from grassroots.members.views.standing import my_standing
from grassroots.members.views.units import unit_edit, unit_list, unit_new, unit_tree
from grassroots.members.views.waiting import import_waiting

__all__ = [
    "affiliation_record",
    "check_cancel",
    "check_confirm",
    "delegates",
    "export_register",
    "import_cancel",
    "import_confirm",
    "import_register",
    "import_waiting",
    "member_detail",
    "member_new",
    "member_payment",
    "member_status",
    "my_standing",
    "occasion_close",
    "occasion_detail",
    "occasion_new",
    "register",
    "roles",
    "unit_edit",
    "unit_list",
    "unit_new",
    "unit_tree",
]
